#pragma once
// A backend's Maglev preference list (NSDI'16 section 3.4): slot j of its
// permutation is (offset + j * skip) mod M, with offset = h1(key) mod M and
// skip = h2(key) mod (M - 1) + 1 from two independent hashes of its stable
// key. M prime makes every skip coprime with M, so the list visits each slot
// exactly once. Nothing here depends on the process: same key, same list.

#include <cstdint>

#include "dataplane/sched/hash.h"

namespace sluice::dataplane::sched {

inline constexpr std::uint64_t kMaglevOffsetSeed = 0x6d61'676c'6576'6f66ULL;  // "maglevof"
inline constexpr std::uint64_t kMaglevSkipSeed = 0x6d61'676c'6576'736bULL;    // "maglevsk"

struct MaglevPermutation {
    std::uint32_t offset = 0;  // the backend's first choice
    std::uint32_t skip = 1;    // in [1, M-1]
};

// Precondition: table_size is prime.
constexpr MaglevPermutation maglev_permutation(std::uint64_t key,
                                               std::uint32_t table_size) noexcept {
    MaglevPermutation p;
    p.offset = static_cast<std::uint32_t>(mix64(key ^ kMaglevOffsetSeed) % table_size);
    p.skip = table_size > 1
                 ? static_cast<std::uint32_t>(mix64(key ^ kMaglevSkipSeed) % (table_size - 1)) + 1
                 : 1;
    return p;
}

// (base ^ exp) mod m, for m < 2^32.
constexpr std::uint64_t pow_mod(std::uint64_t base, std::uint64_t exp, std::uint64_t m) noexcept {
    std::uint64_t result = 1 % m;
    base %= m;
    while (exp > 0) {
        if (exp & 1) {
            result = result * base % m;
        }
        base = base * base % m;
        exp >>= 1;
    }
    return result;
}

// Where `slot` comes in the permutation: the j with (offset + j * skip) mod M
// == slot, i.e. j = (slot - offset) * skip^-1 mod M. `skip_inverse` is
// pow_mod(skip, M - 2, M) (Fermat; M prime).
constexpr std::uint32_t maglev_rank(const MaglevPermutation& p, std::uint64_t skip_inverse,
                                    std::uint32_t slot, std::uint32_t table_size) noexcept {
    const std::uint64_t distance = (std::uint64_t{slot} + table_size - p.offset) % table_size;
    return static_cast<std::uint32_t>(distance * skip_inverse % table_size);
}

}  // namespace sluice::dataplane::sched
