#include "controlplane/dataplane_settings.h"

#include <gtest/gtest.h>

namespace sluice::controlplane {
namespace {

TEST(DataplaneSettings, CopiesTheDataplaneSection) {
    config::Config c;
    c.global.node_name = "lb7";
    c.dataplane.main_lcore = 0;
    c.dataplane.lcores = {1, 2};
    c.dataplane.hugepages = config::Hugepages::off;
    c.dataplane.memory_mb = 300;
    c.dataplane.idle = config::IdleMode::busy;
    c.dataplane.eal_args = {"--foo"};
    config::Port p;
    p.name = "front";
    p.device = "net_null0";
    c.dataplane.ports.push_back(p);

    auto s = to_dataplane_settings(c);
    EXPECT_EQ(s.node_name, "lb7");
    EXPECT_EQ(s.worker_lcores, (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(s.hugepages, dataplane::HugepageMode::disabled);
    EXPECT_EQ(s.memory_mb, 300u);
    EXPECT_EQ(s.idle, dataplane::IdleMode::busy);
    EXPECT_EQ(s.eal_args, (std::vector<std::string>{"--foo"}));
    ASSERT_EQ(s.ports.size(), 1u);
    EXPECT_EQ(s.ports[0].name, "front");
    EXPECT_EQ(s.ports[0].device, "net_null0");
    EXPECT_FALSE(s.verbose_eal);
    c.global.log_level = config::LogLevel::debug;
    EXPECT_TRUE(to_dataplane_settings(c).verbose_eal);
}

}  // namespace
}  // namespace sluice::controlplane
