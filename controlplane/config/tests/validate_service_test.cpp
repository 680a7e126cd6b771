// Semantic checks of [global], [dataplane], virtual_server and health checks:
// each small file is structurally valid but breaks one rule. A few cases build
// the Config in code to reach checks the loader's range checks pre-empt.
// VRRP rules are in validate_vrrp_test.cpp.

#include <gtest/gtest.h>

#include "controlplane/config/tests/test_config.h"
#include "controlplane/config/validate.h"

namespace sluice::config {
namespace {

using testing::errors;
using testing::Lines;
using testing::load;
using testing::load_with_base;
using testing::warnings;

// --- virtual_server ---------------------------------------------------------

TEST(Validate, DuplicateVipPortAndProtocol) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
[[virtual_server]]
name = "web-udp"
vip = "198.18.0.2"
port = 80
protocol = "udp"
[[virtual_server]]
name = "web2"
vip = "198.18.0.2"
port = 80
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:26:7: error: virtual_server[web2].vip: 198.18.0.2:80/tcp is already served by "
            "virtual_server 'web' (line 15)"}));
}

TEST(Validate, DuplicateVirtualServerName) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
[[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 443
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:20:8: error: virtual_server[web].name: virtual_server 'web' is already "
               "defined (line 15)"}));
}

TEST(Validate, RealServerListedTwice) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
  [[virtual_server.real_server]]
  address = "198.18.1.12"
  [[virtual_server.real_server]]
  address = "198.18.1.11"
  port = 80
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:24:13: error: virtual_server[web].real_server[2].address: 198.18.1.11:80 is "
               "already listed as real_server[0] (line 19)"}));
}

TEST(Validate, UndefinedVirtualServerInterfaceSuggestsPort) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
interface = "frnt"
)");
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:19:13: error: virtual_server[web].interface: 'frnt' is not defined in "
                     "[[dataplane.port]]; did you mean 'front'?"}));
}

TEST(Validate, MaglevTableSizeMustBePrime) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
lb_algo = "mh"
mh_table_size = 65536
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:20:17: error: virtual_server[web].mh_table_size: 65536 is not prime; Maglev "
               "needs a prime table size (e.g. 65537)"}));
}

TEST(Validate, PersistenceGranularityMustBeAContiguousNetmask) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
persistence_timeout = 300
persistence_granularity = "255.0.255.0"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:20:27: error: virtual_server[web].persistence_granularity: 255.0.255.0 is not "
            "a contiguous netmask (e.g. 255.255.255.0)"}));
}

TEST(Validate, DirectRoutingCannotChangePortOrLeaveTheSubnet) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
lb_kind = "dr"
  [[virtual_server.real_server]]
  address = "198.18.1.11"
  port = 8080
  [[virtual_server.real_server]]
  address = "203.0.113.9"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:22:10: error: virtual_server[web].real_server[0].port: lb_kind 'dr' cannot "
            "change the destination port; use 80 (the virtual server's port) or lb_kind 'nat'",
            "t.toml:24:13: error: virtual_server[web].real_server[1].address: 203.0.113.9 is not "
            "on any port's subnet; lb_kind 'dr' only reaches L2 neighbours",
        }));
}

TEST(Validate, RealServerCannotBeTheVipOrMulticast) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.0.2"
  [[virtual_server.real_server]]
  address = "224.0.0.5"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:20:13: error: virtual_server[web].real_server[0].address: 198.18.0.2 is the "
            "virtual server's own VIP",
            "t.toml:22:13: error: virtual_server[web].real_server[1].address: 224.0.0.5 is a "
            "multicast address",
        }));
}

// --- health checks ------------------------------------------------------------

TEST(Validate, MiscCheckNeedsMiscPath) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "misc"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:21:5: error: virtual_server[web].real_server[0].check: type 'misc' needs "
               "misc_path (the command to run)"}));
}

TEST(Validate, CheckKeyOfAnotherCheckType) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "tcp"
    path = "/health"
    ssl_verify = true
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:23:12: error: virtual_server[web].real_server[0].check.path: applies to http "
            "and https checks, not to type 'tcp'",
            "t.toml:24:18: error: virtual_server[web].real_server[0].check.ssl_verify: applies to "
            "https checks, not to type 'tcp'",
        }));
}

TEST(Validate, DnsCheckNeedsNameAndHttpDigestMustBeMd5) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "dns"
  [[virtual_server.real_server]]
  address = "198.18.1.12"
    [virtual_server.real_server.check]
    type = "http"
    digest = "abc"
    body_regex = "(ok"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:21:5: error: virtual_server[web].real_server[0].check: type 'dns' needs "
            "dns_name (the name to query)",
            "t.toml:27:14: error: virtual_server[web].real_server[1].check.digest: 'abc' is not an "
            "MD5 digest (32 hex digits)",
            "t.toml:28:18: error: virtual_server[web].real_server[1].check.body_regex: '(ok' is "
            "not "
            "a valid POSIX extended regular expression: Unmatched ( or \\(",
        }));
}

// --- dataplane ----------------------------------------------------------------

TEST(Validate, EmptyLcoresAndDuplicateLcores) {
    auto r = load(R"([dataplane]
lcores = []
[[dataplane.port]]
name = "front"
device = "net_null0"
addresses = ["198.18.0.2/24"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:2:10: error: dataplane.lcores: at least one worker lcore is required"}));
    r = load(R"([dataplane]
main_lcore = 2
lcores = [1, 2, 1]
[[dataplane.port]]
name = "front"
device = "net_null0"
addresses = ["198.18.0.2/24"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:3:14: error: dataplane.lcores[1]: lcore 2 is the main_lcore; workers need "
            "lcores of their own",
            "t.toml:3:17: error: dataplane.lcores[2]: lcore 1 is listed twice",
        }));
}

TEST(Validate, EmptyPortList) {
    const auto r = load("[dataplane]\nlcores = [1]\nport = []\n");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:3:8: error: dataplane.port: at least one [[dataplane.port]] is required"}));
}

TEST(Validate, DuplicatePortNameAndDevice) {
    const auto r = load_with_base(R"([[dataplane.port]]
name = "front"
device = "net_null1,size=64"
addresses = ["198.18.2.2/24"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:16:8: error: dataplane.port[front].name: port 'front' is already defined "
            "(line 4)",
            "t.toml:17:10: error: dataplane.port[front].device: device 'net_null1' is already used "
            "by port 'back'",
        }));
}

TEST(Validate, PortAddressMustBeAHostAddressAndGatewayOnLink) {
    const auto r = load(R"([[dataplane.port]]
name = "front"
device = "net_null0"
addresses = ["198.18.0.0/24", "198.18.1.255/24"]
gateway = "198.18.9.1"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:4:14: error: dataplane.port[front].addresses[0]: 198.18.0.0/24 is the network "
            "address of its subnet; give the port's own address",
            "t.toml:4:31: error: dataplane.port[front].addresses[1]: 198.18.1.255/24 is the "
            "broadcast address of its subnet; give the port's own address",
            "t.toml:5:11: error: dataplane.port[front].gateway: 198.18.9.1 is not in any subnet of "
            "this port's addresses",
        }));
}

TEST(Validate, TooFewMbufsForTheRingsIsAnError) {
    const auto r = load_with_base("");
    EXPECT_TRUE(warnings(r).empty());
    const auto small =
        load(std::string(testing::kBase).replace(0, 11, "[dataplane]\nmbufs = 1023"));
    EXPECT_FALSE(small.ok());
    EXPECT_EQ(errors(small),
              (Lines{"t.toml:2:9: error: dataplane.mbufs: 1023 is too few: the port rings and "
                     "lcore caches can hold 4672; raise mbufs or lower rx_desc/tx_desc"}));
}

TEST(Validate, EalArgsMustNotOverrideLcores) {
    const auto r = load_with_base("eal_args_are_top_level_here = 1\n");
    EXPECT_EQ(errors(r).size(), 1u);  // an unknown key: eal_args belongs in [dataplane]
    const auto r2 = load(R"([dataplane]
eal_args = ["--log-level=8", "-l", "0-3"]
[[dataplane.port]]
name = "front"
device = "net_null0"
addresses = ["198.18.0.2/24"]
)");
    EXPECT_EQ(
        errors(r2),
        (Lines{"t.toml:2:30: error: dataplane.eal_args[1]: '-l' is set from main_lcore, lcores, "
               "hugepages and memory_mb; use those keys"}));
}

// --- global ---------------------------------------------------------------------

TEST(Validate, GlobalSocketAndMetricsAddress) {
    const auto r = load_with_base(R"([global]
api_socket = "sluiced.sock"
metrics_listen = "localhost:9468"
)");
    EXPECT_EQ(errors(r),
              (Lines{
                  "t.toml:16:14: error: global.api_socket: 'sluiced.sock' must be an absolute path",
                  "t.toml:17:18: error: global.metrics_listen: 'localhost:9468' is not "
                  "ADDRESS:PORT (e.g. "
                  "127.0.0.1:9468; \"\" turns it off)",
              }));
}

// --- warnings -------------------------------------------------------------------

TEST(Validate, SuspiciousButLegalSettingsAreWarnings) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.200"
port = 80
quorum = 5
  [[virtual_server.real_server]]
  address = "198.18.1.11"
  weight = 0
    [virtual_server.real_server.check]
    connect_timeout = 20
[[vrrp_script]]
name = "chk"
script = "/bin/true"
)");
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(
        warnings(r),
        (Lines{
            "t.toml:15:1: warning: virtual_server[web]: every real server has weight 0; no new "
            "connection will be scheduled",
            "t.toml:17:7: warning: virtual_server[web].vip: 198.18.0.200 is neither a port address "
            "nor a virtual_ipaddress of any vrrp_instance; nothing answers ARP for it",
            "t.toml:19:10: warning: virtual_server[web].quorum: 5 can never be reached: the real "
            "servers' weights add up to 0",
            "t.toml:24:23: warning: virtual_server[web].real_server[0].check.connect_timeout: 20s "
            "is longer than delay_loop 10s; a slow server is checked again before the last check "
            "ends",
            "t.toml:25:1: warning: vrrp_script[chk]: is not tracked by any vrrp_instance; it never "
            "runs",
        }));
}

// --- Configs built in code (no positions) ------------------------------------------

Config code_built() {
    Config c;
    c.file = "built-in";
    c.dataplane.lcores = {1};
    Port port;
    port.name = "front";
    port.device = "net_null0";
    port.addresses = {*common::Ipv4Prefix::parse("198.18.0.2/24")};
    c.dataplane.ports.push_back(port);
    return c;
}

TEST(Validate, CodeBuiltConfigIsCheckedToo) {
    Config c = code_built();
    VirtualServer vs;
    vs.name = "web";
    vs.vip = *common::Ipv4Addr::parse("198.18.0.2");
    vs.port = 80;
    vs.interface = "front";
    RealServer rs;
    rs.address = *common::Ipv4Addr::parse("198.18.0.11");
    rs.port = 80;
    rs.weight = 70000;
    vs.real_servers.push_back(rs);
    c.virtual_servers.push_back(vs);
    VrrpInstance vi;
    vi.name = "VI_1";
    vi.interface = "front";
    vi.virtual_router_id = 0;
    vi.virtual_ipaddress = {*common::Ipv4Prefix::parse("198.18.0.100/24")};
    c.vrrp_instances.push_back(vi);
    EXPECT_EQ(testing::rendered(validate(c), Severity::error),
              (Lines{
                  "built-in: error: virtual_server[web].real_server[0].weight: 70000 is out of "
                  "range; allowed 0..65535",
                  "built-in: error: vrrp_instance[VI_1].virtual_router_id: 0 is out of range; "
                  "allowed 1..255",
              }));
}

TEST(Validate, CodeBuiltValidConfigHasNoDiagnostics) {
    EXPECT_TRUE(validate(code_built()).empty());
}

}  // namespace
}  // namespace sluice::config
