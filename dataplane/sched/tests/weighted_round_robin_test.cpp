#include "dataplane/sched/weighted_round_robin.h"

#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "dataplane/sched/service_scheduler.h"
#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

using testing::pick_sequence;
using testing::repeat;
using Seq = std::vector<std::uint32_t>;

ServiceScheduler wrr(const std::vector<BackendInfo>& backends) {
    return ServiceScheduler::build(Algorithm::kWeightedRoundRobin, backends, {}).value();
}

// The sequences written out by hand from ip_vs_wrr.c: mw = max - (gcd - 1),
// cw steps down by gcd from mw each time the cursor passes the list head.
TEST(WeightedRoundRobin, Weights123MatchLvs) {
    // cw=3: 2 | cw=2: 1 2 | cw=1: 0 1 2
    SchedulerState state;
    EXPECT_EQ(pick_sequence(wrr(testing::weighted({1, 2, 3})), 18, state),
              repeat({2, 1, 2, 0, 1, 2}, 3));
}

TEST(WeightedRoundRobin, Weights432MatchLvs) {
    // cw=4: 0 | cw=3: 0 1 | cw=2: 0 1 2 | cw=1: 0 1 2
    SchedulerState state;
    EXPECT_EQ(pick_sequence(wrr(testing::weighted({4, 3, 2})), 27, state),
              repeat({0, 0, 1, 0, 1, 2, 0, 1, 2}, 3));
}

TEST(WeightedRoundRobin, StepsByTheGcd) {
    // gcd 2, mw = 6 - 1 = 5. cw=5: 0 | cw=3: 0 1 | cw=1: 0 1 2
    SchedulerState state;
    EXPECT_EQ(pick_sequence(wrr(testing::weighted({6, 4, 2})), 12, state),
              repeat({0, 0, 1, 0, 1, 2}, 2));
    // gcd 2, mw = 3. cw=3: 0 | cw=1: 0 1
    SchedulerState other;
    EXPECT_EQ(pick_sequence(wrr(testing::weighted({4, 2})), 6, other), repeat({0, 0, 1}, 2));
}

TEST(WeightedRoundRobin, NeverChoosesDrainedOrDownBackends) {
    // Effective weights {3, 0, 0, 1}: cw=3: 0 | cw=2: 0 | cw=1: 0 3
    const std::vector<BackendInfo> backends{{3, true}, {0, true}, {2, false}, {1, true}};
    SchedulerState state;
    EXPECT_EQ(pick_sequence(wrr(backends), 8, state), repeat({0, 0, 0, 3}, 2));
}

TEST(WeightedRoundRobin, NoEligibleBackend) {
    SchedulerState state;
    EXPECT_EQ(pick_sequence(wrr({{0, true}, {4, false}}), 3, state), repeat({kNoBackend}, 3));
}

TEST(WeightedRoundRobin, NewTableRebasesTheCursorLikeDestChanged) {
    SchedulerState state;
    const ServiceScheduler before = wrr(testing::weighted({1, 2, 3}));
    EXPECT_EQ(pick_sequence(before, 2, state), (Seq{2, 1}));  // cw is now 2
    // ip_vs_wrr_dest_changed: back to the head, cw = 2 kept (<= mw 3, gcd 1).
    const ServiceScheduler after = wrr(testing::weighted({1, 2, 3, 3}));
    EXPECT_EQ(pick_sequence(after, 9, state), (Seq{1, 2, 3, 0, 1, 2, 3, 2, 3}));
}

TEST(WrrParams, GcdAndMaxOverEligibleWeights) {
    const std::vector<std::uint32_t> weights{0, 12, 18, 0, 6};
    const WrrParams p = wrr_params(weights);
    EXPECT_EQ(p.step, 6);
    EXPECT_EQ(p.max_weight, 18 - 5);
    const std::vector<std::uint32_t> none{0, 0};
    EXPECT_EQ(wrr_params(none).max_weight, 0);
    EXPECT_EQ(wrr_params(none).step, 1);
}

// A line-by-line transcription of ip_vs_wrr_schedule (Linux 6.x), list head
// included, as the reference for random weights.
class LvsWrrModel {
public:
    explicit LvsWrrModel(std::vector<std::uint32_t> weights) : w_(std::move(weights)) {
        int g = 0;
        int max = 0;
        for (const std::uint32_t x : w_) {
            const int wi = static_cast<int>(x);
            if (wi > 0) {
                g = g > 0 ? std::gcd(wi, g) : wi;
            }
            max = std::max(max, wi);
        }
        di_ = g ? g : 1;
        mw_ = max - (di_ - 1);
        cw_ = mw_;
        cl_ = kHead;
    }

    std::uint32_t schedule() {
        int dest = cl_;
        if (mw_ == 0) {
            return kNoBackend;
        }
        const int last = dest;
        int stop = -2;
        bool last_pass = false;
        bool restarted = false;
        for (;;) {
            // list_for_each_entry_continue: from dest->next up to the head.
            for (dest = dest + 1; dest < size(); ++dest) {
                if (w_[static_cast<std::size_t>(dest)] >= static_cast<std::uint32_t>(cw_) &&
                    w_[static_cast<std::size_t>(dest)] > 0) {
                    cl_ = dest;
                    return static_cast<std::uint32_t>(dest);
                }
                if (dest == stop) {
                    return kNoBackend;
                }
            }
            dest = kHead;  // the next loop starts from entry 0
            cw_ -= di_;
            if (cw_ <= 0) {
                cw_ = mw_;
                if (last_pass || last == kHead) {
                    return kNoBackend;
                }
                restarted = true;
            }
            last_pass = cw_ <= di_;
            if (last_pass && restarted && last != kHead) {
                stop = last;
            }
        }
    }

private:
    static constexpr int kHead = -1;  // &svc->destinations, the list head
    int size() const { return static_cast<int>(w_.size()); }

    std::vector<std::uint32_t> w_;
    int di_ = 1;
    int mw_ = 0;
    int cw_ = 0;
    int cl_ = 0;
};

TEST(WeightedRoundRobin, MatchesLvsTranscriptionOnRandomWeights) {
    std::mt19937 rng(20240611);
    for (int trial = 0; trial < 200; ++trial) {
        const std::size_t n = 1 + rng() % 12;
        std::vector<BackendInfo> backends;
        std::vector<std::uint32_t> weights;
        for (std::size_t i = 0; i < n; ++i) {
            // Small weights with shared factors, some zero, some down.
            const auto w = static_cast<std::uint32_t>(
                (rng() % 4 == 0) ? 0 : (1 + rng() % 6) * (1 + rng() % 3));
            const bool up = rng() % 6 != 0;
            backends.push_back(BackendInfo{w, up});
            weights.push_back(
                up ? w : 0);  // keepalived removes a down real server (or inhibits it to 0)
        }
        LvsWrrModel model(weights);
        const ServiceScheduler s = wrr(backends);
        SchedulerState state;
        PickContext ctx{state, {}, {}};
        for (int k = 0; k < 500; ++k) {
            ASSERT_EQ(s.pick(ctx, FlowKey{}), model.schedule())
                << "trial " << trial << " pick " << k;
        }
    }
}

}  // namespace
}  // namespace sluice::dataplane::sched
