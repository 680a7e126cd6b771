#include "checks/quorum.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::checks {
namespace {

struct QuorumCase {
    const char* name;
    std::uint32_t quorum;
    std::uint32_t hysteresis;
    bool initially_up;
    std::vector<std::uint64_t> alive;  // successive alive weights
    std::vector<bool> expect_up;       // state after each
};

std::ostream& operator<<(std::ostream& os, const QuorumCase& c) {
    return os << c.name;
}

std::vector<QuorumCase> quorum_cases() {
    constexpr bool U = true;
    constexpr bool D = false;
    return {
        {"NoHysteresis", 3, 0, U, {3, 2, 3, 5, 0}, {U, D, U, U, D}},
        // Q=5 H=2: down below 3, up again at 7.
        {"LosesBelowQuorumMinusHysteresis", 5, 2, U, {5, 4, 3, 2}, {U, U, U, D}},
        {"GainsAtQuorumPlusHysteresis",
         5,
         2,
         D,
         {5, 6, 7, 4, 3, 2, 6, 7},
         {D, D, U, U, U, D, D, U}},
        {"AliveZeroAlwaysLoses", 1, 0, U, {1, 0, 1}, {U, D, U}},
        // keepalived clamps H to Q - 1: Q=3 H=10 acts as H=2 (down below 1, up at 5).
        {"HysteresisClampedToQuorumMinusOne", 3, 10, U, {1, 0, 4, 5}, {U, D, D, U}},
        // Quorum 0 acts as 1: no live weight, no quorum.
        {"QuorumZeroActsAsOne", 0, 0, U, {0, 0, 1}, {D, D, U}},
        {"HugeWeightsDoNotOverflow",
         4'294'967'295u,
         4'294'967'295u,
         D,
         {4'294'967'295ull, 8'589'934'589ull, 1, 0},
         {D, U, U, D}},
    };
}

class QuorumHysteresis : public ::testing::TestWithParam<QuorumCase> {};

TEST_P(QuorumHysteresis, Crossings) {
    const QuorumCase& c = GetParam();
    ASSERT_EQ(c.alive.size(), c.expect_up.size());
    Quorum q(c.quorum, c.hysteresis, c.initially_up);
    bool before = q.up();
    for (std::size_t i = 0; i < c.alive.size(); ++i) {
        SCOPED_TRACE("alive " + std::to_string(c.alive[i]) + " at " + std::to_string(i));
        const bool changed = q.update(c.alive[i]);
        EXPECT_EQ(q.up(), c.expect_up[i]);
        EXPECT_EQ(changed, q.up() != before);
        before = q.up();
    }
}

INSTANTIATE_TEST_SUITE_P(Keepalived, QuorumHysteresis, ::testing::ValuesIn(quorum_cases()),
                         [](const ::testing::TestParamInfo<QuorumCase>& p) {
                             return std::string(p.param.name);
                         });

TEST(Quorum, StartsUpAtQuorumPlusHysteresis) {
    EXPECT_FALSE(Quorum::starts_up(5, 2, 6));
    EXPECT_TRUE(Quorum::starts_up(5, 2, 7));
    EXPECT_TRUE(Quorum::starts_up(1, 0, 1));
    EXPECT_FALSE(Quorum::starts_up(1, 0, 0));
    EXPECT_FALSE(Quorum::starts_up(0, 0, 0));
    EXPECT_TRUE(Quorum::starts_up(3, 10, 5));  // H clamped to 2
    EXPECT_FALSE(Quorum::starts_up(3, 10, 4));
}

TEST(Quorum, ThresholdForLogLines) {
    Quorum q(5, 2, true);
    EXPECT_EQ(q.quorum(), 5u);
    EXPECT_EQ(q.hysteresis(), 2u);
    EXPECT_EQ(q.threshold(), 3u);  // "Lost quorum 5-2=3 > alive"
    EXPECT_TRUE(q.update(2));
    EXPECT_EQ(q.threshold(), 7u);  // "Gained quorum 5+2=7 <= alive"
    Quorum clamped(0, 9, false);
    EXPECT_EQ(clamped.quorum(), 1u);
    EXPECT_EQ(clamped.hysteresis(), 0u);
}

}  // namespace
}  // namespace sluice::checks
