#include "checks/backend_weights.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::checks {
namespace {

constexpr Health U = Health::up;
constexpr Health D = Health::down;

RealServerInput rs(std::uint32_t weight, Health health, bool inhibit = false,
                   RuntimeOverride runtime = {}, std::optional<std::uint32_t> dynamic = {}) {
    RealServerInput r;
    r.weight = weight;
    r.health = health;
    r.inhibit_on_failure = inhibit;
    r.runtime = runtime;
    r.check_weight = dynamic;
    return r;
}

struct Expect {
    bool listed;
    std::uint32_t weight;
    bool eligible;
    BackendState state;
};

struct WeightsCase {
    const char* name;
    std::vector<RealServerInput> real_servers;
    std::optional<SorryServerInput> sorry;
    bool quorum_up;
    std::vector<Expect> expect;
    std::optional<SorryDecision> expect_sorry;
    std::uint64_t expect_alive;
};

std::ostream& operator<<(std::ostream& os, const WeightsCase& c) {
    return os << c.name;
}

constexpr RuntimeOverride kDrain{OverrideKind::drain, 0};
constexpr RuntimeOverride kMaint{OverrideKind::maint, 0};
constexpr RuntimeOverride weight_override(std::uint32_t w) {
    return {OverrideKind::weight, w};
}

std::vector<WeightsCase> weights_cases() {
    using S = BackendState;
    return {
        {"AllUp",
         {rs(1, U), rs(3, U)},
         std::nullopt,
         true,
         {{true, 1, true, S::serving}, {true, 3, true, S::serving}},
         std::nullopt,
         4},
        {"DownIsRemoved",
         {rs(1, U), rs(3, D)},
         std::nullopt,
         true,
         {{true, 1, true, S::serving}, {false, 0, false, S::down_removed}},
         std::nullopt,
         1},
        {"DownWithInhibitKeepsItListedAtWeightZero",
         {rs(2, D, true), rs(3, U, true)},
         std::nullopt,
         true,
         {{true, 0, false, S::down_inhibited}, {true, 3, true, S::serving}},
         std::nullopt,
         3},
        {"ConfiguredWeightZeroIsDrained",
         {rs(0, U), rs(5, U)},
         std::nullopt,
         true,
         {{true, 0, false, S::drained}, {true, 5, true, S::serving}},
         std::nullopt,
         5},
        {"WeightIsClamped",
         {rs(100'000, U)},
         std::nullopt,
         true,
         {{true, 65535, true, S::serving}},
         std::nullopt,
         65535},
        {"Overrides",
         {rs(1, U, false, weight_override(7)), rs(4, U, false, kDrain), rs(4, U, false, kMaint),
          rs(4, U, true, kMaint), rs(4, D, false, weight_override(9))},
         std::nullopt,
         true,
         {{true, 7, true, S::serving},
          {true, 0, false, S::drained},
          {false, 0, false, S::maint_removed},
          {true, 0, false, S::maint_inhibited},
          {false, 0, false, S::down_removed}},
         std::nullopt,
         7},
        {"DynamicWeightFromMiscCheck",
         {rs(10, U, false, {}, 3), rs(10, U, false, {}, 0),
          rs(10, U, false, weight_override(6), 3)},
         std::nullopt,
         true,
         {{true, 3, true, S::serving}, {true, 0, false, S::drained}, {true, 6, true, S::serving}},
         std::nullopt,
         9},
        {"SorryServerIdleWhileQuorumUp",
         {rs(1, U), rs(1, D)},
         SorryServerInput{1, false},
         true,
         {{true, 1, true, S::serving}, {false, 0, false, S::down_removed}},
         SorryDecision{false, 0, false},
         1},
        {"SorryServerInhibitedWhileIdle",
         {rs(1, U)},
         SorryServerInput{1, true},
         true,
         {{true, 1, true, S::serving}},
         SorryDecision{true, 0, false},
         1},
        {"SorryServerTakesOverWhenNothingIsUp",
         {rs(1, D), rs(1, D, true)},
         SorryServerInput{2, false},
         false,
         {{false, 0, false, S::down_removed}, {true, 0, false, S::down_inhibited}},
         SorryDecision{true, 2, true},
         0},
        // Quorum 3 lost with one backend still up: keepalived removes the alive
        // ones from the pool and the sorry server takes everything.
        {"SorryServerDisplacesAliveBackendsWhenQuorumLost",
         {rs(1, U), rs(1, U, true), rs(1, D)},
         SorryServerInput{1, false},
         false,
         {{false, 0, false, S::displaced},
          {true, 0, false, S::displaced},
          {false, 0, false, S::down_removed}},
         SorryDecision{true, 1, true},
         2},
        {"QuorumLostWithoutSorryServerChangesNothing",
         {rs(1, U), rs(1, D)},
         std::nullopt,
         false,
         {{true, 1, true, S::serving}, {false, 0, false, S::down_removed}},
         std::nullopt,
         1},
    };
}

class Weights : public ::testing::TestWithParam<WeightsCase> {};

TEST_P(Weights, Decide) {
    const WeightsCase& c = GetParam();
    EXPECT_EQ(alive_weight(c.real_servers), c.expect_alive);
    const ServiceDecision d = decide(c.real_servers, c.sorry, c.quorum_up);
    ASSERT_EQ(d.backends.size(), c.expect.size());
    for (std::size_t i = 0; i < c.expect.size(); ++i) {
        SCOPED_TRACE("real server " + std::to_string(i));
        EXPECT_EQ(d.backends[i].listed, c.expect[i].listed);
        EXPECT_EQ(d.backends[i].weight, c.expect[i].weight);
        EXPECT_EQ(d.backends[i].eligible, c.expect[i].eligible);
        EXPECT_EQ(d.backends[i].state, c.expect[i].state) << to_string(d.backends[i].state);
        EXPECT_EQ(d.backends[i].health, c.real_servers[i].health);
    }
    ASSERT_EQ(d.sorry.has_value(), c.expect_sorry.has_value());
    if (c.expect_sorry) {
        EXPECT_EQ(d.sorry->listed, c.expect_sorry->listed);
        EXPECT_EQ(d.sorry->weight, c.expect_sorry->weight);
        EXPECT_EQ(d.sorry->in_use, c.expect_sorry->in_use);
        EXPECT_EQ(d.sorry_in_use, c.expect_sorry->in_use);
    } else {
        EXPECT_FALSE(d.sorry_in_use);
    }
}

INSTANTIATE_TEST_SUITE_P(Keepalived, Weights, ::testing::ValuesIn(weights_cases()),
                         [](const ::testing::TestParamInfo<WeightsCase>& p) {
                             return std::string(p.param.name);
                         });

TEST(WentDown, ListsHealthTransitionsOnly) {
    const std::vector<RealServerInput> before{rs(1, U), rs(1, U, true), rs(1, D), rs(1, U),
                                              rs(1, U)};
    const std::vector<RealServerInput> after{rs(1, D), rs(1, D, true), rs(1, U),
                                             rs(1, U, false, kMaint), rs(1, U)};
    const auto b = decide(before, std::nullopt, true);
    const auto a = decide(after, std::nullopt, true);
    // Removed and inhibited both count; coming up and maintenance do not.
    EXPECT_EQ(went_down(b, a), (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(went_down(a, b), (std::vector<std::size_t>{2}));  // the other way round
}

TEST(WentDown, ComparesTheCommonPrefix) {
    const auto b = decide(std::vector<RealServerInput>{rs(1, U), rs(1, U)}, std::nullopt, true);
    const auto a = decide(std::vector<RealServerInput>{rs(1, U)}, std::nullopt, true);
    EXPECT_TRUE(went_down(b, a).empty());
    const auto a2 =
        decide(std::vector<RealServerInput>{rs(1, U), rs(1, D), rs(1, D)}, std::nullopt, true);
    EXPECT_EQ(went_down(b, a2), (std::vector<std::size_t>{1}));
}

TEST(WentDown, DisplacedBackendsAreNotDown) {
    const std::vector<RealServerInput> rss{rs(1, U), rs(1, D)};
    const auto b = decide(rss, SorryServerInput{}, true);
    const auto a = decide(rss, SorryServerInput{}, false);
    EXPECT_EQ(a.backends[0].state, BackendState::displaced);
    EXPECT_TRUE(went_down(b, a).empty());
}

}  // namespace
}  // namespace sluice::checks
