// Structural problems: each small file must produce exactly the expected
// diagnostics (position, key path and message), and never a Config.

#include <gtest/gtest.h>

#include "controlplane/config/tests/test_config.h"

namespace sluice::config {
namespace {

using testing::errors;
using testing::Lines;
using testing::load;
using testing::load_with_base;

TEST(LoadErrors, SyntaxErrorIsOneDiagnosticWithTomlPosition) {
    const auto r = load("[global]\nnode_name = \"lb1\nlog_level = \"info\"\n");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:2:17: error: Error while parsing string: unescaped control characters "
                     "other than TAB (U+0009) are explicitly prohibited"}));
}

TEST(LoadErrors, RedefinedKeyIsASyntaxError) {
    const auto r = load("[global]\nnode_name = \"a\"\nnode_name = \"b\"\n");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:3:13: error: Error while parsing key-value pair: cannot redefine existing "
               "string 'node_name'"}));
}

TEST(LoadErrors, UnknownTopLevelKeySuggestsClosest) {
    const auto r = load_with_base("[[virtual_servers]]\nname = \"web\"\n");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:15:3: error: virtual_servers: unknown key 'virtual_servers'; did you mean "
               "'virtual_server'?"}));
}

TEST(LoadErrors, UnknownNestedKeySuggestsClosest) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
priorty = 100
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:19:1: error: vrrp_instance[VI_1].priorty: unknown key 'priorty'; did you "
               "mean 'priority'?"}));
}

TEST(LoadErrors, UnknownKeyFarFromEveryKeyHasNoSuggestion) {
    const auto r = load("[global]\ncolour = \"blue\"\n");
    EXPECT_EQ(errors(r), (Lines{"t.toml:2:1: error: global.colour: unknown key 'colour'"}));
}

TEST(LoadErrors, KeepalivedKeywordSuggestsSluiceKey) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
lvs_sched = "rr"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:19:1: error: virtual_server[web].lvs_sched: unknown key 'lvs_sched'; did "
               "you mean 'lb_algo'?"}));
}

TEST(LoadErrors, UnknownKeyInsideCheckTable) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    connect_timout = 2
)");
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:22:5: error: virtual_server[web].real_server[0].check.connect_timout: "
                     "unknown key 'connect_timout'; did you mean 'connect_timeout'?"}));
}

TEST(LoadErrors, WrongTypeIntegerExpected) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = "80"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:18:8: error: virtual_server[web].port: expected an integer, got a string"}));
}

TEST(LoadErrors, WrongTypeStringExpected) {
    const auto r = load("[global]\nnode_name = 5\n");
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:2:13: error: global.node_name: expected a string, got an integer"}));
}

TEST(LoadErrors, FloatWhereIntegerExpected) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
priority = 100.5
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:19:12: error: vrrp_instance[VI_1].priority: expected an integer, got a "
               "floating-point number"}));
}

TEST(LoadErrors, WrongTypeOfArrayElement) {
    const auto r = load("[dataplane]\nlcores = [1, \"2\"]\n");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:2:14: error: dataplane.lcores[1]: expected an integer, got a string"}));
}

TEST(LoadErrors, TableWhereArrayOfTablesExpected) {
    const auto r = load_with_base("[virtual_server]\nname = \"web\"\n");
    EXPECT_EQ(errors(r), (Lines{"t.toml:15:1: error: virtual_server: expected an array of tables "
                                "([[virtual_server]]), got a table"}));
}

TEST(LoadErrors, BadEnumListsAllowedWords) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
lb_algo = "roundrobin"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:19:11: error: virtual_server[web].lb_algo: 'roundrobin' is not allowed; "
               "expected one of rr, wrr, lc, wlc, sh, mh"}));
}

TEST(LoadErrors, BadDnsTypeListsAllowedTypes) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "dns"
vip = "198.18.0.100"
port = 53
protocol = "udp"
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "dns"
    dns_name = "example.test"
    dns_type = "AXFR"
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:25:16: error: virtual_server[dns].real_server[0].check.dns_type: 'AXFR' is "
               "not allowed; expected one of A, AAAA, CNAME, MX, NS, PTR, SOA, TXT"}));
}

TEST(LoadErrors, BadAddress) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.256"
port = 80
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:17:7: error: virtual_server[web].vip: '198.18.0.256' is not a valid IPv4 "
               "address (expected e.g. 198.18.0.1)"}));
}

TEST(LoadErrors, BadPrefix) {
    const auto r = load(R"([[dataplane.port]]
name = "front"
device = "net_null0"
addresses = ["198.18.0.2/33"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:4:14: error: dataplane.port[front].addresses[0]: '198.18.0.2/33' is not a "
               "valid IPv4 prefix (expected e.g. 198.18.0.2/24)"}));
}

TEST(LoadErrors, BadAddressInList) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
unicast_peer = ["198.18.0.3", "198.18.0"]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:19:31: error: vrrp_instance[VI_1].unicast_peer[1]: '198.18.0' is not a "
               "valid IPv4 address (expected e.g. 198.18.0.1)"}));
}

TEST(LoadErrors, MissingRequiredKeysPointAtTheTable) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
  [[virtual_server.real_server]]
  weight = 1
)");
    EXPECT_EQ(errors(r), (Lines{
                             "t.toml:15:1: error: virtual_server[web]: missing required key 'vip'",
                             "t.toml:15:1: error: virtual_server[web]: missing required key 'port'",
                             "t.toml:17:3: error: virtual_server[web].real_server[0]: missing "
                             "required key 'address'",
                         }));
}

TEST(LoadErrors, UnnamedElementIsShownByIndex) {
    const auto r = load_with_base("[[vrrp_script]]\nscript = \"/bin/true\"\n");
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:15:1: error: vrrp_script[0]: missing required key 'name'"}));
}

TEST(LoadErrors, EmptyRequiredString) {
    const auto r = load(R"([[dataplane.port]]
name = ""
device = "net_null0"
)");
    EXPECT_EQ(errors(r), (Lines{"t.toml:2:8: error: dataplane.port[0].name: must not be empty"}));
}

TEST(LoadErrors, WeightOutOfRange) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
  [[virtual_server.real_server]]
  address = "198.18.1.12"
  weight = 70000
)");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml:23:12: error: virtual_server[web].real_server[1].weight: 70000 is out of "
               "range; allowed 0..65535"}));
}

TEST(LoadErrors, VirtualRouterIdOutOfRange) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 256
version = 4
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:18:21: error: vrrp_instance[VI_1].virtual_router_id: 256 is out of range; "
            "allowed 1..255",
            "t.toml:19:11: error: vrrp_instance[VI_1].version: 4 is out of range; allowed 2..3",
        }));
}

TEST(LoadErrors, NumberOutOfRangeShowsDecimals) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
advert_int = 0.001
)");
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:19:14: error: vrrp_instance[VI_1].advert_int: 0.001 is out of range; "
                     "allowed 0.01..255"}));
}

TEST(LoadErrors, BadStatusCodeRange) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "http"
    status_code = [200, "300-2999", 99]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:23:25: error: virtual_server[web].real_server[0].check.status_code[1]: "
            "'300-2999' is not a status code range (expected e.g. \"200-299\", codes 100..599)",
            "t.toml:23:37: error: virtual_server[web].real_server[0].check.status_code[2]: 99 is "
            "out of range; allowed 100..599",
        }));
}

TEST(LoadErrors, DeprecatedAliasTogetherWithNewName) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    retry = 2
    nb_get_retry = 3
)");
    EXPECT_EQ(errors(r),
              (Lines{"t.toml:23:20: error: virtual_server[web].real_server[0].check.nb_get_retry: "
                     "'nb_get_retry' is an old name for 'retry'; give only one of them"}));
}

TEST(LoadErrors, TrackScriptEntryOfWrongType) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
track_script = ["chk", 5, { name = "chk2", wieght = -20 }]
)");
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:19:24: error: vrrp_instance[VI_1].track_script[1]: expected a string or a "
            "table, got an integer",
            "t.toml:19:44: error: vrrp_instance[VI_1].track_script[chk2].wieght: unknown key "
            "'wieght'; did you mean 'weight'?",
        }));
}

// After a successful parse every structural problem is reported, in file order.
TEST(LoadErrors, SeveralErrorsAreAllReportedInFileOrder) {
    const auto r = load(R"([global]
log_level = "verbose"
log_levl = "info"

[dataplane]
lcores = [1, -1]
mbufs = "lots"

[[dataplane.port]]
name = "front"
addresses = ["198.18.0.2/24", "198.18.0.x"]

[[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
  weight = 70000

[[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 0
priorty = 100
)");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(
        errors(r),
        (Lines{
            "t.toml:2:13: error: global.log_level: 'verbose' is not allowed; expected one of "
            "trace, debug, info, notice, warning, error",
            "t.toml:3:1: error: global.log_levl: unknown key 'log_levl'; did you mean "
            "'log_level'?",
            "t.toml:6:14: error: dataplane.lcores[1]: -1 is out of range; allowed 0..1023",
            "t.toml:7:9: error: dataplane.mbufs: expected an integer, got a string",
            "t.toml:9:1: error: dataplane.port[front]: missing required key 'device'",
            "t.toml:11:31: error: dataplane.port[front].addresses[1]: '198.18.0.x' is not a valid "
            "IPv4 prefix (expected e.g. 198.18.0.2/24)",
            "t.toml:19:12: error: virtual_server[web].real_server[0].weight: 70000 is out of "
            "range; allowed 0..65535",
            "t.toml:24:21: error: vrrp_instance[VI_1].virtual_router_id: 0 is out of range; "
            "allowed 1..255",
            "t.toml:25:1: error: vrrp_instance[VI_1].priorty: unknown key 'priorty'; did you "
            "mean 'priority'?",
        }));
}

}  // namespace
}  // namespace sluice::config
