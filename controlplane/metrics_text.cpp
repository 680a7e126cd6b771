#include "controlplane/metrics_text.h"

#include "controlplane/metrics_exposition.h"

namespace sluice::controlplane {
namespace {

using metrics::Exposition;
using metrics::Labels;
using metrics::Type;
using nlohmann::json;

// j[key], or null when j is no object or has no such key.
const json& get(const json& j, const char* key) {
    static const json null_value;
    if (!j.is_object()) {
        return null_value;
    }
    const auto it = j.find(key);
    return it == j.end() ? null_value : *it;
}

std::string text(const json& j) {
    return j.is_string() ? j.get<std::string>() : (j.is_null() ? "" : j.dump());
}

json seconds_from_ms(const json& ms) {
    return ms.is_number() ? json(ms.get<double>() / 1000.0) : json();
}

void render_services(const json& status, Exposition& e) {
    const char* vs = "sluice_virtual_server_";
    e.define(std::string(vs) + "connections_total", "Connections scheduled to the virtual server.",
             Type::counter);
    e.define(std::string(vs) + "incoming_packets_total",
             "Packets from clients to the virtual server.", Type::counter);
    e.define(std::string(vs) + "outgoing_packets_total",
             "Packets from the backends back to clients.", Type::counter);
    e.define(std::string(vs) + "incoming_bytes_total", "Bytes from clients to the virtual server.",
             Type::counter);
    e.define(std::string(vs) + "outgoing_bytes_total", "Bytes from the backends back to clients.",
             Type::counter);
    e.define("sluice_backend_connections_active", "Established connections to the backend.",
             Type::gauge);
    e.define("sluice_backend_connections_inactive",
             "Connections to the backend in any other state.", Type::gauge);
    e.define("sluice_backend_weight", "Weight the scheduler uses for the backend now.",
             Type::gauge);
    e.define("sluice_backend_connections_total", "Connections scheduled to the backend.",
             Type::counter);
    for (const auto& s : get(status, "services")) {
        const Labels l{{"service", text(get(s, "name"))},
                       {"vip", text(get(s, "vip"))},
                       {"port", text(get(s, "port"))},
                       {"protocol", text(get(s, "protocol"))}};
        const auto& st = get(s, "stats");
        e.add(std::string(vs) + "connections_total", l, get(st, "connections"));
        e.add(std::string(vs) + "incoming_packets_total", l, get(st, "packets_in"));
        e.add(std::string(vs) + "outgoing_packets_total", l, get(st, "packets_out"));
        e.add(std::string(vs) + "incoming_bytes_total", l, get(st, "bytes_in"));
        e.add(std::string(vs) + "outgoing_bytes_total", l, get(st, "bytes_out"));
        for (const auto& b : get(s, "backends")) {
            const Labels bl{{"service", text(get(s, "name"))},
                            {"backend", text(get(b, "address"))},
                            {"port", text(get(b, "port"))}};
            e.add("sluice_backend_connections_active", bl, get(b, "active_connections"));
            e.add("sluice_backend_connections_inactive", bl, get(b, "inactive_connections"));
            e.add("sluice_backend_weight", bl, get(b, "weight"));
            e.add("sluice_backend_connections_total", bl, get(get(b, "stats"), "connections"));
        }
    }
}

void render_forwarding(const json& status, Exposition& e) {
    const auto& f = get(status, "forwarding");
    e.define("sluice_drops_total", "Packets the dataplane dropped, by reason.", Type::counter);
    for (const auto& [reason, n] : get(f, "drops").items()) {
        e.add("sluice_drops_total", {{"reason", reason}}, n);
    }
    e.define("sluice_forwarding_packets_total",
             "Packets the dataplane handled, by what it did with them.", Type::counter);
    for (const char* action : {"forwarded", "redirected", "punted", "to_host", "from_host",
                               "arp_replies", "icmp_echo_replies", "sorry", "resets_sent"}) {
        e.add("sluice_forwarding_packets_total", {{"action", action}}, get(f, action));
    }
    e.define("sluice_connections", "Connections in the connection table.", Type::gauge);
    e.add("sluice_connections", {}, get(f, "connections"));
    e.define("sluice_connections_capacity", "Size of the connection table.", Type::gauge);
    e.add("sluice_connections_capacity", {}, get(f, "connection_capacity"));
}

void render_ports_and_workers(const json& status, Exposition& e) {
    struct Counter {
        const char* metric;
        const char* key;
        const char* help;
    };
    const Counter port_counters[] = {
        {"sluice_port_rx_packets_total", "ipackets", "Packets the port received."},
        {"sluice_port_tx_packets_total", "opackets", "Packets the port sent."},
        {"sluice_port_rx_bytes_total", "ibytes", "Bytes the port received."},
        {"sluice_port_tx_bytes_total", "obytes", "Bytes the port sent."},
        {"sluice_port_rx_missed_total", "imissed",
         "Packets the port dropped: no room in the receive queue."},
        {"sluice_port_rx_errors_total", "ierrors", "Erroneous packets the port received."},
        {"sluice_port_tx_errors_total", "oerrors", "Packets the port failed to send."},
        {"sluice_port_rx_nombuf_total", "rx_nombuf",
         "Receive failures for want of a packet buffer."},
    };
    for (const auto& c : port_counters)
        e.define(c.metric, c.help, Type::counter);
    e.define("sluice_port_up", "1 when the port's link is up.", Type::gauge);
    for (const auto& p : get(status, "ports")) {
        const Labels l{{"port", text(get(p, "name"))}};
        for (const auto& c : port_counters)
            e.add(c.metric, l, get(get(p, "stats"), c.key));
        e.add("sluice_port_up", l, get(p, "link_up"));
    }
    const Counter worker_counters[] = {
        {"sluice_worker_rx_packets_total", "rx_packets", "Packets the worker received."},
        {"sluice_worker_rx_bytes_total", "rx_bytes", "Bytes the worker received."},
        {"sluice_worker_tx_packets_total", "tx_packets", "Packets the worker sent."},
        {"sluice_worker_polls_total", "polls", "Receive polls of the worker."},
        {"sluice_worker_idle_polls_total", "idle_polls", "Receive polls that found no packet."},
        {"sluice_worker_sleeps_total", "sleeps", "Times the idle worker slept."},
    };
    for (const auto& c : worker_counters)
        e.define(c.metric, c.help, Type::counter);
    e.define("sluice_worker_connections", "Connections the worker owns.", Type::gauge);
    for (const auto& w : get(status, "workers")) {
        const Labels l{{"lcore", text(get(w, "lcore"))}};
        for (const auto& c : worker_counters)
            e.add(c.metric, l, get(w, c.key));
        e.add("sluice_worker_connections", l, get(w, "connections"));
    }
}

json vrrp_state_number(const json& state) {
    const auto s = text(state);
    if (s == "INIT")
        return 0;
    if (s == "BACKUP")
        return 1;
    if (s == "MASTER")
        return 2;
    if (s == "FAULT")
        return 3;
    return {};
}

void render_vrrp(const json& vrrp, Exposition& e) {
    e.define("sluice_vrrp_state", "VRRP state: 0 init, 1 backup, 2 master, 3 fault.", Type::gauge);
    const std::pair<const char*, const char*> counters[] = {
        {"sluice_vrrp_advertisements_sent_total", "adverts_sent"},
        {"sluice_vrrp_advertisements_received_total", "adverts_received"},
        {"sluice_vrrp_become_master_total", "became_master"},
        {"sluice_vrrp_release_master_total", "released_master"},
        {"sluice_vrrp_priority_zero_sent_total", "priority_zero_sent"},
        {"sluice_vrrp_priority_zero_received_total", "priority_zero_received"},
        {"sluice_vrrp_gratuitous_arps_sent_total", "garps_sent"},
        {"sluice_vrrp_send_failures_total", "send_failed"},
    };
    for (const auto& [metric, key] : counters) {
        e.define(metric, std::string("VRRP counter ") + key + ".", Type::counter);
    }
    e.define("sluice_vrrp_effective_priority", "Priority the instance advertises now.",
             Type::gauge);
    e.define("sluice_vrrp_drops_total", "VRRP packets dropped on receive, by reason.",
             Type::counter);
    for (const auto& i : get(vrrp, "instances")) {
        const auto name = text(get(i, "name"));
        const Labels l{{"instance", name},
                       {"interface", text(get(i, "interface"))},
                       {"vrid", text(get(i, "virtual_router_id"))}};
        e.add("sluice_vrrp_state", l, vrrp_state_number(get(i, "state")));
        const auto& c = get(i, "counters");
        for (const auto& [metric, key] : counters)
            e.add(metric, l, get(c, key));
        e.add("sluice_vrrp_effective_priority", l, get(i, "effective_priority"));
        for (const auto& [reason, n] : get(c, "drops").items()) {
            e.add("sluice_vrrp_drops_total", {{"instance", name}, {"reason", reason}}, n);
        }
    }
    e.define("sluice_vrrp_unmatched_drops_total",
             "VRRP packets dropped before matching an instance, by reason.", Type::counter);
    for (const auto& [reason, n] : get(vrrp, "unmatched_drops").items()) {
        e.add("sluice_vrrp_unmatched_drops_total", {{"reason", reason}}, n);
    }
}

void render_checks(const json& checks, Exposition& e) {
    e.define("sluice_backend_up", "1 when the backend's health is up (no check: up).", Type::gauge);
    e.define("sluice_check_up", "1 when the backend's last health check succeeded.", Type::gauge);
    e.define("sluice_check_attempts_total", "Health check attempts, retries included.",
             Type::counter);
    e.define("sluice_check_failures_total",
             "Failed health checks counted against the backend (after retries).", Type::counter);
    e.define("sluice_check_latency_seconds", "Duration of the backend's last health check.",
             Type::gauge);
    e.define("sluice_virtual_server_quorum_up",
             "1 when the virtual server's alive weight meets its quorum.", Type::gauge);
    for (const auto& s : get(checks, "services")) {
        const auto service = text(get(s, "name"));
        e.add("sluice_virtual_server_quorum_up", {{"service", service}}, get(s, "quorum_up"));
        for (const auto& b : get(s, "real_servers")) {
            const Labels l{{"service", service},
                           {"backend", text(get(b, "address"))},
                           {"port", text(get(b, "port"))}};
            e.add("sluice_backend_up", l, json(text(get(b, "health")) == "up"));
            if (text(get(b, "check")) == "none") {
                continue;
            }
            auto cl = l;
            cl.emplace_back("check", text(get(b, "check")));
            const auto& last = get(b, "last_result");
            e.add("sluice_check_up", cl, get(last, "success"));
            e.add("sluice_check_attempts_total", cl, get(b, "attempts"));
            e.add("sluice_check_failures_total", cl, get(b, "failures"));
            e.add("sluice_check_latency_seconds", cl, seconds_from_ms(get(last, "latency_ms")));
        }
    }
    const auto& sched = get(checks, "scheduling");
    e.define("sluice_check_scheduling_drift_seconds",
             "How late health checks started, over the recent ones (0.5 and 0.99 quantiles).",
             Type::summary);
    if (get(sched, "samples").is_number() && get(sched, "samples").get<double>() > 0) {
        e.add("sluice_check_scheduling_drift_seconds", {{"quantile", "0.5"}},
              seconds_from_ms(get(sched, "p50_ms")));
        e.add("sluice_check_scheduling_drift_seconds", {{"quantile", "0.99"}},
              seconds_from_ms(get(sched, "p99_ms")));
    }
}

}  // namespace

std::string render_metrics(const MetricsSources& sources) {
    Exposition e;
    e.define("sluice_up", "1 when sluiced answers.", Type::gauge);
    e.add("sluice_up", {}, 1);
    e.define("sluice_build_info", "sluiced's version, as a label; the value is 1.", Type::gauge);
    e.add("sluice_build_info", {{"version", text(get(sources.status, "version"))}}, 1);
    e.define("sluice_config_reloads_total", "Successful configuration reloads.", Type::counter);
    e.add("sluice_config_reloads_total", {}, get(sources.status, "reloads"));
    e.define("sluice_uptime_seconds", "Seconds since sluiced started.", Type::gauge);
    e.add("sluice_uptime_seconds", {}, get(sources.status, "uptime_s"));
    render_services(sources.status, e);
    render_checks(sources.checks, e);
    render_vrrp(sources.vrrp, e);
    render_forwarding(sources.status, e);
    render_ports_and_workers(sources.status, e);
    return e.text();
}

}  // namespace sluice::controlplane
