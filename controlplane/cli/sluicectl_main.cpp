// sluicectl: the operator's command line for a running sluiced.
//
// Exit codes: 0 ok, 1 the daemon answered with an error, 2 usage error,
// 3 daemon not running, 4 permission denied, 5 no or broken answer, 6 unknown
// virtual server or real server (set-weight, drain, maint, enable).
// import-keepalived runs locally: 0 translated, 1 input cannot be parsed, 2 usage.

#include <cstdlib>
#include <iostream>

#include <boost/program_options.hpp>

#include "controlplane/api_protocol.h"
#include "controlplane/cli/api_client.h"
#include "controlplane/cli/checks_view.h"
#include "controlplane/cli/conns_view.h"
#include "controlplane/cli/import_command.h"
#include "controlplane/cli/list_view.h"
#include "controlplane/cli/ports_view.h"
#include "controlplane/cli/status_view.h"
#include "controlplane/cli/vrrp_view.h"
#include "controlplane/cli/workers_view.h"
#include "controlplane/config/loader.h"
#include "sluice_version.h"

namespace po = boost::program_options;
using namespace sluice;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitDaemonError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNotRunning = 3;
constexpr int kExitPermission = 4;
constexpr int kExitFailed = 5;
constexpr int kExitUnknownService = 6;

constexpr const char* kCommands =
    "Commands:\n"
    "  status      version, uptime, config file, ports with their DPDK counters, workers,\n"
    "              virtual services with backends, connections and drops by reason\n"
    "  list [--stats|--rate]\n"
    "              virtual services like ipvsadm -Ln: scheduler, flags, real servers with\n"
    "              method, weight, active/inactive connections, health and state; --stats\n"
    "              connections, packets and bytes in/out; --rate the same per second over\n"
    "              the last 10 s\n"
    "  conns [--service NAME] [--client IP] [--limit N]\n"
    "              connections like ipvsadm -Lnc with the worker that owns each; at most\n"
    "              N (default 100, max 10000), saying when the list was cut\n"
    "  ports       DPDK ports: link, packets and bytes in/out, imissed, errors, rx_nombuf\n"
    "  workers     polling workers: packets, packets/s and busy share over the last 10 s\n"
    "  vrrp        VRRP instances: state, priorities, current master, tracking,\n"
    "              adverts sent/received, transitions and drops by reason\n"
    "  checks      health checks: per virtual server its quorum and sorry server, per real\n"
    "              server its check, health, last result (reason, latency) and failures\n"
    "  reload      re-read the daemon's config file; an invalid one changes nothing and\n"
    "              every error is printed (same as SIGHUP)\n"
    "  set-weight SERVICE IP[:PORT] WEIGHT   a real server's weight (0..65535)\n"
    "  drain SERVICE IP[:PORT]               weight 0: no new connections, open ones\n"
    "                                        finish, checks go on\n"
    "  maint SERVICE IP[:PORT]               no traffic and no checks\n"
    "  enable SERVICE IP[:PORT]              back to the configuration\n"
    "              (runtime changes last until the next reload; `checks` shows them)\n"
    "  import-keepalived FILE [-o OUT] [--address IFACE=IP/LEN ...]\n"
    "              convert a keepalived.conf (following its includes) to config.toml on\n"
    "              stdout or OUT, locally without a daemon; every keyword that has no\n"
    "              sluice equivalent is listed on stderr as FILE:LINE. Each interface\n"
    "              becomes a [[dataplane.port]] (device net_af_packetN,iface=NAME, the\n"
    "              first with role front). keepalived does not state the host's own\n"
    "              addresses, so a port takes --address IFACE=IP/LEN, else its instances'\n"
    "              unicast_src_ip, else the highest unused host of its first\n"
    "              virtual_ipaddress's subnet (/24 for a bare address), listed on stderr\n"
    "              to be set. Exit 0 translated, 1 unparsable input, 2 usage\n";

int usage_error(const std::string& message) {
    std::cerr << "sluicectl: " << message << "\nTry 'sluicectl --help'.\n";
    return kExitUsage;
}

// --socket, else [global] api_socket of --config, else $SLUICE_SOCKET, else the default.
bool resolve_socket(const po::variables_map& vm, std::string& socket) {
    if (vm.count("socket") != 0) {
        socket = vm["socket"].as<std::string>();
        return true;
    }
    if (vm.count("config") != 0) {
        const auto file = vm["config"].as<std::string>();
        const auto loaded = config::load_file(file);
        if (!loaded.config) {
            for (const auto& d : loaded.diagnostics) {
                std::cerr << d.to_string() << '\n';
            }
            std::cerr << "sluicectl: cannot take the API socket from " << file << ": it is invalid\n";
            return false;
        }
        socket = loaded.config->global.api_socket;
        return true;
    }
    const char* env = std::getenv("SLUICE_SOCKET");
    socket = env != nullptr && *env != '\0' ? env : controlplane::kDefaultApiSocket;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    po::options_description opts(
        "Usage: sluicectl [options] COMMAND\n\n"
        "Queries and controls a running sluiced over its API socket.\n\n" +
        std::string(kCommands) + "\nOptions");
    opts.add_options()
        ("help,h", "show this help and exit")
        ("version,V", "print the version and exit")
        ("socket,s", po::value<std::string>()->value_name("PATH"),
         "API socket (default: $SLUICE_SOCKET, else /run/sluice/sluiced.sock)")
        ("config,c", po::value<std::string>()->value_name("FILE"),
         "take the API socket from this config file's [global] api_socket")
        ("json,j", "print the daemon's answer as JSON")
        ("timeout", po::value<unsigned>()->default_value(5000)->value_name("MS"),
         "how long to wait for an answer")
        ("stats", "list: connections, packets and bytes in/out")
        ("rate", "list: connections/s, packets/s and bytes/s over the last 10 s")
        ("service", po::value<std::string>()->value_name("NAME"), "conns: only this virtual server's")
        ("client", po::value<std::string>()->value_name("IP"), "conns: only this client's")
        ("limit", po::value<unsigned>()->value_name("N"), "conns: at most N rows (default 100, max 10000)")
        ("output,o", po::value<std::string>()->value_name("OUT"),
         "import-keepalived: write the TOML here instead of stdout")
        ("address", po::value<std::vector<std::string>>()->value_name("IFACE=IP/LEN"),
         "import-keepalived: the appliance's own address on IFACE (repeatable)");
    po::options_description hidden;
    hidden.add_options()("command", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description positional;
    positional.add("command", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return usage_error(e.what());
    }
    if (vm.count("help") != 0) {
        std::cout << opts
                  << "\nExit codes: 0 ok, 1 the daemon answered with an error, 2 usage error,\n"
                     "3 sluiced not running, 4 permission denied, 5 no or broken answer,\n"
                     "6 unknown virtual server or real server.\n";
        return kExitOk;
    }
    if (vm.count("version") != 0) {
        std::cout << "sluicectl " SLUICE_VERSION "\n";
        return kExitOk;
    }
    const auto words = vm.count("command") != 0 ? vm["command"].as<std::vector<std::string>>()
                                                : std::vector<std::string>{};
    if (words.empty()) {
        return usage_error("no command given\n" + std::string(kCommands));
    }
    const std::string& command = words.front();
    if (command == "import-keepalived") {
        const auto addresses = vm.count("address") != 0
                                   ? vm["address"].as<std::vector<std::string>>()
                                   : std::vector<std::string>{};
        return cli::run_import_keepalived(
            {words.begin() + 1, words.end()},
            vm.count("output") != 0 ? vm["output"].as<std::string>() : std::string{}, addresses,
            std::cout, std::cerr);
    }
    const bool runtime_change = command == "set-weight" || command == "drain" || command == "maint" ||
                                command == "enable";
    const bool view = command == "list" || command == "conns" || command == "ports" || command == "workers";
    if (command != "status" && command != "vrrp" && command != "checks" && command != "reload" &&
        !runtime_change && !view) {
        return usage_error("unknown command '" + command + "'\n" + std::string(kCommands));
    }
    nlohmann::json args = nlohmann::json::object();
    if (runtime_change) {
        const std::size_t want = command == "set-weight" ? 4 : 3;
        if (words.size() != want) {
            return usage_error("usage: sluicectl " + command + " SERVICE IP[:PORT]" +
                               (command == "set-weight" ? " WEIGHT" : ""));
        }
        args["service"] = words[1];
        args["real_server"] = words[2];
        if (command == "set-weight") {
            unsigned long weight = 0;
            try {
                std::size_t used = 0;
                weight = std::stoul(words[3], &used);
                if (used != words[3].size()) throw std::invalid_argument("trailing");
            } catch (const std::exception&) {
                return usage_error("set-weight: '" + words[3] + "' is not a weight (0..65535)");
            }
            if (weight > 65535) {
                return usage_error("set-weight: " + words[3] + " is out of range (0..65535)");
            }
            args["weight"] = weight;
        }
    } else if (words.size() > 1) {
        return usage_error("'" + command + "' takes no arguments, got '" + words[1] + "'");
    }
    if (vm.count("stats") != 0 && vm.count("rate") != 0) {
        return usage_error("list takes --stats or --rate, not both");
    }
    if (command == "list") {
        args["stats"] = vm.count("stats") != 0;
        args["rate"] = vm.count("rate") != 0;
    } else if (command == "conns") {
        if (vm.count("service") != 0) args["service"] = vm["service"].as<std::string>();
        if (vm.count("client") != 0) args["client"] = vm["client"].as<std::string>();
        if (vm.count("limit") != 0) {
            const unsigned limit = vm["limit"].as<unsigned>();
            if (limit == 0 || limit > 10000) {
                return usage_error("conns: --limit must be 1..10000");
            }
            args["limit"] = limit;
        }
    }
    // ports and workers are views of the status answer.
    const std::string api_command = command == "ports" || command == "workers" ? "status" : command;

    std::string socket;
    if (!resolve_socket(vm, socket)) {
        return kExitUsage;
    }
    const auto result = cli::call_api(socket, api_command, args,
                                      std::chrono::milliseconds(vm["timeout"].as<unsigned>()));
    switch (result.status) {
        case cli::CallStatus::not_running:
            std::cerr << "sluicectl: " << result.error << '\n';
            return kExitNotRunning;
        case cli::CallStatus::permission_denied:
            std::cerr << "sluicectl: " << result.error << '\n';
            return kExitPermission;
        case cli::CallStatus::failed:
            std::cerr << "sluicectl: " << result.error << '\n';
            return kExitFailed;
        case cli::CallStatus::ok:
            break;
    }
    const auto& response = result.response;
    if (!response.value("ok", false)) {
        const auto err = response.value("error", nlohmann::json::object());
        for (const auto& d : err.value("diagnostics", nlohmann::json::array())) {
            std::cerr << (d.is_string() ? d.get<std::string>() : d.dump()) << '\n';
        }
        std::cerr << "sluicectl: sluiced refused '" << command << "': " << err.value("message", "unknown error")
                  << " (" << err.value("code", "?") << ")\n";
        return err.value("code", "") == "unknown_service" ? kExitUnknownService : kExitDaemonError;
    }
    const auto body = response.value("result", nlohmann::json::object());
    if (vm.count("json") != 0) {
        if (command == "ports" || command == "workers") {
            std::cout << body.value(command, nlohmann::json::array()).dump(2) << '\n';
        } else {
            std::cout << body.dump(2) << '\n';
        }
    } else if (command == "list") {
        std::cout << cli::render_list(body, vm.count("stats") != 0  ? cli::ListMode::stats
                                            : vm.count("rate") != 0 ? cli::ListMode::rate
                                                                    : cli::ListMode::plain);
    } else if (command == "conns") {
        std::cout << cli::render_conns(body);
    } else if (command == "ports") {
        std::cout << cli::render_ports(body);
    } else if (command == "workers") {
        std::cout << cli::render_workers(body);
    } else if (command == "reload") {
        for (const auto& d : body.value("diagnostics", nlohmann::json::array())) {
            std::cerr << (d.is_string() ? d.get<std::string>() : d.dump()) << '\n';
        }
        std::cout << "reloaded: configuration generation " << body.value("generation", 0) << '\n';
    } else if (command == "vrrp") {
        std::cout << cli::render_vrrp(body);
    } else if (command == "checks") {
        std::cout << cli::render_checks(body);
    } else if (runtime_change) {
        std::cout << body.value("real_server", "?") << " of '" << body.value("service", "?") << "': "
                  << (command == "enable" ? std::string("back to its configuration")
                                          : command == "set-weight" ? "weight " + words[3]
                                                                    : command)
                  << " (until the next reload)\n";
    } else {
        std::cout << cli::render_status(body);
    }
    return kExitOk;
}
