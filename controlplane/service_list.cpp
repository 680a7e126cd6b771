#include "controlplane/service_list.h"

#include <string>

#include "controlplane/config/enum_names.h"

namespace sluice::controlplane {

namespace {

std::vector<std::uint64_t> counters(const dataplane::TrafficTotals& t) {
    return {t.connections, t.packets_in, t.packets_out, t.bytes_in, t.bytes_out};
}

nlohmann::json stats_json(const dataplane::TrafficTotals& t) {
    return {{"connections", t.connections},
            {"packets_in", t.packets_in},
            {"packets_out", t.packets_out},
            {"bytes_in", t.bytes_in},
            {"bytes_out", t.bytes_out}};
}

nlohmann::json rate_json(const RateWindow& rates, const std::string& key) {
    const auto r = rates.rates(key);
    if (!r || r->size() != 5) {
        return {{"window_s", 0},          {"connections_per_s", 0}, {"packets_in_per_s", 0},
                {"packets_out_per_s", 0}, {"bytes_in_per_s", 0},    {"bytes_out_per_s", 0}};
    }
    return {{"window_s", rates.span_s(key)}, {"connections_per_s", (*r)[0]},
            {"packets_in_per_s", (*r)[1]},   {"packets_out_per_s", (*r)[2]},
            {"bytes_in_per_s", (*r)[3]},     {"bytes_out_per_s", (*r)[4]}};
}

const dataplane::forward::BackendView* find_backend(const dataplane::forward::ServiceView& sv,
                                                    std::uint32_t ip, std::uint16_t port) {
    for (const auto& b : sv.backends) {
        if (b.ip.value == ip && b.port == port) {
            return &b;
        }
    }
    return nullptr;
}

const nlohmann::json* find_check(const nlohmann::json& checks, const std::string& service,
                                 const std::string& address, std::uint16_t port) {
    if (!checks.contains("services")) {
        return nullptr;
    }
    for (const auto& s : checks["services"]) {
        if (s.value("name", "") != service || !s.contains("real_servers")) {
            continue;
        }
        for (const auto& r : s["real_servers"]) {
            if (r.value("address", "") == address && r.value("port", 0) == port) {
                return &r;
            }
        }
    }
    return nullptr;
}

}  // namespace

std::string service_rate_key(const std::string& service) {
    return "service/" + service;
}
std::string backend_rate_key(const std::string& service, const std::string& address,
                             std::uint16_t port) {
    return "backend/" + service + "/" + address + ":" + std::to_string(port);
}
std::string worker_rate_key(std::uint32_t lcore) {
    return "worker/" + std::to_string(lcore);
}

nlohmann::json service_list(const config::Config& config, const dataplane::Dataplane& dataplane,
                            const nlohmann::json& checks, const RateWindow& rates,
                            ListOptions options) {
    nlohmann::json services = nlohmann::json::array();
    const auto* snap = dataplane.snapshot();
    for (std::size_t i = 0; i < config.virtual_servers.size(); ++i) {
        const auto& vs = config.virtual_servers[i];
        const dataplane::forward::ServiceView* sv =
            snap != nullptr && i < snap->services.size() ? &snap->services[i] : nullptr;
        nlohmann::json flags = nlohmann::json::array();
        if (vs.persistence_timeout != 0) {
            flags.push_back("persistent " + std::to_string(vs.persistence_timeout));
            if (vs.persistence_granularity.value != 0xffffffffu) {
                flags.push_back("mask " + vs.persistence_granularity.to_string());
            }
        }
        nlohmann::json js{{"name", vs.name},
                          {"vip", vs.vip.to_string()},
                          {"port", vs.port},
                          {"protocol", vs.protocol == config::Protocol::tcp ? "TCP" : "UDP"},
                          {"scheduler", std::string(config::to_string(vs.lb_algo))},
                          {"method", std::string(config::to_string(vs.lb_kind))},
                          {"flags", std::move(flags)}};
        nlohmann::json rss = nlohmann::json::array();
        for (const auto& rs : vs.real_servers) {
            const std::string address = rs.address.to_string();
            const auto* b = sv != nullptr ? find_backend(*sv, rs.address.value, rs.port) : nullptr;
            const auto totals =
                b != nullptr ? dataplane.backend_totals(b->slot) : dataplane::TrafficTotals{};
            nlohmann::json jr{{"address", address},
                              {"port", rs.port},
                              {"method", std::string(config::to_string(vs.lb_kind))},
                              {"weight", b != nullptr ? b->weight : 0},
                              {"published", b != nullptr},
                              {"active_connections", totals.active},
                              {"inactive_connections", totals.inactive}};
            if (const auto* c = find_check(checks, vs.name, address, rs.port)) {
                jr["health"] = c->value("health", "?");
                jr["state"] = c->value("state", "?");
                if (c->contains("override")) {
                    jr["override"] = (*c)["override"];
                }
            }
            if (options.stats) {
                jr["stats"] = stats_json(totals);
            }
            if (options.rate) {
                jr["rate"] = rate_json(rates, backend_rate_key(vs.name, address, rs.port));
            }
            rss.push_back(std::move(jr));
        }
        js["real_servers"] = std::move(rss);
        if (options.stats) {
            js["stats"] = stats_json(sv != nullptr ? dataplane.service_totals(sv->slot)
                                                   : dataplane::TrafficTotals{});
        }
        if (options.rate) {
            js["rate"] = rate_json(rates, service_rate_key(vs.name));
        }
        services.push_back(std::move(js));
    }
    return {{"services", std::move(services)}};
}

void sample_counters(RateWindow& rates, const config::Config& config,
                     const dataplane::Dataplane& dataplane, double t_s) {
    if (const auto* snap = dataplane.snapshot()) {
        for (std::size_t i = 0; i < snap->services.size() && i < config.virtual_servers.size();
             ++i) {
            const auto& sv = snap->services[i];
            const auto& name = config.virtual_servers[i].name;
            rates.add(service_rate_key(name), t_s, counters(dataplane.service_totals(sv.slot)));
            for (const auto& b : sv.backends) {
                rates.add(backend_rate_key(name, b.ip.to_string(), b.port), t_s,
                          counters(dataplane.backend_totals(b.slot)));
            }
        }
    }
    for (const auto& w : dataplane.worker_status()) {
        rates.add(worker_rate_key(w.lcore), t_s,
                  {w.rx_packets, w.polls, w.idle_polls, w.tx_packets});
    }
    rates.forget_before(t_s);
}

}  // namespace sluice::controlplane
