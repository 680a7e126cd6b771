#include "controlplane/snapshot_builder.h"

#include <gtest/gtest.h>

#include "controlplane/config/loader.h"

namespace sluice::controlplane {
namespace {

TEST(SnapshotBuilder, CompilesTheShippedConfig) {
    const auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    ASSERT_TRUE(loaded.ok());
    const auto& cfg = *loaded.config;
    SnapshotInputs in{{0, 1}, {dataplane::packet::MacAddr{{2, 0, 0, 0, 0, 1}}, dataplane::packet::MacAddr{{2, 0, 0, 0, 0, 2}}}, 7, nullptr, {}};
    std::string error;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    auto snap = build_snapshot(cfg, in, slots, error);
    ASSERT_TRUE(snap) << error;
    EXPECT_EQ(snap->generation, 7u);
    ASSERT_EQ(snap->ports.size(), 2u);
    EXPECT_EQ(snap->ports[1].mac, (dataplane::packet::MacAddr{{2, 0, 0, 0, 0, 2}}));
    ASSERT_EQ(snap->services.size(), cfg.virtual_servers.size());
    const auto& web = snap->services[0];
    EXPECT_EQ(web.vip.to_string(), "198.18.0.100");
    EXPECT_EQ(web.port, 80);
    EXPECT_EQ(web.proto, 6);
    EXPECT_EQ(web.in_port, 0);
    ASSERT_EQ(web.backends.size(), 3u);
    EXPECT_EQ(web.backends[0].ip.to_string(), "198.18.1.11");
    EXPECT_EQ(web.backends[0].out_port, 1);  // on the back LAN
    EXPECT_EQ(web.backends[0].next_hop, web.backends[0].ip);
    EXPECT_EQ(web.backends[2].slot, 2u);
    ASSERT_TRUE(web.scheduler.has_value());
    EXPECT_EQ(web.scheduler->backend_count(), 3u);
    // VI_1 lists the VIP and is not master (no ownership given): not owned.
    EXPECT_FALSE(snap->owns_vip(web.vip.value));
    EXPECT_TRUE(snap->is_vip(web.vip.value));
    EXPECT_EQ(snap->find_service(web.vip.value, 80, 6), &snap->services[0]);
    EXPECT_EQ(snap->find_service(web.vip.value, 81, 6), nullptr);
    EXPECT_EQ(snap->timeouts.size(), snap->services.size());
}

TEST(SnapshotBuilder, TimeoutsFollowTheServiceSettings) {
    auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    ASSERT_TRUE(loaded.ok());
    auto cfg = *loaded.config;
    cfg.virtual_servers[0].timeouts.tcp_established = 42;
    cfg.virtual_servers[0].timeouts.udp = 7;
    std::string error;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    auto snap = build_snapshot(cfg, {{0, 1}, {{}, {}}, 1, nullptr, {}}, slots, error);
    ASSERT_TRUE(snap) << error;
    EXPECT_EQ(snap->timeouts[0].tcp[static_cast<std::size_t>(dataplane::conn::TcpState::established)], 42u);
    EXPECT_EQ(snap->timeouts[0].udp, 7u);
}

TEST(SnapshotBuilder, SlotsSurviveReorderingAndRemoval) {
    auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    ASSERT_TRUE(loaded.ok());
    auto cfg = *loaded.config;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    std::string error;
    auto first = build_snapshot(cfg, {{0, 1}, {{}, {}}, 1, nullptr, {}}, slots, error);
    ASSERT_TRUE(first) << error;
    const auto be3_slot = first->services[0].backends[2].slot;
    // Drop the first real server and reweight another: the rest keep their slots.
    cfg.virtual_servers[0].real_servers.erase(cfg.virtual_servers[0].real_servers.begin());
    cfg.virtual_servers[0].real_servers[0].weight = 0;
    auto second = build_snapshot(cfg, {{0, 1}, {{}, {}}, 2, nullptr, {}}, slots, error);
    ASSERT_TRUE(second) << error;
    EXPECT_EQ(second->services[0].slot, first->services[0].slot);
    EXPECT_EQ(second->services[0].backends[1].slot, be3_slot);
    EXPECT_EQ(second->services[0].backends[0].weight, 0u);
    EXPECT_EQ(second->services[0].backends[0].slot, first->services[0].backends[1].slot);
}

TEST(SnapshotBuilder, MaglevServicesMoveOnlyTheRemovedBackendsSlotsOnReload) {
    auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    ASSERT_TRUE(loaded.ok());
    auto cfg = *loaded.config;
    auto& vs = cfg.virtual_servers[0];
    vs.lb_algo = config::Scheduler::mh;
    for (auto& rs : vs.real_servers) {
        rs.weight = 1;
    }
    for (std::uint32_t i = 20; i < 40; ++i) {  // 23 equal backends
        auto rs = vs.real_servers[0];
        rs.address = common::Ipv4Addr{0xc6120100u + i};
        vs.real_servers.push_back(rs);
    }
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    std::string error;
    auto first = build_snapshot(cfg, {{0, 1}, {{}, {}}, 1, nullptr, {}}, slots, error);
    ASSERT_TRUE(first) << error;
    const auto removed = vs.real_servers[5].address.value;
    vs.real_servers.erase(vs.real_servers.begin() + 5);
    auto second = build_snapshot(cfg, {{0, 1}, {{}, {}}, 2, first.get(), {}}, slots, error);
    ASSERT_TRUE(second) << error;
    const auto* a = first->services[0].scheduler->maglev_table();
    const auto* b = second->services[0].scheduler->maglev_table();
    ASSERT_TRUE(a && b);
    // Compare owners by address: indices shift when a backend is removed.
    const auto& ba = first->services[0].backends;
    const auto& bb = second->services[0].backends;
    std::size_t moved = 0;
    for (std::uint32_t slot = 0; slot < a->size(); ++slot) {
        const auto before = ba[a->slots()[slot]].ip.value;
        const auto after = bb[b->slots()[slot]].ip.value;
        if (before != after) {
            ++moved;
            EXPECT_EQ(before, removed) << slot;
        }
    }
    EXPECT_GT(moved, 0u);
}

TEST(SlotAllocator, RunsOutCleanly) {
    SlotAllocator slots(1, 1);
    EXPECT_EQ(slots.service("a"), 0u);
    EXPECT_EQ(slots.service("a"), 0u);
    EXPECT_FALSE(slots.service("b"));
    EXPECT_EQ(slots.backend("a", 1, 80), 0u);
    EXPECT_FALSE(slots.backend("a", 2, 80));
}

TEST(SnapshotBuilder, VipOwnershipFollowsVrrp) {
    auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    ASSERT_TRUE(loaded.ok());
    auto cfg = *loaded.config;
    const auto vip = common::Ipv4Addr::parse("198.18.0.100")->value;
    const auto gw = common::Ipv4Addr::parse("198.18.1.1")->value;
    std::string error;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    auto none = build_snapshot(cfg, {{0, 1}, {{}, {}}, 1, nullptr, {}}, slots, error);
    ASSERT_TRUE(none) << error;
    EXPECT_FALSE(none->owns_vip(vip));
    EXPECT_FALSE(none->owns_vip(gw));
    EXPECT_TRUE(none->is_vip(gw));  // a VRRP address is a VIP even when not held

    const dataplane::packet::MacAddr vmac{{0, 0, 0x5e, 0, 1, 52}};
    VrrpOwnership held{{vip, gw}, {{gw, vmac}}};
    auto master = with_ownership(*none, cfg, held, 2);
    EXPECT_EQ(master->generation, 2u);
    EXPECT_EQ(master->services_generation, none->services_generation);
    EXPECT_TRUE(master->owns_vip(vip));
    EXPECT_TRUE(master->owns_vip(gw));
    ASSERT_NE(master->vip_mac(gw), nullptr);
    EXPECT_EQ(*master->vip_mac(gw), vmac);
    EXPECT_EQ(master->vip_mac(vip), nullptr);
    ASSERT_EQ(master->services.size(), none->services.size());

    // Without VRRP instances every service VIP is owned, as before VRRP existed.
    cfg.vrrp_instances.clear();
    auto plain = build_snapshot(cfg, {{0, 1}, {{}, {}}, 3, nullptr, {}}, slots, error);
    ASSERT_TRUE(plain) << error;
    EXPECT_TRUE(plain->owns_vip(vip));
    EXPECT_FALSE(plain->is_vip(gw));
    EXPECT_EQ(plain->services_generation, 3u);
}

}  // namespace
}  // namespace sluice::controlplane
