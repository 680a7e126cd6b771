#include "controlplane/daemon.h"

#include <unistd.h>

#include <csignal>

#include "controlplane/api_protocol.h"
#include "controlplane/config/enum_names.h"
#include "controlplane/config/loader.h"
#include "controlplane/snapshot_builder.h"
#include "controlplane/status_json.h"
#include "sluice_version.h"

namespace sluice::controlplane {

Daemon::Daemon(config::Config config, DaemonInfo info, dataplane::Dataplane& dataplane, Logger& log)
    : config_(std::move(config)),
      slots_(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots),
      info_(std::move(info)),
      dataplane_(dataplane),
      log_(log),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      api_(io_, log, config_.global.api_socket, [this](const nlohmann::json& r) { return handle(r); }),
      neighbours_(dataplane, log),
      tick_(io_) {}

bool Daemon::open_api(std::string& error) { return api_.open(error); }

bool Daemon::start_forwarding(std::string& error) {
    if (!publish(config_, error)) {
        return false;
    }
    on_tick();
    return true;
}

bool Daemon::publish(const config::Config& config, std::string& error) {
    SnapshotInputs inputs{dataplane_.port_ids(), dataplane_.port_macs(), generation_ + 1, dataplane_.snapshot()};
    auto snapshot = build_snapshot(config, inputs, slots_, error);
    if (!snapshot) {
        return false;
    }
    ++generation_;
    log_.info("forwarding " + std::to_string(snapshot->services.size()) + " virtual services (generation " +
              std::to_string(generation_) + ")");
    dataplane_.publish_snapshot(std::move(snapshot));
    neighbours_.set_targets(*dataplane_.snapshot());
    return true;
}

namespace {

// Ports and workers are fixed at start-up: a reload cannot change them.
std::string dataplane_change(const config::Dataplane& a, const config::Dataplane& b) {
    if (a.lcores != b.lcores || a.main_lcore != b.main_lcore) {
        return "[dataplane] lcores or main_lcore changed";
    }
    if (a.ports.size() != b.ports.size()) {
        return "[[dataplane.port]] entries were added or removed";
    }
    for (std::size_t i = 0; i < a.ports.size(); ++i) {
        const auto& p = a.ports[i];
        const auto& q = b.ports[i];
        if (p.name != q.name || p.device != q.device || p.addresses != q.addresses || p.gateway != q.gateway ||
            p.mtu != q.mtu) {
            return "[[dataplane.port]] '" + p.name + "' changed";
        }
    }
    return "";
}

}  // namespace

bool Daemon::reload(std::vector<std::string>& problems) {
    log_.info("reloading " + info_.config_file);
    auto loaded = config::load_file(info_.config_file);
    for (const auto& d : loaded.diagnostics) {
        problems.push_back(d.to_string());
        if (d.severity == config::Severity::error) {
            log_.error("reload: " + d.to_string());
        } else {
            log_.warning("reload: " + d.to_string());
        }
    }
    if (!loaded.ok()) {
        log_.error("reload refused: the configuration is invalid; the running configuration stays in place");
        return false;
    }
    if (const auto change = dataplane_change(config_.dataplane, loaded.config->dataplane); !change.empty()) {
        problems.push_back("reload refused: " + change + "; restart sluiced to apply it");
        log_.error(problems.back());
        return false;
    }
    std::string error;
    if (!publish(*loaded.config, error)) {
        problems.push_back("reload refused: " + error);
        log_.error(problems.back());
        return false;
    }
    config_ = std::move(*loaded.config);
    ++reloads_;
    log_.info("reload complete");
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

void Daemon::wait_signal() {
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
        if (!ec) {
            on_signal(signo);
        }
    });
}

int Daemon::run() {
    wait_signal();
    log_.info("API listening on " + api_.path());
    io_.run();
    api_.close();
    dataplane_.stop();
    log_.info("stopped");
    return 0;
}

void Daemon::on_signal(int signo) {
    if (signo == SIGHUP) {
        std::vector<std::string> problems;
        reload(problems);
        wait_signal();
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
    if (command == "reload") {
        std::vector<std::string> problems;
        const bool ok = reload(problems);
        if (!ok) {
            auto response = api_error("reload_refused", problems.empty() ? "reload refused" : problems.back());
            response["error"]["diagnostics"] = problems;
            return response;
        }
        return api_ok({{"generation", generation_}, {"diagnostics", problems}});
    }
    return api_error("unknown_command", "unknown command '" + command + "'; this sluiced knows: status, reload");
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
    auto j = status_to_json(s);
    j["config_generation"] = generation_;
    j["reloads"] = reloads_;
    return j;
}

}  // namespace sluice::controlplane
