#include "controlplane/daemon.h"

#include <unistd.h>

#include <csignal>

#include "controlplane/api_protocol.h"
#include "controlplane/status_json.h"
#include "sluice_version.h"

namespace sluice::controlplane {

Daemon::Daemon(const config::Config& config, DaemonInfo info, dataplane::Dataplane& dataplane,
               Logger& log)
    : config_(config),
      info_(std::move(info)),
      dataplane_(dataplane),
      log_(log),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      api_(io_, log, config.global.api_socket, [this](const nlohmann::json& r) { return handle(r); }) {}

bool Daemon::open_api(std::string& error) { return api_.open(error); }

int Daemon::run() {
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
        if (!ec) {
            on_signal(signo);
        }
    });
    log_.info("API listening on " + api_.path());
    io_.run();
    api_.close();
    dataplane_.stop();
    log_.info("stopped");
    return 0;
}

void Daemon::on_signal(int signo) {
    if (signo == SIGHUP) {
        log_.warning("SIGHUP: reloading the configuration is not supported yet; restart sluiced to apply changes");
        signals_.async_wait([this](boost::system::error_code ec, int s) {
            if (!ec) {
                on_signal(s);
            }
        });
        return;
    }
    log_.info(std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT") +
              ", stopping workers and ports");
    api_.close();
    io_.stop();
}

nlohmann::json Daemon::handle(const nlohmann::json& request) {
    const auto command = request["command"].get<std::string>();
    if (command == "status") {
        return api_ok(status());
    }
    return api_error("unknown_command", "unknown command '" + command + "'; this sluiced knows: status");
}

nlohmann::json Daemon::status() const {
    StatusInfo s;
    s.version = SLUICE_VERSION;
    s.node_name = config_.global.node_name;
    s.pid = static_cast<long>(::getpid());
    s.uptime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    s.config_file = info_.config_file;
    s.hugepages = info_.hugepages;
    s.eal_file_prefix = info_.eal_file_prefix;
    s.ports = dataplane_.port_status();
    s.workers = dataplane_.worker_status();
    s.warnings = info_.warnings;
    return status_to_json(s);
}

}  // namespace sluice::controlplane
