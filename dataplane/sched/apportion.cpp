#include "dataplane/sched/apportion.h"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace sluice::dataplane::sched {

std::vector<std::uint32_t> apportion(std::span<const std::uint32_t> weights, std::uint32_t total,
                                     std::span<const std::uint32_t> held) {
    assert(held.empty() || held.size() == weights.size());
    const std::size_t n = weights.size();
    std::vector<std::uint32_t> share(n);
    if (n == 0) {
        return share;
    }
    // total <= 2^24 and weight <= 2^16, so total * weight < 2^40: exact in 64 bits.
    const std::uint64_t sum = std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
    assert(sum > 0);
    std::vector<std::uint64_t> remainder(n);
    std::uint64_t assigned = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t scaled = std::uint64_t{total} * weights[i];
        share[i] = static_cast<std::uint32_t>(scaled / sum);
        remainder[i] = scaled % sum;
        assigned += share[i];
    }
    // extra = sum(remainder) / sum and each remainder < sum, so more members
    // have a nonzero remainder than there are slots left: pick by priority.
    const auto extra = static_cast<std::size_t>(total - assigned);
    if (extra == 0) {
        return share;
    }
    std::vector<std::uint32_t> candidates;
    candidates.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (remainder[i] != 0) {
            candidates.push_back(static_cast<std::uint32_t>(i));
        }
    }
    assert(candidates.size() >= extra);
    const auto holds_ceil = [&](std::uint32_t i) { return !held.empty() && held[i] > share[i]; };
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(extra),
                      candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
                          if (holds_ceil(a) != holds_ceil(b)) {
                              return holds_ceil(a);
                          }
                          if (remainder[a] != remainder[b]) {
                              return remainder[a] > remainder[b];
                          }
                          return a < b;
                      });
    for (std::size_t k = 0; k < extra; ++k) {
        ++share[candidates[k]];
    }
    return share;
}

}  // namespace sluice::dataplane::sched
