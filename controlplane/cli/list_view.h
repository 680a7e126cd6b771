#pragma once
// Human-readable rendering of the `list` result, laid out like `ipvsadm -Ln`
// (default), `ipvsadm -Ln --stats` and `ipvsadm -Ln --rate`, with the health
// and state of each real server in the default view.

#include <string>

#include <nlohmann/json.hpp>

namespace sluice::cli {

enum class ListMode { plain, stats, rate };

std::string render_list(const nlohmann::json& list, ListMode mode);

}  // namespace sluice::cli
