#pragma once
// Human-readable rendering of the `checks` result: per virtual server its
// quorum and sorry server, per real server its check, health, state in the
// dataplane, last result with its reason and latency, and failure counts.

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

std::string render_checks(const nlohmann::json& checks);

}  // namespace sluice::cli
