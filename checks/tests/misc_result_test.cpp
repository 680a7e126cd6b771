#include "checks/misc_result.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::checks {
namespace {

using K = MiscOutcome::Kind;

struct MiscCase {
    const char* name;
    MiscOutcome outcome;
    bool dynamic;
    bool up;
    std::optional<std::uint32_t> weight;
    const char* reason;
};

std::ostream& operator<<(std::ostream& os, const MiscCase& c) {
    return os << c.name;
}

std::vector<MiscCase> misc_cases() {
    return {
        {"ExitZeroIsUp", {K::exited, 0, ""}, false, true, std::nullopt, "exit 0"},
        {"ExitZeroDynamicIsConfiguredWeight",
         {K::exited, 0, ""},
         true,
         true,
         std::nullopt,
         "exit 0"},
        {"ExitOneIsDown", {K::exited, 1, ""}, false, false, std::nullopt, "exit 1"},
        {"ExitOneDynamicIsDown", {K::exited, 1, ""}, true, false, std::nullopt, "exit 1"},
        {"ExitTwoIsDownWithoutDynamic", {K::exited, 2, ""}, false, false, std::nullopt, "exit 2"},
        {"ExitTwoDynamicIsWeightZero", {K::exited, 2, ""}, true, true, 0u, "exit 2"},
        {"ExitTwelveDynamicIsWeightTen", {K::exited, 12, ""}, true, true, 10u, "exit 12"},
        {"Exit255DynamicIsWeight253", {K::exited, 255, ""}, true, true, 253u, "exit 255"},
        {"ExitOutOfRangeIsDown", {K::exited, 256, ""}, true, false, std::nullopt, "exit 256"},
        {"NegativeExitIsDown", {K::exited, -1, ""}, true, false, std::nullopt, "exit -1"},
        {"SignalIsDown", {K::signalled, 9, ""}, true, false, std::nullopt, "signal 9"},
        {"TimeoutIsDown", {K::timed_out, 0, ""}, true, false, std::nullopt, "timed out"},
        {"SpawnFailureIsDown",
         {K::spawn_failed, 0, "No such file or directory"},
         false,
         false,
         std::nullopt,
         "spawn failed: No such file or directory"},
        {"SpawnFailureWithoutText",
         {K::spawn_failed, 0, ""},
         false,
         false,
         std::nullopt,
         "spawn failed"},
    };
}

class MiscMapping : public ::testing::TestWithParam<MiscCase> {};

TEST_P(MiscMapping, Maps) {
    const MiscCase& c = GetParam();
    const MiscResult r = misc_result(c.outcome, c.dynamic);
    EXPECT_EQ(r.up, c.up);
    EXPECT_EQ(r.weight, c.weight);
    EXPECT_EQ(r.reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(Keepalived, MiscMapping, ::testing::ValuesIn(misc_cases()),
                         [](const ::testing::TestParamInfo<MiscCase>& p) {
                             return std::string(p.param.name);
                         });

}  // namespace
}  // namespace sluice::checks
