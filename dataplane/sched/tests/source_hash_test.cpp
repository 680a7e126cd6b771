#include "dataplane/sched/source_hash.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "dataplane/sched/hash.h"
#include "dataplane/sched/service_scheduler.h"
#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

constexpr int kClients = 100'000;

std::vector<std::uint32_t> picks_per_backend(const SourceHashTable& table, std::size_t n,
                                             std::uint32_t seed) {
    std::mt19937 rng(seed);  // mt19937's output is fixed by the standard
    std::vector<std::uint32_t> count(n + 1);
    for (int i = 0; i < kClients; ++i) {
        const std::uint32_t b = table.lookup(source_hash(static_cast<std::uint32_t>(rng()), 0));
        ++count[b == kNoBackend ? n : b];
    }
    return count;
}

TEST(SourceHash, SameClientSameBackend) {
    const auto backends = testing::weighted({1, 2, 3, 4, 5});
    const SourceHashTable a = SourceHashTable::build(backends);
    const SourceHashTable b = SourceHashTable::build(backends);  // "another process"
    std::mt19937 rng(7);
    for (int i = 0; i < 10'000; ++i) {
        const std::uint32_t h = source_hash(static_cast<std::uint32_t>(rng()), 0);
        ASSERT_EQ(a.lookup(h), a.lookup(h));
        ASSERT_EQ(a.lookup(h), b.lookup(h));
    }
}

TEST(SourceHash, TableSizeGrowsWithBackends) {
    EXPECT_EQ(SourceHashTable::build(testing::equal_backends(1)).size(), 256u);
    EXPECT_EQ(SourceHashTable::build(testing::equal_backends(3)).size(), 1024u);
    EXPECT_EQ(SourceHashTable::build(testing::equal_backends(256)).size(), 65536u);
    EXPECT_EQ(SourceHashTable::build(testing::equal_backends(4096)).size(), 65536u);
    EXPECT_EQ(SourceHashTable::build(testing::weighted({1, 10, 100})).size(), 32768u);
}

TEST(SourceHash, DistributionWithinTwoPercentOfWeights) {
    for (const auto& backends :
         {testing::weighted({1, 2, 3}), testing::weighted({4, 3, 2}), testing::equal_backends(10),
          testing::weighted({1, 10, 100}), testing::equal_backends(100)}) {
        const SourceHashTable table = SourceHashTable::build(backends);
        double total_weight = 0;
        for (const auto& b : backends) {
            total_weight += b.weight;
        }
        std::vector<std::uint32_t> slots(backends.size());
        for (const auto owner : table.slots()) {
            ++slots[owner];
        }
        const auto count = picks_per_backend(table, backends.size(), 42);
        EXPECT_EQ(count[backends.size()], 0u);
        for (std::size_t i = 0; i < backends.size(); ++i) {
            const double p = backends[i].weight / total_weight;
            // What the table promises: its share of slots within 2% of the weight.
            EXPECT_NEAR(slots[i], p * table.size(), 0.02 * p * table.size()) << "backend " << i;
            // What 100k random clients see: within 2%, or within 4 standard
            // deviations of the binomial where 2% is below sampling noise
            // (a 1% share is 1000 +- 31 clients).
            const double expected = kClients * p;
            const double sigma = std::sqrt(kClients * p * (1 - p));
            EXPECT_NEAR(count[i], expected, std::max(0.02 * expected, 4 * sigma))
                << "backend " << i << " of " << backends.size();
        }
    }
}

TEST(SourceHash, DrainedAndDownBackendsNeverChosen) {
    const std::vector<BackendInfo> backends{{1, true}, {0, true}, {3, false}, {2, true}};
    const auto count = picks_per_backend(SourceHashTable::build(backends), backends.size(), 1);
    EXPECT_EQ(count[1], 0u);
    EXPECT_EQ(count[2], 0u);
    EXPECT_EQ(count[4], 0u);  // kNoBackend
    EXPECT_GT(count[0], 0u);
    EXPECT_GT(count[3], 0u);
}

TEST(SourceHash, DownBackendFallsThroughAndOthersKeepTheirClients) {
    auto backends = testing::equal_backends(8);
    const SourceHashTable before = SourceHashTable::build(backends);
    backends[5].available = false;
    const SourceHashTable after = SourceHashTable::build(backends);
    ASSERT_EQ(before.size(), after.size());
    std::vector<std::uint32_t> inherited(8);
    for (std::uint32_t s = 0; s < before.size(); ++s) {
        if (before.slots()[s] != 5) {
            ASSERT_EQ(after.slots()[s], before.slots()[s]) << "slot " << s;
        } else {
            ASSERT_NE(after.slots()[s], 5u);
            // Deterministic: the first slot after it owned by an available backend.
            std::uint32_t next = (s + 1) % before.size();
            while (before.slots()[next] == 5) {
                next = (next + 1) % before.size();
            }
            ASSERT_EQ(after.slots()[s], before.slots()[next]);
            ++inherited[after.slots()[s]];
        }
    }
    // The shuffled layout spreads the orphans over all seven others.
    for (std::uint32_t b = 0; b < 8; ++b) {
        if (b != 5) {
            EXPECT_GT(inherited[b], 10u) << b;
        }
    }
}

TEST(SourceHash, TinyShareStillGetsASlot) {
    std::vector<BackendInfo> backends = testing::equal_backends(300, 65535);
    backends.push_back(BackendInfo{1, true});
    const SourceHashTable table = SourceHashTable::build(backends);
    std::uint32_t owned = 0;
    for (const auto owner : table.slots()) {
        owned += owner == 300 ? 1 : 0;
    }
    EXPECT_EQ(owned, 1u);
}

TEST(SourceHash, NoEligibleBackend) {
    const SourceHashTable table = SourceHashTable::build({{{0, true}, {2, false}}});
    EXPECT_EQ(table.size(), 0u);
    EXPECT_EQ(table.lookup(12345), kNoBackend);
}

TEST(SourceHash, PortOnlyWithShPortFlag) {
    const auto backends = testing::equal_backends(16);
    const auto plain = ServiceScheduler::build(Algorithm::kSourceHash, backends, {}).value();
    BuildOptions with_port;
    with_port.sh_hash_port = true;
    const auto ported =
        ServiceScheduler::build(Algorithm::kSourceHash, backends, {}, with_port).value();
    SchedulerState state;
    PickContext ctx{state, {}, {}};
    const FlowKey base{0xc612'0064, 0xc612'0001, 1000, 80, 6};
    const std::uint32_t plain_first = plain.pick(ctx, base);
    const std::uint32_t ported_first = ported.pick(ctx, base);
    bool ported_moved = false;
    for (std::uint16_t port = 1001; port < 1100; ++port) {
        FlowKey flow = base;
        flow.src_port = port;
        EXPECT_EQ(plain.pick(ctx, flow), plain_first);
        ported_moved = ported_moved || ported.pick(ctx, flow) != ported_first;
    }
    EXPECT_TRUE(ported_moved);
}

}  // namespace
}  // namespace sluice::dataplane::sched
