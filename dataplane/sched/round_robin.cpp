#include "dataplane/sched/round_robin.h"

namespace sluice::dataplane::sched {

RoundRobinRing build_round_robin_ring(std::span<const BackendInfo> backends) {
    const std::size_t n = backends.size();
    RoundRobinRing ring(n + 1, kRingNone);
    // Walk the list twice backwards so that each entry sees the next eligible
    // backend after it, wrapping around.
    std::uint16_t next = kRingNone;
    for (std::size_t k = 2 * n; k-- > 0;) {
        const std::size_t i = k % n;
        if (k < n) {
            ring[i] = next;
        }
        if (is_eligible(backends[i])) {
            next = static_cast<std::uint16_t>(i);
        }
    }
    ring[n] = next;  // after the loop: the first eligible backend from index 0
    return ring;
}

}  // namespace sluice::dataplane::sched
