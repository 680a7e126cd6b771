#pragma once
// Building and updating Maglev tables (NSDI'16 section 3.4), for the mh
// scheduler. Control plane only: these allocate and take milliseconds.
//
// Members are the eligible backends (weight > 0, available). Each member gets
// floor or ceil of M * weight / sum(weights) slots (apportion.h): the paper's
// populate loop gives equal backends turns in list order until the table is
// full; with weights, a member takes turns in proportion to its weight (its
// k-th turn at virtual time k / weight; at equal times heavier backends go
// first, then lower indices) and stops at its share. With equal weights this
// is exactly the paper's loop.
//
// A from-scratch build is deterministic but, as the paper notes, moves a few
// slots between surviving backends when one is removed. update_maglev starts
// from the previous table instead and moves only what it must (see there).

#include <cstdint>
#include <span>
#include <vector>

#include "dataplane/sched/backend.h"
#include "dataplane/sched/build_result.h"
#include "dataplane/sched/maglev_table.h"

namespace sluice::dataplane::sched {

// A service's backend list: health and weight, and each backend's stable key
// (backend_key(ip, port)), in index order.
struct BackendList {
    std::span<const BackendInfo> info;
    std::span<const std::uint64_t> keys;
};

// Fails with kTooManyBackends, kWeightTooLarge, kKeyCountMismatch,
// kDuplicateKey (keys identify backends across updates), kTableSizeNotPrime or
// kTableSizeOutOfRange (M must be a prime <= kMaxMaglevTableSize; the paper
// wants M > 100 * N for shares within 1%). With no eligible backend every
// slot is kEmptySlot.
BuildResult<MaglevTable> build_maglev(BackendList backends,
                                      std::uint32_t table_size = kDefaultMaglevTableSize);

// One changed slot, Katran-style (Vip::batchRealsUpdate): applying every change
// to the previous table yields the new one.
struct MaglevSlotChange {
    std::uint32_t slot = 0;
    std::uint16_t backend = MaglevTable::kEmptySlot;  // new owner (index in the new list)

    friend bool operator==(const MaglevSlotChange&, const MaglevSlotChange&) = default;
};

struct MaglevUpdate {
    MaglevTable table;
    std::vector<MaglevSlotChange> changes;  // in slot order
};

// The table for `next`, derived from `previous` (built for `prior`) so that
// as few flows as possible change backend. Backends are matched by key, so
// `next` may reorder, add or drop entries.
//
//  1. Every slot whose owner is still a member stays with it, up to the
//     owner's new share; an owner over its share (a backend was added, or its
//     weight fell) gives up the slots latest in its own permutation.
//  2. The freed slots (removed, drained or down owners, and those given up)
//     are refilled by the members below their share, taking turns as in
//     build_maglev, each walking its own permutation from the start and
//     claiming the first free slot it meets.
// Shares are floor or ceil of the ideal (apportion.h), choosing ceil first for
// members that already hold it, so |share - ideal| < 1 slot always. Starting
// from a table within that bound (any build_maglev or update_maglev result):
//  - Adding a backend (or raising a weight) lowers everyone else's ideal, so
//    no other member falls short: every moved slot goes to the newcomer.
//  - When a backend leaves (removed, weight 0 or down) with equal weights,
//    exactly its slots move: survivors held floor(M/N) or ceil(M/N); if the
//    new floor is higher they all fit under it, else the new ceil has room
//    for all who held the old one (E' = E + floor(M/N) >= E). With unequal
//    weights it held in every one of 3000 random removals tried; where it
//    cannot, the bound wins and a survivor at ceil hands over one slot.
//
// `changes` lists the slots whose stored index differs from `previous`: with a
// stable list (health flips, weight edits, appends) exactly the moved slots;
// renumbered backends also show up. The table size stays previous.size().
//
// Fails like build_maglev (for either list), or kPreviousTableMismatch when
// `previous` has no slots or names an index outside `prior`.
BuildResult<MaglevUpdate> update_maglev(const MaglevTable& previous, BackendList prior,
                                        BackendList next);

}  // namespace sluice::dataplane::sched
