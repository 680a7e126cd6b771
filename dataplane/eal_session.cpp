#include "dataplane/eal_session.h"

#include <rte_eal.h>
#include <rte_errno.h>

#include <unistd.h>

namespace sluice::dataplane {

bool eal_init(const std::vector<std::string>& args, std::string& error) {
    // rte_eal_init permutes argv; hand it private copies.
    std::vector<std::string> storage = args;
    std::vector<char*> argv;
    argv.reserve(storage.size() + 1);
    for (auto& s : storage) {
        argv.push_back(s.data());
    }
    argv.push_back(nullptr);
    if (rte_eal_init(static_cast<int>(storage.size()), argv.data()) < 0) {
        error = std::string("EAL initialisation failed: ") + rte_strerror(rte_errno);
        return false;
    }
    return true;
}

void eal_cleanup() {
    // With --in-memory or --no-shconf the EAL keeps no files in its runtime
    // directory but still creates it; rmdir fails harmlessly if anything is inside.
    const std::string runtime_dir = rte_eal_get_runtime_dir();
    rte_eal_cleanup();
    ::rmdir(runtime_dir.c_str());
}

}  // namespace sluice::dataplane
