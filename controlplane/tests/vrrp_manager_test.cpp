// Two VrrpManagers on one simulated LAN with an injected clock, no EAL and no
// sockets: every frame one sends reaches the other (unless the link is cut),
// so elections, failover, priority 0, tracking, sync groups and reloads are
// checked end to end through the real receive path and frame builder.
#include "controlplane/vrrp_manager.h"

#include <gtest/gtest.h>

#include <deque>
#include <sstream>

#include "controlplane/config/loader.h"
#include "dataplane/packet/arp.h"
#include "vrrp/advert.h"
#include "vrrp/advert_frame.h"

namespace sluice::controlplane {
namespace {

using vrrp::State;
namespace packet = dataplane::packet;

constexpr std::uint64_t kMs = 1000;
constexpr std::uint64_t kS = 1'000'000;

std::string node_config(const std::string& address, int priority, const std::string& extra_instance = "",
                        const std::string& extra = "") {
    return R"([dataplane]
lcores = [1]
[[dataplane.port]]
name = "front"
device = "net_null0"
role = "front"
addresses = [")" + address + R"(/24"]
[[dataplane.port]]
name = "back"
device = "net_null1"
role = "back"
addresses = ["198.18.1.)" + address.substr(address.rfind('.') + 1) + R"(/24"]
[[vrrp_instance]]
name = "VI_1"
interface = "front"
virtual_router_id = 51
priority = )" + std::to_string(priority) + R"(
advert_int = 1
version = 3
virtual_ipaddress = ["198.18.0.100/24"]
)" + extra_instance + "\n" + extra;
}

config::Config load(const std::string& text) {
    auto r = config::load_string(text, "t.toml");
    std::string errors;
    for (const auto& d : r.diagnostics) errors += d.to_string() + "\n";
    EXPECT_TRUE(r.ok()) << errors;
    return r.ok() ? *r.config : config::Config{};
}

struct Node;

struct Lan {
    std::vector<Node*> nodes;
    bool cut = false;  // drop everything (a dead peer, or a partition)
};

struct Node {
    Node(Lan& lan_ref, std::string address, packet::MacAddr mac_addr)
        : lan(lan_ref), ip(std::move(address)), mac(mac_addr), log(log_text, "test"),
          manager(log, nullptr, io()) {
        lan.nodes.push_back(this);
    }

    VrrpIo io() {
        VrrpIo i;
        i.send_frame = [this](std::uint16_t port, std::span<const std::uint8_t> frame) {
            sent.emplace_back(frame.begin(), frame.end());
            if (port == 0 && !lan.cut && alive) {
                for (Node* other : lan.nodes) {
                    if (other != this && other->alive) other->inbox.emplace_back(frame.begin(), frame.end());
                }
            }
            return true;
        };
        i.ownership_changed = [this] { ++ownership_changes; };
        i.link_up = [](std::uint16_t) { return true; };
        i.service_up = [this](const std::string&) { return service_ok; };
        return i;
    }

    void configure(const config::Config& c, std::uint64_t now) {
        cfg = c;
        std::vector<VrrpPort> ports;
        for (std::size_t p = 0; p < c.dataplane.ports.size(); ++p) {
            auto m = mac;
            m.bytes[5] = static_cast<std::uint8_t>(m.bytes[5] + p);
            ports.push_back({c.dataplane.ports[p].name, m, c.dataplane.ports[p].addresses});
        }
        manager.configure(c, ports, now);
    }

    void deliver(std::uint64_t now) {
        while (!inbox.empty()) {
            auto f = std::move(inbox.front());
            inbox.pop_front();
            manager.on_frame(0, f, now);
        }
    }

    bool holds_vip() const {
        const auto o = manager.ownership();
        return std::find(o.held.begin(), o.held.end(), common::Ipv4Addr::parse("198.18.0.100")->value) !=
               o.held.end();
    }

    std::size_t garps_sent() const {
        std::size_t n = 0;
        for (const auto& f : sent) {
            if (f.size() >= 14 && f[12] == 0x08 && f[13] == 0x06) ++n;
        }
        return n;
    }

    Lan& lan;
    std::string ip;
    packet::MacAddr mac;
    std::ostringstream log_text;
    Logger log;
    VrrpManager manager;
    config::Config cfg;
    std::deque<std::vector<std::uint8_t>> inbox;
    std::vector<std::vector<std::uint8_t>> sent;
    int ownership_changes = 0;
    bool alive = true;
    bool service_ok = true;
};

// Runs both nodes in 1 ms steps from `from` to `to`; returns `to`.
std::uint64_t run(Lan& lan, std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t t = from; t <= to; t += kMs) {
        for (Node* n : lan.nodes) {
            if (!n->alive) continue;
            n->deliver(t);
            n->manager.poll(t);
        }
    }
    return to;
}

// The first time in [from, to] at which `n` is in `state`, stepping 1 ms.
std::optional<std::uint64_t> run_until(Lan& lan, Node& n, State state, std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t t = from; t <= to; t += kMs) {
        for (Node* x : lan.nodes) {
            if (!x->alive) continue;
            x->deliver(t);
            x->manager.poll(t);
        }
        if (n.manager.state_of("VI_1") == state) return t;
    }
    return std::nullopt;
}

const packet::MacAddr kMac1{{0x02, 0, 0, 0, 0, 0x02}};
const packet::MacAddr kMac2{{0x02, 0, 0, 0, 0, 0x03}};

TEST(VrrpManager, HigherPriorityWinsAndOnlyTheMasterHoldsTheVip) {
    Lan lan;
    Node a(lan, "198.18.0.2", kMac1), b(lan, "198.18.0.3", kMac2);
    a.configure(load(node_config("198.18.0.2", 150)), 0);
    b.configure(load(node_config("198.18.0.3", 100)), 0);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::backup);
    const auto t = run_until(lan, a, State::master, 0, 5 * kS);
    ASSERT_TRUE(t);
    // Master_Down for priority 150 at 1 s: 3 s + (256-150)/256 s = 3.414 s.
    EXPECT_GE(*t, 3414 * kMs);
    EXPECT_LE(*t, 3416 * kMs);
    run(lan, *t, *t + 3 * kS);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::master);
    EXPECT_EQ(b.manager.state_of("VI_1"), State::backup);
    EXPECT_TRUE(a.holds_vip());
    EXPECT_FALSE(b.holds_vip());
    EXPECT_GE(a.ownership_changes, 1);
    // garp_master_repeat = 5 gratuitous ARPs at once.
    EXPECT_EQ(a.garps_sent(), 5u);
    const auto st = b.manager.status(*t + 3 * kS);
    EXPECT_EQ(st["instances"][0]["master_address"], "198.18.0.2");
    EXPECT_GE(st["instances"][0]["counters"]["adverts_received"].get<std::uint64_t>(), 3u);
    EXPECT_NE(a.log_text.str().find("(VI_1) Entering MASTER STATE"), std::string::npos);
    EXPECT_NE(b.log_text.str().find("(VI_1) Entering BACKUP STATE"), std::string::npos);
}

TEST(VrrpManager, BackupTakesOverAfterMasterDownWhenTheMasterDies) {
    Lan lan;
    Node a(lan, "198.18.0.2", kMac1), b(lan, "198.18.0.3", kMac2);
    a.configure(load(node_config("198.18.0.2", 150)), 0);
    b.configure(load(node_config("198.18.0.3", 100)), 0);
    auto t = run(lan, 0, 6 * kS);
    ASSERT_EQ(a.manager.state_of("VI_1"), State::master);
    a.alive = false;  // SIGKILL: nothing more from a
    const auto took = run_until(lan, b, State::master, t, t + 6 * kS);
    ASSERT_TRUE(took);
    // Master_Down for priority 100: 3 s + 156/256 s = 3.609 s after the last advert.
    EXPECT_LE(*took - t, 3610 * kMs);
    EXPECT_GE(*took - t, 2609 * kMs);
    EXPECT_TRUE(b.holds_vip());
}

TEST(VrrpManager, GracefulStopSendsPriorityZeroAndTheBackupWaitsOnlySkew) {
    Lan lan;
    Node a(lan, "198.18.0.2", kMac1), b(lan, "198.18.0.3", kMac2);
    a.configure(load(node_config("198.18.0.2", 150)), 0);
    b.configure(load(node_config("198.18.0.3", 100)), 0);
    auto t = run(lan, 0, 6 * kS);
    ASSERT_EQ(a.manager.state_of("VI_1"), State::master);
    a.manager.shutdown(t);
    EXPECT_FALSE(a.holds_vip());
    a.alive = false;
    b.deliver(t);
    const auto took = run_until(lan, b, State::master, t, t + 2 * kS);
    ASSERT_TRUE(took);
    // Skew for priority 100 at 1 s: 156/256 s = 609 ms.
    EXPECT_GE(*took - t, 609 * kMs);
    EXPECT_LE(*took - t, 611 * kMs);
    const auto st = b.manager.status(*took);
    EXPECT_EQ(st["instances"][0]["counters"]["priority_zero_received"], 1u);
    EXPECT_EQ(a.manager.status(t)["instances"][0]["counters"]["priority_zero_sent"], 1u);
}

TEST(VrrpManager, AFailingTrackedServiceMovesMastership) {
    Lan lan;
    Node a(lan, "198.18.0.2", kMac1), b(lan, "198.18.0.3", kMac2);
    const std::string service = R"(
[[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
interface = "front"
  [[virtual_server.real_server]]
  address = "198.18.1.11"
)";
    const std::string track = "track_service = [\"web\"]\ntrack_service_weight = -60\n";
    a.configure(load(node_config("198.18.0.2", 150, track, service)), 0);
    b.configure(load(node_config("198.18.0.3", 100, track, service)), 0);
    auto t = run(lan, 0, 6 * kS);
    ASSERT_EQ(a.manager.state_of("VI_1"), State::master);
    a.service_ok = false;  // 150 - 60 = 90 < 100: b preempts
    const auto took = run_until(lan, b, State::master, t, t + 6 * kS);
    ASSERT_TRUE(took);
    run(lan, *took, *took + 2 * kS);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::backup);
    EXPECT_EQ(a.manager.status(*took)["instances"][0]["effective_priority"], 90);
    EXPECT_NE(a.log_text.str().find("Changing effective priority from 150 to 90"), std::string::npos);
    EXPECT_NE(a.log_text.str().find("tracked service web is down"), std::string::npos);
}

TEST(VrrpManager, SyncGroupMovesBothInstancesTogether) {
    Lan lan;
    Node a(lan, "198.18.0.2", kMac1);
    const std::string second = R"(
[[vrrp_instance]]
name = "VI_2"
interface = "back"
virtual_router_id = 52
priority = 150
advert_int = 1
version = 3
virtual_ipaddress = ["198.18.1.1/24"]
track_service = ["web"]
[[virtual_server]]
name = "web"
vip = "198.18.0.100"
port = 80
interface = "front"
  [[virtual_server.real_server]]
  address = "198.18.1.11"
[[vrrp_sync_group]]
name = "G1"
group = ["VI_1", "VI_2"]
)";
    a.configure(load(node_config("198.18.0.2", 150, "", second)), 0);
    auto t = run(lan, 0, 5 * kS);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::master);
    EXPECT_EQ(a.manager.state_of("VI_2"), State::master);
    a.service_ok = false;  // VI_2 tracks "web" with weight 0: fault, and VI_1 follows
    t = run(lan, t, t + 10 * kMs);
    EXPECT_EQ(a.manager.state_of("VI_2"), State::fault);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::fault);
    EXPECT_FALSE(a.holds_vip());
    a.service_ok = true;
    t = run(lan, t, t + 5 * kS);
    EXPECT_EQ(a.manager.state_of("VI_2"), State::master);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::master);
}

TEST(VrrpManager, ReloadKeepsUnchangedInstancesAndRestartsChangedOnes) {
    Lan lan;
    Node a(lan, "198.18.0.2", kMac1);
    a.configure(load(node_config("198.18.0.2", 150)), 0);
    auto t = run(lan, 0, 5 * kS);
    ASSERT_EQ(a.manager.state_of("VI_1"), State::master);
    const int changes = a.ownership_changes;
    // Same instance, an unrelated service added: no blip.
    a.configure(load(node_config("198.18.0.2", 150, "", R"(
[[virtual_server]]
name = "other"
vip = "198.18.0.101"
port = 80
interface = "front"
  [[virtual_server.real_server]]
  address = "198.18.1.12"
)")),
                t);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::master);
    EXPECT_EQ(a.ownership_changes, changes);
    // A changed priority restarts the instance: it resigns and elects again.
    a.configure(load(node_config("198.18.0.2", 120)), t + kMs);
    EXPECT_EQ(a.manager.state_of("VI_1"), State::backup);
    EXPECT_GT(a.ownership_changes, changes);
}

TEST(VrrpManager, CountsDropsByReasonAndAdvertsForOtherRouters) {
    Lan lan;
    Node a(lan, "198.18.0.2", kMac1);
    a.configure(load(node_config("198.18.0.2", 150)), 0);
    vrrp::Advert adv;
    adv.vrid = 51;
    adv.priority = 200;
    adv.interval = 100;
    adv.addresses = {*common::Ipv4Addr::parse("198.18.0.100")};
    auto frame = vrrp::build_advert_frame(
        adv, {packet::MacAddr{{2, 0, 0, 0, 0, 9}}, vrrp::multicast_mac(), *common::Ipv4Addr::parse("198.18.0.9"),
              vrrp::kVrrpGroup, 1, {}});
    auto bad_ttl = frame;
    bad_ttl[14 + 8] = 64;
    // Fix the IPv4 header checksum for the new TTL so only the TTL is wrong.
    bad_ttl[14 + 10] = bad_ttl[14 + 11] = 0;
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < 20; i += 2) sum += static_cast<std::uint32_t>(bad_ttl[14 + i] << 8 | bad_ttl[15 + i]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    bad_ttl[14 + 10] = static_cast<std::uint8_t>(~sum >> 8);
    bad_ttl[14 + 11] = static_cast<std::uint8_t>(~sum);
    a.manager.on_frame(0, bad_ttl, kMs);
    auto other_vrid = frame;
    adv.vrid = 77;
    other_vrid = vrrp::build_advert_frame(
        adv, {packet::MacAddr{{2, 0, 0, 0, 0, 9}}, vrrp::multicast_mac(), *common::Ipv4Addr::parse("198.18.0.9"),
              vrrp::kVrrpGroup, 1, {}});
    a.manager.on_frame(0, other_vrid, kMs);
    a.manager.on_frame(0, frame, kMs);  // a valid advert from a higher priority
    const auto st = a.manager.status(kMs);
    EXPECT_EQ(st["instances"][0]["counters"]["drops"]["bad_ttl"], 1u);
    EXPECT_EQ(st["instances"][0]["counters"]["adverts_received"], 1u);
    EXPECT_EQ(st["unmatched_drops"]["unknown_vrid"], 1u);
    EXPECT_EQ(st["instances"][0]["master_address"], "198.18.0.9");
}

}  // namespace
}  // namespace sluice::controlplane
