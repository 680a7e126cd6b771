#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "dataplane/sched/maglev.h"
#include "dataplane/sched/maglev_permutation.h"
#include "dataplane/sched/prime.h"
#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

using testing::equal_backends;
using testing::keys_for;

constexpr std::uint32_t kM = kDefaultMaglevTableSize;

MaglevTable build(const std::vector<BackendInfo>& backends, std::uint32_t m = kM) {
    const auto keys = keys_for(backends.size());
    auto built = build_maglev(BackendList{backends, keys}, m);
    EXPECT_TRUE(built) << build_error_name(built.error());
    return std::move(built).value();
}

// Pseudocode 1 of the paper, verbatim (equal weights), with our permutations.
std::vector<std::uint16_t> paper_populate(std::size_t n, std::uint32_t m) {
    const auto keys = keys_for(n);
    std::vector<std::uint64_t> next(n, 0);
    std::vector<std::int32_t> entry(m, -1);
    std::uint32_t filled = 0;
    const auto permutation = [&](std::size_t i, std::uint64_t j) {
        const MaglevPermutation p = maglev_permutation(keys[i], m);
        return static_cast<std::uint32_t>((p.offset + j * p.skip) % m);
    };
    for (;;) {
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t c = permutation(i, next[i]);
            while (entry[c] >= 0) {
                ++next[i];
                c = permutation(i, next[i]);
            }
            entry[c] = static_cast<std::int32_t>(i);
            ++next[i];
            if (++filled == m) {
                return {entry.begin(), entry.end()};
            }
        }
    }
}

// Largest |count - ideal| / ideal over the backends.
double max_relative_deviation(const std::vector<std::uint32_t>& count,
                              const std::vector<BackendInfo>& backends, std::uint32_t m) {
    double total = 0;
    for (const auto& b : backends) {
        total += is_eligible(b) ? b.weight : 0;
    }
    double worst = 0;
    for (std::size_t i = 0; i < backends.size(); ++i) {
        if (is_eligible(backends[i])) {
            const double ideal = 1.0 * m * backends[i].weight / total;
            worst = std::max(worst, std::abs(count[i] - ideal) / ideal);
        }
    }
    return worst;
}

TEST(MaglevPermutation, VisitsEverySlotOnce) {
    for (const std::uint32_t m : {2u, 3u, 13u, 251u}) {
        for (std::uint64_t key = 0; key < 50; ++key) {
            const MaglevPermutation p = maglev_permutation(key, m);
            ASSERT_LT(p.offset, m);
            ASSERT_GE(p.skip, 1u);
            ASSERT_LE(p.skip, m > 1 ? m - 1 : 1);
            const std::uint64_t inverse = pow_mod(p.skip, m - 2, m);
            std::vector<bool> seen(m);
            for (std::uint32_t j = 0; j < m; ++j) {
                const auto slot =
                    static_cast<std::uint32_t>((p.offset + std::uint64_t{j} * p.skip) % m);
                ASSERT_FALSE(seen[slot]);
                seen[slot] = true;
                ASSERT_EQ(maglev_rank(p, inverse, slot, m), j);
            }
        }
    }
}

TEST(MaglevBuild, EqualWeightsAreExactlyThePapersPopulateLoop) {
    for (const std::size_t n : {1u, 3u, 100u}) {
        const MaglevTable table = build(equal_backends(n));
        const auto expected = paper_populate(n, kM);
        EXPECT_TRUE(std::equal(table.slots().begin(), table.slots().end(), expected.begin(),
                               expected.end()))
            << n;
    }
    // Worked by hand from the permutations: (offset, skip) = (0,5) (9,8) (2,2)
    // (10,4) (2,6); backend 4's first choice, slot 2, is already backend 2's.
    const MaglevTable small = build(equal_backends(5), 13);
    const std::vector<std::uint16_t> by_hand{0, 3, 2, 1, 1, 0, 2, 4, 4, 1, 3, 2, 0};
    EXPECT_TRUE(
        std::equal(small.slots().begin(), small.slots().end(), by_hand.begin(), by_hand.end()));
    EXPECT_EQ(paper_populate(5, 13), by_hand);
}

TEST(MaglevBuild, HundredEqualBackendsWithinOnePercent) {
    const auto backends = equal_backends(100);
    const auto count = build(backends).counts(100);
    // 65537 = 100 * 655 + 37: the first 37 in turn order own 656.
    for (std::size_t i = 0; i < 100; ++i) {
        EXPECT_EQ(count[i], i < 37 ? 656u : 655u) << i;
    }
    EXPECT_LE(max_relative_deviation(count, backends, kM), 0.01);
}

TEST(MaglevBuild, ThousandEqualBackendsOwnFloorOrCeil) {
    const auto count = build(equal_backends(1000)).counts(1000);
    for (const auto c : count) {
        EXPECT_TRUE(c == 65u || c == 66u) << c;
    }
}

TEST(MaglevBuild, WeightedSharesProportionalWithinOnePercent) {
    std::vector<BackendInfo> backends;
    for (std::uint32_t i = 0; i < 50; ++i) {
        backends.push_back(BackendInfo{1 + i % 5, true});  // weights 1..5
    }
    const auto count = build(backends).counts(backends.size());
    EXPECT_LE(max_relative_deviation(count, backends, kM), 0.01);

    const auto skewed = testing::weighted({1, 2, 3, 10, 100, 1000});
    EXPECT_LE(max_relative_deviation(build(skewed).counts(6), skewed, kM), 0.01);
}

TEST(MaglevBuild, SharesStayWithinOneSlotOfIdeal) {
    const auto backends = testing::weighted({7, 1, 65535, 300, 2, 2, 9});
    const auto count = build(backends).counts(backends.size());
    double total = 0;
    for (const auto& b : backends) {
        total += b.weight;
    }
    for (std::size_t i = 0; i < backends.size(); ++i) {
        EXPECT_LT(std::abs(count[i] - 1.0 * kM * backends[i].weight / total), 1.0) << i;
    }
}

TEST(MaglevBuild, DrainedAndDownBackendsOwnNothing) {
    std::vector<BackendInfo> backends = equal_backends(10);
    backends[2].weight = 0;
    backends[7].available = false;
    const auto count = build(backends).counts(10);
    EXPECT_EQ(count[2], 0u);
    EXPECT_EQ(count[7], 0u);
    EXPECT_LE(max_relative_deviation(count, backends, kM), 0.01);
}

TEST(MaglevBuild, NoEligibleBackendLeavesEveryLookupEmpty) {
    const MaglevTable table = build({{0, true}, {5, false}});
    EXPECT_EQ(table.size(), kM);
    EXPECT_TRUE(std::all_of(table.slots().begin(), table.slots().end(),
                            [](auto s) { return s == MaglevTable::kEmptySlot; }));
    EXPECT_EQ(table.lookup(0xdeadbeef), kNoBackend);
    EXPECT_EQ(MaglevTable{}.lookup(1), kNoBackend);
}

TEST(MaglevBuild, DeterministicAndReproducibleAcrossProcesses) {
    const auto a = build(equal_backends(100));
    const auto b = build(equal_backends(100));
    EXPECT_EQ(a, b);
    // A fingerprint of the table pins the hashes and the populate order: any
    // change here re-routes every flow of every mh service on upgrade.
    std::uint64_t fingerprint = 0xcbf2'9ce4'8422'2325ULL;  // FNV-1a
    for (const auto owner : a.slots()) {
        fingerprint = (fingerprint ^ owner) * 0x100'0000'01b3ULL;
    }
    EXPECT_EQ(fingerprint, 11814389282138910833u);
    EXPECT_EQ(a.slots()[0], 61u);
    EXPECT_EQ(a.slots()[kM - 1], 77u);
}

TEST(MaglevBuild, LookupUsesTheWholeTable) {
    const MaglevTable table = build(equal_backends(4), 13);
    std::vector<bool> hit(13);
    for (std::uint64_t h = 0; h < (1ULL << 32); h += 1ULL << 20) {
        hit[reduce(static_cast<std::uint32_t>(h), 13)] = true;
        EXPECT_EQ(table.lookup(static_cast<std::uint32_t>(h)),
                  table.slots()[reduce(static_cast<std::uint32_t>(h), 13)]);
    }
    EXPECT_TRUE(std::all_of(hit.begin(), hit.end(), [](bool b) { return b; }));
}

TEST(MaglevBuild, RejectsBadInput) {
    const auto backends = equal_backends(3);
    const auto keys = keys_for(3);
    EXPECT_EQ(build_maglev(BackendList{backends, keys}, 65536).error(),
              BuildError::kTableSizeNotPrime);
    EXPECT_EQ(build_maglev(BackendList{backends, keys}, 1).error(), BuildError::kTableSizeNotPrime);
    EXPECT_EQ(build_maglev(BackendList{backends, keys}, 1048583).error(),
              BuildError::kTableSizeOutOfRange);
    EXPECT_TRUE(build_maglev(BackendList{backends, keys}, 1048573));  // largest prime < 2^20
    EXPECT_EQ(build_maglev(BackendList{backends, std::span(keys).first(2)}).error(),
              BuildError::kKeyCountMismatch);
    const std::vector<std::uint64_t> duplicate{1, 2, 1};
    EXPECT_EQ(build_maglev(BackendList{backends, duplicate}).error(), BuildError::kDuplicateKey);
    const auto heavy = testing::weighted({1, 65536, 1});
    EXPECT_EQ(build_maglev(BackendList{heavy, keys}).error(), BuildError::kWeightTooLarge);
    const auto many = equal_backends(kMaxBackends + 1);
    const auto many_keys = keys_for(many.size());
    EXPECT_EQ(build_maglev(BackendList{many, many_keys}).error(), BuildError::kTooManyBackends);
}

TEST(MaglevBuild, MaxBackendsFit) {
    const auto backends = equal_backends(kMaxBackends);
    const auto count = build(backends).counts(kMaxBackends);
    EXPECT_EQ(*std::min_element(count.begin(), count.end()), 16u);  // 65537 / 4096 = 16.0002
    EXPECT_EQ(*std::max_element(count.begin(), count.end()), 17u);
}

TEST(Prime, SmallAndTableSizes) {
    EXPECT_FALSE(is_prime(0));
    EXPECT_FALSE(is_prime(1));
    EXPECT_TRUE(is_prime(2));
    EXPECT_TRUE(is_prime(13));
    EXPECT_FALSE(is_prime(65535));
    EXPECT_TRUE(is_prime(65537));
    EXPECT_TRUE(is_prime(1048573));
    EXPECT_FALSE(is_prime(1048575));
    EXPECT_TRUE(is_prime(4294967291u));
    EXPECT_FALSE(is_prime(4294967295u));
}

}  // namespace
}  // namespace sluice::dataplane::sched
