#pragma once
// The Maglev populate loop (NSDI'16 section 3.4, Pseudocode 1), shared by
// build_maglev (every slot free) and update_maglev (only the freed slots).
// Internal to dataplane/sched.

#include <cstdint>
#include <span>

#include "dataplane/sched/maglev_permutation.h"

namespace sluice::dataplane::sched {

// One member taking turns to claim slots.
struct MaglevFiller {
    std::uint16_t backend = 0;  // value written into claimed slots
    std::uint32_t weight = 1;   // turn frequency
    std::uint32_t need = 0;     // slots still to claim
    MaglevPermutation permutation;
};

// Fills every MaglevTable::kEmptySlot of `slots`. A member's k-th turn comes
// at virtual time k / weight; at equal times heavier members go first, then
// lower backend indices, so equal weights take turns in list order as in the
// paper. On its turn a member claims the first free slot in its permutation
// from where it stopped (the paper's next[i]) and leaves the rotation once
// its need is met. Members of one weight share their turn times, so the loop
// keeps a heap of weight classes, not of members: O(M + lookups) in practice.
// Precondition: the needs sum to the number of empty slots. Every member's
// walk is at most M steps: a slot passed as taken never frees up again.
void fill_maglev_slots(std::span<std::uint16_t> slots, std::span<const MaglevFiller> fillers);

}  // namespace sluice::dataplane::sched
