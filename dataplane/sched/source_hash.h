#pragma once
// sh: source hashing (ip_vs_sh.c). A table of S slots, each naming a backend;
// a client's hash picks the slot, so a client keeps its backend while the
// backend list stays the same.
//
// Where sluice differs from LVS, and why:
//  - Size: LVS has 256 buckets (IP_VS_SH_TAB_BITS 8), too few for weights
//    that sum past 256. Here S is the power of two that gives the lightest
//    backend about kSlotsPerBackend slots (256 * sum(w) / min(w), rounded
//    up), between 256 and 65536 (2^16: 128 KiB). So equal weights cost 256
//    slots per backend, and a backend's share is within ~0.4% of its weight
//    share whenever 2^16 allows. A power of two needs no prime: the hash is a
//    full-avalanche mix, not LVS's multiplicative hash.
//  - Fill: LVS gives each backend `weight` consecutive buckets. Here each
//    backend with weight > 0 gets its largest-remainder share of S (at least
//    one slot), and the slots are shuffled by a fixed-seed Fisher-Yates, so a
//    down backend's clients spread over all the others instead of landing on
//    its list neighbour.
//  - Fall-through: like LVS with the sh-fallback flag, a slot whose backend
//    is unavailable goes to the next slot (cyclically) whose backend is
//    available. That walk is done once at build time: a lookup is one load.
// Slots are apportioned over weight > 0 backends whatever their health, so a
// health flap moves only the down backend's clients; a weight change (drain
// included) reshapes the table, as it rebuilds LVS's buckets. For minimal
// disruption on membership changes use mh.

#include <cstdint>
#include <span>
#include <vector>

#include "dataplane/sched/backend.h"
#include "dataplane/sched/hash.h"

namespace sluice::dataplane::sched {

class SourceHashTable {
public:
    static constexpr std::uint32_t kSlotsPerBackend = 256;
    static constexpr std::uint32_t kMinSize = 256;
    static constexpr std::uint32_t kMaxSize = 65536;

    SourceHashTable() = default;

    // Precondition: backends.size() <= kMaxBackends, weights <= kMaxWeight.
    static SourceHashTable build(std::span<const BackendInfo> backends);

    // O(1); kNoBackend when no backend is eligible.
    std::uint32_t lookup(std::uint32_t hash) const noexcept {
        if (slots_.empty()) {
            return kNoBackend;
        }
        return slots_[reduce(hash, static_cast<std::uint32_t>(slots_.size()))];
    }

    // 0 when no backend is eligible.
    std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(slots_.size()); }
    // The backend each slot resolves to (after fall-through).
    std::span<const std::uint16_t> slots() const noexcept { return slots_; }

private:
    std::vector<std::uint16_t> slots_;
};

}  // namespace sluice::dataplane::sched
