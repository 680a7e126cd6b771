// Valid files: the shipped example, defaults, aliases and the accepted
// shapes of each key.

#include "controlplane/config/loader.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "controlplane/config/tests/test_config.h"

namespace sluice::config {
namespace {

using common::Ipv4Addr;
using common::Ipv4Prefix;
using testing::errors;
using testing::Lines;
using testing::load;
using testing::load_with_base;
using testing::warnings;

Ipv4Addr addr(const char* text) {
    return *Ipv4Addr::parse(text);
}
Ipv4Prefix prefix(const char* text) {
    return *Ipv4Prefix::parse(text);
}

std::string shipped_config() {
    return std::string(SLUICE_SOURCE_ROOT) + "/config.toml";
}

TEST(Loader, ShippedConfigLoadsWithoutAnyDiagnostic) {
    const LoadResult r = load_file(shipped_config());
    for (const Diagnostic& d : r.diagnostics) {
        ADD_FAILURE() << d.to_string();
    }
    ASSERT_TRUE(r.ok());
    const Config& c = *r.config;
    EXPECT_EQ(c.file, shipped_config());
    EXPECT_EQ(c.global.node_name, "lb1");
    EXPECT_EQ(c.global.log_level, LogLevel::info);
    EXPECT_EQ(c.global.api_socket, "/run/sluice/sluiced.sock");
    EXPECT_EQ(c.global.metrics_listen, "");

    EXPECT_EQ(c.dataplane.main_lcore, 0u);
    EXPECT_EQ(c.dataplane.lcores, (std::vector<std::uint32_t>{1}));
    EXPECT_EQ(c.dataplane.hugepages, Hugepages::auto_);
    EXPECT_EQ(c.dataplane.memory_mb, 256u);
    EXPECT_EQ(c.dataplane.mbufs, 8191u);
    EXPECT_EQ(c.dataplane.idle, IdleMode::adaptive);
    ASSERT_EQ(c.dataplane.ports.size(), 2u);
    EXPECT_EQ(c.dataplane.ports[0].name, "front");
    EXPECT_EQ(c.dataplane.ports[0].device, "net_af_packet0,iface=front0");
    EXPECT_EQ(c.dataplane.ports[0].role, PortRole::front);
    EXPECT_EQ(c.dataplane.ports[0].addresses, (std::vector<Ipv4Prefix>{prefix("198.18.0.2/24")}));
    EXPECT_EQ(c.dataplane.ports[1].name, "back");
    EXPECT_EQ(c.dataplane.ports[1].device, "net_af_packet1,iface=back0");
    EXPECT_EQ(c.dataplane.ports[1].role, PortRole::back);
    EXPECT_EQ(c.dataplane.ports[1].addresses, (std::vector<Ipv4Prefix>{prefix("198.18.1.2/24")}));

    ASSERT_EQ(c.virtual_servers.size(), 1u);
    const VirtualServer& web = c.virtual_servers[0];
    EXPECT_EQ(web.name, "web");
    EXPECT_EQ(web.vip, addr("198.18.0.100"));
    EXPECT_EQ(web.port, 80);
    EXPECT_EQ(web.protocol, Protocol::tcp);
    EXPECT_EQ(web.lb_algo, Scheduler::wrr);
    EXPECT_EQ(web.lb_kind, ForwardMethod::nat);
    EXPECT_EQ(web.interface, "front");
    EXPECT_EQ(web.delay_loop, 3.0);
    ASSERT_EQ(web.real_servers.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const RealServer& rs = web.real_servers[i];
        EXPECT_EQ(rs.address, Ipv4Addr(addr("198.18.1.11").value + static_cast<std::uint32_t>(i)));
        EXPECT_EQ(rs.port, 80);
        EXPECT_EQ(rs.weight, i + 1);
        ASSERT_TRUE(rs.check.has_value());
        EXPECT_EQ(rs.check->type, CheckType::http);
        EXPECT_EQ(rs.check->path, "/");
        EXPECT_EQ(rs.check->status_code,
                  (std::vector<std::pair<std::uint16_t, std::uint16_t>>{{200, 200}}));
        EXPECT_EQ(rs.check->connect_timeout, 2.0);
        EXPECT_EQ(rs.check->delay_loop, 3.0);
    }

    ASSERT_EQ(c.vrrp_instances.size(), 2u);  // VI_1 holds the VIP, VI_2 the back-side gateway
    EXPECT_EQ(c.vrrp_instances[1].virtual_ipaddress,
              (std::vector<Ipv4Prefix>{prefix("198.18.1.1/24")}));
    const VrrpInstance& vi = c.vrrp_instances[0];
    EXPECT_EQ(vi.name, "VI_1");
    EXPECT_EQ(vi.interface, "front");
    EXPECT_EQ(vi.virtual_router_id, 51);
    EXPECT_EQ(vi.priority, 150);
    EXPECT_EQ(vi.advert_int, 1.0);
    EXPECT_EQ(vi.version, 3);
    EXPECT_EQ(vi.virtual_ipaddress, (std::vector<Ipv4Prefix>{prefix("198.18.0.100/24")}));
    EXPECT_EQ(vi.track_service, (std::vector<std::string>{"web"}));
}

TEST(Loader, MinimalFileGetsModelDefaults) {
    const auto r = load(testing::kBase);
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    EXPECT_TRUE(r.diagnostics.empty());
    const Config& c = *r.config;
    EXPECT_EQ(c.file, "t.toml");
    EXPECT_EQ(c.global.log_level, LogLevel::info);
    EXPECT_EQ(c.global.api_socket, "/run/sluice/sluiced.sock");
    EXPECT_EQ(c.dataplane.mbufs, 16383u);
    EXPECT_EQ(c.dataplane.ports[0].mtu, 1500);
}

TEST(Loader, SloppyTcpIsOffUnlessSet) {
    EXPECT_FALSE(load(testing::kBase).config->dataplane.sloppy_tcp);
    const auto r = load(R"([dataplane]
sloppy_tcp = true
[[dataplane.port]]
name = "front"
device = "net_null0"
addresses = ["198.18.0.2/24"]
)");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    EXPECT_TRUE(r.config->dataplane.sloppy_tcp);
}

TEST(Loader, LcoresDefaultToOneWorker) {
    const auto r = load(R"([[dataplane.port]]
name = "front"
device = "net_null0"
addresses = ["198.18.0.2/24"]
)");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    EXPECT_EQ(r.config->dataplane.lcores, (std::vector<std::uint32_t>{1}));
    EXPECT_EQ(r.config->dataplane.ports[0].role, PortRole::both);
}

constexpr std::string_view kTwoServers = R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 8080
delay_loop = 7
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "tcp"
  [[virtual_server.real_server]]
  address = "198.18.1.12"
  port = 80
    [virtual_server.real_server.check]
    delay_loop = 2.5
    connect_port = 81
)";

TEST(Loader, RealServerPortDefaultsToTheVirtualServerPort) {
    const auto r = load_with_base(kTwoServers);
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    const VirtualServer& vs = r.config->virtual_servers[0];
    EXPECT_EQ(vs.real_servers[0].port, 8080);
    EXPECT_EQ(vs.real_servers[1].port, 80);
}

TEST(Loader, CheckDelayLoopAndConnectPortDefaultFromTheirParents) {
    const auto r = load_with_base(kTwoServers);
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    const VirtualServer& vs = r.config->virtual_servers[0];
    EXPECT_EQ(vs.real_servers[0].check->delay_loop, 7.0);
    EXPECT_EQ(vs.real_servers[0].check->connect_port, 8080);
    EXPECT_EQ(vs.real_servers[1].check->delay_loop, 2.5);
    EXPECT_EQ(vs.real_servers[1].check->connect_port, 81);
    EXPECT_EQ(vs.real_servers[0].check->user, "nobody");         // global.script_user
    EXPECT_TRUE(vs.real_servers[0].check->status_code.empty());  // tcp: no status
}

TEST(Loader, VirtualServerInterfaceDefaultsToFirstFrontPort) {
    const auto r = load_with_base(kTwoServers);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.config->virtual_servers[0].interface, "front");
}

TEST(Loader, NbGetRetryIsAcceptedAsDeprecatedAliasOfRetry) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "http"
    nb_get_retry = 3
)");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    EXPECT_EQ(r.config->virtual_servers[0].real_servers[0].check->retry, 3u);
    EXPECT_EQ(
        warnings(r),
        (Lines{"t.toml:23:20: warning: virtual_server[web].real_server[0].check.nb_get_retry: "
               "'nb_get_retry' is deprecated; use 'retry'"}));
}

TEST(Loader, HttpStatusCodeDefaultsToAny2xxAndAcceptsRanges) {
    const auto r = load_with_base(R"([[virtual_server]]
name = "web"
vip = "198.18.0.2"
port = 80
  [[virtual_server.real_server]]
  address = "198.18.1.11"
    [virtual_server.real_server.check]
    type = "http"
  [[virtual_server.real_server]]
  address = "198.18.1.12"
    [virtual_server.real_server.check]
    type = "https"
    status_code = [200, "301-302"]
)");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    using Ranges = std::vector<std::pair<std::uint16_t, std::uint16_t>>;
    const VirtualServer& vs = r.config->virtual_servers[0];
    EXPECT_EQ(vs.real_servers[0].check->status_code, (Ranges{{200, 299}}));
    EXPECT_EQ(vs.real_servers[1].check->status_code, (Ranges{{200, 200}, {301, 302}}));
}

TEST(Loader, EnumWordsIgnoreCaseAsKeepalivedWritesThem) {
    const auto r = load_with_base(R"([[vrrp_instance]]
name = "VI_1"
state = "MASTER"
interface = "front"
virtual_router_id = 51
version = 2
virtual_ipaddress = ["198.18.0.100"]
  [vrrp_instance.authentication]
  auth_type = "PASS"
  auth_pass = "secret"
)");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    const VrrpInstance& vi = r.config->vrrp_instances[0];
    EXPECT_EQ(vi.state, VrrpState::master);
    EXPECT_EQ(vi.auth_type, AuthType::pass);
    EXPECT_EQ(vi.auth_pass, "secret");
    EXPECT_EQ(vi.virtual_ipaddress, (std::vector<Ipv4Prefix>{prefix("198.18.0.100/32")}));
}

TEST(Loader, TrackScriptAcceptsNamesAndTablesWithWeight) {
    const auto r = load_with_base(R"([[vrrp_script]]
name = "chk_a"
script = "/bin/true"
[[vrrp_script]]
name = "chk_b"
script = "/bin/true"
weight = 10

[[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
virtual_ipaddress = ["198.18.0.100/24"]
track_script = ["chk_a", { name = "chk_b", weight = -20 }]
)");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(errors(r));
    const auto& tracks = r.config->vrrp_instances[0].track_script;
    ASSERT_EQ(tracks.size(), 2u);
    EXPECT_EQ(tracks[0].name, "chk_a");
    EXPECT_FALSE(tracks[0].weight.has_value());
    EXPECT_EQ(tracks[1].name, "chk_b");
    EXPECT_EQ(tracks[1].weight, -20);
    EXPECT_EQ(r.config->vrrp_scripts[0].user, "nobody");
}

TEST(Loader, RecordsWhereEachKeyWasWritten) {
    const auto r = load_with_base(kTwoServers);
    ASSERT_TRUE(r.ok());
    const VirtualServer& vs = r.config->virtual_servers[0];
    EXPECT_EQ(vs.pos.line, 15u);
    EXPECT_EQ(vs.key_pos.find("delay_loop", {}).line, 19u);
    EXPECT_EQ(vs.key_pos.find("delay_loop", {}).column, 14u);
    EXPECT_EQ(r.config->dataplane.key_pos.find("lcores[0]", {}).column, 11u);
    EXPECT_FALSE(vs.key_pos.has("persistence_timeout"));
}

TEST(Loader, WarningsDoNotWithholdTheConfig) {
    const auto r =
        load_with_base("[[virtual_server]]\nname = \"idle\"\nvip = \"198.18.0.2\"\nport = 80\n");
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(errors(r).empty());
    EXPECT_EQ(warnings(r),
              (Lines{"t.toml:15:1: warning: virtual_server[idle]: has no real servers and no "
                     "sorry_server; every connection will be refused"}));
}

TEST(Loader, MissingFileIsOneDiagnosticAndNoThrow) {
    const LoadResult r = load_file("/nonexistent/sluice.toml");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(
        errors(r),
        (Lines{"/nonexistent/sluice.toml: error: cannot read file: No such file or directory"}));
}

TEST(Loader, DirectoryIsReportedAsUnreadable) {
    const std::string dir = std::filesystem::temp_directory_path().string();
    const LoadResult r = load_file(dir);
    EXPECT_EQ(errors(r), (Lines{dir + ": error: cannot read file: it is a directory"}));
}

TEST(Loader, EmptyFileNeedsAtLeastOnePort) {
    const auto r = load("");
    EXPECT_EQ(
        errors(r),
        (Lines{"t.toml: error: dataplane.port: at least one [[dataplane.port]] is required"}));
}

}  // namespace
}  // namespace sluice::config
