#include "controlplane/rate_window.h"

#include <gtest/gtest.h>

namespace sluice::controlplane {
namespace {

TEST(RateWindow, NoRateBeforeTwoSamples) {
    RateWindow w(10);
    EXPECT_FALSE(w.rates("a"));
    w.add("a", 1.0, {5});
    EXPECT_FALSE(w.rates("a"));
    EXPECT_EQ(w.span_s("a"), 0);
}

TEST(RateWindow, RatesOverTheWholeWindow) {
    RateWindow w(10);
    for (int i = 0; i <= 4; ++i) {
        w.add("a", i, {static_cast<std::uint64_t>(100 * i), static_cast<std::uint64_t>(7 * i)});
    }
    const auto r = w.rates("a");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 2u);
    EXPECT_DOUBLE_EQ((*r)[0], 100.0);
    EXPECT_DOUBLE_EQ((*r)[1], 7.0);
    EXPECT_DOUBLE_EQ(w.span_s("a"), 4.0);
}

TEST(RateWindow, KeepsOnlyTheLastSamples) {
    RateWindow w(3);
    w.add("a", 0, {0});
    w.add("a", 1, {1000});  // a burst that leaves the window
    w.add("a", 2, {1010});
    w.add("a", 3, {1020});
    const auto r = w.rates("a");
    ASSERT_TRUE(r);
    EXPECT_DOUBLE_EQ((*r)[0], 10.0);
    EXPECT_DOUBLE_EQ(w.span_s("a"), 2.0);
}

TEST(RateWindow, CounterGoingBackIsZeroNotHuge) {
    EXPECT_EQ(per_second(100, 50, 1.0), 0);
    EXPECT_EQ(per_second(1, 2, 0.0), 0);
    EXPECT_DOUBLE_EQ(per_second(10, 30, 0.5), 40.0);
}

TEST(RateWindow, ForgetsKeysNoLongerSampled) {
    RateWindow w(10);
    w.add("old", 1, {1});
    w.add("new", 5, {1});
    w.forget_before(5);
    EXPECT_EQ(w.keys(), 1u);
    EXPECT_FALSE(w.rates("old"));
}

TEST(RateWindow, ADifferentCounterSetStartsOver) {
    RateWindow w(10);
    w.add("a", 0, {1});
    w.add("a", 1, {2, 3});
    EXPECT_FALSE(w.rates("a"));
}

}  // namespace
}  // namespace sluice::controlplane
