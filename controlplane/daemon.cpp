#include "controlplane/daemon.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>

#include "controlplane/api_protocol.h"
#include "controlplane/config/enum_names.h"
#include "controlplane/config/loader.h"
#include "controlplane/conns_json.h"
#include "controlplane/host_interface.h"
#include "controlplane/service_list.h"
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
      tick_(io_),
      runner_(io_),
      health_(io_, log, runner_,
              [this] {
                  std::string error;
                  if (!publish(config_, error, true)) {
                      log_.error("cannot publish the new backend states: " + error);
                  }
              }),
      vrrp_(log, &runner_, vrrp_io()),
      vrrp_timer_(io_),
      punt_wakeup_(io_),
      metrics_(io_, log, config_.global.metrics_listen, [this] {
          return MetricsSources{status(), vrrp_.status(now_us()), health_.status()};
      }) {
    api_.set_deferred([this](const nlohmann::json& r, ApiServer::Reply reply) { return conns(r, reply); });
}

std::uint64_t Daemon::now_us() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

std::vector<VrrpPort> Daemon::vrrp_ports() const {
    std::vector<VrrpPort> out;
    const auto macs = dataplane_.port_macs();
    for (std::size_t i = 0; i < config_.dataplane.ports.size(); ++i) {
        const auto& p = config_.dataplane.ports[i];
        out.push_back({p.name, i < macs.size() ? macs[i] : dataplane::packet::MacAddr{}, p.addresses});
    }
    return out;
}

VrrpIo Daemon::vrrp_io() {
    VrrpIo io;
    io.send_frame = [this](std::uint16_t port, std::span<const std::uint8_t> frame) {
        return dataplane_.send_frame(port, frame.data(), static_cast<std::uint32_t>(frame.size()));
    };
    io.ownership_changed = [this] { publish_ownership(); };
    io.neighbour_mac = [this](std::uint32_t ip) { return neighbours_.mac_of(ip); };
    io.link_up = [this](std::uint16_t port) { return dataplane_.link_up(port); };
    io.service_up = [this](const std::string& name) { return health_.service_up(name); };
    io.add_mac = [this](std::uint16_t port, const dataplane::packet::MacAddr& mac) {
        if (const auto error = dataplane_.add_mac(port, mac); !error.empty()) {
            log_.warning("cannot add virtual MAC " + std::string(dataplane::packet::mac_text_view(mac.format())) + " to port " + std::to_string(port) + ": " +
                         error);
        }
    };
    return io;
}

// A VRRP transition: the same snapshot with the new VIP ownership.
void Daemon::wait_punted() {
    punt_wakeup_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
        if (ec) {
            return;
        }
        std::uint64_t n = 0;
        [[maybe_unused]] const auto r = ::read(punt_wakeup_.native_handle(), &n, sizeof n);
        // Cancelling the VRRP timer runs on_vrrp_tick now: it drains the punt
        // ring, polls VRRP and re-arms for the (possibly moved) next deadline.
        boost::system::error_code cancel_ec;
        vrrp_timer_.cancel(cancel_ec);
        wait_punted();
    });
}

void Daemon::publish_ownership() {
    const auto* current = dataplane_.snapshot();
    if (current == nullptr) {
        return;
    }
    ++generation_;
    dataplane_.publish_snapshot(with_ownership(*current, config_, vrrp_.ownership(), generation_));
    neighbours_.set_targets(*dataplane_.snapshot());
}

// VRRP's own loop: adverts the workers punted, then due timers, scripts and
// tracking. It wakes when a worker punts a frame (the dataplane's eventfd), at
// the next VRRP deadline, and at least every 100 ms.
void Daemon::on_vrrp_tick() {
    const auto now = now_us();
    dataplane_.drain_punted([this, now](std::uint16_t port, std::span<const std::uint8_t> frame) {
        vrrp_.on_frame(port, frame, now);
    });
    vrrp_.poll(now_us());
    auto wait = std::chrono::microseconds(100'000);
    if (const auto next = vrrp_.next_wakeup_us()) {
        const auto t = now_us();
        wait = std::min(wait, std::chrono::microseconds(*next > t ? *next - t : 0));
    }
    vrrp_timer_.expires_after(wait);
    vrrp_timer_.async_wait([this](boost::system::error_code ec) {
        // Cancelled by wait_punted() to re-arm for a new deadline; by stop: done.
        if (!ec || (ec == boost::asio::error::operation_aborted && !stopping_)) {
            on_vrrp_tick();
        }
    });
}

bool Daemon::open_api(std::string& error) {
    api_.set_ownership(config_.global.api_socket_owner, config_.global.api_socket_group);
    if (!api_.open(error)) {
        return false;
    }
    if (!config_.global.metrics_listen.empty() && !metrics_.open(error)) {
        api_.close();
        return false;
    }
    return true;
}

bool Daemon::start_forwarding(std::string& error) {
    health_.configure(config_);
    if (!publish(config_, error)) {
        return false;
    }
    // The exception path's TAPs carry the ports' addresses, so the host's own
    // traffic (health checks, SSH) has a way out through the dataplane.
    for (const auto& p : config_.dataplane.ports) {
        if (!p.exception_path) {
            continue;
        }
        const auto tap = dataplane::exception_interface(p.name);
        if (const auto problem = configure_host_interface(tap, p.addresses); problem.empty()) {
            log_.info("exception path " + tap + " is up with the addresses of port '" + p.name + "'");
        } else {
            log_.warning("exception path " + tap + ": " + problem + "; the host's own traffic on port '" + p.name +
                         "' needs it configured by hand");
        }
    }
    const auto ports = vrrp_ports();
    vrrp_.configure(config_, ports, now_us());
    neighbours_.set_extra_targets(vrrp_.peer_targets());
    on_tick();
    if (const int fd = dataplane_.punt_wakeup_fd(); fd >= 0) {
        punt_wakeup_.assign(::dup(fd));
        wait_punted();
    }
    on_vrrp_tick();
    return true;
}

bool Daemon::publish(const config::Config& config, std::string& error, bool quiet) {
    SnapshotInputs inputs{dataplane_.port_ids(), dataplane_.port_macs(), generation_ + 1, dataplane_.snapshot(),
                          vrrp_ownership(), &health_.states()};
    auto snapshot = build_snapshot(config, inputs, slots_, error);
    if (!snapshot) {
        return false;
    }
    ++generation_;
    if (!quiet) {
        log_.info("forwarding " + std::to_string(snapshot->services.size()) + " virtual services (generation " +
                  std::to_string(generation_) + ")");
    }
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
    notifier_.reloading();
    const bool ok = apply_reload(problems);
    notifier_.ready(ok ? "forwarding, generation " + std::to_string(generation_)
                       : "forwarding; last reload refused, the running configuration stays");
    return ok;
}

bool Daemon::apply_reload(std::vector<std::string>& problems) {
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
    health_.configure(*loaded.config);
    if (!publish(*loaded.config, error)) {
        health_.configure(config_);  // back to the running configuration's checks
        problems.push_back("reload refused: " + error);
        log_.error(problems.back());
        return false;
    }
    config_ = std::move(*loaded.config);
    vrrp_.configure(config_, vrrp_ports(), now_us());
    neighbours_.set_extra_targets(vrrp_.peer_targets());
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
    watchdog_tick();
    if (++ticks_ % 50 == 0) {
        sample_counters(rates_, config_, dataplane_,
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    }
    tick_.expires_after(std::chrono::milliseconds(20));
    tick_.async_wait([this](boost::system::error_code ec) {
        if (!ec) {
            on_tick();
        }
    });
}

// systemd's watchdog is fed at half its interval, and only while every
// worker's poll counter (its heartbeat) has moved since the last feed: a
// stalled worker stops the pings and systemd restarts the service.
void Daemon::watchdog_tick() {
    const auto interval = notifier_.watchdog_interval();
    if (!interval || stopping_) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now < next_watchdog_) {
        return;
    }
    next_watchdog_ = now + *interval / 2;
    std::vector<std::uint64_t> polls;
    const auto workers = dataplane_.worker_status();
    for (const auto& w : workers) {
        polls.push_back(w.polls);
    }
    const auto stalled = heartbeats_.stalled(polls);
    if (stalled.empty()) {
        notifier_.watchdog();
        return;
    }
    for (const auto i : stalled) {
        log_.error("worker on lcore " + std::to_string(workers[i].lcore) +
                   " made no progress for half a watchdog interval; not feeding systemd's watchdog");
    }
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
    if (!config_.global.metrics_listen.empty()) {
        log_.info("metrics at http://" + config_.global.metrics_listen + "/metrics");
    }
    notifier_.ready("forwarding, generation " + std::to_string(generation_));
    io_.run();
    api_.close();
    metrics_.close();
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
    if (stopping_) {
        return;
    }
    stopping_ = true;
    notifier_.stopping();
    log_.info(std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT") +
              ", stopping workers and ports");
    api_.close();
    metrics_.close();
    // VRRP masters resign with priority 0 so a backup takes over after Skew
    // instead of Master_Down; notify_stop scripts get a moment to run.
    health_.stop();
    vrrp_.shutdown(now_us());
    boost::system::error_code ec;
    vrrp_timer_.cancel(ec);
    punt_wakeup_.close(ec);
    stop_after_scripts(std::chrono::steady_clock::now() + std::chrono::seconds(2));
}

void Daemon::stop_after_scripts(std::chrono::steady_clock::time_point deadline) {
    if (runner_.running() == 0 || std::chrono::steady_clock::now() >= deadline) {
        runner_.kill_all();
        boost::system::error_code ec;
        tick_.cancel(ec);
        io_.stop();
        return;
    }
    vrrp_timer_.expires_after(std::chrono::milliseconds(20));
    vrrp_timer_.async_wait([this, deadline](boost::system::error_code) { stop_after_scripts(deadline); });
}

nlohmann::json Daemon::handle(const nlohmann::json& request) {
    const auto command = request["command"].get<std::string>();
    if (command == "status") {
        return api_ok(status());
    }
    if (command == "checks") {
        return api_ok(health_.status());
    }
    if (command == "set-weight" || command == "drain" || command == "maint" || command == "enable") {
        return runtime_change(command, request.value("args", nlohmann::json::object()));
    }
    if (command == "vrrp") {
        return api_ok(vrrp_.status(now_us()));
    }
    if (command == "list") {
        return list(request.value("args", nlohmann::json::object()));
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
    return api_error("unknown_command", "unknown command '" + command + "'; this sluiced knows: status, list, conns, vrrp, checks, reload, set-weight, drain, maint, enable");
}

// set-weight / drain / maint / enable: args {"service": NAME, "real_server":
// "IP:PORT" (or "IP" for the service's port), "weight": N (set-weight)}.
nlohmann::json Daemon::runtime_change(const std::string& command, const nlohmann::json& args) {
    const std::string service = args.value("service", "");
    const std::string target = args.value("real_server", "");
    if (service.empty() || target.empty()) {
        return api_error("bad_request", command + " needs a virtual server and a real server (IP:PORT)");
    }
    if (std::none_of(config_.virtual_servers.begin(), config_.virtual_servers.end(),
                     [&service](const config::VirtualServer& vs) { return vs.name == service; })) {
        return api_error("unknown_service", "no virtual_server named '" + service + "'");
    }
    const auto colon = target.rfind(':');
    const auto address = common::Ipv4Addr::parse(target.substr(0, colon));
    std::optional<std::uint16_t> port;
    if (colon == std::string::npos) {
        for (const auto& vs : config_.virtual_servers) {
            if (vs.name == service) port = vs.port;
        }
    } else {
        try {
            const unsigned long p = std::stoul(target.substr(colon + 1));
            if (p <= 65535) port = static_cast<std::uint16_t>(p);
        } catch (const std::exception&) {
        }
    }
    if (!address || !port) {
        return api_error("bad_request", "'" + target + "' is not a real server address (IP or IP:PORT)");
    }
    checks::RuntimeOverride o;
    if (command == "set-weight") {
        if (!args.contains("weight") || !args["weight"].is_number_unsigned() ||
            args["weight"].get<std::uint64_t>() > checks::kMaxRealServerWeight) {
            return api_error("bad_request", "set-weight needs a weight 0..65535");
        }
        o = {checks::OverrideKind::weight, args["weight"].get<std::uint32_t>()};
    } else if (command == "drain") {
        o.kind = checks::OverrideKind::drain;
    } else if (command == "maint") {
        o.kind = checks::OverrideKind::maint;
    }
    if (const auto problem = health_.set_override(service, *address, *port, o); !problem.empty()) {
        return api_error("unknown_service", problem);
    }
    return api_ok({{"service", service},
                   {"real_server", address->to_string() + ":" + std::to_string(*port)},
                   {"override", command == "enable" ? "none" : command}});
}

nlohmann::json Daemon::list(const nlohmann::json& args) const {
    ListOptions o;
    o.stats = args.is_object() && args.value("stats", false);
    o.rate = args.is_object() && args.value("rate", false);
    return api_ok(service_list(config_, dataplane_, health_.status(), rates_, o));
}

// conns: args {"service": NAME?, "client": "IP"?, "limit": N (1..10000, default 100)}.
bool Daemon::conns(const nlohmann::json& request, const ApiServer::Reply& reply) {
    if (request["command"] != "conns") {
        return false;
    }
    const auto args = request.value("args", nlohmann::json::object());
    dataplane::conn::DumpFilter filter;
    std::uint64_t limit = kConnsDefaultLimit;
    if (args.contains("limit")) {
        if (!args["limit"].is_number_unsigned() || args["limit"].get<std::uint64_t>() == 0 ||
            args["limit"].get<std::uint64_t>() > dataplane::kMaxDump) {
            reply(api_error("bad_request", "limit must be 1.." + std::to_string(dataplane::kMaxDump)));
            return true;
        }
        limit = args["limit"].get<std::uint64_t>();
    }
    if (const std::string service = args.value("service", ""); !service.empty()) {
        const auto vs = std::find_if(config_.virtual_servers.begin(), config_.virtual_servers.end(),
                                     [&service](const config::VirtualServer& v) { return v.name == service; });
        if (vs == config_.virtual_servers.end()) {
            reply(api_error("unknown_service", "no virtual_server named '" + service + "'"));
            return true;
        }
        filter.by_service = true;
        filter.vip_ip = vs->vip.value;
        filter.vip_port = vs->port;
        filter.proto = vs->protocol == config::Protocol::tcp ? dataplane::conn::kProtoTcp : dataplane::conn::kProtoUdp;
    }
    if (const std::string client = args.value("client", ""); !client.empty()) {
        const auto ip = common::Ipv4Addr::parse(client);
        if (!ip) {
            reply(api_error("bad_request", "'" + client + "' is not an IPv4 address"));
            return true;
        }
        filter.by_client = true;
        filter.client_ip = ip->value;
    }
    conns_.run(filter, static_cast<std::uint32_t>(limit), reply);
    return true;
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
    // Per-second rates over the sampling window: packets/s and busy share.
    for (auto& w : j["workers"]) {
        if (const auto r = rates_.rates(worker_rate_key(w["lcore"].get<std::uint32_t>())); r && r->size() == 4) {
            w["rx_packets_per_s"] = (*r)[0];
            w["tx_packets_per_s"] = (*r)[3];
            w["busy_share"] = (*r)[1] > 0 ? 1.0 - (*r)[2] / (*r)[1] : 0.0;
            w["window_s"] = rates_.span_s(worker_rate_key(w["lcore"].get<std::uint32_t>()));
        }
    }
    j["config_generation"] = generation_;
    j["reloads"] = reloads_;
    return j;
}

}  // namespace sluice::controlplane
