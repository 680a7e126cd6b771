#include "controlplane/status_json.h"

#include <gtest/gtest.h>

namespace sluice::controlplane {
namespace {

TEST(StatusJson, CarriesPortsWorkersAndWarnings) {
    StatusInfo info;
    info.version = "0.1.0";
    info.node_name = "lb1";
    info.pid = 42;
    info.config_file = "/etc/sluice/config.toml";
    dataplane::PortStatus p;
    p.id = 0;
    p.name = "front";
    p.device = "net_af_packet0,iface=front0";
    p.ipackets = 7;
    p.imissed = 1;
    info.ports.push_back(p);
    dataplane::WorkerStatus w;
    w.lcore = 1;
    w.rx_packets = 7;
    w.polls = 100;
    info.workers.push_back(w);
    info.warnings.push_back("no hugepages");

    const auto j = status_to_json(info);
    EXPECT_EQ(j["api_version"], 1);
    EXPECT_EQ(j["node_name"], "lb1");
    EXPECT_EQ(j["pid"], 42);
    EXPECT_EQ(j["ports"][0]["name"], "front");
    EXPECT_EQ(j["ports"][0]["stats"]["ipackets"], 7u);
    EXPECT_EQ(j["ports"][0]["stats"]["imissed"], 1u);
    EXPECT_EQ(j["workers"][0]["lcore"], 1u);
    EXPECT_EQ(j["workers"][0]["rx_packets"], 7u);
    EXPECT_EQ(j["warnings"][0], "no hugepages");
}

TEST(StatusJson, ForwardingCarriesSorryAndResetCounters) {
    StatusInfo info;
    info.forward.sorry = 3;
    info.forward.resets_sent = 2;
    info.forward.drops[static_cast<std::size_t>(dataplane::forward::DropReason::backend_reset)] = 5;
    const auto j = status_to_json(info);
    EXPECT_EQ(j["forwarding"]["sorry"], 3u);
    EXPECT_EQ(j["forwarding"]["resets_sent"], 2u);
    EXPECT_EQ(j["forwarding"]["drops"]["backend_reset"], 5u);
    EXPECT_EQ(j["forwarding"]["drops"]["no_backend"], 0u);
}

}  // namespace
}  // namespace sluice::controlplane
