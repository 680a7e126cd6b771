#include "dataplane/sched/round_robin.h"

#include <gtest/gtest.h>

#include "dataplane/sched/service_scheduler.h"
#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

using testing::pick_sequence;
using testing::repeat;

ServiceScheduler rr(const std::vector<BackendInfo>& backends) {
    return ServiceScheduler::build(Algorithm::kRoundRobin, backends, {}).value();
}

TEST(RoundRobin, CyclesInListOrderFromTheHead) {
    SchedulerState state;
    EXPECT_EQ(pick_sequence(rr(testing::equal_backends(3)), 9, state), repeat({0, 1, 2}, 3));
}

TEST(RoundRobin, IgnoresWeightsLikeLvs) {
    SchedulerState state;
    EXPECT_EQ(pick_sequence(rr(testing::weighted({1, 5, 100})), 6, state), repeat({0, 1, 2}, 2));
}

TEST(RoundRobin, SkipsDrainedAndDownBackends) {
    const std::vector<BackendInfo> backends{
        {1, true}, {0, true}, {5, false}, {2, true}, {0, false}};
    SchedulerState state;
    EXPECT_EQ(pick_sequence(rr(backends), 6, state), repeat({0, 3}, 3));
}

TEST(RoundRobin, SingleEligibleBackendIsAlwaysChosen) {
    const std::vector<BackendInfo> backends{{1, false}, {0, true}, {7, true}};
    SchedulerState state;
    EXPECT_EQ(pick_sequence(rr(backends), 4, state), repeat({2}, 4));
}

TEST(RoundRobin, NoEligibleBackend) {
    SchedulerState state;
    EXPECT_EQ(pick_sequence(rr({{0, true}, {3, false}}), 2, state), repeat({kNoBackend}, 2));
    EXPECT_EQ(pick_sequence(rr({}), 1, state), repeat({kNoBackend}, 1));
    EXPECT_EQ(state.last, kNoBackend);
}

TEST(RoundRobin, CursorCarriesOverANewTableLikeLvsSchedData) {
    SchedulerState state;
    auto all = testing::equal_backends(4);
    EXPECT_EQ(pick_sequence(rr(all), 2, state), (std::vector<std::uint32_t>{0, 1}));
    all[2].available = false;  // health check fails: control plane publishes a new table
    EXPECT_EQ(pick_sequence(rr(all), 4, state), (std::vector<std::uint32_t>{3, 0, 1, 3}));
    // A cursor past the end of a shorter list restarts from the head.
    EXPECT_EQ(pick_sequence(rr(testing::equal_backends(2)), 2, state),
              (std::vector<std::uint32_t>{0, 1}));
}

TEST(RoundRobinRing, NextEligibleAfterEachIndex) {
    const std::vector<BackendInfo> backends{{1, true}, {0, true}, {1, true}, {1, false}};
    const RoundRobinRing ring = build_round_robin_ring(backends);
    EXPECT_EQ(ring, (RoundRobinRing{2, 2, 0, 0, 0}));
}

}  // namespace
}  // namespace sluice::dataplane::sched
