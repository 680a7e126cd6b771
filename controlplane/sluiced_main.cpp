// sluiced: the sluice appliance daemon. Parses the command line, loads and
// validates the configuration, starts the dataplane and runs the control plane.
//
// Exit codes: 0 clean stop / valid config, 1 invalid config, 2 usage error,
// 3 runtime failure (EAL, port, API socket), 4 (--check only) valid with warnings.

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>

#include "controlplane/config/inactive_features.h"
#include "controlplane/config/loader.h"
#include "controlplane/daemon.h"
#include "controlplane/dataplane_settings.h"
#include "dataplane/dataplane.h"
#include "dataplane/eal_args.h"
#include "dataplane/hugepages.h"
#include "sluice_version.h"

namespace po = boost::program_options;
using namespace sluice;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitInvalidConfig = 1;
constexpr int kExitUsage = 2;
constexpr int kExitRuntime = 3;
constexpr int kExitValidWithWarnings = 4;  // --check only

constexpr const char* kDefaultConfig = "/etc/sluice/config.toml";

// Prints every diagnostic to stderr; returns true when there is no error.
bool report(const config::LoadResult& result) {
    for (const auto& d : result.diagnostics) {
        std::cerr << d.to_string() << '\n';
    }
    return result.ok();
}

std::size_t count(const config::LoadResult& result, config::Severity severity) {
    std::size_t n = 0;
    for (const auto& d : result.diagnostics) {
        n += d.severity == severity ? 1 : 0;
    }
    return n;
}

std::vector<std::string> split_words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) {
        out.push_back(w);
    }
    return out;
}

int check_only(const std::string& file) {
    const auto result = config::load_file(file);
    const bool ok = report(result);
    const auto errors = count(result, config::Severity::error);
    const auto warnings = count(result, config::Severity::warning);
    if (ok) {
        std::cout << file << ": valid (" << warnings << " warning" << (warnings == 1 ? "" : "s") << ")\n";
        return warnings == 0 ? kExitOk : kExitValidWithWarnings;
    }
    std::cerr << file << ": invalid: " << errors << " error" << (errors == 1 ? "" : "s") << ", "
              << warnings << " warning" << (warnings == 1 ? "" : "s") << '\n';
    return kExitInvalidConfig;
}

int run_daemon(const std::string& file, const po::variables_map& vm) {
    auto result = config::load_file(file);
    if (!report(result)) {
        std::cerr << "sluiced: " << file << " is invalid (" << count(result, config::Severity::error)
                  << " errors); nothing was started\n";
        return kExitInvalidConfig;
    }
    const config::Config& cfg = *result.config;

    controlplane::Logger log(std::cerr, "sluiced", cfg.global.log_level, cfg.global.log_format);
    if (vm.count("log-level") != 0) {
        controlplane::LogLevel level{};
        controlplane::parse_log_level(vm["log-level"].as<std::string>(), level);
        log.set_level(level);
    }
    if (vm.count("log-format") != 0) {
        log.set_format(vm["log-format"].as<std::string>() == "json" ? config::LogFormat::json
                                                                    : config::LogFormat::text);
    }
    if (vm.count("syslog") != 0) {
        log.use_syslog();
    }

    controlplane::DaemonInfo info;
    info.config_file = std::filesystem::absolute(file).lexically_normal().string();
    for (const auto& feature : config::inactive_features(cfg)) {
        log.warning(feature);
        info.warnings.push_back(feature);
    }

    auto settings = controlplane::to_dataplane_settings(cfg);
    if (vm.count("eal-args") != 0) {
        for (auto& w : split_words(vm["eal-args"].as<std::string>())) {
            settings.eal_args.push_back(std::move(w));
        }
    }
    const auto plan = dataplane::build_eal_args(settings, dataplane::probe_hugepages(), ::getpid(),
                                                 std::thread::hardware_concurrency());
    for (const auto& w : plan.warnings) {
        log.warning(w);
        info.warnings.push_back(w);
    }
    info.eal_file_prefix = plan.file_prefix;
    info.hugepages = plan.use_hugepages;

    dataplane::Dataplane dataplane(settings);
    controlplane::Daemon daemon(cfg, info, dataplane, log);
    std::string error;
    if (!daemon.open_api(error)) {
        log.error(error);
        return kExitRuntime;
    }
    std::string eal_line;
    for (const auto& a : plan.args) {
        eal_line += (eal_line.empty() ? "" : " ") + a;
    }
    log.info("starting the dataplane: " + eal_line);
    if (!dataplane.start(plan, error)) {
        log.error(error);
        return kExitRuntime;
    }
    if (!daemon.start_forwarding(error)) {
        log.error(error);
        dataplane.stop();
        return kExitRuntime;
    }
    log.info("sluiced " SLUICE_VERSION " running on node '" + cfg.global.node_name + "': " +
             std::to_string(settings.ports.size()) + " ports, " +
             std::to_string(settings.worker_lcores.size()) + " workers, " +
             (plan.use_hugepages ? "hugepages" : "no hugepages"));
    return daemon.run();
}

}  // namespace

int main(int argc, char** argv) {
    po::options_description opts(
        "Usage: sluiced [--config FILE] [options]\n"
        "       sluiced --check FILE\n\n"
        "sluice appliance daemon: L4 load balancing (NAT/DR/TUN) and VRRP on a DPDK dataplane.\n"
        "Runs in the foreground until SIGTERM or SIGINT; query it with `sluicectl status`.\n\n"
        "Options");
    opts.add_options()
        ("help,h", "show this help and exit")
        ("version,V", "print the version and exit")
        ("config,c", po::value<std::string>()->value_name("FILE"),
         "configuration to run (default /etc/sluice/config.toml)")
        ("check", po::value<std::string>()->value_name("FILE"),
         "validate FILE, print every error and warning; exit 0 valid, 4 valid with warnings, 1 invalid")
        ("log-level", po::value<std::string>()->value_name("LEVEL"),
         "override [global] log_level: trace, debug, info, notice, warning, error")
        ("log-format", po::value<std::string>()->value_name("FORMAT"),
         "override [global] log_format: text or json")
        ("syslog", "log to syslog (facility daemon) instead of stderr")
        ("eal-args", po::value<std::string>()->value_name("\"ARGS\""),
         "extra DPDK EAL arguments, appended after [dataplane] eal_args, e.g. "
         "--eal-args \"--log-level=pmd.net.af_packet:debug\"");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "sluiced: " << e.what() << "\nTry 'sluiced --help'.\n";
        return kExitUsage;
    }
    if (vm.count("help") != 0) {
        std::cout << opts << "\nExit codes: 0 ok, 1 invalid configuration, 2 usage error, "
                             "3 runtime failure (EAL, port or API socket);\n"
                             "--check: 0 valid, 4 valid with warnings, 1 invalid.\n"
                             "Configuration reference: docs/config.md\n";
        return kExitOk;
    }
    if (vm.count("version") != 0) {
        std::cout << "sluiced " SLUICE_VERSION "\n";
        return kExitOk;
    }
    if (vm.count("log-level") != 0) {
        controlplane::LogLevel level{};
        if (!controlplane::parse_log_level(vm["log-level"].as<std::string>(), level)) {
            std::cerr << "sluiced: --log-level: unknown level '" << vm["log-level"].as<std::string>()
                      << "'; allowed: trace, debug, info, notice, warning, error\n";
            return kExitUsage;
        }
    }
    if (vm.count("log-format") != 0) {
        const auto& f = vm["log-format"].as<std::string>();
        if (f != "text" && f != "json") {
            std::cerr << "sluiced: --log-format: unknown format '" << f << "'; allowed: text, json\n";
            return kExitUsage;
        }
    }
    if (vm.count("check") != 0) {
        return check_only(vm["check"].as<std::string>());
    }
    const std::string file = vm.count("config") != 0 ? vm["config"].as<std::string>() : kDefaultConfig;
    return run_daemon(file, vm);
}
