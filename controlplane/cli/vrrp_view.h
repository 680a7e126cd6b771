#pragma once
// Human-readable rendering of the `vrrp` result: one block per instance with
// its state, priorities, master, tracking and counters (drops by reason).

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

std::string render_vrrp(const nlohmann::json& vrrp);

}  // namespace sluice::cli
