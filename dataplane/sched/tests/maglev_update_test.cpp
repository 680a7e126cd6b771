#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "dataplane/sched/maglev.h"
#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

using testing::equal_backends;
using testing::keys_for;

constexpr std::uint32_t kM = kDefaultMaglevTableSize;

struct Service {
    std::vector<BackendInfo> info;
    std::vector<std::uint64_t> keys;
    BackendList list() const { return BackendList{info, keys}; }
};

Service equal_service(std::size_t n) {
    return Service{equal_backends(n), keys_for(n)};
}

MaglevTable build(const Service& s, std::uint32_t m = kM) {
    return build_maglev(s.list(), m).value();
}

MaglevUpdate update(const MaglevTable& previous, const Service& prior, const Service& next) {
    auto u = update_maglev(previous, prior.list(), next.list());
    EXPECT_TRUE(u) << build_error_name(u.error());
    return std::move(u).value();
}

// The key owning each slot (0 for an empty slot).
std::vector<std::uint64_t> owner_keys(const MaglevTable& t, const Service& s) {
    std::vector<std::uint64_t> out;
    for (const auto owner : t.slots()) {
        out.push_back(owner == MaglevTable::kEmptySlot ? 0 : s.keys[owner]);
    }
    return out;
}

Service without(const Service& s, std::size_t removed) {
    Service out = s;
    out.info.erase(out.info.begin() + static_cast<std::ptrdiff_t>(removed));
    out.keys.erase(out.keys.begin() + static_cast<std::ptrdiff_t>(removed));
    return out;
}

// Every eligible backend within [floor, ceil] of its ideal share, and within
// `bound` of it relatively.
void expect_balanced(const MaglevTable& t, const Service& s, double bound) {
    const auto count = t.counts(s.info.size());
    std::uint64_t total = 0;
    for (const auto& b : s.info) {
        total += is_eligible(b) ? b.weight : 0;
    }
    for (std::size_t i = 0; i < s.info.size(); ++i) {
        if (!is_eligible(s.info[i])) {
            EXPECT_EQ(count[i], 0u) << i;
            continue;
        }
        const double ideal = 1.0 * t.size() * s.info[i].weight / static_cast<double>(total);
        EXPECT_LT(std::abs(count[i] - ideal), 1.0) << "backend " << i;
        EXPECT_LE(std::abs(count[i] - ideal) / ideal, bound) << "backend " << i;
    }
}

MaglevTable apply_changes(const MaglevTable& previous,
                          const std::vector<MaglevSlotChange>& changes) {
    std::vector<std::uint16_t> slots(previous.slots().begin(), previous.slots().end());
    for (const auto& c : changes) {
        slots[c.slot] = c.backend;
    }
    return MaglevTable(std::move(slots));
}

TEST(MaglevUpdate, RemovingOneOfHundredMovesOnlyItsSlots) {
    const Service before = equal_service(100);
    const MaglevTable old = build(before);
    for (const std::size_t removed : {0u, 37u, 63u, 99u}) {
        const Service after = without(before, removed);
        const MaglevUpdate u = update(old, before, after);
        const auto old_keys = owner_keys(old, before);
        const auto new_keys = owner_keys(u.table, after);
        std::uint32_t moved = 0;
        for (std::uint32_t s = 0; s < kM; ++s) {
            if (old_keys[s] != before.keys[removed]) {
                ASSERT_EQ(new_keys[s], old_keys[s]) << "slot " << s << " removed " << removed;
            } else {
                ++moved;
                ASSERT_NE(new_keys[s], before.keys[removed]);
            }
        }
        EXPECT_EQ(moved, removed < 37 ? 656u : 655u);
        expect_balanced(u.table, after, 0.01);  // 661 or 662 each
        // The list was renumbered, so the delta also carries the relabelled slots.
        EXPECT_EQ(apply_changes(old, u.changes), u.table);
    }
}

TEST(MaglevUpdate, DownBackendDeltaIsExactlyItsSlots) {
    const Service before = equal_service(100);
    const MaglevTable old = build(before);
    const auto old_count = old.counts(100);
    for (const bool drain : {false, true}) {
        Service after = before;
        if (drain) {
            after.info[42].weight = 0;
        } else {
            after.info[42].available = false;
        }
        const MaglevUpdate u = update(old, before, after);
        ASSERT_EQ(u.changes.size(), old_count[42]);  // 655, and nothing else
        for (const auto& c : u.changes) {
            EXPECT_EQ(old.slots()[c.slot], 42u);
            EXPECT_NE(c.backend, 42u);
        }
        EXPECT_TRUE(std::is_sorted(u.changes.begin(), u.changes.end(),
                                   [](auto& a, auto& b) { return a.slot < b.slot; }));
        EXPECT_EQ(apply_changes(old, u.changes), u.table);
        expect_balanced(u.table, after, 0.01);
    }
}

TEST(MaglevUpdate, AddingOneBackMovesAboutMOverNPlusOneAllToIt) {
    const Service full = equal_service(100);
    Service down = full;
    down.info[17].available = false;
    const MaglevTable start = build(down);  // 99 members
    const MaglevUpdate u = update(start, down, full);
    const double expected = 1.0 * kM / 100;  // M / (N + 1) with N = 99
    EXPECT_LE(std::abs(static_cast<double>(u.changes.size()) - expected), 0.01 * expected);
    for (const auto& c : u.changes) {
        ASSERT_EQ(c.backend, 17u);
    }
    EXPECT_EQ(u.table.counts(100)[17], u.changes.size());
    expect_balanced(u.table, full, 0.01);
}

TEST(MaglevUpdate, AppendingANewBackendTakesOnlyWhatItNeeds) {
    const Service before = equal_service(100);
    const Service after = equal_service(101);  // same first 100 keys, one appended
    const MaglevTable old = build(before);
    const MaglevUpdate u = update(old, before, after);
    const double expected = 1.0 * kM / 101;
    EXPECT_LE(std::abs(static_cast<double>(u.changes.size()) - expected), 0.01 * expected);
    for (const auto& c : u.changes) {
        ASSERT_EQ(c.backend, 100u);
    }
    expect_balanced(u.table, after, 0.01);
}

TEST(MaglevUpdate, RemoveThenAddBackRoundTripKeepsOthersStill) {
    const Service full = equal_service(100);
    const MaglevTable t0 = build(full);
    Service down = full;
    down.info[5].available = false;
    const MaglevUpdate u1 = update(t0, full, down);
    const MaglevUpdate u2 = update(u1.table, down, full);
    // Only slots that passed through backend 5's hands differ from t0.
    for (std::uint32_t s = 0; s < kM; ++s) {
        if (t0.slots()[s] != 5 && u2.table.slots()[s] != 5) {
            ASSERT_EQ(u2.table.slots()[s], t0.slots()[s]) << s;
        }
    }
    expect_balanced(u2.table, full, 0.01);
}

TEST(MaglevUpdate, WeightIncreaseTakesSlotsOnlyForThatBackend) {
    const Service before = equal_service(100);
    Service after = before;
    after.info[9].weight = 3;
    const MaglevTable old = build(before);
    const MaglevUpdate u = update(old, before, after);
    for (const auto& c : u.changes) {
        ASSERT_EQ(c.backend, 9u);  // every moved slot goes to the heavier backend
        ASSERT_NE(old.slots()[c.slot], 9u);
    }
    EXPECT_EQ(u.table.counts(100)[9], old.counts(100)[9] + u.changes.size());
    expect_balanced(u.table, after, 0.01);
}

TEST(MaglevUpdate, WeightDecreaseGivesUpItsLeastPreferredSlots) {
    Service before = equal_service(50);
    before.info[3].weight = 4;
    Service after = before;
    after.info[3].weight = 1;
    const MaglevTable old = build(before);
    const MaglevUpdate u = update(old, before, after);
    for (const auto& c : u.changes) {
        ASSERT_EQ(old.slots()[c.slot], 3u);  // only backend 3 gives slots up
    }
    expect_balanced(u.table, after, 0.01);
}

TEST(MaglevUpdate, NoChangeIsNoDelta) {
    const Service s = equal_service(30);
    const MaglevTable old = build(s);
    const MaglevUpdate u = update(old, s, s);
    EXPECT_TRUE(u.changes.empty());
    EXPECT_EQ(u.table, old);
}

TEST(MaglevUpdate, ReorderedListOnlyRelabels) {
    const Service before = equal_service(20);
    Service after = before;
    std::reverse(after.info.begin(), after.info.end());
    std::reverse(after.keys.begin(), after.keys.end());
    const MaglevTable old = build(before);
    const MaglevUpdate u = update(old, before, after);
    EXPECT_EQ(owner_keys(u.table, after), owner_keys(old, before));
    EXPECT_EQ(apply_changes(old, u.changes), u.table);
}

TEST(MaglevUpdate, FromEmptyAndToEmpty) {
    const Service up = equal_service(10);
    Service none = up;
    for (auto& b : none.info) {
        b.available = false;
    }
    const MaglevTable empty = build(none);
    const MaglevUpdate all_back = update(empty, none, up);
    EXPECT_EQ(all_back.changes.size(), kM);
    expect_balanced(all_back.table, up, 0.01);
    const MaglevUpdate all_gone = update(all_back.table, up, none);
    EXPECT_EQ(all_gone.table, empty);
    EXPECT_EQ(all_gone.changes.size(), kM);
}

TEST(MaglevUpdate, ScratchRebuildWouldDisturbOtherSlots) {
    // Why update_maglev exists: the paper's from-scratch build after a
    // removal also reshuffles some slots between surviving backends.
    const Service before = equal_service(100);
    Service after = before;
    after.info[50].available = false;
    const MaglevTable old = build(before);
    const MaglevTable scratch = build(after);
    std::uint32_t disturbed = 0;
    for (std::uint32_t s = 0; s < kM; ++s) {
        disturbed += old.slots()[s] != 50 && scratch.slots()[s] != old.slots()[s] ? 1u : 0u;
    }
    EXPECT_GT(disturbed, 0u);
    const MaglevUpdate u = update(old, before, after);
    EXPECT_EQ(u.changes.size(), old.counts(100)[50]);
}

TEST(MaglevUpdate, RandomEqualWeightRemovalsNeverDisturbSurvivors) {
    std::mt19937 rng(99);
    for (const std::size_t n : {2u, 3u, 7u, 64u, 500u, 1000u}) {
        Service s = equal_service(n);
        MaglevTable t = build(s);
        // Take backends down one by one, each time checking that only the
        // leaving backend's slots move.
        for (std::size_t round = 0; round + 1 < std::min<std::size_t>(n, 6); ++round) {
            std::size_t victim = rng() % n;
            while (!s.info[victim].available) {
                victim = (victim + 1) % n;
            }
            Service next = s;
            next.info[victim].available = false;
            const MaglevUpdate u = update(t, s, next);
            for (const auto& c : u.changes) {
                ASSERT_EQ(t.slots()[c.slot], victim) << "n " << n << " round " << round;
            }
            ASSERT_EQ(u.changes.size(), t.counts(n)[victim]);
            expect_balanced(u.table, next, 1.0);
            s = next;
            t = u.table;
        }
    }
}

TEST(MaglevUpdate, RandomWeightedChangesStayBalanced) {
    std::mt19937 rng(5);
    Service s;
    for (std::size_t i = 0; i < 200; ++i) {
        s.info.push_back(BackendInfo{1 + static_cast<std::uint32_t>(rng() % 100), true});
    }
    s.keys = keys_for(200);
    MaglevTable t = build(s);
    std::uint32_t extra_moves = 0;
    for (int round = 0; round < 30; ++round) {
        Service next = s;
        const std::size_t i = rng() % 200;
        const std::uint32_t kind = static_cast<std::uint32_t>(rng() % 3);
        if (kind == 0) {
            next.info[i].available = !next.info[i].available;
        } else if (kind == 1) {
            next.info[i].weight = 1 + static_cast<std::uint32_t>(rng() % 100);
        } else {
            next.info[i].weight = 0;
        }
        const MaglevUpdate u = update(t, s, next);
        ASSERT_EQ(apply_changes(t, u.changes), u.table);
        expect_balanced(u.table, next, 0.01 * 20);  // small backends own ~50 slots
        // Removals: count slots moved away from backends other than i.
        if (!is_eligible(next.info[i]) && is_eligible(s.info[i])) {
            for (const auto& c : u.changes) {
                extra_moves += t.slots()[c.slot] != i ? 1u : 0u;
            }
        }
        s = next;
        t = u.table;
    }
    EXPECT_EQ(extra_moves, 0u);
}

TEST(MaglevUpdate, RejectsMismatchedPrevious) {
    const Service s = equal_service(10);
    const Service small = equal_service(3);
    const MaglevTable t = build(s);
    EXPECT_EQ(update_maglev(t, small.list(), s.list()).error(), BuildError::kPreviousTableMismatch);
    EXPECT_EQ(update_maglev(MaglevTable{}, s.list(), s.list()).error(),
              BuildError::kPreviousTableMismatch);
    EXPECT_EQ(
        update_maglev(MaglevTable(std::vector<std::uint16_t>(12, 0)), s.list(), s.list()).error(),
        BuildError::kTableSizeNotPrime);
    Service dup = s;
    dup.keys[3] = dup.keys[4];
    EXPECT_EQ(update_maglev(t, s.list(), dup.list()).error(), BuildError::kDuplicateKey);
}

}  // namespace
}  // namespace sluice::dataplane::sched
