// Translator cases on small inline keepalived.conf texts; every output is
// loaded with the real config loader.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "controlplane/config/loader.h"
#include "controlplane/import/keepalived_import.h"
#include "controlplane/import/toml_text.h"

namespace sluice::import {
namespace {

config::Config load_ok(const ImportResult& r) {
    EXPECT_TRUE(r.ok());
    auto loaded = config::load_string(r.toml, "out.toml");
    for (const auto& d : loaded.diagnostics) {
        EXPECT_NE(d.severity, config::Severity::error) << d.to_string() << "\n" << r.toml;
    }
    return loaded.config.value_or(config::Config{});
}

constexpr const char* kInstance =
    "vrrp_instance VI_1 {\n"
    "  interface eth0\n"
    "  virtual_router_id 7\n"
    "  virtual_ipaddress {\n"
    "    10.1.0.100/24\n"
    "  }\n";

TEST(TomlText, StringsAreEscaped) {
    EXPECT_EQ(toml_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
    EXPECT_EQ(toml_number(0.5), "0.5");
    EXPECT_EQ(toml_number(3), "3");
}

TEST(KeepalivedTranslate, CommandsWithQuotesSurviveTheRoundTrip) {
    const auto r = import_text(
        std::string(kInstance) + "  notify_master \"/bin/say \\\"master\\\" C:\\\\x\"\n}\n",
        "k.conf", {});
    const auto cfg = load_ok(r);
    EXPECT_EQ(cfg.vrrp_instances.at(0).notify_master, "/bin/say \"master\" C:\\x");
}

TEST(KeepalivedTranslate, AddressOptionSetsThePortAddress) {
    ImportOptions options;
    options.addresses["eth0"] = *common::Ipv4Prefix::parse("10.1.0.2/24");
    const auto r =
        import_text(std::string(kInstance) + "  unicast_src_ip 10.1.0.3\n}\n", "k.conf", options);
    const auto cfg = load_ok(r);
    const auto& addrs = cfg.dataplane.ports.at(0).addresses;
    ASSERT_EQ(addrs.size(), 2u);
    EXPECT_EQ(addrs[0].to_string(), "10.1.0.2/24");
    EXPECT_EQ(addrs[1].to_string(), "10.1.0.3/24");
    EXPECT_TRUE(r.not_translated.empty());
}

TEST(KeepalivedTranslate, VersionTwoByDefaultWithWholeSecondAdverts) {
    const auto r =
        import_text(std::string(kInstance) + "  advert_int 0.5\n  priority 255\n}\n", "k.conf", {});
    const auto cfg = load_ok(r);
    const auto& vi = cfg.vrrp_instances.at(0);
    EXPECT_EQ(vi.version, 2);
    EXPECT_DOUBLE_EQ(vi.advert_int, 1);
    EXPECT_EQ(vi.priority, 254);
    ASSERT_EQ(r.not_translated.size(), 3u);
    EXPECT_EQ(r.not_translated[0],
              "k.conf:8: keyword 'priority' not translated: 255 means the address owner, and no "
              "port of this appliance owns the virtual_ipaddress; 254 is used");
    EXPECT_EQ(r.not_translated[1],
              "k.conf:7: keyword 'advert_int' not translated: VRRPv2 adverts are whole seconds; 1 "
              "is used");
}

TEST(KeepalivedTranslate, VersionThreeKeepsSubSecondAdverts) {
    const auto r = import_text(
        "global_defs {\n vrrp_version 3\n}\n" + std::string(kInstance) + "  advert_int 0.25\n}\n",
        "k.conf", {});
    const auto cfg = load_ok(r);
    EXPECT_EQ(cfg.vrrp_instances.at(0).version, 3);
    EXPECT_DOUBLE_EQ(cfg.vrrp_instances.at(0).advert_int, 0.25);
}

TEST(KeepalivedTranslate, CheckerTimingIsInheritedFromServerLevels) {
    const auto r = import_text(std::string(kInstance) +
                                   "}\n"
                                   "virtual_server 10.1.0.100 80 {\n"
                                   "  connect_timeout 7\n"
                                   "  real_server 10.1.0.11 8080 {\n"
                                   "    delay_loop 4\n"
                                   "    nb_get_retry 5\n"
                                   "    TCP_CHECK {\n"
                                   "      retry 2\n"
                                   "    }\n"
                                   "  }\n"
                                   "}\n",
                               "k.conf", {});
    const auto cfg = load_ok(r);
    const auto& rs = cfg.virtual_servers.at(0).real_servers.at(0);
    EXPECT_EQ(rs.port, 8080);
    ASSERT_TRUE(rs.check.has_value());
    EXPECT_DOUBLE_EQ(rs.check->connect_timeout, 7);
    EXPECT_DOUBLE_EQ(rs.check->delay_loop.value(), 4);
    EXPECT_EQ(rs.check->retry, 2u);  // the checker's own value wins
    EXPECT_EQ(cfg.virtual_servers[0].interface, "eth0");
}

TEST(KeepalivedTranslate, LvsOnlyConfigGetsAnAssumedPort) {
    const auto r = import_text(
        "virtual_server 10.2.0.10 443 {\n  lb_kind DR\n  real_server 10.2.0.21 443 {\n  }\n}\n",
        "k.conf", {});
    const auto cfg = load_ok(r);
    ASSERT_EQ(cfg.dataplane.ports.size(), 1u);
    EXPECT_EQ(cfg.dataplane.ports[0].device, "net_af_packet0,iface=eth0");
    EXPECT_EQ(cfg.dataplane.ports[0].addresses.at(0).to_string(), "10.2.0.254/24");
    ASSERT_EQ(r.not_translated.size(), 2u);
    EXPECT_EQ(r.not_translated[0],
              "k.conf:1: keyword 'virtual_server' not translated: keepalived names no interface; "
              "port 'eth0' (iface=eth0) is assumed: set the port's device");
}

TEST(KeepalivedTranslate, UnknownSectionsAndBadValuesAreListed) {
    const auto r = import_text(std::string(kInstance) +
                                   "  priority high\n  mcast_src_ip 10.1.0.2\n}\n"
                                   "static_ipaddress {\n  10.9.9.9/24 dev eth0\n}\n"
                                   "virtual_server 2001:db8::1 80 {\n}\n",
                               "k.conf", {});
    load_ok(r);
    ASSERT_GE(r.not_translated.size(), 4u);
    EXPECT_EQ(r.not_translated[0],
              "k.conf:7: keyword 'priority' not translated: 'high' is not an integer in 1..255");
    EXPECT_EQ(r.not_translated[1],
              "k.conf:8: keyword 'mcast_src_ip' not translated: sluice has no equivalent in "
              "vrrp_instance");
    EXPECT_EQ(r.not_translated[2],
              "k.conf:10: keyword 'static_ipaddress' not translated: sluice has no equivalent "
              "section");
    EXPECT_EQ(r.not_translated[3],
              "k.conf:13: keyword 'virtual_server' not translated: '2001:db8::1' is not an IPv4 "
              "address (sluice is IPv4 only)");
}

TEST(KeepalivedTranslate, UdpPayloadIsDecodedFromHex) {
    const auto r = import_text(std::string(kInstance) +
                                   "}\nvirtual_server 10.1.0.100 514 {\n  protocol UDP\n"
                                   "  real_server 10.1.0.11 514 {\n    UDP_CHECK {\n"
                                   "      payload 01ff\n      require_reply 5a\n    }\n  }\n}\n",
                               "k.conf", {});
    const auto cfg = load_ok(r);
    EXPECT_EQ(cfg.virtual_servers.at(0).real_servers.at(0).check->require_reply, "Z");
    EXPECT_TRUE(cfg.virtual_servers.at(0).real_servers.at(0).check->payload.empty());
    ASSERT_EQ(r.not_translated.size(), 2u);
    EXPECT_EQ(r.not_translated[0],
              "k.conf:12: keyword 'payload' not translated: byte 0xff cannot be written in "
              "config.toml (sluice takes ASCII payloads)");
}

TEST(KeepalivedTranslate, UnparsableInputGivesErrorsAndNoToml) {
    const auto r = import_text("vrrp_instance VI_1 {\n  interface eth0\n", "k.conf", {});
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.toml.empty());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0], "k.conf:1: '{' is never closed");
}

}  // namespace
}  // namespace sluice::import
