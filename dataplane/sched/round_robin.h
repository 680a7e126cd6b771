#pragma once
// rr: round robin over eligible backends, as ip_vs_rr.c. The cursor is the
// last backend chosen; the next pick is the first eligible backend after it,
// wrapping past the list head (and coming back to the cursor itself when it is
// the only eligible one).

#include <cstdint>
#include <span>
#include <vector>

#include "dataplane/sched/backend.h"

namespace sluice::dataplane::sched {

// ring[i] = the first eligible backend after i (cyclic) for i < N, and
// ring[N] = the first eligible backend from the head; kNoBackend when none is.
// Precomputed so that a pick is one load instead of LVS's list walk.
using RoundRobinRing = std::vector<std::uint16_t>;
inline constexpr std::uint16_t kRingNone = 0xffff;

RoundRobinRing build_round_robin_ring(std::span<const BackendInfo> backends);

// O(1). `last` is the cursor (kNoBackend or any out-of-range value: the head);
// it is advanced to the backend returned. kNoBackend when none is eligible.
inline std::uint32_t pick_round_robin(const RoundRobinRing& ring, std::uint32_t& last) noexcept {
    if (ring.empty()) {
        return kNoBackend;
    }
    const std::size_t n = ring.size() - 1;
    const std::uint16_t next = ring[last < n ? last : n];
    if (next == kRingNone) {
        return kNoBackend;
    }
    last = next;
    return next;
}

}  // namespace sluice::dataplane::sched
