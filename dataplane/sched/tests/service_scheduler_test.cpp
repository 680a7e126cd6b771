#include "dataplane/sched/service_scheduler.h"

#include <random>

#include <gtest/gtest.h>

#include "dataplane/sched/apportion.h"
#include "dataplane/sched/hash.h"
#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

constexpr Algorithm kAll[] = {Algorithm::kRoundRobin,      Algorithm::kWeightedRoundRobin,
                              Algorithm::kLeastConnection, Algorithm::kWeightedLeastConnection,
                              Algorithm::kSourceHash,      Algorithm::kMaglev};

FlowKey random_flow(std::mt19937& rng) {
    return FlowKey{static_cast<std::uint32_t>(rng()), 0xc612'0001,
                   static_cast<std::uint16_t>(rng()), 80, 6};
}

TEST(ServiceScheduler, NeverPicksIneligibleBackends) {
    std::mt19937 rng(11);
    for (int trial = 0; trial < 20; ++trial) {
        const std::size_t n = 1 + rng() % 40;
        std::vector<BackendInfo> backends;
        for (std::size_t i = 0; i < n; ++i) {
            backends.push_back(
                BackendInfo{static_cast<std::uint32_t>(rng() % 4) * 100, rng() % 3 != 0});
        }
        const auto keys = testing::keys_for(n);
        std::vector<std::uint32_t> active(n);
        std::vector<std::uint32_t> inactive(n);
        for (const Algorithm a : kAll) {
            BuildOptions options;
            options.mh_table_size = 251;
            const auto s = ServiceScheduler::build(a, backends, keys, options);
            ASSERT_TRUE(s);
            bool any = false;
            for (const auto& b : backends) {
                any = any || is_eligible(b);
            }
            SchedulerState state;
            PickContext ctx{state, active, inactive};
            for (int k = 0; k < 300; ++k) {
                const std::uint32_t b = s->pick(ctx, random_flow(rng));
                if (!any) {
                    ASSERT_EQ(b, kNoBackend) << algorithm_name(a);
                    continue;
                }
                ASSERT_LT(b, n) << algorithm_name(a);
                ASSERT_TRUE(s->is_eligible(b)) << algorithm_name(a) << " picked " << b;
                ++active[b];  // lc/wlc see their own choices
            }
        }
    }
}

TEST(ServiceScheduler, LeastConnectionBalancesAsCountsGrow) {
    const auto backends = testing::weighted({1, 2, 1});
    const auto s =
        ServiceScheduler::build(Algorithm::kWeightedLeastConnection, backends, {}).value();
    std::vector<std::uint32_t> active(3);
    std::vector<std::uint32_t> inactive(3);
    SchedulerState state;
    PickContext ctx{state, active, inactive};
    for (int i = 0; i < 400; ++i) {
        ++active[s.pick(ctx, FlowKey{})];
    }
    EXPECT_EQ(active, (std::vector<std::uint32_t>{100, 200, 100}));
}

TEST(ServiceScheduler, MaglevPickIsTheTableLookupOfTheFlowHash) {
    const auto backends = testing::equal_backends(10);
    const auto keys = testing::keys_for(10);
    const auto s = ServiceScheduler::build(Algorithm::kMaglev, backends, keys).value();
    ASSERT_NE(s.maglev_table(), nullptr);
    EXPECT_EQ(s.source_hash_table(), nullptr);
    std::mt19937 rng(1);
    SchedulerState state;
    PickContext ctx{state, {}, {}};
    for (int i = 0; i < 1000; ++i) {
        const FlowKey f = random_flow(rng);
        ASSERT_EQ(s.pick(ctx, f), s.maglev_table()->lookup(flow_hash(f)));
    }
}

TEST(ServiceScheduler, MaglevWithoutPortsKeepsAClientTogether) {
    const auto backends = testing::equal_backends(50);
    const auto keys = testing::keys_for(50);
    BuildOptions options;
    options.mh_hash_ports = false;
    const auto s = ServiceScheduler::build(Algorithm::kMaglev, backends, keys, options).value();
    SchedulerState state;
    PickContext ctx{state, {}, {}};
    FlowKey f{0x0a00'0001, 0xc612'0001, 1, 80, 6};
    const std::uint32_t first = s.pick(ctx, f);
    for (std::uint16_t port = 2; port < 200; ++port) {
        f.src_port = port;
        ASSERT_EQ(s.pick(ctx, f), first);
    }
}

TEST(ServiceScheduler, RebuildMovesOnlyTheChangedBackendsSlots) {
    auto backends = testing::equal_backends(100);
    const auto keys = testing::keys_for(100);
    const auto before = ServiceScheduler::build(Algorithm::kMaglev, backends, keys).value();
    backends[12].available = false;
    std::vector<MaglevSlotChange> changes;
    const auto after =
        ServiceScheduler::rebuild(before, Algorithm::kMaglev, backends, keys, {}, &changes).value();
    EXPECT_EQ(changes.size(), before.maglev_table()->counts(100)[12]);
    for (const auto& c : changes) {
        EXPECT_EQ(before.maglev_table()->slots()[c.slot], 12u);
    }
    // A different table size or algorithm: a fresh build, no delta.
    BuildOptions bigger;
    bigger.mh_table_size = 131071;
    const auto resized =
        ServiceScheduler::rebuild(after, Algorithm::kMaglev, backends, keys, bigger, &changes);
    ASSERT_TRUE(resized);
    EXPECT_EQ(resized->maglev_table()->size(), 131071u);
    EXPECT_TRUE(changes.empty());
    const auto as_rr = ServiceScheduler::rebuild(after, Algorithm::kRoundRobin, backends, keys);
    ASSERT_TRUE(as_rr);
    EXPECT_EQ(as_rr->maglev_table(), nullptr);
}

TEST(ServiceScheduler, BuildErrors) {
    const auto backends = testing::equal_backends(3);
    const auto keys = testing::keys_for(3);
    EXPECT_EQ(ServiceScheduler::build(Algorithm::kMaglev, backends, {}).error(),
              BuildError::kKeyCountMismatch);
    BuildOptions bad;
    bad.mh_table_size = 1000;
    EXPECT_EQ(ServiceScheduler::build(Algorithm::kMaglev, backends, keys, bad).error(),
              BuildError::kTableSizeNotPrime);
    EXPECT_TRUE(ServiceScheduler::build(Algorithm::kRoundRobin, backends, {}, bad));  // unused
    const auto heavy = testing::weighted({70000});
    EXPECT_EQ(ServiceScheduler::build(Algorithm::kWeightedRoundRobin, heavy, {}).error(),
              BuildError::kWeightTooLarge);
    EXPECT_EQ(ServiceScheduler::build(Algorithm::kLeastConnection,
                                      testing::equal_backends(kMaxBackends + 1), {})
                  .error(),
              BuildError::kTooManyBackends);
    EXPECT_EQ(build_error_name(BuildError::kDuplicateKey), "duplicate backend key");
}

TEST(ServiceScheduler, SharedByWorkersWithTheirOwnState) {
    const auto s =
        ServiceScheduler::build(Algorithm::kWeightedRoundRobin, testing::weighted({1, 2, 3}), {})
            .value();
    SchedulerState worker_a;
    SchedulerState worker_b;
    EXPECT_EQ(testing::pick_sequence(s, 3, worker_a), (std::vector<std::uint32_t>{2, 1, 2}));
    EXPECT_EQ(testing::pick_sequence(s, 2, worker_b), (std::vector<std::uint32_t>{2, 1}));
    EXPECT_EQ(testing::pick_sequence(s, 3, worker_a), (std::vector<std::uint32_t>{0, 1, 2}));
}

TEST(Apportion, HamiltonWithHolderPreference) {
    const std::vector<std::uint32_t> w{1, 1, 1};
    EXPECT_EQ(apportion(w, 10), (std::vector<std::uint32_t>{4, 3, 3}));  // ties: lower index
    const std::vector<std::uint32_t> held{0, 0, 5};
    EXPECT_EQ(apportion(w, 10, held), (std::vector<std::uint32_t>{3, 3, 4}));  // holder keeps ceil
    const std::vector<std::uint32_t> w2{1, 2, 3};
    EXPECT_EQ(apportion(w2, 7), (std::vector<std::uint32_t>{1, 2, 4}));  // 1.17 2.33 3.5
    EXPECT_TRUE(apportion({}, 7).empty());
    const std::vector<std::uint32_t> exact{2, 6};
    EXPECT_EQ(apportion(exact, 8, std::vector<std::uint32_t>{8, 0}),
              (std::vector<std::uint32_t>{2, 6}));
}

}  // namespace
}  // namespace sluice::dataplane::sched
