#include "vrrp/counters.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::vrrp {
namespace {

TEST(VrrpCounters, StartAtZero) {
    const InstanceCounters c;
    std::size_t n = 0;
    for_each_counter(c, [&](std::string_view, std::uint64_t v) {
        EXPECT_EQ(v, 0u);
        ++n;
    });
    EXPECT_EQ(n, kScalarCounterCount);
    EXPECT_EQ(c.total_drops(), 0u);
}

TEST(VrrpCounters, NamesAreDistinctAndStable) {
    InstanceCounters c;
    c.garps_sent = 7;
    std::vector<std::string> names;
    for_each_counter(c, [&](std::string_view name, std::uint64_t v) {
        names.emplace_back(name);
        if (name == "garps_sent") {
            EXPECT_EQ(v, 7u);
        }
    });
    EXPECT_EQ(names, (std::vector<std::string>{
                         "adverts_sent", "adverts_received", "became_master", "released_master",
                         "priority_zero_sent", "priority_zero_received", "garps_sent",
                         "addresses_differ", "send_failed", "peer_unresolved"}));
    std::set<std::string> all(names.begin(), names.end());
    std::size_t drops = 0;
    for_each_drop(c, [&](std::string_view name, std::uint64_t) {
        EXPECT_NE(name, "ok");
        EXPECT_TRUE(all.insert(std::string(name)).second) << name;
        ++drops;
    });
    EXPECT_EQ(drops, kRxDropCount - 1);
}

TEST(VrrpCounters, MapHasEveryCounterOnce) {
    InstanceCounters c;
    c.adverts_sent = 3;
    ++c.drop(RxDrop::own_advert);
    const auto m = counters_to_map(c);
    EXPECT_EQ(m.size(), kScalarCounterCount + kRxDropCount - 1);
    EXPECT_EQ(m.at("adverts_sent"), 3u);
    EXPECT_EQ(m.at("own_advert"), 1u);
    EXPECT_EQ(m.at("wrong_destination"), 0u);
    EXPECT_EQ(m.count("ok"), 0u);
}

TEST(VrrpCounters, DropsAreIndexedByReason) {
    InstanceCounters c;
    ++c.drop(RxDrop::bad_ttl);
    ++c.drop(RxDrop::bad_ttl);
    ++c.drop(RxDrop::unknown_peer);
    EXPECT_EQ(c.drop(RxDrop::bad_ttl), 2u);
    EXPECT_EQ(c.drops[drop_index(RxDrop::unknown_peer)], 1u);
    EXPECT_EQ(c.total_drops(), 3u);
    for_each_drop(c, [&](std::string_view name, std::uint64_t v) {
        if (name == "bad_ttl") {
            EXPECT_EQ(v, 2u);
        }
    });
}

TEST(VrrpCounters, CountReceived) {
    InstanceCounters c;
    RxResult r;
    r.advert.priority = 100;
    count_received(c, r);
    r.advert.priority = 0;
    r.addresses_differ = true;
    count_received(c, r);
    RxResult dropped;
    dropped.drop = RxDrop::auth_mismatch;
    count_received(c, dropped);
    EXPECT_EQ(c.adverts_received, 2u);
    EXPECT_EQ(c.priority_zero_received, 1u);
    EXPECT_EQ(c.addresses_differ, 1u);
    EXPECT_EQ(c.drop(RxDrop::auth_mismatch), 1u);
    EXPECT_EQ(c.total_drops(), 1u);
}

TEST(VrrpCounters, CountActionsOverAnInstanceLife) {
    Config cfg;
    cfg.version = 3;
    cfg.priority = 100;
    cfg.primary_address = common::Ipv4Addr{0x0a000005};
    Instance inst(cfg);
    InstanceCounters c;
    auto run = [&](auto&& event) {
        const State before = inst.state();
        const Actions a = event();
        count_actions(c, a, before, inst.state());
    };
    run([&] { return inst.start(0); });
    run([&] { return inst.on_timer(*inst.next_deadline()); });  // takeover
    run([&] { return inst.on_timer(*inst.next_deadline()); });  // periodic advert
    run([&] { return inst.shutdown(*inst.next_deadline()); });  // priority 0
    EXPECT_EQ(c.became_master, 1u);
    EXPECT_EQ(c.released_master, 1u);
    EXPECT_EQ(c.adverts_sent, 3u);
    EXPECT_EQ(c.priority_zero_sent, 1u);
    EXPECT_EQ(c.garps_sent, 0u);  // the sender counts frames
}

}  // namespace
}  // namespace sluice::vrrp
