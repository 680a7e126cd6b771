#include "controlplane/process/credentials.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace sluice::process {
namespace {

constexpr std::size_t kMaxBuffer = 1 << 20;
constexpr int kMaxGroupAttempts = 8;

std::string errno_text(int err) {
    return std::system_category().message(err);
}

bool supplementary_groups(Credentials& creds, std::string& error) {
    int capacity = 32;
    for (int attempt = 0; attempt < kMaxGroupAttempts; ++attempt) {
        creds.groups.resize(static_cast<std::size_t>(capacity));
        int count = capacity;
        if (getgrouplist(creds.name.c_str(), creds.gid, creds.groups.data(), &count) >= 0) {
            creds.groups.resize(static_cast<std::size_t>(count));
            return true;
        }
        capacity = std::max(count, capacity * 2);
    }
    error = "cannot list the groups of user '" + creds.name + "'";
    return false;
}

}  // namespace

std::optional<Credentials> resolve_user(const std::string& name, std::string& error) {
    const long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(hint > 0 ? static_cast<std::size_t>(hint) : 1024);
    passwd entry{};
    passwd* found = nullptr;
    int rc = 0;
    for (;;) {
        rc = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
        if (rc == ERANGE && buffer.size() < kMaxBuffer) {
            buffer.resize(buffer.size() * 2);
        } else if (rc != EINTR) {
            break;
        }
    }
    if (rc != 0) {
        error = "cannot look up user '" + name + "': " + errno_text(rc);
        return std::nullopt;
    }
    if (found == nullptr) {
        error = "unknown user '" + name + "'";
        return std::nullopt;
    }
    Credentials creds;
    creds.name = name;
    creds.uid = entry.pw_uid;
    creds.gid = entry.pw_gid;
    if (!supplementary_groups(creds, error)) {
        return std::nullopt;
    }
    return creds;
}

}  // namespace sluice::process
