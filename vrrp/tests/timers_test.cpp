#include "vrrp/timers.h"

#include <gtest/gtest.h>

namespace sluice::vrrp {
namespace {

TEST(VrrpTimers, V2PriorityHundredOneSecond) {
    // 156/256 s = 609375 us; Master_Down = 3 s + Skew (about 3.61 s, the seed's figure)
    constexpr auto t = v2_timers(100, 1);
    EXPECT_EQ(t.skew_us, 609'375u);
    EXPECT_EQ(t.master_down_us, 3'609'375u);
}

TEST(VrrpTimers, V3ScalesSkewWithTheInterval) {
    constexpr auto t = v3_timers(100, 10);  // 0.1 s
    EXPECT_EQ(t.skew_us, 60'937u);
    EXPECT_EQ(t.master_down_us, 360'937u);
    EXPECT_EQ(v3_timers(255, 100).skew_us, 3'906u);  // owner: smallest skew
}

}  // namespace
}  // namespace sluice::vrrp
