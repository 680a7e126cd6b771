#include "dataplane/sched/weighted_round_robin.h"

#include <algorithm>
#include <numeric>

namespace sluice::dataplane::sched {

WrrParams wrr_params(std::span<const std::uint32_t> weights) noexcept {
    // ip_vs_wrr_gcd_weight and ip_vs_wrr_max_weight, over eligible backends.
    std::uint32_t g = 0;
    std::uint32_t max = 0;
    for (const std::uint32_t w : weights) {
        if (w > 0) {
            g = g > 0 ? std::gcd(g, w) : w;
            max = std::max(max, w);
        }
    }
    WrrParams p;
    p.step = static_cast<std::int32_t>(g > 0 ? g : 1);
    p.max_weight = static_cast<std::int32_t>(max) - (p.step - 1);
    return p;
}

void rebind_weighted_round_robin(const WrrParams& params, SchedulerState& state) noexcept {
    state.last = kNoBackend;
    if (state.current_weight > params.max_weight || state.current_weight <= 0) {
        state.current_weight = params.max_weight;
    } else if (params.step > 1) {
        state.current_weight = (state.current_weight / params.step) * params.step + 1;
    }
}

std::uint32_t pick_weighted_round_robin(std::span<const std::uint32_t> weights,
                                        const WrrParams& params, SchedulerState& state) noexcept {
    if (params.max_weight <= 0) {
        return kNoBackend;
    }
    // Defensive: a cursor not rebased to this table still lands on a level.
    if (state.current_weight <= 0 || state.current_weight > params.max_weight) {
        state.current_weight = params.max_weight;
    }
    const std::size_t n = weights.size();
    std::size_t i = state.last < n ? state.last + std::size_t{1} : 0;
    for (;;) {
        const auto cw = static_cast<std::uint32_t>(state.current_weight);
        for (; i < n; ++i) {
            if (weights[i] >= cw) {
                state.last = static_cast<std::uint32_t>(i);
                return state.last;
            }
        }
        // Passed the list head: next level down, wrapping to the top.
        i = 0;
        state.current_weight -= params.step;
        if (state.current_weight <= 0) {
            state.current_weight = params.max_weight;
        }
    }
}

}  // namespace sluice::dataplane::sched
