#pragma once
// A built Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable
// Software Network Load Balancer", NSDI'16, section 3.4): M slots, each naming
// the backend that serves the flows hashing there. Immutable once built;
// build_maglev and update_maglev (maglev.h) produce it.

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "dataplane/sched/backend.h"
#include "dataplane/sched/hash.h"

namespace sluice::dataplane::sched {

// The paper's M = 65537; keepalived-style config allows primes up to 2^20.
inline constexpr std::uint32_t kDefaultMaglevTableSize = 65537;
inline constexpr std::uint32_t kMaxMaglevTableSize = 1u << 20;

class MaglevTable {
public:
    // A slot no backend owns: only when no backend is eligible.
    static constexpr std::uint16_t kEmptySlot = 0xffff;

    MaglevTable() = default;
    // `slots` holds backend indices or kEmptySlot; its size is M.
    explicit MaglevTable(std::vector<std::uint16_t> slots) : slots_(std::move(slots)) {}

    // O(1): one multiply-shift and one load. kNoBackend when the slot is empty.
    std::uint32_t lookup(std::uint32_t hash) const noexcept {
        if (slots_.empty()) {
            return kNoBackend;
        }
        const std::uint16_t owner = slots_[reduce(hash, static_cast<std::uint32_t>(slots_.size()))];
        return owner == kEmptySlot ? kNoBackend : owner;
    }

    std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(slots_.size()); }
    std::span<const std::uint16_t> slots() const noexcept { return slots_; }

    // Slots per backend index, for tests and statistics (allocates).
    std::vector<std::uint32_t> counts(std::size_t backend_count) const {
        std::vector<std::uint32_t> c(backend_count);
        for (const std::uint16_t owner : slots_) {
            if (owner < backend_count) {
                ++c[owner];
            }
        }
        return c;
    }

    friend bool operator==(const MaglevTable&, const MaglevTable&) = default;

private:
    std::vector<std::uint16_t> slots_;
};

}  // namespace sluice::dataplane::sched
