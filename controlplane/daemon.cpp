#include "controlplane/daemon.h"

#include <unistd.h>

#include <csignal>

#include "controlplane/api_protocol.h"
#include "controlplane/config/enum_names.h"
#include "controlplane/snapshot_builder.h"
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
      api_(io_, log, config.global.api_socket, [this](const nlohmann::json& r) { return handle(r); }),
      neighbours_(dataplane, log),
      tick_(io_) {}

bool Daemon::open_api(std::string& error) { return api_.open(error); }

bool Daemon::start_forwarding(std::string& error) {
    SnapshotInputs inputs{dataplane_.port_ids(), dataplane_.port_macs(), 1};
    auto snapshot = build_snapshot(config_, inputs, error);
    if (!snapshot) {
        return false;
    }
    log_.info("forwarding " + std::to_string(snapshot->services.size()) + " virtual services");
    dataplane_.publish_snapshot(std::move(snapshot));
    neighbours_.set_targets(*dataplane_.snapshot());
    on_tick();
    return true;
}

// The control loop's heartbeat: neighbour events and ARP, then freeing
// snapshots whose grace period is over. 20 ms keeps resolution prompt and
// costs nothing measurable.
void Daemon::on_tick() {
    neighbours_.poll(NeighbourManager::Clock::now());
    dataplane_.reclaim();
    tick_.expires_after(std::chrono::milliseconds(20));
    tick_.async_wait([this](boost::system::error_code ec) {
        if (!ec) {
            on_tick();
        }
    });
}

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
    boost::system::error_code ec;
    tick_.cancel(ec);
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
    s.forward = dataplane_.forward_totals();
    if (const auto* snap = dataplane_.snapshot()) {
        for (std::size_t i = 0; i < snap->services.size() && i < config_.virtual_servers.size(); ++i) {
            const auto& sv = snap->services[i];
            const auto& vs = config_.virtual_servers[i];
            ServiceStatus st{vs.name, sv.vip.to_string(), sv.port, vs.protocol == config::Protocol::tcp ? "tcp" : "udp",
                             std::string(config::to_string(vs.lb_algo)), std::string(config::to_string(vs.lb_kind)),
                             dataplane_.service_totals(sv.slot), {}};
            for (const auto& b : sv.backends) {
                st.backends.push_back({b.ip.to_string(), b.port, b.weight, dataplane_.backend_totals(b.slot)});
            }
            s.services.push_back(std::move(st));
        }
    }
    return status_to_json(s);
}

}  // namespace sluice::controlplane
