#include "dataplane/port.h"

#include <rte_errno.h>
#include <rte_ethdev.h>

#include <algorithm>
#include <cstring>

namespace sluice::dataplane {
namespace {

std::string ethdev_error(const char* what, int rc) {
    return std::string(what) + " failed: " + rte_strerror(rc < 0 ? -rc : rc);
}

}  // namespace

bool start_port(std::uint16_t port_id, const PortQueueSetup& setup, rte_mempool* pool,
                std::string& error) {
    rte_eth_dev_info info{};
    if (int rc = rte_eth_dev_info_get(port_id, &info); rc != 0) {
        error = ethdev_error("rte_eth_dev_info_get", rc);
        return false;
    }
    if (info.max_rx_queues < setup.queues || info.max_tx_queues < setup.queues) {
        error = "driver " + std::string(info.driver_name) + " offers " +
                std::to_string(info.max_rx_queues) + " RX / " + std::to_string(info.max_tx_queues) +
                " TX queues but " + std::to_string(setup.queues) +
                " workers need one each (for net_af_packet set qpairs=N in the device string)";
        return false;
    }

    rte_eth_conf conf{};
    const std::uint64_t rss = info.flow_type_rss_offloads & (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
    if (setup.queues > 1 && rss != 0) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = rss;
    }
    if (int rc = rte_eth_dev_configure(port_id, setup.queues, setup.queues, &conf); rc != 0) {
        error = ethdev_error("rte_eth_dev_configure", rc);
        return false;
    }
    std::uint16_t rx_desc = setup.rx_desc;
    std::uint16_t tx_desc = setup.tx_desc;
    if (int rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &rx_desc, &tx_desc); rc != 0) {
        error = ethdev_error("rte_eth_dev_adjust_nb_rx_tx_desc", rc);
        return false;
    }
    const int socket = rte_eth_dev_socket_id(port_id);
    const unsigned socket_id = socket < 0 ? static_cast<unsigned>(SOCKET_ID_ANY) : static_cast<unsigned>(socket);
    for (std::uint16_t q = 0; q < setup.queues; ++q) {
        if (int rc = rte_eth_rx_queue_setup(port_id, q, rx_desc, socket_id, nullptr, pool); rc != 0) {
            error = ethdev_error("rte_eth_rx_queue_setup", rc);
            return false;
        }
        if (int rc = rte_eth_tx_queue_setup(port_id, q, tx_desc, socket_id, nullptr); rc != 0) {
            error = ethdev_error("rte_eth_tx_queue_setup", rc);
            return false;
        }
    }
    if (int rc = rte_eth_dev_start(port_id); rc != 0) {
        error = ethdev_error("rte_eth_dev_start", rc);
        return false;
    }
    // The appliance answers for addresses the kernel does not know (VIPs), so it
    // must see every frame; -ENOTSUP from virtual devices is harmless.
    if (int rc = rte_eth_promiscuous_enable(port_id); rc != 0 && rc != -ENOTSUP) {
        error = ethdev_error("rte_eth_promiscuous_enable", rc);
        rte_eth_dev_stop(port_id);
        return false;
    }
    return true;
}

PortStatus read_port_status(std::uint16_t port_id) {
    PortStatus s;
    s.id = port_id;
    char name[RTE_ETH_NAME_MAX_LEN] = {};
    if (rte_eth_dev_get_name_by_port(port_id, name) == 0) {
        s.device = name;
    }
    rte_eth_dev_info info{};
    if (rte_eth_dev_info_get(port_id, &info) == 0) {
        s.driver = info.driver_name != nullptr ? info.driver_name : "";
        s.rx_queues = info.nb_rx_queues;
        s.tx_queues = info.nb_tx_queues;
    }
    rte_ether_addr mac{};
    if (rte_eth_macaddr_get(port_id, &mac) == 0) {
        char buf[RTE_ETHER_ADDR_FMT_SIZE];
        rte_ether_format_addr(buf, sizeof buf, &mac);
        s.mac = buf;
    }
    rte_eth_link link{};
    if (rte_eth_link_get_nowait(port_id, &link) == 0) {
        s.link_up = link.link_status == RTE_ETH_LINK_UP;
        s.link_speed_mbps = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ? 0 : link.link_speed;
    }
    rte_eth_stats st{};
    if (rte_eth_stats_get(port_id, &st) == 0) {
        s.ipackets = st.ipackets;
        s.opackets = st.opackets;
        s.ibytes = st.ibytes;
        s.obytes = st.obytes;
        s.imissed = st.imissed;
        s.ierrors = st.ierrors;
        s.oerrors = st.oerrors;
        s.rx_nombuf = st.rx_nombuf;
    }
    return s;
}

void close_port(std::uint16_t port_id) {
    rte_eth_dev_stop(port_id);
    rte_eth_dev_close(port_id);
}

}  // namespace sluice::dataplane
