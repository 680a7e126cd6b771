#pragma once
// wrr: LVS interleaved weighted round robin (ip_vs_wrr.c). The current weight
// cw starts at the largest weight (less gcd - 1) and steps down by the gcd of
// the weights each time the cursor passes the list head; at each level every
// backend with weight >= cw is chosen once, in list order. Weights {4,3,2}
// give 0 0 1 0 1 2 0 1 2: interleaved, not 0 0 0 0 1 1 1 2 2.

#include <cstdint>
#include <span>

#include "dataplane/sched/scheduler_state.h"

namespace sluice::dataplane::sched {

struct WrrParams {
    std::int32_t step = 1;        // LVS mark->di: gcd of the eligible weights (1 if none)
    std::int32_t max_weight = 0;  // LVS mark->mw: max weight - (gcd - 1); 0: none eligible
};

// `weights` are effective weights: 0 for a backend that is not eligible.
WrrParams wrr_params(std::span<const std::uint32_t> weights) noexcept;

// What ip_vs_wrr_dest_changed does when a service's backends change: the
// cursor goes back to the head; cw is kept if still valid, else reset to mw,
// and rounded onto a level of the new gcd.
void rebind_weighted_round_robin(const WrrParams& params, SchedulerState& state) noexcept;

// One ip_vs_wrr_schedule step: advances state.last and state.current_weight
// and returns the chosen backend, or kNoBackend when none is eligible. At most
// two passes over the list: the heaviest backend matches every level.
std::uint32_t pick_weighted_round_robin(std::span<const std::uint32_t> weights,
                                        const WrrParams& params, SchedulerState& state) noexcept;

}  // namespace sluice::dataplane::sched
