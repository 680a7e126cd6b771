#pragma once
// The mutable half of scheduling, owned by one worker: the rr/wrr cursors of
// one service, and the worker's own connection counts for lc/wlc. The built
// tables (ServiceScheduler) are immutable and shared by every worker; each
// worker keeps one SchedulerState per service, preallocated with its
// connection table, so a pick never locks, never allocates and never writes a
// cache line another core reads.

#include <cstdint>
#include <span>

#include "dataplane/sched/backend.h"

namespace sluice::dataplane::sched {

struct SchedulerState {
    // rr and wrr: LVS `sched_data`, the last backend chosen; kNoBackend stands
    // for the list head (nothing chosen yet), as in a fresh LVS service.
    std::uint32_t last = kNoBackend;
    // wrr: LVS `mark->cw`, the current weight; 0 until the first pick.
    std::int32_t current_weight = 0;
    // wrr: the table the cursor was last used with. When the control plane
    // publishes a new table the first pick re-bases the cursor the way
    // ip_vs_wrr_dest_changed does. Compared, never dereferenced.
    const void* bound_table = nullptr;
};

// Everything a pick may read or write besides the immutable table.
struct PickContext {
    SchedulerState& state;
    // lc/wlc: this worker's connection counts per backend index (established
    // and other states, as LVS activeconns/inactconns). Each worker schedules
    // with its own counts: an approximation of LVS's global counts that is
    // exact with one worker and converges with many, because RSS spreads new
    // connections evenly. Must hold at least backend_count() entries, or
    // lc/wlc return kNoBackend. Unused (may be empty) for other algorithms.
    std::span<const std::uint32_t> active;
    std::span<const std::uint32_t> inactive;
};

}  // namespace sluice::dataplane::sched
