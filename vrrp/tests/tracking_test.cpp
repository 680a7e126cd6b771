#include "vrrp/tracking.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::vrrp {
namespace {

using Names = std::vector<std::string>;

TrackedObject up(std::string name, std::int32_t weight) {
    return {std::move(name), weight, true, false};
}
TrackedObject down(std::string name, std::int32_t weight) {
    return {std::move(name), weight, false, false};
}
TrackedObject pending(std::string name, std::int32_t weight) {
    return {std::move(name), weight, false, true};
}

struct ArithmeticCase {
    const char* name;
    std::uint8_t base;
    std::vector<TrackedObject> objects;
    std::uint8_t expect_priority;
    bool expect_fault;
    Names expect_failing;
    Names expect_pending;
};

std::ostream& operator<<(std::ostream& os, const ArithmeticCase& c) {
    return os << c.name;
}

std::vector<ArithmeticCase> arithmetic_cases() {
    return {
        {"NothingTracked", 100, {}, 100, false, {}, {}},
        {"PositiveWeightUpAdds", 100, {up("chk", 10)}, 110, false, {}, {}},
        {"PositiveWeightDownAddsNothing", 100, {down("chk", 10)}, 100, false, {"chk"}, {}},
        {"NegativeWeightUpSubtractsNothing", 100, {up("chk", -20)}, 100, false, {}, {}},
        {"NegativeWeightDownSubtracts", 100, {down("chk", -20)}, 80, false, {"chk"}, {}},
        {"ZeroWeightUp", 100, {up("eth1", 0)}, 100, false, {}, {}},
        {"ZeroWeightDownFaults", 100, {down("eth1", 0)}, 100, true, {"eth1"}, {}},
        {"ClampedTo254", 250, {up("chk", 10)}, 254, false, {}, {}},
        {"MaxWeightsClampTo254", 1, {up("a", 253), up("b", 253)}, 254, false, {}, {}},
        {"Base254Stays254", 254, {}, 254, false, {}, {}},
        {"ClampedTo1", 10, {down("chk", -50)}, 1, false, {"chk"}, {}},
        {"ExactlyZeroClampsTo1", 50, {down("chk", -50)}, 1, false, {"chk"}, {}},
        {"MinWeightsClampTo1", 254, {down("a", -253), down("b", -253)}, 1, false, {"a", "b"}, {}},
        {"OwnerIgnoresNegativeWeights", 255, {down("chk", -50)}, 255, false, {"chk"}, {}},
        {"OwnerIgnoresPositiveWeights", 255, {up("chk", 10)}, 255, false, {}, {}},
        {"OwnerStillFaults", 255, {down("eth1", 0)}, 255, true, {"eth1"}, {}},
        {"Multiple",
         100,
         {up("a", 10), down("b", 5), down("c", -20), up("d", -30), up("e", 0)},
         90,
         false,
         {"b", "c"},
         {}},
        {"MultipleWithAFault",
         200,
         {up("a", 10), down("eth1", 0), down("c", -20), down("svc", 0)},
         190,
         true,
         {"eth1", "c", "svc"},
         {}},
        {"CanCrossAPeer", 100, {down("chk", -60)}, 40, false, {"chk"}, {}},
        {"PendingWeightedAdjustsNothing",
         100,
         {pending("a", 10), pending("b", -20)},
         100,
         false,
         {},
         {}},
        {"PendingZeroWeightFaults", 100, {pending("chk", 0), up("a", 10)}, 110, true, {}, {"chk"}},
    };
}

class TrackArithmetic : public ::testing::TestWithParam<ArithmeticCase> {};

TEST_P(TrackArithmetic, Computes) {
    const ArithmeticCase& c = GetParam();
    const TrackResult r = track(c.base, c.objects);
    EXPECT_EQ(r.effective_priority, c.expect_priority);
    EXPECT_EQ(r.fault, c.expect_fault);
    EXPECT_EQ(r.failing, c.expect_failing);
    EXPECT_EQ(r.pending, c.expect_pending);
}

INSTANTIATE_TEST_SUITE_P(Keepalived, TrackArithmetic, ::testing::ValuesIn(arithmetic_cases()),
                         [](const ::testing::TestParamInfo<ArithmeticCase>& p) {
                             return std::string(p.param.name);
                         });

// ---- ScriptTracker -----------------------------------------------------------

using S = ScriptState;

struct ScriptCase {
    const char* name;
    std::uint32_t rise;
    std::uint32_t fall;
    ScriptState initial;
    std::vector<bool> results;
    std::vector<ScriptState> expect;  // state after each result
};

std::ostream& operator<<(std::ostream& os, const ScriptCase& c) {
    return os << c.name;
}

std::vector<ScriptCase> script_cases() {
    constexpr bool ok = true;
    constexpr bool ko = false;
    return {
        {"FirstSuccessIsEnough", 3, 3, S::pending, {ok}, {S::up}},
        {"FirstFailureIsEnough", 3, 3, S::pending, {ko}, {S::down}},
        {"FallCountsConsecutiveFailures",
         2,
         3,
         S::pending,
         {ok, ko, ko, ko, ko},
         {S::up, S::up, S::up, S::down, S::down}},
        {"SuccessResetsTheFallCount",
         2,
         3,
         S::pending,
         {ok, ko, ko, ok, ko, ko, ko},
         {S::up, S::up, S::up, S::up, S::up, S::up, S::down}},
        {"RiseCountsConsecutiveSuccesses",
         2,
         3,
         S::pending,
         {ko, ok, ok, ok},
         {S::down, S::down, S::up, S::up}},
        {"FailureResetsTheRiseCount",
         3,
         1,
         S::pending,
         {ko, ok, ok, ko, ok, ok, ok},
         {S::down, S::down, S::down, S::down, S::down, S::down, S::up}},
        {"InitFailNeedsRise", 2, 2, S::down, {ok, ok}, {S::down, S::up}},
        {"StartUp", 1, 2, S::up, {ko, ko}, {S::up, S::down}},
        {"RiseFallOne", 1, 1, S::pending, {ok, ko, ok, ko}, {S::up, S::down, S::up, S::down}},
        {"ZeroCountsAsOne", 0, 0, S::pending, {ok, ko, ok}, {S::up, S::down, S::up}},
    };
}

class ScriptRiseFall : public ::testing::TestWithParam<ScriptCase> {};

TEST_P(ScriptRiseFall, Counts) {
    const ScriptCase& c = GetParam();
    ASSERT_EQ(c.results.size(), c.expect.size());
    ScriptTracker t(c.rise, c.fall, c.initial);
    ScriptState before = t.state();
    for (std::size_t i = 0; i < c.results.size(); ++i) {
        SCOPED_TRACE("result " + std::to_string(i));
        const bool changed = t.on_result(c.results[i]);
        EXPECT_EQ(t.state(), c.expect[i]) << to_string(t.state());
        EXPECT_EQ(changed, t.state() != before);
        before = t.state();
    }
}

INSTANTIATE_TEST_SUITE_P(Keepalived, ScriptRiseFall, ::testing::ValuesIn(script_cases()),
                         [](const ::testing::TestParamInfo<ScriptCase>& p) {
                             return std::string(p.param.name);
                         });

TEST(VrrpScriptTracker, ExitStatusAndTimeout) {
    ScriptTracker t(1, 1);
    EXPECT_TRUE(t.on_exit(0));
    EXPECT_EQ(t.state(), S::up);
    EXPECT_TRUE(t.on_timeout());
    EXPECT_EQ(t.state(), S::down);
    EXPECT_TRUE(t.on_exit(0));
    EXPECT_TRUE(t.on_exit(1));
    EXPECT_EQ(t.state(), S::down);
    EXPECT_FALSE(t.on_exit(127));
}

TEST(VrrpScriptTracker, FeedsTrack) {
    ScriptTracker chk(2, 2);
    ScriptTracker gate(1, 1);
    auto objects = [&] {
        return std::vector<TrackedObject>{chk.object("chk_nginx", -50), gate.object("chk_gate", 0)};
    };
    TrackResult r = track(150, objects());
    EXPECT_TRUE(r.fault);  // the weight-0 script has not run yet
    EXPECT_EQ(r.pending, Names{"chk_gate"});
    EXPECT_EQ(r.effective_priority, 150);

    gate.on_exit(0);
    chk.on_exit(2);
    r = track(150, objects());
    EXPECT_FALSE(r.fault);
    EXPECT_EQ(r.effective_priority, 100);
    EXPECT_EQ(r.failing, Names{"chk_nginx"});

    chk.on_exit(0);
    chk.on_exit(0);
    gate.on_timeout();
    r = track(150, objects());
    EXPECT_TRUE(r.fault);
    EXPECT_EQ(r.effective_priority, 150);
    EXPECT_EQ(r.failing, Names{"chk_gate"});
}

TEST(VrrpScriptTracker, StateNames) {
    EXPECT_EQ(to_string(S::pending), "pending");
    EXPECT_EQ(to_string(S::up), "up");
    EXPECT_EQ(to_string(S::down), "down");
}

}  // namespace
}  // namespace sluice::vrrp
