#include "dataplane/idle_backoff.h"

#include <gtest/gtest.h>

namespace sluice::dataplane {
namespace {

TEST(IdleBackoff, SpinsThenDoublesUpToTheCapAndResetsOnTraffic) {
    IdleBackoff b(true, 100);
    for (std::uint32_t i = 1; i < IdleBackoff::kSpinPolls; ++i) {
        ASSERT_EQ(b.on_poll(0), 0u) << i;
    }
    EXPECT_EQ(b.on_poll(0), 1u);
    EXPECT_EQ(b.on_poll(0), 2u);
    EXPECT_EQ(b.on_poll(0), 4u);
    for (int i = 0; i < 10; ++i) {
        b.on_poll(0);
    }
    EXPECT_EQ(b.on_poll(0), 100u);
    EXPECT_EQ(b.on_poll(5), 0u);  // a packet: back to polling at once
    EXPECT_EQ(b.on_poll(0), 0u);  // and spinning again before any sleep
}

TEST(IdleBackoff, BusyModeNeverSleeps) {
    IdleBackoff b(false, 100);
    for (int i = 0; i < 10000; ++i) {
        ASSERT_EQ(b.on_poll(0), 0u);
    }
}

}  // namespace
}  // namespace sluice::dataplane
