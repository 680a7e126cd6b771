#include "controlplane/status_json.h"

namespace sluice::controlplane {

nlohmann::json status_to_json(const StatusInfo& info) {
    nlohmann::json ports = nlohmann::json::array();
    for (const auto& p : info.ports) {
        ports.push_back({{"id", p.id},
                         {"name", p.name},
                         {"device", p.device},
                         {"driver", p.driver},
                         {"mac", p.mac},
                         {"exception_interface", p.exception_interface},
                         {"link_up", p.link_up},
                         {"link_speed_mbps", p.link_speed_mbps},
                         {"rx_queues", p.rx_queues},
                         {"tx_queues", p.tx_queues},
                         {"stats",
                          {{"ipackets", p.ipackets},
                           {"opackets", p.opackets},
                           {"ibytes", p.ibytes},
                           {"obytes", p.obytes},
                           {"imissed", p.imissed},
                           {"ierrors", p.ierrors},
                           {"oerrors", p.oerrors},
                           {"rx_nombuf", p.rx_nombuf}}}});
    }
    nlohmann::json workers = nlohmann::json::array();
    for (const auto& w : info.workers) {
        workers.push_back({{"lcore", w.lcore},
                           {"queue", w.queue},
                           {"rx_packets", w.rx_packets},
                           {"rx_bytes", w.rx_bytes},
                           {"polls", w.polls},
                           {"idle_polls", w.idle_polls},
                           {"sleeps", w.sleeps},
                           {"tx_packets", w.tx_packets},
                           {"connections", w.connections}});
    }
    nlohmann::json drops = nlohmann::json::object();
    for (std::size_t i = 0; i < info.forward.drops.size(); ++i) {
        drops[std::string(dataplane::forward::drop_reason_name(static_cast<dataplane::forward::DropReason>(i)))] =
            info.forward.drops[i];
    }
    auto traffic = [](const dataplane::TrafficTotals& t) {
        return nlohmann::json{{"connections", t.connections}, {"packets_in", t.packets_in},
                              {"bytes_in", t.bytes_in},       {"packets_out", t.packets_out},
                              {"bytes_out", t.bytes_out}};
    };
    nlohmann::json services = nlohmann::json::array();
    for (const auto& s : info.services) {
        nlohmann::json backends = nlohmann::json::array();
        for (const auto& b : s.backends) {
            auto stats = traffic(b.stats);
            backends.push_back({{"address", b.address},
                                {"port", b.port},
                                {"weight", b.weight},
                                {"active_connections", b.stats.active},
                                {"inactive_connections", b.stats.inactive},
                                {"stats", stats}});
        }
        services.push_back({{"name", s.name},
                            {"vip", s.vip},
                            {"port", s.port},
                            {"protocol", s.protocol},
                            {"scheduler", s.scheduler},
                            {"method", s.method},
                            {"stats", traffic(s.stats)},
                            {"backends", std::move(backends)}});
    }
    return {{"api_version", 1},
            {"version", info.version},
            {"node_name", info.node_name},
            {"pid", info.pid},
            {"uptime_s", info.uptime_s},
            {"config_file", info.config_file},
            {"hugepages", info.hugepages},
            {"eal_file_prefix", info.eal_file_prefix},
            {"ports", std::move(ports)},
            {"workers", std::move(workers)},
            {"warnings", info.warnings},
            {"forwarding",
             {{"connections", info.forward.connections},
              {"connection_capacity", info.forward.connection_capacity},
              {"forwarded", info.forward.forwarded},
              {"redirected", info.forward.redirected},
              {"punted", info.forward.punted},
              {"to_host", info.forward.to_host},
              {"from_host", info.forward.from_host},
              {"arp_replies", info.forward.arp_replies},
              {"icmp_echo_replies", info.forward.icmp_echo_replies},
              {"sorry", info.forward.sorry},
              {"resets_sent", info.forward.resets_sent},
              {"drops", std::move(drops)}}},
            {"services", std::move(services)}};
}

}  // namespace sluice::controlplane
