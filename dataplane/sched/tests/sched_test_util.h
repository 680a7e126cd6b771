#pragma once
// Helpers shared by the sched tests.

#include <cstdint>
#include <vector>

#include "dataplane/sched/backend.h"
#include "dataplane/sched/scheduler_state.h"
#include "dataplane/sched/service_scheduler.h"

namespace sluice::dataplane::sched::testing {

inline std::vector<BackendInfo> equal_backends(std::size_t n, std::uint32_t weight = 1) {
    return std::vector<BackendInfo>(n, BackendInfo{weight, true});
}

inline std::vector<BackendInfo> weighted(std::initializer_list<std::uint32_t> weights) {
    std::vector<BackendInfo> v;
    for (const std::uint32_t w : weights) {
        v.push_back(BackendInfo{w, true});
    }
    return v;
}

// 10.1.x.y:80 for backend i: distinct, stable keys.
inline std::vector<std::uint64_t> keys_for(std::size_t n) {
    std::vector<std::uint64_t> keys;
    for (std::size_t i = 0; i < n; ++i) {
        keys.push_back(backend_key(0x0a01'0000u + static_cast<std::uint32_t>(i), 80));
    }
    return keys;
}

// `count` picks with a fresh state and no connection counts.
inline std::vector<std::uint32_t> pick_sequence(const ServiceScheduler& s, std::size_t count,
                                                SchedulerState& state) {
    PickContext ctx{state, {}, {}};
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(s.pick(ctx, FlowKey{}));
    }
    return out;
}

inline std::vector<std::uint32_t> repeat(const std::vector<std::uint32_t>& cycle,
                                         std::size_t times) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < times; ++i) {
        out.insert(out.end(), cycle.begin(), cycle.end());
    }
    return out;
}

}  // namespace sluice::dataplane::sched::testing
