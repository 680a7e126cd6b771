#include "controlplane/conns_json.h"

#include <string>

#include "common/ipv4.h"

namespace sluice::controlplane {

namespace {

std::string endpoint(std::uint32_t ip, std::uint16_t port) {
    return common::Ipv4Addr{ip}.to_string() + ":" + std::to_string(port);
}

std::string protocol_name(std::uint8_t proto) {
    switch (proto) {
        case dataplane::conn::kProtoTcp:
            return "TCP";
        case dataplane::conn::kProtoUdp:
            return "UDP";
        case dataplane::conn::kProtoIcmp:
            return "ICMP";
        default:
            return std::to_string(proto);
    }
}

std::string method_name(dataplane::conn::ForwardMethod m) {
    switch (m) {
        case dataplane::conn::ForwardMethod::nat:
            return "nat";
        case dataplane::conn::ForwardMethod::dr:
            return "dr";
        case dataplane::conn::ForwardMethod::tun:
            return "tun";
    }
    return "?";
}

}  // namespace

nlohmann::json conn_record_to_json(const dataplane::conn::DumpRecord& r, std::uint32_t lcore) {
    const bool tcp = r.proto == dataplane::conn::kProtoTcp;
    return {{"protocol", protocol_name(r.proto)},
            {"expire_s", r.expires_in_s},
            {"state",
             tcp ? std::string(dataplane::conn::tcp_state_name(r.state)) : std::string("NONE")},
            {"client", endpoint(r.client_ip, r.client_port)},
            {"virtual", endpoint(r.vip_ip, r.vip_port)},
            {"real_server", endpoint(r.backend_ip, r.backend_port)},
            {"method", method_name(r.method)},
            {"worker_lcore", lcore}};
}

nlohmann::json conns_to_json(const std::vector<dataplane::Dataplane::ConnDumpAnswer>& answers,
                             std::uint32_t limit) {
    nlohmann::json rows = nlohmann::json::array();
    nlohmann::json silent = nlohmann::json::array();
    bool truncated = false;
    for (const auto& a : answers) {
        if (!a.done) {
            silent.push_back(a.lcore);
            continue;
        }
        truncated = truncated || a.truncated;
        for (const auto& r : a.records) {
            if (rows.size() >= limit) {
                truncated = true;
                break;
            }
            rows.push_back(conn_record_to_json(r, a.lcore));
        }
    }
    return {{"connections", std::move(rows)},
            {"limit", limit},
            {"truncated", truncated},
            {"workers_not_answering", std::move(silent)}};
}

}  // namespace sluice::controlplane
