#pragma once
// Human-readable rendering of the `conns` result, laid out like
// `ipvsadm -Lnc`, with the worker lcore that owns each connection.

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

std::string render_conns(const nlohmann::json& conns);

}  // namespace sluice::cli
