#include "dataplane/sched/least_connection.h"

#include <gtest/gtest.h>

#include "dataplane/sched/backend.h"
#include "dataplane/sched/service_scheduler.h"
#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

using W = std::vector<std::uint32_t>;

TEST(ConnOverhead, IsLvsActiveTimes256PlusInactive) {
    EXPECT_EQ(conn_overhead(0, 0), 0u);
    EXPECT_EQ(conn_overhead(1, 0), 256u);
    EXPECT_EQ(conn_overhead(3, 7), 3u * 256 + 7);
    EXPECT_EQ(conn_overhead(0xffff'ffff, 0xffff'ffff), 0xffff'ffffULL * 257);  // no overflow
}

TEST(LeastConnection, LowestOverheadWins) {
    // Overheads 2560, 512 + 600 = 1112, 768.
    EXPECT_EQ(pick_least_connection(W{1, 1, 1}, W{10, 2, 3}, W{0, 600, 0}), 2u);
    // Inactive connections count too: 256 + 300 > 512.
    EXPECT_EQ(pick_least_connection(W{1, 1}, W{1, 2}, W{300, 0}), 1u);
}

TEST(LeastConnection, IgnoresWeightsAndTiesGoToTheLowerIndex) {
    EXPECT_EQ(pick_least_connection(W{1, 100, 1}, W{4, 4, 4}, W{0, 0, 0}), 0u);
    EXPECT_EQ(pick_least_connection(W{5, 1}, W{1, 0}, W{0, 256}), 0u);  // 256 == 256
}

TEST(LeastConnection, SkipsIneligibleEvenWhenIdle) {
    // Effective weight 0 (drained or down) with no connections is still skipped.
    EXPECT_EQ(pick_least_connection(W{0, 1, 0}, W{0, 50, 0}, W{0, 0, 0}), 1u);
    EXPECT_EQ(pick_least_connection(W{0, 0}, W{0, 0}, W{0, 0}), kNoBackend);
}

TEST(LeastConnection, ShortCountsAreRefused) {
    EXPECT_EQ(pick_least_connection(W{1, 1}, W{0}, W{0, 0}), kNoBackend);
    EXPECT_EQ(pick_weighted_least_connection(W{1, 1}, W{0, 0}, W{}), kNoBackend);
}

TEST(WeightedLeastConnection, MinimisesOverheadPerWeight) {
    // 256/1 vs 512/3 = 170.7: backend 1.
    EXPECT_EQ(pick_weighted_least_connection(W{1, 3}, W{1, 2}, W{0, 0}), 1u);
    // 256/1 vs 1024/3 = 341.3: backend 0.
    EXPECT_EQ(pick_weighted_least_connection(W{1, 3}, W{1, 4}, W{0, 0}), 0u);
    // Exact tie 256/2 == 512/4: the lower index.
    EXPECT_EQ(pick_weighted_least_connection(W{2, 4}, W{1, 2}, W{0, 0}), 0u);
    // Skips ineligible; idle beats loaded regardless of weight.
    EXPECT_EQ(pick_weighted_least_connection(W{0, 1, 65535}, W{0, 0, 1}, W{0, 0, 0}), 1u);
}

TEST(WeightedLeastConnection, HugeCountsCompareExactly) {
    // (2^32-1)/65535 == 65537 == 4294901758/65534 exactly: a tie, so the lower
    // index; one connection fewer on backend 1 tips it. Products reach 2^56.
    const W weights{65535, 65534};
    EXPECT_EQ(pick_weighted_least_connection(weights, W{0xffff'ffff, 4294901758u}, W{0, 0}), 0u);
    EXPECT_EQ(pick_weighted_least_connection(weights, W{0xffff'ffff, 4294901757u}, W{0, 0}), 1u);
}

TEST(WeightedLeastConnection, ThroughServiceSchedulerWithWorkerCounts) {
    const std::vector<BackendInfo> backends{{2, true}, {1, true}, {4, false}, {0, true}};
    const auto s =
        ServiceScheduler::build(Algorithm::kWeightedLeastConnection, backends, {}).value();
    SchedulerState state;
    const W active{3, 1, 0, 0};
    const W inactive{0, 0, 0, 0};
    PickContext ctx{state, active, inactive};
    EXPECT_EQ(s.pick(ctx, FlowKey{}), 1u);  // 768/2 = 384 > 256/1; 2 down, 3 drained
    const auto lc = ServiceScheduler::build(Algorithm::kLeastConnection, backends, {}).value();
    EXPECT_EQ(lc.pick(ctx, FlowKey{}), 1u);
}

}  // namespace
}  // namespace sluice::dataplane::sched
