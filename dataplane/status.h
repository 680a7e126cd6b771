#pragma once
// Plain snapshots of dataplane state for the control plane's API.

#include <cstdint>
#include <string>

namespace sluice::dataplane {

struct PortStatus {
    std::uint16_t id = 0;
    std::string name;
    std::string device;
    std::string driver;
    std::string mac;
    std::string exception_interface;  // kernel TAP of the exception path, if any
    bool link_up = false;
    std::uint32_t link_speed_mbps = 0;
    std::uint16_t rx_queues = 0;
    std::uint16_t tx_queues = 0;
    // rte_eth_stats
    std::uint64_t ipackets = 0;
    std::uint64_t opackets = 0;
    std::uint64_t ibytes = 0;
    std::uint64_t obytes = 0;
    std::uint64_t imissed = 0;
    std::uint64_t ierrors = 0;
    std::uint64_t oerrors = 0;
    std::uint64_t rx_nombuf = 0;
};

struct WorkerStatus {
    std::uint32_t lcore = 0;
    std::uint16_t queue = 0;
    std::uint64_t rx_packets = 0;
    std::uint64_t rx_bytes = 0;
    std::uint64_t polls = 0;
    std::uint64_t idle_polls = 0;
    std::uint64_t sleeps = 0;
    std::uint64_t tx_packets = 0;
    std::uint64_t connections = 0;  // live in this worker's table
};

}  // namespace sluice::dataplane
