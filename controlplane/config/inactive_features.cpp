// Each feature has its own function below. When a feature lands, delete its
// function and its line in inactive_features(), and its test case in
// tests/inactive_features_test.cpp; nothing else refers to them.

#include "controlplane/config/inactive_features.h"

#include <algorithm>

#include "controlplane/config/enum_names.h"

namespace sluice::config {
namespace {

using Notes = std::vector<std::string>;

}  // namespace

std::vector<std::string> inactive_features(const Config& config) {
    (void)config;  // every configured feature is active in this release
    Notes out;
    return out;
}

}  // namespace sluice::config
