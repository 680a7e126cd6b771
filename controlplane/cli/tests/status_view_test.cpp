#include "controlplane/cli/status_view.h"

#include <gtest/gtest.h>

namespace sluice::cli {
namespace {

TEST(StatusView, RendersPortsWorkersAndWarnings) {
    const auto st = nlohmann::json::parse(R"({
      "version":"0.1.0","node_name":"lb1","pid":12,"uptime_s":3725.5,
      "config_file":"/etc/sluice/config.toml","hugepages":false,"eal_file_prefix":"sluice-lb1-12",
      "ports":[{"id":0,"name":"front","device":"net_af_packet0,iface=front0","driver":"net_af_packet",
                "mac":"02:00:00:00:00:01","link_up":true,
                "stats":{"ipackets":123456,"ibytes":99,"opackets":0,"obytes":0,"imissed":2,"ierrors":0,"oerrors":0,"rx_nombuf":0}}],
      "workers":[{"lcore":1,"queue":0,"rx_packets":123456,"rx_bytes":99,"polls":1000,"idle_polls":250}],
      "warnings":["no hugepages available"],
      "forwarding":{"connections":3,"connection_capacity":262144,"forwarded":9,"arp_replies":1,
                    "icmp_echo_replies":0,"drops":{"no_backend":0,"arp_not_for_us":18}},
      "services":[{"name":"web","vip":"198.18.0.100","port":80,"protocol":"tcp","scheduler":"wrr","method":"nat",
                   "stats":{"connections":3,"packets_in":9,"packets_out":6},
                   "backends":[{"address":"198.18.1.11","port":80,"weight":2,"active_connections":1,
                                "inactive_connections":0,"stats":{"connections":3,"packets_in":9,"packets_out":6}}]}]})");
    const auto text = render_status(st);
    EXPECT_NE(text.find("sluiced 0.1.0 on node 'lb1', pid 12, up 1h 2m 5s"), std::string::npos) << text;
    EXPECT_NE(text.find("no hugepages (--no-huge)"), std::string::npos);
    EXPECT_NE(text.find("front  net_af_packet0,iface=front0"), std::string::npos) << text;
    EXPECT_NE(text.find("123.5K"), std::string::npos) << text;
    EXPECT_NE(text.find("25.0%"), std::string::npos) << text;
    EXPECT_NE(text.find("  - no hugepages available"), std::string::npos);
    EXPECT_NE(text.find("web      198.18.0.100:80  tcp    wrr    nat"), std::string::npos) << text;
    EXPECT_NE(text.find("  ->     198.18.1.11:80"), std::string::npos) << text;
    EXPECT_NE(text.find("drops: arp_not_for_us 18\n"), std::string::npos) << text;
    EXPECT_NE(text.find("connections: 3 of 262.1K"), std::string::npos) << text;
}

TEST(StatusView, HumanUnits) {
    EXPECT_EQ(human_count(9999), "9999");
    EXPECT_EQ(human_count(10000), "10.0K");
    EXPECT_EQ(human_count(2500000), "2.5M");
    EXPECT_EQ(human_duration(5), "5s");
    EXPECT_EQ(human_duration(90061), "1d 1h 1m 1s");
}

}  // namespace
}  // namespace sluice::cli
