#include "checks/rise_fall.h"

#include <gtest/gtest.h>

namespace sluice::checks {
namespace {

TEST(RiseFall, GoesDownAfterFallFailuresInARow) {
    RiseFall rf(2, 3);
    EXPECT_FALSE(rf.on_result(false));
    EXPECT_FALSE(rf.on_result(false));
    EXPECT_FALSE(rf.on_result(true));  // a success breaks the streak
    EXPECT_FALSE(rf.on_result(false));
    EXPECT_FALSE(rf.on_result(false));
    EXPECT_TRUE(rf.on_result(false));
    EXPECT_EQ(rf.health(), Health::down);
}

TEST(RiseFall, ComesBackAfterRiseSuccesses) {
    RiseFall rf(2, 1, Health::down);
    EXPECT_FALSE(rf.on_result(true));
    EXPECT_FALSE(rf.on_result(false));
    EXPECT_FALSE(rf.on_result(true));
    EXPECT_TRUE(rf.on_result(true));
    EXPECT_EQ(rf.health(), Health::up);
}

TEST(RiseFall, ZeroCountsActLikeOne) {
    RiseFall rf(0, 0);
    EXPECT_TRUE(rf.on_result(false));
    EXPECT_TRUE(rf.on_result(true));
}

}  // namespace
}  // namespace sluice::checks
