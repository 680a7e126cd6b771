// One sentence per configured feature that has not landed. When a feature
// lands, delete its case here together with its function in
// inactive_features.cpp.

#include "controlplane/config/inactive_features.h"

#include <gtest/gtest.h>

#include "controlplane/config/tests/test_config.h"

namespace sluice::config {
namespace {


Config load_ok(std::string_view snippet) {
    auto r = testing::load_with_base(snippet);
    EXPECT_TRUE(r.ok()) << ::testing::PrintToString(testing::errors(r));
    return r.ok() ? *r.config : Config{};
}

TEST(InactiveFeatures, GlobalAndDataplaneOnlyAreAllActive) {
    EXPECT_TRUE(inactive_features(load_ok("[global]\nnode_name = \"lb1\"\nlog_format = \"json\"\n"))
                    .empty());
}

TEST(InactiveFeatures, ShippedConfigIsAllActive) {
    const auto r = load_file(std::string(SLUICE_SOURCE_ROOT) + "/config.toml");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(inactive_features(*r.config).empty());
}

TEST(InactiveFeatures, VrrpMetricsAndSocketOwnershipAreActive) {
    const Config c = load_ok(R"([global]
metrics_listen = "127.0.0.1:9468"
api_socket_group = "sluice"
[[vrrp_script]]
name = "chk"
script = "/bin/true"
[[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
track_script = ["chk"]
[[vrrp_instance]]
name = "VI_2"
interface = "back"
virtual_router_id = 52
virtual_ipaddress = ["198.18.1.100/24"]
[[vrrp_sync_group]]
name = "G1"
group = ["VI_1", "VI_2"]
)");
    EXPECT_TRUE(inactive_features(c).empty());
}

}  // namespace
}  // namespace sluice::config
