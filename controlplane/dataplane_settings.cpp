#include "controlplane/dataplane_settings.h"

namespace sluice::controlplane {

dataplane::DataplaneSettings to_dataplane_settings(const config::Config& config) {
    const auto& d = config.dataplane;
    dataplane::DataplaneSettings s;
    s.node_name = config.global.node_name;
    s.main_lcore = d.main_lcore;
    s.worker_lcores = d.lcores;
    switch (d.hugepages) {
        case config::Hugepages::auto_:
            s.hugepages = dataplane::HugepageMode::automatic;
            break;
        case config::Hugepages::on:
            s.hugepages = dataplane::HugepageMode::required;
            break;
        case config::Hugepages::off:
            s.hugepages = dataplane::HugepageMode::disabled;
            break;
    }
    s.memory_mb = d.memory_mb;
    s.mbufs = d.mbufs;
    s.mbuf_cache = d.mbuf_cache;
    s.rx_desc = d.rx_desc;
    s.tx_desc = d.tx_desc;
    s.burst = d.burst;
    s.max_connections_per_worker = d.max_connections;
    s.idle = d.idle == config::IdleMode::busy ? dataplane::IdleMode::busy : dataplane::IdleMode::adaptive;
    s.idle_sleep_us = d.idle_sleep_us;
    s.verbose_eal = config.global.log_level <= config::LogLevel::debug;
    s.eal_args = d.eal_args;
    for (const auto& p : d.ports) {
        s.ports.push_back({p.name, p.device, p.exception_path});
    }
    return s;
}

}  // namespace sluice::controlplane
