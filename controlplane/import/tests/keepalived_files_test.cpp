// Realistic keepalived.conf files (tests/data) converted and loaded with the
// real config loader: no errors, the values came through, and the
// not-translated list is exactly what the file holds that sluice cannot do.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "controlplane/config/loader.h"
#include "controlplane/import/keepalived_import.h"

namespace sluice::import {
namespace {

const std::string kData = SLUICE_IMPORT_DATA;

struct Converted {
    ImportResult result;
    config::LoadResult loaded;
};

Converted convert(const std::string& name, const ImportOptions& options = {}) {
    Converted c;
    c.result = import_file(kData + "/" + name, options);
    EXPECT_TRUE(c.result.ok()) << (c.result.errors.empty() ? "" : c.result.errors.front());
    c.loaded = config::load_string(c.result.toml, name + ".toml");
    for (const auto& d : c.loaded.diagnostics) {
        EXPECT_NE(d.severity, config::Severity::error) << d.to_string() << "\n" << c.result.toml;
    }
    EXPECT_TRUE(c.loaded.ok());
    return c;
}

std::string at(const std::string& file, int line) {
    return kData + "/" + file + ":" + std::to_string(line) + ": keyword ";
}

TEST(KeepalivedFiles, SeedExample) {
    const auto c = convert("seed.conf");
    ASSERT_TRUE(c.loaded.ok());
    const auto& cfg = *c.loaded.config;
    EXPECT_EQ(cfg.global.node_name, "LVS_MASTER");
    EXPECT_EQ(cfg.global.script_user, "nobody");
    EXPECT_TRUE(cfg.global.enable_script_security);
    ASSERT_EQ(cfg.dataplane.ports.size(), 1u);
    EXPECT_EQ(cfg.dataplane.ports[0].name, "eth0");
    EXPECT_EQ(cfg.dataplane.ports[0].device, "net_af_packet0,iface=eth0");
    EXPECT_EQ(cfg.dataplane.ports[0].role, config::PortRole::front);
    EXPECT_EQ(cfg.dataplane.ports[0].addresses.at(0).to_string(), "192.168.1.254/24");
    ASSERT_EQ(cfg.vrrp_instances.size(), 1u);
    const auto& vi = cfg.vrrp_instances[0];
    EXPECT_EQ(vi.state, config::VrrpState::master);
    EXPECT_EQ(vi.virtual_router_id, 51);
    EXPECT_EQ(vi.priority, 100);
    EXPECT_EQ(vi.version, 3);
    EXPECT_DOUBLE_EQ(vi.preempt_delay, 300);
    EXPECT_EQ(vi.auth_type, config::AuthType::none);
    EXPECT_EQ(vi.virtual_ipaddress.at(0).to_string(), "192.168.1.100/24");
    ASSERT_EQ(vi.track_script.size(), 1u);
    EXPECT_EQ(vi.track_script[0].name, "chk_gateway");
    ASSERT_EQ(cfg.vrrp_scripts.size(), 1u);
    EXPECT_EQ(cfg.vrrp_scripts[0].script, "/usr/bin/ping -c1 -W1 192.168.1.1");
    EXPECT_EQ(cfg.vrrp_scripts[0].weight, 20);
    EXPECT_DOUBLE_EQ(cfg.vrrp_scripts[0].interval, 2);
    ASSERT_EQ(cfg.virtual_servers.size(), 1u);
    const auto& vs = cfg.virtual_servers[0];
    EXPECT_EQ(vs.name, "192.168.1.100:80");
    EXPECT_EQ(vs.port, 80);
    EXPECT_EQ(vs.lb_algo, config::Scheduler::rr);
    EXPECT_EQ(vs.lb_kind, config::ForwardMethod::nat);
    EXPECT_EQ(vs.persistence_timeout, 50u);
    EXPECT_DOUBLE_EQ(vs.delay_loop, 10);
    ASSERT_EQ(vs.real_servers.size(), 2u);
    const auto& check = vs.real_servers[1].check.value();
    EXPECT_EQ(check.type, config::CheckType::http);
    EXPECT_EQ(check.path, "/health");
    EXPECT_EQ(check.status_code.at(0), (std::pair<std::uint16_t, std::uint16_t>{200, 200}));
    EXPECT_DOUBLE_EQ(check.connect_timeout, 3);
    EXPECT_EQ(check.retry, 3u);
    EXPECT_DOUBLE_EQ(check.delay_before_retry, 2);
    EXPECT_EQ(c.result.not_translated,
              (std::vector<std::string>{
                  at("seed.conf", 7) + "'vrrp_iptables' not translated: sluice has no equivalent "
                                       "in global_defs",
                  at("seed.conf", 25) + "'authentication' not translated: VRRPv3 has no "
                                        "authentication (RFC 5798 section 9); keepalived ignores "
                                        "it too",
                  at("seed.conf", 20) + "'interface' not translated: keepalived does not state "
                                        "the host's own address on 'eth0'; 192.168.1.254/24 was "
                                        "derived from 192.168.1.100/24: set the port's own address "
                                        "(sluicectl import-keepalived --address eth0=IP/LEN)",
              }));
}

TEST(KeepalivedFiles, NatPairWithHttpSslAndSyncGroup) {
    ImportOptions options;
    options.addresses["ens2"] = *common::Ipv4Prefix::parse("10.10.0.2/16");
    const auto c = convert("nat_pair.conf", options);
    ASSERT_TRUE(c.loaded.ok());
    const auto& cfg = *c.loaded.config;
    EXPECT_EQ(cfg.global.node_name, "lb-a");
    EXPECT_FALSE(cfg.global.enable_script_security);
    ASSERT_EQ(cfg.dataplane.ports.size(), 2u);
    EXPECT_EQ(cfg.dataplane.ports[1].name, "ens2");
    EXPECT_EQ(cfg.dataplane.ports[1].device, "net_af_packet1,iface=ens2");
    EXPECT_EQ(cfg.dataplane.ports[1].role, config::PortRole::both);
    EXPECT_EQ(cfg.dataplane.ports[1].addresses.at(0).to_string(), "10.10.0.2/16");
    ASSERT_EQ(cfg.vrrp_instances.size(), 2u);
    const auto& front = cfg.vrrp_instances[0];
    EXPECT_EQ(front.version, 2);
    EXPECT_EQ(front.auth_type, config::AuthType::pass);
    EXPECT_EQ(front.auth_pass, "s3cr3tpa");
    EXPECT_DOUBLE_EQ(front.garp_master_delay, 1);
    EXPECT_EQ(front.garp_master_repeat, 3u);
    EXPECT_TRUE(cfg.vrrp_instances[1].nopreempt);
    EXPECT_EQ(cfg.vrrp_instances[1].notify_master, "/etc/keepalived/back.sh MASTER");
    ASSERT_EQ(cfg.vrrp_sync_groups.size(), 1u);
    EXPECT_EQ(cfg.vrrp_sync_groups[0].group, (std::vector<std::string>{"VI_FRONT", "VI_BACK"}));
    EXPECT_EQ(cfg.vrrp_sync_groups[0].notify_fault, "/etc/keepalived/notify.sh fault");
    ASSERT_EQ(cfg.virtual_servers.size(), 3u);
    const auto& web = cfg.virtual_servers[0];
    EXPECT_EQ(web.interface, "ens1");
    EXPECT_EQ(web.lb_algo, config::Scheduler::wlc);
    EXPECT_EQ(web.quorum, 2u);
    EXPECT_EQ(web.hysteresis, 1u);
    EXPECT_EQ(web.quorum_up, "/etc/keepalived/quorum.sh up");
    ASSERT_TRUE(web.sorry_server.has_value());
    EXPECT_EQ(web.sorry_server->address.to_string(), "10.10.0.250");
    EXPECT_EQ(web.sorry_server->port, 8080);
    const auto& rs1 = web.real_servers.at(0);
    EXPECT_EQ(rs1.weight, 3u);
    EXPECT_TRUE(rs1.inhibit_on_failure);
    EXPECT_EQ(rs1.notify_down, "/etc/keepalived/rs.sh down 10.10.1.1");
    EXPECT_EQ(rs1.check->status_code.at(0), (std::pair<std::uint16_t, std::uint16_t>{200, 299}));
    EXPECT_EQ(rs1.check->virtualhost, "www.example.com");
    EXPECT_EQ(rs1.check->retry, 2u);
    const auto& rs2 = web.real_servers.at(1);
    EXPECT_EQ(rs2.check->digest, "9b3a0c85a887a256d6939da88aabd8cd");
    EXPECT_EQ(rs2.check->connect_port, 8081);
    EXPECT_EQ(rs2.check->bindto->to_string(), "10.10.0.2");
    const auto& tls = cfg.virtual_servers[1];
    EXPECT_EQ(tls.lb_algo, config::Scheduler::sh);
    EXPECT_EQ(tls.persistence_timeout, 600u);
    EXPECT_EQ(tls.real_servers.at(0).check->type, config::CheckType::https);
    EXPECT_EQ(tls.real_servers.at(0).check->sni, "api.example.com");
    EXPECT_EQ(tls.real_servers.at(1).check->type, config::CheckType::https);
    const auto& dns = cfg.virtual_servers[2];
    EXPECT_EQ(dns.protocol, config::Protocol::udp);
    EXPECT_EQ(dns.real_servers.at(0).check->dns_name, "example.com");
    EXPECT_EQ(dns.real_servers.at(0).check->dns_type, "A");
    EXPECT_EQ(dns.real_servers.at(1).check->type, config::CheckType::udp);
    EXPECT_EQ(dns.real_servers.at(1).check->payload, "hello\n");
    EXPECT_EQ(dns.real_servers.at(1).check->require_reply, "ok");
    const std::string f = "nat_pair.conf";
    EXPECT_EQ(c.result.not_translated,
              (std::vector<std::string>{
                  at(f, 4) + "'notification_email' not translated: sluice has no equivalent in "
                             "global_defs",
                  at(f, 7) + "'notification_email_from' not translated: sluice has no "
                             "equivalent in global_defs",
                  at(f, 8) + "'smtp_server' not translated: sluice has no equivalent in "
                             "global_defs",
                  at(f, 9) + "'smtp_connect_timeout' not translated: sluice has no equivalent in "
                             "global_defs",
                  at(f, 21) + "'smtp_alert' not translated: sluice has no equivalent in "
                              "vrrp_sync_group",
                  at(f, 32) + "'auth_pass' not translated: the password is cut to its first 8 "
                              "characters, as keepalived does",
                  at(f, 35) + "'dev' not translated: address options 'dev ens1' are ignored; "
                              "sluice answers the address on the instance's interface",
                  at(f, 76) + "'url' not translated: sluice checks one url per real server; the "
                              "first is used",
                  at(f, 123) + "'TCP_CHECK' not translated: sluice runs one checker per real "
                               "server; the first is used",
                  at(f, 26) + "'interface' not translated: keepalived does not state the host's "
                              "own address on 'ens1'; 203.0.113.254/24 was derived from "
                              "203.0.113.10/24: set the port's own address (sluicectl "
                              "import-keepalived --address ens1=IP/LEN)",
              }));
}

TEST(KeepalivedFiles, DirectRoutingWithMiscCheckAndNbGetRetry) {
    const auto c = convert("dr_misc.conf");
    ASSERT_TRUE(c.loaded.ok());
    const auto& cfg = *c.loaded.config;
    EXPECT_EQ(cfg.global.node_name, "director1");
    ASSERT_EQ(cfg.dataplane.ports.size(), 2u);
    EXPECT_EQ(cfg.dataplane.ports[0].addresses.at(0).to_string(), "172.16.5.254/24");
    EXPECT_TRUE(cfg.dataplane.ports[1].addresses.empty());
    const auto& vi = cfg.vrrp_instances.at(0);
    EXPECT_EQ(vi.version, 2);
    EXPECT_DOUBLE_EQ(vi.advert_int, 2);
    EXPECT_EQ(vi.track_interface, (std::vector<std::string>{"eth2"}));
    EXPECT_EQ(vi.notify, "/usr/local/bin/keepalived-state.sh");
    ASSERT_EQ(cfg.virtual_servers.size(), 2u);
    const auto& mysql = cfg.virtual_servers[0];
    EXPECT_EQ(mysql.lb_kind, config::ForwardMethod::dr);
    EXPECT_EQ(mysql.lb_algo, config::Scheduler::lc);
    EXPECT_EQ(mysql.persistence_timeout, 360u);
    EXPECT_EQ(mysql.persistence_granularity.to_string(), "255.255.255.0");
    const auto& misc = mysql.real_servers.at(0).check.value();
    EXPECT_EQ(misc.type, config::CheckType::misc);
    EXPECT_EQ(misc.misc_path, "/usr/local/bin/check_mysql.sh 172.16.5.21");
    EXPECT_DOUBLE_EQ(misc.misc_timeout, 8);
    EXPECT_TRUE(misc.misc_dynamic);
    EXPECT_EQ(misc.user, "mysqlchk");
    const auto& tcp = mysql.real_servers.at(1).check.value();
    EXPECT_EQ(tcp.type, config::CheckType::tcp);
    EXPECT_EQ(tcp.retry, 4u);  // nb_get_retry
    EXPECT_DOUBLE_EQ(tcp.delay_before_retry, 3);
    EXPECT_EQ(cfg.virtual_servers[1].lb_algo, config::Scheduler::wlc);
    EXPECT_EQ(cfg.virtual_servers[1].real_servers.at(0).check->retry, 2u);
    const std::string f = "dr_misc.conf";
    EXPECT_EQ(c.result.not_translated,
              (std::vector<std::string>{
                  at(f, 5) + "'lvs_id' not translated: sluice has no equivalent in global_defs",
                  at(f, 37) + "'user' not translated: the group 'mysqlchk' is ignored",
                  at(f, 47) + "'warmup' not translated: sluice has no equivalent in TCP_CHECK",
                  at(f, 54) + "'lb_algo' not translated: scheduler 'lblc' is not supported "
                              "(sluice: rr wrr lc wlc sh mh); wlc is used",
                  at(f, 65) + "'virtual_server' not translated: 'virtual_server fwmark 7' is not "
                              "supported (sluice: virtual_server IP PORT)",
                  at(f, 10) + "'interface' not translated: keepalived does not state the host's "
                              "own address on 'eth1'; 172.16.5.254/24 was derived from "
                              "172.16.5.50/32: set the port's own address (sluicectl "
                              "import-keepalived --address eth1=IP/LEN)",
                  at(f, 18) + "'interface' not translated: port 'eth2' has no address: set the "
                              "port's own address (sluicectl import-keepalived --address "
                              "eth2=IP/LEN)",
              }));
}

TEST(KeepalivedFiles, UnicastVrrpWithTrackScriptAndPassword) {
    const auto c = convert("unicast_track.conf");
    ASSERT_TRUE(c.loaded.ok());
    const auto& cfg = *c.loaded.config;
    EXPECT_EQ(cfg.global.script_user, "keepalived_script");
    EXPECT_TRUE(cfg.global.enable_script_security);
    EXPECT_EQ(cfg.dataplane.ports.at(0).addresses.at(0).to_string(), "10.0.1.10/24");
    ASSERT_EQ(cfg.vrrp_scripts.size(), 2u);
    const auto& nginx = cfg.vrrp_scripts[0];
    EXPECT_EQ(nginx.script, "/usr/bin/pgrep -x nginx");
    EXPECT_DOUBLE_EQ(nginx.timeout, 1);
    EXPECT_EQ(nginx.weight, -30);
    EXPECT_EQ(nginx.rise, 2u);
    EXPECT_EQ(nginx.fall, 3u);
    EXPECT_EQ(nginx.user, "nginx");
    const auto& vi = cfg.vrrp_instances.at(0);
    EXPECT_EQ(vi.state, config::VrrpState::backup);
    EXPECT_TRUE(vi.nopreempt);
    EXPECT_EQ(vi.unicast_src_ip->to_string(), "10.0.1.10");
    ASSERT_EQ(vi.unicast_peer.size(), 1u);
    EXPECT_EQ(vi.unicast_peer[0].to_string(), "10.0.1.11");
    EXPECT_EQ(vi.auth_type, config::AuthType::pass);
    EXPECT_EQ(vi.auth_pass, "webha42");
    ASSERT_EQ(vi.track_script.size(), 2u);
    EXPECT_EQ(vi.track_script[1].name, "chk_disk");
    EXPECT_EQ(vi.track_script[1].weight, -10);
    EXPECT_EQ(vi.notify_stop, "/etc/keepalived/stop.sh");
    EXPECT_DOUBLE_EQ(vi.garp_master_refresh, 60);
    EXPECT_TRUE(vi.accept);
    const std::string f = "unicast_track.conf";
    EXPECT_EQ(c.result.not_translated,
              (std::vector<std::string>{
                  at(f, 7) + "'vrrp_skip_check_adv_addr' not translated: sluice has no "
                             "equivalent in global_defs",
                  at(f, 23) + "'init_fail' not translated: sluice has no equivalent in "
                              "vrrp_script",
                  at(f, 42) + "'dev' not translated: address options 'dev eth0 label eth0:vip' "
                              "are ignored; sluice answers the address on the instance's "
                              "interface",
                  at(f, 47) + "'chk_missing' not translated: no vrrp_script of this name",
              }));
}

TEST(KeepalivedFiles, IncludedFilesAreTranslatedWithTheirOwnLines) {
    const auto c = convert("include/keepalived.conf");
    ASSERT_TRUE(c.loaded.ok());
    const auto& cfg = *c.loaded.config;
    EXPECT_EQ(cfg.global.node_name, "split-lb");
    EXPECT_EQ(cfg.dataplane.ports.at(0).name, "bond0");
    EXPECT_EQ(cfg.vrrp_instances.at(0).priority, 200);
    ASSERT_EQ(cfg.virtual_servers.size(), 1u);
    const auto& vs = cfg.virtual_servers[0];
    EXPECT_EQ(vs.lb_algo, config::Scheduler::wrr);
    ASSERT_EQ(vs.real_servers.size(), 2u);
    EXPECT_FALSE(vs.real_servers[0].check.has_value());
    EXPECT_EQ(vs.real_servers[1].port, 25);  // the virtual server's port
    EXPECT_EQ(vs.real_servers[1].weight, 5u);
    EXPECT_EQ(c.result.not_translated,
              (std::vector<std::string>{
                  at("include/keepalived.conf", 8) +
                      "'include' not translated: '/etc/keepalived/nonexistent-*.conf' matches no "
                      "file",
                  at("include/conf.d/20-lvs.conf", 8) +
                      "'SMTP_CHECK' not translated: sluice has no equivalent in real_server",
                  at("include/conf.d/10-vrrp.conf", 3) +
                      "'interface' not translated: keepalived does not state the host's own "
                      "address on 'bond0'; 192.0.2.254/24 was derived from 192.0.2.10/24: set the "
                      "port's own address (sluicectl import-keepalived --address bond0=IP/LEN)",
              }));
}

}  // namespace
}  // namespace sluice::import
