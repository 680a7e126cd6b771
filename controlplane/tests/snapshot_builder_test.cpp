#include "controlplane/snapshot_builder.h"

#include <gtest/gtest.h>

#include "controlplane/config/loader.h"

namespace sluice::controlplane {
namespace {

TEST(SnapshotBuilder, CompilesTheShippedConfig) {
    const auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    ASSERT_TRUE(loaded.ok());
    const auto& cfg = *loaded.config;
    SnapshotInputs in{{0, 1},
                      {dataplane::packet::MacAddr{{2, 0, 0, 0, 0, 1}},
                       dataplane::packet::MacAddr{{2, 0, 0, 0, 0, 2}}},
                      7,
                      nullptr,
                      {}};
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
    EXPECT_EQ(
        snap->timeouts[0].tcp[static_cast<std::size_t>(dataplane::conn::TcpState::established)],
        42u);
    EXPECT_EQ(snap->timeouts[0].udp, 7u);
}

TEST(SnapshotBuilder, SloppyTcpReachesTheWorkers) {
    auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    ASSERT_TRUE(loaded.ok());
    auto cfg = *loaded.config;
    std::string error;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    auto off = build_snapshot(cfg, {{0, 1}, {{}, {}}, 1, nullptr, {}}, slots, error);
    ASSERT_TRUE(off) << error;
    EXPECT_FALSE(off->sloppy_tcp);
    cfg.dataplane.sloppy_tcp = true;
    auto on = build_snapshot(cfg, {{0, 1}, {{}, {}}, 2, off.get(), {}}, slots, error);
    ASSERT_TRUE(on) << error;
    EXPECT_TRUE(on->sloppy_tcp);
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

// ---- health: BackendStates, sorry server, reset_on_backend_down ---------------

config::Config shipped_config() {
    auto loaded = config::load_file(SLUICE_SOURCE_ROOT "/config.toml");
    EXPECT_TRUE(loaded.ok());
    return *loaded.config;
}

BackendKey key_of(const config::VirtualServer& vs, std::size_t i) {
    return {vs.name, vs.real_servers[i].address.value, vs.real_servers[i].port};
}

std::unique_ptr<dataplane::forward::Snapshot> build(
    const config::Config& cfg, SlotAllocator& slots, const BackendStates* states,
    std::uint64_t generation = 1, const dataplane::forward::Snapshot* previous = nullptr) {
    SnapshotInputs in{{0, 1}, {{}, {}}, generation, previous, {}, states};
    std::string error;
    auto snap = build_snapshot(cfg, in, slots, error);
    EXPECT_TRUE(snap) << error;
    return snap;
}

TEST(SnapshotBuilder, BackendStatesDecideHealthAndWeight) {
    auto cfg = shipped_config();
    auto& vs = cfg.virtual_servers[0];
    ASSERT_EQ(vs.real_servers.size(), 3u);
    vs.real_servers[1].inhibit_on_failure = true;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);

    // No states, or a real server missing from them: up with the configured weight.
    const auto plain = build(cfg, slots, nullptr);
    const BackendStates empty;
    const auto none = build(cfg, slots, &empty);
    for (const auto* snap : {plain.get(), none.get()}) {
        const auto& sv = snap->services[0];
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_TRUE(sv.backends[i].up) << i;
            EXPECT_EQ(sv.backends[i].weight, vs.real_servers[i].weight) << i;
            EXPECT_TRUE(sv.scheduler->is_eligible(static_cast<std::uint32_t>(i))) << i;
        }
        EXPECT_FALSE(sv.sorry_index);
        EXPECT_FALSE(sv.reset_on_backend_down);
    }

    BackendStates states;
    states[key_of(vs, 0)] = {false, std::nullopt};  // down: keeps its weight, not eligible
    states[key_of(vs, 1)] = {false, 9};             // down with inhibit_on_failure: weight 0
    states[key_of(vs, 2)] = {true, 7};              // up with a dynamic weight
    states[{"other", vs.real_servers[0].address.value, vs.real_servers[0].port}] = {false,
                                                                                    std::nullopt};
    const auto snap = build(cfg, slots, &states);
    const auto& sv = snap->services[0];
    ASSERT_EQ(sv.backends.size(), 3u);  // down ones stay listed: indices never shift
    EXPECT_FALSE(sv.backends[0].up);
    EXPECT_EQ(sv.backends[0].weight, vs.real_servers[0].weight);
    EXPECT_FALSE(sv.backends[1].up);
    EXPECT_EQ(sv.backends[1].weight, 0u);
    EXPECT_TRUE(sv.backends[2].up);
    EXPECT_EQ(sv.backends[2].weight, 7u);
    const auto infos = sv.scheduler->backends();
    ASSERT_EQ(infos.size(), 3u);
    EXPECT_EQ(infos[0].weight, vs.real_servers[0].weight);
    EXPECT_FALSE(infos[0].available);
    EXPECT_EQ(infos[1].weight, 0u);
    EXPECT_FALSE(infos[1].available);
    EXPECT_EQ(infos[2].weight, 7u);
    EXPECT_TRUE(infos[2].available);
    EXPECT_FALSE(sv.scheduler->is_eligible(0));
    EXPECT_FALSE(sv.scheduler->is_eligible(1));
    EXPECT_TRUE(sv.scheduler->is_eligible(2));
    // Slots do not depend on health.
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(sv.backends[i].slot, plain->services[0].backends[i].slot);
    }
    // The default keeps connections of down backends.
    EXPECT_FALSE(snap->must_reset(sv.backends[0].slot));

    // A runtime weight above the LVS limit is clamped, not an error.
    states[key_of(vs, 2)] = {true, 1u << 20};
    EXPECT_EQ(build(cfg, slots, &states)->services[0].backends[2].weight, 65535u);
}

TEST(SnapshotBuilder, ResetOnBackendDownMarksTheDownBackendsSlots) {
    auto cfg = shipped_config();
    auto& vs = cfg.virtual_servers[0];
    vs.reset_on_backend_down = true;
    vs.real_servers[2].inhibit_on_failure = true;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    BackendStates states;
    states[key_of(vs, 0)] = {false, std::nullopt};
    states[key_of(vs, 2)] = {false, std::nullopt};
    const auto snap = build(cfg, slots, &states);
    const auto& sv = snap->services[0];
    EXPECT_TRUE(sv.reset_on_backend_down);
    EXPECT_TRUE(snap->must_reset(sv.backends[0].slot));
    EXPECT_FALSE(snap->must_reset(sv.backends[1].slot));
    EXPECT_TRUE(snap->must_reset(sv.backends[2].slot));  // inhibited or not: it is down
    // An ownership change keeps the marks (with_ownership re-finalizes).
    const auto master = with_ownership(*snap, cfg, {}, 2);
    EXPECT_TRUE(master->must_reset(sv.backends[0].slot));
    // Back up: nothing to reset.
    states.clear();
    const auto up = build(cfg, slots, &states);
    EXPECT_FALSE(up->must_reset(sv.backends[0].slot));
    EXPECT_FALSE(up->must_reset(sv.backends[2].slot));
}

TEST(SnapshotBuilder, SorryServerFollowsTheRealServersWithItsOwnSlot) {
    auto cfg = shipped_config();
    auto& vs = cfg.virtual_servers[0];
    vs.reset_on_backend_down = true;
    config::RealServer sorry;
    sorry.address = *common::Ipv4Addr::parse("198.18.1.99");
    sorry.port = 0;  // built in code: defaults to the service's port
    vs.sorry_server = sorry;
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    BackendStates states;
    for (std::size_t i = 0; i < vs.real_servers.size(); ++i) {
        states[key_of(vs, i)] = {false, std::nullopt};
    }
    const auto snap = build(cfg, slots, &states);
    const auto& sv = snap->services[0];
    ASSERT_EQ(sv.backends.size(), 4u);
    ASSERT_TRUE(sv.sorry_index);
    EXPECT_EQ(*sv.sorry_index, 3u);
    const auto& b = sv.backends[3];
    EXPECT_EQ(b.ip, sorry.address);
    EXPECT_EQ(b.port, vs.port);
    EXPECT_TRUE(b.up);
    EXPECT_EQ(b.out_port, 1);
    EXPECT_EQ(b.next_hop, sorry.address);
    EXPECT_EQ(b.slot, *slots.backend(vs.name, sorry.address.value, vs.port));
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NE(sv.backends[i].slot, b.slot);
    }
    EXPECT_EQ(sv.scheduler->backend_count(), 3u);  // the sorry server is never scheduled
    EXPECT_FALSE(snap->must_reset(b.slot));
    EXPECT_TRUE(snap->must_reset(sv.backends[0].slot));

    // An explicit port, and a slot that survives reloads.
    vs.sorry_server->port = 8080;
    const auto again = build(cfg, slots, &states, 2);
    EXPECT_EQ(again->services[0].backends[3].port, 8080);
    const auto third = build(cfg, slots, nullptr, 3);
    EXPECT_EQ(third->services[0].backends[3].slot, again->services[0].backends[3].slot);
}

// 23 equal Maglev backends.
config::Config maglev_config() {
    auto cfg = shipped_config();
    auto& vs = cfg.virtual_servers[0];
    vs.lb_algo = config::Scheduler::mh;
    for (auto& rs : vs.real_servers) {
        rs.weight = 1;
    }
    for (std::uint32_t i = 20; i < 40; ++i) {
        auto rs = vs.real_servers[0];
        rs.address = common::Ipv4Addr{0xc6120100u + i};
        vs.real_servers.push_back(rs);
    }
    return cfg;
}

TEST(SnapshotBuilder, MaglevDownBackendMovesOnlyItsOwnSlots) {
    for (const bool inhibit : {false, true}) {
        auto cfg = maglev_config();
        auto& vs = cfg.virtual_servers[0];
        vs.real_servers[5].inhibit_on_failure = inhibit;
        SlotAllocator slots(dataplane::forward::kMaxServiceSlots,
                            dataplane::forward::kMaxBackendSlots);
        const auto first = build(cfg, slots, nullptr, 1);
        BackendStates states;
        states[key_of(vs, 5)] = {false, std::nullopt};
        const auto down = build(cfg, slots, &states, 2, first.get());
        states.clear();
        const auto back = build(cfg, slots, &states, 3, down.get());
        const auto* a = first->services[0].scheduler->maglev_table();
        const auto* b = down->services[0].scheduler->maglev_table();
        const auto* c = back->services[0].scheduler->maglev_table();
        ASSERT_TRUE(a && b && c);
        ASSERT_EQ(a->size(), b->size());
        // Indices are stable (the down backend stays listed): compare them directly.
        std::size_t owned = 0;
        std::size_t moved = 0;
        for (std::uint32_t slot = 0; slot < a->size(); ++slot) {
            owned += a->slots()[slot] == 5 ? 1u : 0u;
            EXPECT_NE(b->slots()[slot], 5) << slot;
            if (a->slots()[slot] != b->slots()[slot]) {
                ++moved;
                EXPECT_EQ(a->slots()[slot], 5) << slot;
            }
        }
        EXPECT_GT(owned, 0u);
        EXPECT_EQ(moved, owned) << "inhibit " << inhibit;
        // Coming back takes slots only for itself.
        std::size_t returned = 0;
        for (std::uint32_t slot = 0; slot < b->size(); ++slot) {
            if (b->slots()[slot] != c->slots()[slot]) {
                ++returned;
                EXPECT_EQ(c->slots()[slot], 5) << slot;
            }
        }
        EXPECT_GT(returned, 0u);
    }
}

TEST(SnapshotBuilder, HealthChangesKeepTheServicesGeneration) {
    auto cfg = shipped_config();
    auto& vs = cfg.virtual_servers[0];
    SlotAllocator slots(dataplane::forward::kMaxServiceSlots, dataplane::forward::kMaxBackendSlots);
    const auto first = build(cfg, slots, nullptr, 1);
    BackendStates states;
    states[key_of(vs, 0)] = {false, std::nullopt};
    states[key_of(vs, 1)] = {true, 5};
    const auto down = build(cfg, slots, &states, 2, first.get());
    EXPECT_EQ(down->generation, 2u);
    EXPECT_EQ(down->services_generation, 1u);  // same backends at the same indices
    // Another backend list: workers must forget what they derived from indices.
    vs.real_servers.pop_back();
    const auto fewer = build(cfg, slots, &states, 3, down.get());
    EXPECT_EQ(fewer->services_generation, 3u);
    // New timeouts: profiles are reinstalled.
    vs.timeouts.udp = 11;
    const auto timeouts = build(cfg, slots, &states, 4, fewer.get());
    EXPECT_EQ(timeouts->services_generation, 4u);
}

}  // namespace
}  // namespace sluice::controlplane
