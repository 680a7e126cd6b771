#pragma once
// Primality for table sizes: Maglev needs a prime table size M so that every
// skip in [1, M-1] is coprime with M and each permutation visits every slot.

#include <cstdint>

namespace sluice::dataplane::sched {

// Trial division: at most sqrt(2^32) = 65536 steps, control plane only.
constexpr bool is_prime(std::uint32_t n) noexcept {
    if (n < 2) {
        return false;
    }
    if (n % 2 == 0) {
        return n == 2;
    }
    for (std::uint64_t d = 3; d * d <= n; d += 2) {
        if (n % d == 0) {
            return false;
        }
    }
    return true;
}

}  // namespace sluice::dataplane::sched
