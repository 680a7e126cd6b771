// Insert, lookup by either key, erase, per-packet accounting, and a
// 1M-connection correctness sweep.

#include "dataplane/conn/conn_table.h"

#include <cstdint>
#include <random>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

#include "dataplane/conn/tests/test_flows.h"

namespace sluice::dataplane::conn {
namespace {

using namespace flows;  // NOLINT(google-build-using-namespace): test helpers

constexpr std::uint64_t kT0 = 1'000'000;

TEST(ConnTable, NatConnectionIsFoundByBothKeys) {
    ConnTable t(1024);
    const InsertResult r = add_nat(t, 1, kT0);
    ASSERT_EQ(r.status, InsertStatus::inserted);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t.index_entries(), 2u);

    const Match in = t.lookup(forward(1));
    ASSERT_TRUE(in);
    EXPECT_EQ(in.handle, r.handle);
    EXPECT_EQ(in.direction, Direction::client_to_server);

    const Match out = t.lookup(reply(1));
    ASSERT_TRUE(out);
    EXPECT_EQ(out.handle, r.handle);
    EXPECT_EQ(out.direction, Direction::server_to_client);

    const Connection& c = *in.conn;
    EXPECT_EQ(c.client_ip, client_ip(1));
    EXPECT_EQ(c.client_port, client_port(1));
    EXPECT_EQ(c.vip_ip, kVip);
    EXPECT_EQ(c.vip_port, kVipPort);
    EXPECT_EQ(c.backend_ip, kBackend);
    EXPECT_EQ(c.backend_port, kBackendPort);
    EXPECT_EQ(c.proto, kProtoTcp);
    EXPECT_EQ(c.method, ForwardMethod::nat);
    EXPECT_EQ(c.service_index, 3u);
    EXPECT_EQ(c.backend_index, 7u);
    EXPECT_EQ(c.state, TcpState::none);
    EXPECT_EQ(c.last_seen, static_cast<std::uint32_t>(kT0));
    EXPECT_EQ(forward_key(c), forward(1));
    EXPECT_EQ(reply_key(c), reply(1));
}

TEST(ConnTable, OtherFlowsMiss) {
    ConnTable t(1024);
    ASSERT_TRUE(add_nat(t, 1, kT0).ok());
    EXPECT_FALSE(t.lookup(forward(2)));
    EXPECT_FALSE(t.lookup(reply(2)));
    EXPECT_FALSE(t.lookup(forward(1, kProtoUdp)));  // same addresses, other protocol
    FlowKey swapped = forward(1);
    std::swap(swapped.src_port, swapped.dst_port);
    EXPECT_FALSE(t.lookup(swapped));
}

TEST(ConnTable, DirectRoutingHasNoReplyKey) {
    ConnTable t(1024);
    const InsertResult r = add_dr(t, 1, kT0);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(t.index_entries(), 1u);
    EXPECT_TRUE(t.lookup(forward(1)));
    FlowKey back{kBackend, client_ip(1), kVipPort, client_port(1), kProtoTcp};
    EXPECT_FALSE(t.lookup(back));
    EXPECT_NE(r.conn->flags & conn_flag::kInputOnly, 0);
    EXPECT_EQ(r.conn->flags & conn_flag::kReplyKey, 0);
}

TEST(ConnTable, TunnelHasNoReplyKey) {
    ConnTable t(16);
    ConnInit init = dr_init();
    init.method = ForwardMethod::tun;
    ASSERT_TRUE(t.insert(forward(1), std::nullopt, init, kT0).ok());
    EXPECT_EQ(t.index_entries(), 1u);
}

TEST(ConnTable, DuplicatesAreRejected) {
    ConnTable t(1024);
    ASSERT_TRUE(add_nat(t, 1, kT0).ok());
    // Same forward key.
    EXPECT_EQ(add_nat(t, 1, kT0).status, InsertStatus::exists);
    // A DR connection cannot take the forward key either.
    EXPECT_EQ(add_dr(t, 1, kT0).status, InsertStatus::exists);
    // Another client whose *reply* key is already taken: a forward key equal
    // to conn 1's reply key.
    const FlowKey clash_forward = reply(1);
    EXPECT_EQ(t.insert(clash_forward, std::nullopt, dr_init(), kT0).status, InsertStatus::exists);
    EXPECT_EQ(t.stats().exists, 3u);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t.index_entries(), 2u);
}

TEST(ConnTable, InconsistentInsertsAreInvalid) {
    ConnTable t(1024, 0);
    // NAT without a reply key, DR with one.
    EXPECT_EQ(t.insert(forward(1), std::nullopt, nat_init(), kT0).status, InsertStatus::invalid);
    EXPECT_EQ(t.insert(forward(1), reply(1), dr_init(), kT0).status, InsertStatus::invalid);
    // Reply key that does not mirror backend -> client.
    FlowKey wrong = reply(1);
    wrong.src_port = 9;
    EXPECT_EQ(t.insert(forward(1), wrong, nat_init(), kT0).status, InsertStatus::invalid);
    // Unknown timeouts profile, unknown method.
    EXPECT_EQ(t.insert(forward(1), reply(1), nat_init(kNoBackendSlot, 5), kT0).status,
              InsertStatus::invalid);
    ConnInit bad = dr_init();
    bad.method = static_cast<ForwardMethod>(9);
    EXPECT_EQ(t.insert(forward(1), std::nullopt, bad, kT0).status, InsertStatus::invalid);
    EXPECT_EQ(t.stats().invalid, 5u);
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.stats().inserts, 0u);
}

TEST(ConnTable, EraseRemovesBothKeysAndFreesTheRecord) {
    ConnTable t(4);
    const InsertResult r = add_nat(t, 1, kT0);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(t.erase(r.handle));
    EXPECT_FALSE(t.lookup(forward(1)));
    EXPECT_FALSE(t.lookup(reply(1)));
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.index_entries(), 0u);
    EXPECT_EQ(t.stats().erases, 1u);
    EXPECT_FALSE(t.erase(r.handle));  // already gone
    EXPECT_FALSE(t.erase(ConnHandle{}));
    EXPECT_EQ(t.stats().erases, 1u);
    // The same flow can come back.
    EXPECT_TRUE(add_nat(t, 1, kT0).ok());
}

TEST(ConnTable, OnPacketCountsPerDirectionAndTracksState) {
    ConnTable t(16);
    const InsertResult r = add_nat(t, 1, kT0);
    ASSERT_TRUE(r.ok());
    Connection& c = *r.conn;
    t.on_packet(c, Direction::client_to_server, kT0 + 1, 60, kTcpSyn);
    t.on_packet(c, Direction::server_to_client, kT0 + 1, 60, kTcpSyn | kTcpAck);
    t.on_packet(c, Direction::client_to_server, kT0 + 2, 52, kTcpAck);
    t.on_packet(c, Direction::client_to_server, kT0 + 3, 1500, kTcpAck | 0x08);
    EXPECT_EQ(c.state, TcpState::established);
    EXPECT_EQ(c.packets[0], 3u);
    EXPECT_EQ(c.packets[1], 1u);
    EXPECT_EQ(c.bytes[0], 60u + 52u + 1500u);
    EXPECT_EQ(c.bytes[1], 60u);
    EXPECT_EQ(c.last_seen, static_cast<std::uint32_t>(kT0 + 3));
    EXPECT_EQ(t.stats().state_changes, 2u);  // NONE -> SYN_RECV -> ESTABLISHED
}

TEST(ConnTable, UdpHasNoTcpState) {
    ConnTable t(16);
    const InsertResult r = add_nat(t, 1, kT0, kProtoUdp);
    ASSERT_TRUE(r.ok());
    t.on_packet(*r.conn, Direction::client_to_server, kT0, 100, kTcpSyn);  // flags ignored
    EXPECT_EQ(r.conn->state, TcpState::none);
    EXPECT_EQ(r.conn->packets[0], 1u);
}

TEST(ConnTable, DirectRoutingUsesInputOnlyTableUntilAReplyIsSeen) {
    ConnTable t(16);
    const InsertResult r = add_dr(t, 1, kT0);
    ASSERT_TRUE(r.ok());
    Connection& c = *r.conn;
    t.update_tcp_state(c, Direction::client_to_server, kTcpSyn);
    t.update_tcp_state(c, Direction::client_to_server, kTcpAck);
    ASSERT_EQ(c.state, TcpState::established);
    // Input-only: a client FIN moves to FIN_WAIT.
    EXPECT_EQ(t.update_tcp_state(c, Direction::client_to_server, kTcpFin | kTcpAck),
              TcpState::fin_wait);

    // A NAT connection in the same position goes to CLOSE_WAIT.
    const InsertResult n = add_nat(t, 2, kT0);
    Connection& nc = *n.conn;
    t.update_tcp_state(nc, Direction::client_to_server, kTcpSyn);
    t.update_tcp_state(nc, Direction::client_to_server, kTcpAck);
    EXPECT_EQ(t.update_tcp_state(nc, Direction::client_to_server, kTcpFin | kTcpAck),
              TcpState::close_wait);

    // LVS clears NOOUTPUT on the first server->client packet.
    const InsertResult d = add_dr(t, 3, kT0);
    t.update_tcp_state(*d.conn, Direction::server_to_client, kTcpAck);
    EXPECT_EQ(d.conn->flags & conn_flag::kInputOnly, 0);
}

TEST(ConnTable, RecordsAreReusedAfterErase) {
    ConnTable t(2);
    const InsertResult a = add_nat(t, 1, kT0);
    const InsertResult b = add_nat(t, 2, kT0);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(t.full());
    ASSERT_TRUE(t.erase(a.handle));
    const InsertResult c = add_nat(t, 3, kT0);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c.handle, a.handle);
    EXPECT_TRUE(t.lookup(reply(2)));
    EXPECT_TRUE(t.lookup(reply(3)));
    EXPECT_FALSE(t.lookup(reply(1)));
}

TEST(ConnTable, SizingKeepsIndexUnderFiveSeventhsLoad) {
    ConnTable t(1'000'000);
    EXPECT_EQ(t.capacity(), 1'000'000u);
    EXPECT_EQ(t.bucket_count(), 524'288u);  // 2M keys / 5 -> next power of two
    ConnTable small(10, 1000);
    EXPECT_EQ(small.bucket_count(), 1024u);  // requested count, rounded up
    ConnTable empty(0);
    EXPECT_FALSE(empty.ok());
    EXPECT_EQ(add_nat(empty, 1, kT0).status, InsertStatus::table_full);
    EXPECT_FALSE(empty.lookup(forward(1)));
}

TEST(ConnTable, OneMillionRandomFlowsNoFalsePositivesOrNegatives) {
    constexpr std::uint32_t kCount = 1'000'000;
    ConnTableConfig config;
    config.max_connections = kCount;
    config.seed = 0x1234'5678'9abc'def0ULL;
    ConnTable t(config);
    ASSERT_TRUE(t.ok());

    std::mt19937_64 rng(42);
    auto random_key = [&rng] {
        const std::uint64_t a = rng();
        const std::uint64_t b = rng();
        return FlowKey{static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                       static_cast<std::uint16_t>(b), static_cast<std::uint16_t>(b >> 16),
                       (b >> 32) % 2 == 0 ? kProtoTcp : kProtoUdp};
    };
    auto key_id = [](const FlowKey& k) {
        return (static_cast<std::uint64_t>(k.src_ip) << 32 | k.dst_ip) * 31 +
               (static_cast<std::uint64_t>(k.src_port) << 24 | std::uint64_t{k.dst_port} << 8 |
                k.proto);
    };
    std::vector<FlowKey> keys;
    keys.reserve(kCount);
    std::unordered_set<std::uint64_t> seen;
    seen.reserve(std::size_t{2} * kCount);
    // Half NAT (two keys), half DR (one key).
    std::vector<FlowKey> replies;
    replies.reserve(kCount / 2);
    while (keys.size() < kCount) {
        const FlowKey k = random_key();
        const std::uint32_t n = static_cast<std::uint32_t>(keys.size());
        const bool nat = n % 2 == 0;
        ConnInit init = nat_init();
        init.backend_ip = static_cast<std::uint32_t>(rng());
        init.backend_port = static_cast<std::uint16_t>(rng());
        const FlowKey r{init.backend_ip, k.src_ip, init.backend_port, k.src_port, k.proto};
        if (!seen.insert(key_id(k)).second) {
            continue;
        }
        if (nat && !seen.insert(key_id(r)).second) {
            seen.erase(key_id(k));
            continue;
        }
        init.method = nat ? ForwardMethod::nat : ForwardMethod::dr;
        const InsertResult res =
            t.insert(k, nat ? std::optional<FlowKey>(r) : std::nullopt, init, kT0);
        ASSERT_EQ(res.status, InsertStatus::inserted) << n;
        ASSERT_EQ(res.handle.index, n);
        keys.push_back(k);
        if (nat) {
            replies.push_back(r);
        }
    }
    EXPECT_EQ(t.size(), kCount);
    EXPECT_EQ(t.index_entries(), kCount + kCount / 2);
    EXPECT_TRUE(t.full());

    for (std::uint32_t n = 0; n < kCount; ++n) {
        const Match m = t.lookup(keys[n]);
        ASSERT_TRUE(m) << n;
        ASSERT_EQ(m.handle.index, n);
        ASSERT_EQ(m.direction, Direction::client_to_server);
    }
    for (std::uint32_t n = 0; n < kCount / 2; ++n) {
        const Match m = t.lookup(replies[n]);
        ASSERT_TRUE(m) << n;
        ASSERT_EQ(m.handle.index, 2 * n);
        ASSERT_EQ(m.direction, Direction::server_to_client);
    }
    std::uint32_t false_positives = 0;
    for (std::uint32_t n = 0; n < kCount; ++n) {
        const FlowKey k = random_key();
        if (seen.count(key_id(k)) == 0 && t.lookup(k)) {
            ++false_positives;
        }
    }
    EXPECT_EQ(false_positives, 0u);

    // The burst path agrees with the single one.
    std::vector<Match> out(1000);
    t.lookup_burst(std::span<const FlowKey>(keys.data(), 1000), out);
    for (std::uint32_t n = 0; n < 1000; ++n) {
        ASSERT_TRUE(out[n]);
        EXPECT_EQ(out[n].handle.index, n);
    }

    // Erase every third connection; the rest stay, the erased ones vanish.
    for (std::uint32_t n = 0; n < kCount; n += 3) {
        ASSERT_TRUE(t.erase(ConnHandle{n}));
    }
    for (std::uint32_t n = 0; n < kCount; ++n) {
        ASSERT_EQ(static_cast<bool>(t.lookup(keys[n])), n % 3 != 0) << n;
    }
    for (std::uint32_t n = 0; n < kCount / 2; ++n) {
        ASSERT_EQ(static_cast<bool>(t.lookup(replies[n])), (2 * n) % 3 != 0) << n;
    }
}

TEST(ConnTable, LookupBurstReportsMisses) {
    ConnTable t(64);
    ASSERT_TRUE(add_nat(t, 1, kT0).ok());
    const std::vector<FlowKey> keys = {forward(1), forward(2), reply(1), reply(2)};
    std::vector<Match> out(keys.size());
    t.lookup_burst(keys, out);
    EXPECT_TRUE(out[0]);
    EXPECT_FALSE(out[1]);
    ASSERT_TRUE(out[2]);
    EXPECT_EQ(out[2].direction, Direction::server_to_client);
    EXPECT_FALSE(out[3]);
}

}  // namespace
}  // namespace sluice::dataplane::conn
