#include "controlplane/cli/vrrp_view.h"

#include <gtest/gtest.h>

namespace sluice::cli {
namespace {

TEST(VrrpView, RendersStateMasterTrackingCountersAndDrops) {
    const auto v = nlohmann::json::parse(R"({
      "instances":[{"name":"VI_1","interface":"front","virtual_router_id":51,"version":3,"state":"BACKUP",
        "base_priority":150,"effective_priority":90,"advert_int":1.0,"master_adver_interval_cs":100,
        "source_address":"198.18.0.2","master_address":"198.18.0.3","seconds_since_transition":65.0,
        "mode":"unicast","virtual_mac":"","virtual_ipaddress":["198.18.0.100/24"],"unicast_peer":["198.18.0.3"],
        "fault":false,"failing_tracked":["script chk"],
        "counters":{"adverts_sent":10,"adverts_received":42,"became_master":1,"released_master":1,
                    "priority_zero_sent":0,"priority_zero_received":1,"garps_sent":5,
                    "drops":{"bad_ttl":0,"auth_mismatch":3}}}],
      "unmatched_drops":{"unknown_vrid":7}})");
    const auto text = render_vrrp(v);
    EXPECT_NE(text.find("VI_1: BACKUP  (interface front, VRID 51, VRRPv3, unicast)"), std::string::npos) << text;
    EXPECT_NE(text.find("90 effective, 150 configured"), std::string::npos) << text;
    EXPECT_NE(text.find("master         198.18.0.3"), std::string::npos) << text;
    EXPECT_NE(text.find("unicast peers  198.18.0.3"), std::string::npos) << text;
    EXPECT_NE(text.find("down: script chk"), std::string::npos) << text;
    EXPECT_NE(text.find("10 sent, 42 received"), std::string::npos) << text;
    EXPECT_NE(text.find("dropped        auth_mismatch 3"), std::string::npos) << text;
    EXPECT_EQ(text.find("bad_ttl"), std::string::npos) << text;  // zero counters are not listed
    EXPECT_NE(text.find("adverts matching no instance: unknown_vrid 7"), std::string::npos) << text;
}

TEST(VrrpView, SaysSoWhenNoInstanceIsConfigured) {
    EXPECT_EQ(render_vrrp(nlohmann::json::parse(R"({"instances":[],"unmatched_drops":{}})")),
              "no vrrp_instance configured\n");
}

}  // namespace
}  // namespace sluice::cli
