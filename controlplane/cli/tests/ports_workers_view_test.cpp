#include <gtest/gtest.h>

#include "controlplane/cli/ports_view.h"
#include "controlplane/cli/workers_view.h"

namespace sluice::cli {
namespace {

const char* kStatus = R"({"ports":[
  {"name":"front","link_up":true,"link_speed_mbps":10000,
   "stats":{"ipackets":100,"opackets":90,"ibytes":6400,"obytes":5000,"imissed":3,"ierrors":1,"oerrors":0,
            "rx_nombuf":2}},
  {"name":"back","link_up":false,"link_speed_mbps":0,"stats":{"ipackets":0,"imissed":0}}],
 "workers":[{"lcore":1,"queue":0,"rx_packets":5000,"connections":12,"polls":100,"idle_polls":75,
   "rx_packets_per_s":250.0,"tx_packets_per_s":240.0,"busy_share":0.25,"window_s":9.0},
  {"lcore":2,"queue":1,"rx_packets":0,"connections":0}]})";

TEST(PortsView, LinkAndCountersWithImissed) {
    const auto text = render_ports(nlohmann::json::parse(kStatus));
    EXPECT_NE(text.find("imissed"), std::string::npos) << text;
    EXPECT_NE(
        text.find(
            "front     up 10000M            100        6400          90        5000           3"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("back      DOWN"), std::string::npos) << text;
}

TEST(WorkersView, PacketsPerSecondAndBusyShare) {
    const auto text = render_workers(nlohmann::json::parse(kStatus));
    EXPECT_NE(text.find("     1     0          5000         250         240   25.0%           12"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("     2     1             0           -           -       -"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("rates over the last 9 s"), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice::cli
