#include "dataplane/sched/algorithm.h"

#include <array>
#include <utility>

namespace sluice::dataplane::sched {
namespace {

constexpr std::array<std::pair<Algorithm, std::string_view>, 6> kNames{{
    {Algorithm::kRoundRobin, "rr"},
    {Algorithm::kWeightedRoundRobin, "wrr"},
    {Algorithm::kLeastConnection, "lc"},
    {Algorithm::kWeightedLeastConnection, "wlc"},
    {Algorithm::kSourceHash, "sh"},
    {Algorithm::kMaglev, "mh"},
}};

}  // namespace

std::string_view algorithm_name(Algorithm algorithm) noexcept {
    for (const auto& [a, name] : kNames) {
        if (a == algorithm) {
            return name;
        }
    }
    return "?";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) noexcept {
    for (const auto& [a, n] : kNames) {
        if (n == name) {
            return a;
        }
    }
    return std::nullopt;
}

}  // namespace sluice::dataplane::sched
