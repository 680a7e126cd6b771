#pragma once
// Opening, starting, reading and closing one DPDK port.

#include <cstdint>
#include <string>

#include "dataplane/status.h"

struct rte_mempool;

namespace sluice::dataplane {

struct PortQueueSetup {
    std::uint16_t queues = 1;  // RX and TX queues: one pair per worker
    std::uint16_t rx_desc = 1024;
    std::uint16_t tx_desc = 1024;
};

// Configures `port_id` with one RX/TX queue pair per worker, RSS over IP/TCP/UDP
// when the device offers it, promiscuous mode, and starts it.
// Fails (false, with `error` set) when the device has too few queues or any
// ethdev call fails; the port is left stopped.
bool start_port(std::uint16_t port_id, const PortQueueSetup& setup, rte_mempool* pool,
                std::string& error);

// Reads link state and rte_eth_stats; safe to call from the control-plane thread.
PortStatus read_port_status(std::uint16_t port_id);

// Stops and closes the port, ignoring errors (used on shutdown).
void close_port(std::uint16_t port_id);

}  // namespace sluice::dataplane
