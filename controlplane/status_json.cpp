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
                           {"sleeps", w.sleeps}});
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
            {"warnings", info.warnings}};
}

}  // namespace sluice::controlplane
