// Semantic checks of vrrp_instance, vrrp_script and vrrp_sync_group: each
// small file is structurally valid but breaks one rule.

#include <gtest/gtest.h>

#include "controlplane/config/tests/test_config.h"

namespace sluice::config {
namespace {

using testing::errors;
using testing::Lines;
using testing::load;
using testing::load_with_base;
using testing::warnings;

// --- vrrp_instance ----------------------------------------------------------------

TEST(Validate, DuplicateVirtualRouterIdOnOneInterface) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
[[vrrp_instance]]
name = "VI_2"
interface = "back"
virtual_router_id = 51
virtual_ipaddress = ["198.18.1.100/24"]
[[vrrp_instance]]
name = "VI_3"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.101/24"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:28:21: error: vrrp_instance[VI_3].virtual_router_id: 51 is already used on "
               "interface 'front' by vrrp_instance 'VI_1' (line 15)"}));
}

TEST(Validate, DuplicateInstanceNameAndVirtualAddress) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
[[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 52
virtual_ipaddress = ["198.18.0.100/24"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:21:8: error: vrrp_instance[VI_1].name: vrrp_instance 'VI_1' is already defined "
            "(line 15)",
            "t.toml:24:22: error: vrrp_instance[VI_1].virtual_ipaddress[0]: 198.18.0.100 is "
            "already "
            "a virtual_ipaddress of vrrp_instance 'VI_1'",
        }));
}

TEST(Validate, UndefinedInterfaceReferences) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "eth0"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
track_interface = ["back", "bakc"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:17:13: error: vrrp_instance[VI_1].interface: 'eth0' is not defined in "
            "[[dataplane.port]]",
            "t.toml:20:28: error: vrrp_instance[VI_1].track_interface[1]: 'bakc' is not defined in "
            "[[dataplane.port]]; did you mean 'back'?",
        }));
}

TEST(Validate, TrackScriptAndTrackServiceMustBeDefined) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
[[vrrp_script]]
name = "chk_nginx"
script = "/usr/bin/true"
[[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
track_script = ["chk_nginx", "chk_ngnix"]
track_service = ["wbe"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:27:30: error: vrrp_instance[VI_1].track_script[chk_ngnix]: 'chk_ngnix' is not "
            "defined in [[vrrp_script]]; did you mean 'chk_nginx'?",
            "t.toml:28:18: error: vrrp_instance[VI_1].track_service[0]: 'wbe' is not defined in "
            "[[virtual_server]]; did you mean 'web'?",
        }));
}

TEST(Validate, Priority255NeedsAnOwnedAddress) {
    auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
priority = 255
virtual_ipaddress = ["198.18.0.100/24"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:19:12: error: vrrp_instance[VI_1].priority: 255 is reserved for the address "
               "owner, and no virtual_ipaddress is an address of port 'front'; use 1..254"}));
    // The owner of 198.18.0.2 (port front's own address) may use 255.
    r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
priority = 255
virtual_ipaddress = ["198.18.0.2/24"]
)");
    EXPECT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    EXPECT_TRUE(warnings(r).empty());
}

TEST(Validate, AuthenticationRules) {
    auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
version = 2
virtual_ipaddress = ["198.18.0.100/24"]
  [vrrp_instance.authentication]
  auth_type = "pass"
  auth_pass = "123456789"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:23:15: error: vrrp_instance[VI_1].authentication.auth_pass: is 9 characters "
               "long; VRRPv2 carries at most 8 (RFC 3768 §5.3.10)"}));
    r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
  [vrrp_instance.authentication]
  auth_type = "pass"
  auth_pass = "1234"
)");
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:20:3: error: vrrp_instance[VI_1].authentication: VRRPv3 has no "
                     "authentication (RFC 5798 §9); remove it or set version = 2"}));
}

TEST(Validate, AdvertIntDependsOnVersion) {
    auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
version = 2
advert_int = 1.5
virtual_ipaddress = ["198.18.0.100/24"]
[[vrrp_instance]]
name = "VI_2"
interface = "front"
virtual_router_id = 52
advert_int = 0.015
virtual_ipaddress = ["198.18.0.101/24"]
[[vrrp_instance]]
name = "VI_3"
interface = "front"
virtual_router_id = 53
advert_int = 41
virtual_ipaddress = ["198.18.0.102/24"]
[[vrrp_instance]]
name = "VI_4"
interface = "front"
virtual_router_id = 54
advert_int = 0.01
virtual_ipaddress = ["198.18.0.103/24"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:20:14: error: vrrp_instance[VI_1].advert_int: 1.5 is not valid for version 2; "
            "allowed whole seconds 1..255",
            "t.toml:26:14: error: vrrp_instance[VI_2].advert_int: 0.015 is not valid for version "
            "3; "
            "allowed 0.01..40.95 in steps of 0.01",
            "t.toml:32:14: error: vrrp_instance[VI_3].advert_int: 41 is not valid for version 3; "
            "allowed 0.01..40.95 in steps of 0.01",
        }));
}

TEST(Validate, UnicastPeersMustBeUnicast) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
unicast_src_ip = "198.18.1.2"
unicast_peer = ["224.0.0.18", "198.18.0.3"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:20:18: error: vrrp_instance[VI_1].unicast_src_ip: 198.18.1.2 is not an address "
            "of port 'front'",
            "t.toml:21:17: error: vrrp_instance[VI_1].unicast_peer[0]: 224.0.0.18 is a multicast "
            "address; unicast_peer lists the peers' unicast addresses",
        }));
}

// --- vrrp_script and vrrp_sync_group ----------------------------------------------

TEST(Validate, SyncGroupMembersMustExistAndBelongToOneGroup) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
[[vrrp_instance]]
name = "VI_2"
interface = "back"
virtual_router_id = 52
virtual_ipaddress = ["198.18.1.100/24"]
[[vrrp_sync_group]]
name = "G1"
group = ["VI_1", "VI_2"]
[[vrrp_sync_group]]
name = "G2"
group = ["VI_2", "VI_9"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:30:10: error: vrrp_sync_group[G2].group[0]: vrrp_instance 'VI_2' is already in "
            "vrrp_sync_group 'G1'",
            "t.toml:30:18: error: vrrp_sync_group[G2].group[1]: 'VI_9' is not defined in "
            "[[vrrp_instance]]",
        }));
}

TEST(Validate, DuplicateVrrpScriptName) {
    const auto r = load_with_base(R"([[vrrp_script]]
name = "chk"
script = "/bin/true"
[[vrrp_script]]
name = "chk"
script = "/bin/false"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:19:8: error: vrrp_script[chk].name: vrrp_script 'chk' is already defined "
               "(line 15)"}));
}

}  // namespace
}  // namespace sluice::config
