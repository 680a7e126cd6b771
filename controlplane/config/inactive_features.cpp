// Each feature has its own function below. When a feature lands, delete its
// function and its line in inactive_features(), and its test case in
// tests/inactive_features_test.cpp; nothing else refers to them.

#include "controlplane/config/inactive_features.h"

#include <algorithm>

#include "controlplane/config/enum_names.h"

namespace sluice::config {
namespace {

using Notes = std::vector<std::string>;

void api_socket_ownership(const Config& config, Notes& out) {
    if (!config.global.api_socket_owner.empty() || !config.global.api_socket_group.empty()) {
        out.push_back(
            "global.api_socket_owner/api_socket_group: not applied yet; the API socket keeps the "
            "daemon's "
            "user and group");
    }
}

}  // namespace

std::vector<std::string> inactive_features(const Config& config) {
    Notes out;
    api_socket_ownership(config, out);
    return out;
}

}  // namespace sluice::config
