#include "controlplane/cli/import_command.h"

#include <fstream>

#include "controlplane/import/keepalived_import.h"

namespace sluice::cli {

int run_import_keepalived(const std::vector<std::string>& files, const std::string& output,
                          const std::vector<std::string>& addresses, std::ostream& out,
                          std::ostream& err) {
    constexpr int kUsage = 2;
    if (files.size() != 1) {
        err << "sluicectl: import-keepalived takes one FILE\nTry 'sluicectl --help'.\n";
        return kUsage;
    }
    import::ImportOptions options;
    for (const auto& a : addresses) {
        const auto eq = a.find('=');
        const auto prefix =
            eq == std::string::npos ? std::nullopt : common::Ipv4Prefix::parse(a.substr(eq + 1));
        if (eq == 0 || !prefix || a.find('/') == std::string::npos) {
            err << "sluicectl: --address '" << a << "' is not IFACE=IP/LEN\n";
            return kUsage;
        }
        options.addresses[a.substr(0, eq)] = *prefix;
    }
    const auto result = import::import_file(files.front(), options);
    if (!result.ok()) {
        for (const auto& e : result.errors) {
            err << e << '\n';
        }
        err << "sluicectl: cannot parse " << files.front() << '\n';
        return 1;
    }
    for (const auto& n : result.not_translated) {
        err << n << '\n';
    }
    if (output.empty()) {
        out << result.toml;
    } else {
        std::ofstream file(output, std::ios::binary | std::ios::trunc);
        file << result.toml;
        file.close();
        if (!file) {
            err << "sluicectl: cannot write " << output << '\n';
            return 1;
        }
    }
    return 0;
}

}  // namespace sluice::cli
