#pragma once
// Human-readable rendering of the ports of the `status` result: link and the
// DPDK counters (rte_eth_stats) including missed packets (imissed).

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

std::string render_ports(const nlohmann::json& status);

}  // namespace sluice::cli
