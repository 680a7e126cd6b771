#include "dataplane/sched/least_connection.h"

#include "dataplane/sched/backend.h"

namespace sluice::dataplane::sched {

std::uint32_t pick_least_connection(std::span<const std::uint32_t> weights,
                                    std::span<const std::uint32_t> active,
                                    std::span<const std::uint32_t> inactive) noexcept {
    const std::size_t n = weights.size();
    if (active.size() < n || inactive.size() < n) {
        return kNoBackend;
    }
    std::uint32_t least = kNoBackend;
    std::uint64_t least_overhead = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (weights[i] == 0) {
            continue;
        }
        const std::uint64_t overhead = conn_overhead(active[i], inactive[i]);
        // Strict: ties keep the lower index.
        if (least == kNoBackend || overhead < least_overhead) {
            least = static_cast<std::uint32_t>(i);
            least_overhead = overhead;
        }
    }
    return least;
}

std::uint32_t pick_weighted_least_connection(std::span<const std::uint32_t> weights,
                                             std::span<const std::uint32_t> active,
                                             std::span<const std::uint32_t> inactive) noexcept {
    const std::size_t n = weights.size();
    if (active.size() < n || inactive.size() < n) {
        return kNoBackend;
    }
    std::uint32_t least = kNoBackend;
    std::uint64_t least_overhead = 0;
    std::uint64_t least_weight = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t weight = weights[i];
        if (weight == 0) {
            continue;
        }
        const std::uint64_t overhead = conn_overhead(active[i], inactive[i]);
        // ip_vs_wlc_schedule: loh * w_dest > doh * w_least; strict, so ties
        // keep the lower index.
        if (least == kNoBackend || least_overhead * weight > overhead * least_weight) {
            least = static_cast<std::uint32_t>(i);
            least_overhead = overhead;
            least_weight = weight;
        }
    }
    return least;
}

}  // namespace sluice::dataplane::sched
