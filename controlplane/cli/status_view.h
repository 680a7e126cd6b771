#pragma once
// Human-readable rendering of the `status` result.

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

// Renders the `result` object of a status answer as aligned text.
std::string render_status(const nlohmann::json& status);

// 1234567 -> "1.2M"; below 10000 printed exactly.
std::string human_count(std::uint64_t n);

// 3725.4 -> "1h 2m 5s".
std::string human_duration(double seconds);

}  // namespace sluice::cli
