#pragma once
// Human-readable rendering of the workers of the `status` result: per lcore
// its packets, packets/s and busy share (1 - idle polls / polls) over the
// daemon's rate window.

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

std::string render_workers(const nlohmann::json& status);

}  // namespace sluice::cli
