#include "checks/status_ranges.h"

#include <algorithm>

namespace sluice::checks {

bool status_matches(const std::vector<StatusRange>& ranges, int status) {
    if (ranges.empty()) {
        return status >= 200 && status <= 299;
    }
    return std::any_of(ranges.begin(), ranges.end(), [status](const StatusRange& r) {
        return status >= r.low && status <= r.high;
    });
}

}  // namespace sluice::checks
