#pragma once
// Which HTTP status codes count as a healthy answer (pure): a list of
// inclusive ranges, keepalived's url { status_code } (one code is a range of
// one). An empty list means 200-299, keepalived's default.

#include <cstdint>
#include <vector>

namespace sluice::checks {

struct StatusRange {
    std::uint16_t low = 200;
    std::uint16_t high = 299;
};

bool status_matches(const std::vector<StatusRange>& ranges, int status);

}  // namespace sluice::checks
