#include "controlplane/config/diagnostic.h"

#include <array>
#include <string_view>

#include <gtest/gtest.h>

#include "controlplane/config/enum_names.h"
#include "controlplane/config/suggest.h"

namespace sluice::config {
namespace {

TEST(Diagnostic, FullFormIsCompilerStyle) {
    const Diagnostic d{Severity::error,
                       "config.toml",
                       12,
                       10,
                       "virtual_server[0].real_server[1].weight",
                       "70000 is out of range; allowed 0..65535"};
    EXPECT_EQ(d.to_string(),
              "config.toml:12:10: error: virtual_server[0].real_server[1].weight: 70000 is out of "
              "range; allowed "
              "0..65535");
}

TEST(Diagnostic, WarningWithoutColumn) {
    const Diagnostic d{Severity::warning,         "c.toml", 3, 0, "vrrp_instance[VI_1]",
                       "has no virtual_ipaddress"};
    EXPECT_EQ(d.to_string(), "c.toml:3: warning: vrrp_instance[VI_1]: has no virtual_ipaddress");
}

TEST(Diagnostic, WholeFileProblemHasNoPositionOrKey) {
    const Diagnostic d{Severity::error, "c.toml", 0, 0, "", "cannot read file: Permission denied"};
    EXPECT_EQ(d.to_string(), "c.toml: error: cannot read file: Permission denied");
}

TEST(Diagnostic, HasErrorsIgnoresWarnings) {
    std::vector<Diagnostic> list{{Severity::warning, "f", 1, 1, "k", "m"}};
    EXPECT_FALSE(has_errors(list));
    list.push_back({Severity::error, "f", 2, 1, "k", "m"});
    EXPECT_TRUE(has_errors(list));
}

TEST(Suggest, EditDistanceCountsSwapsAsOneAndIgnoresCase) {
    EXPECT_EQ(edit_distance("priorty", "priority"), 1u);
    EXPECT_EQ(edit_distance("wieght", "weight"), 1u);
    EXPECT_EQ(edit_distance("Priority", "priority"), 0u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Suggest, ClosestKeyOnlyForPlausibleTypos) {
    constexpr std::array<std::string_view, 4> kKeys{"priority", "interface", "virtual_router_id",
                                                    "name"};
    EXPECT_EQ(closest_key("priorty", kKeys), "priority");
    EXPECT_EQ(closest_key("virtual_routerid", kKeys), "virtual_router_id");
    EXPECT_EQ(closest_key("nmae", kKeys), "name");
    EXPECT_EQ(closest_key("colour", kKeys), std::nullopt);
    constexpr std::array<std::string_view, 2> kInstances{"VI_1", "VI_2"};
    EXPECT_EQ(closest_key("VI_3", kInstances), std::nullopt);  // a sibling, not a typo
}

TEST(EnumNames, RoundTrip) {
    EXPECT_EQ(to_string(Scheduler::wrr), "wrr");
    EXPECT_EQ(to_string(Hugepages::auto_), "auto");
    EXPECT_EQ(to_string(ForwardMethod::tun), "tun");
    EXPECT_EQ(enum_names<CheckType>().size(), 6u);
}

}  // namespace
}  // namespace sluice::config
