// Expiry by the timer wheel with an injected clock: each state's timeout,
// touched connections surviving, per-service timeouts, budgets.

#include <cstdint>

#include <gtest/gtest.h>

#include "dataplane/conn/conn_table.h"
#include "dataplane/conn/tests/test_flows.h"

namespace sluice::dataplane::conn {
namespace {

using namespace flows;  // NOLINT(google-build-using-namespace): test helpers

constexpr std::uint64_t kT0 = 1'700'000'000;  // a Unix-time-like clock
constexpr std::uint32_t kBudget = 1'000'000;

// Calls expire() once per second, as a worker loop would, from `from` to
// `to` inclusive; returns how many connections expired.
std::uint32_t run_clock(ConnTable& t, std::uint64_t from, std::uint64_t to) {
    std::uint32_t expired = 0;
    for (std::uint64_t now = from; now <= to; ++now) {
        expired += t.expire(now, kBudget);
    }
    return expired;
}

// The second at which the table's single connection disappears, stepping
// the clock from `from`; 0 if it survives until `limit`.
std::uint64_t expiry_second(ConnTable& t, std::uint64_t from, std::uint64_t limit) {
    for (std::uint64_t now = from; now <= limit; ++now) {
        t.expire(now, kBudget);
        if (t.size() == 0) {
            return now;
        }
    }
    return 0;
}

TEST(Expiry, SynOnlyConnectionExpiresAtSynRecvTimeout) {
    ConnTable t(16);
    const InsertResult r = add_nat(t, 1, kT0);
    t.on_packet(*r.conn, Direction::client_to_server, kT0, 60, kTcpSyn);
    ASSERT_EQ(r.conn->state, TcpState::syn_recv);
    EXPECT_EQ(expiry_second(t, kT0, kT0 + 1000), kT0 + 60);
    EXPECT_EQ(t.stats().expired_tcp[static_cast<std::size_t>(TcpState::syn_recv)], 1u);
    EXPECT_EQ(t.stats().expired_total(), 1u);
    EXPECT_FALSE(t.lookup(forward(1)));
    EXPECT_FALSE(t.lookup(reply(1)));
}

TEST(Expiry, ConnectionWithoutAValidFirstSegmentExpiresInTwoSeconds) {
    ConnTable t(16);
    ASSERT_TRUE(add_nat(t, 1, kT0).ok());
    EXPECT_EQ(expiry_second(t, kT0, kT0 + 100), kT0 + 2);
    EXPECT_EQ(t.stats().expired_tcp[static_cast<std::size_t>(TcpState::none)], 1u);
}

TEST(Expiry, EstablishedExpiresAfter900Seconds) {
    ConnTable t(16);
    const InsertResult r = add_nat(t, 1, kT0);
    t.on_packet(*r.conn, Direction::client_to_server, kT0, 60, kTcpSyn);
    t.on_packet(*r.conn, Direction::server_to_client, kT0, 60, kTcpSyn | kTcpAck);
    t.on_packet(*r.conn, Direction::client_to_server, kT0 + 1, 52, kTcpAck);
    ASSERT_EQ(r.conn->state, TcpState::established);
    EXPECT_EQ(expiry_second(t, kT0, kT0 + 5000), kT0 + 1 + 900);
    EXPECT_EQ(t.stats().expired_tcp[static_cast<std::size_t>(TcpState::established)], 1u);
}

TEST(Expiry, TouchedConnectionsDoNotExpire) {
    ConnTable t(16);
    const InsertResult r = add_nat(t, 1, kT0);
    t.on_packet(*r.conn, Direction::client_to_server, kT0, 60, kTcpSyn);
    t.on_packet(*r.conn, Direction::client_to_server, kT0, 52, kTcpAck);
    std::uint64_t now = kT0;
    for (; now < kT0 + 10'000; ++now) {
        if (now % 500 == 0) {
            t.on_packet(*r.conn, Direction::client_to_server, now, 100, kTcpAck);
        }
        ASSERT_EQ(t.expire(now, kBudget), 0u) << now - kT0;
    }
    EXPECT_EQ(t.size(), 1u);
    EXPECT_GT(t.stats().rearms, 0u);  // the wheel met it and refiled it
    const std::uint64_t last_touch = now - 1 - (now - 1) % 500;
    EXPECT_EQ(expiry_second(t, now, now + 2000), last_touch + 900);
}

TEST(Expiry, UdpAfter300Seconds) {
    ConnTable t(16);
    ASSERT_TRUE(add_nat(t, 1, kT0, kProtoUdp).ok());
    EXPECT_EQ(expiry_second(t, kT0, kT0 + 1000), kT0 + 300);
    EXPECT_EQ(t.stats().expired_udp, 1u);
}

TEST(Expiry, IcmpAfter60AndOtherProtocolsAfter300Seconds) {
    ConnTable t(16);
    ASSERT_TRUE(add_nat(t, 1, kT0, kProtoIcmp).ok());
    EXPECT_EQ(expiry_second(t, kT0, kT0 + 1000), kT0 + 60);
    EXPECT_EQ(t.stats().expired_icmp, 1u);
    ASSERT_TRUE(add_nat(t, 2, kT0, 47).ok());  // GRE
    EXPECT_EQ(expiry_second(t, kT0, kT0 + 1000), kT0 + 300);
    EXPECT_EQ(t.stats().expired_other, 1u);
}

TEST(Expiry, PerServiceTimeoutsAreHonoured) {
    ConnTableConfig config;
    config.max_connections = 16;
    config.timeout_profiles = 2;
    ConnTable t(config);
    Timeouts fast = kDefaultTimeouts;
    fast.tcp[static_cast<std::size_t>(TcpState::established)] = 30;
    fast.udp = 5;
    ASSERT_TRUE(t.set_timeouts(1, fast));
    EXPECT_FALSE(t.set_timeouts(2, fast));

    const InsertResult quick = add_nat(t, 1, kT0, kProtoTcp, kNoBackendSlot, 1);
    const InsertResult normal = add_nat(t, 2, kT0, kProtoTcp, kNoBackendSlot, 0);
    ASSERT_TRUE(quick.ok() && normal.ok());
    for (const InsertResult* r : {&quick, &normal}) {
        t.on_packet(*r->conn, Direction::client_to_server, kT0, 60, kTcpSyn);
        t.on_packet(*r->conn, Direction::client_to_server, kT0, 52, kTcpAck);
    }
    EXPECT_EQ(run_clock(t, kT0, kT0 + 29), 0u);
    EXPECT_EQ(run_clock(t, kT0 + 30, kT0 + 30), 1u);
    EXPECT_FALSE(t.lookup(forward(1)));
    EXPECT_TRUE(t.lookup(forward(2)));
    EXPECT_EQ(run_clock(t, kT0 + 31, kT0 + 899), 0u);
    EXPECT_EQ(run_clock(t, kT0 + 900, kT0 + 900), 1u);

    ASSERT_TRUE(add_nat(t, 3, kT0 + 1000, kProtoUdp, kNoBackendSlot, 1).ok());
    EXPECT_EQ(expiry_second(t, kT0 + 1000, kT0 + 2000), kT0 + 1005);
}

TEST(Expiry, ShorterTimeoutAfterStateChangeTakesEffectAtOnce) {
    ConnTable t(16);
    const InsertResult r = add_nat(t, 1, kT0);
    t.on_packet(*r.conn, Direction::client_to_server, kT0, 60, kTcpSyn);
    t.on_packet(*r.conn, Direction::client_to_server, kT0, 52, kTcpAck);
    ASSERT_EQ(run_clock(t, kT0, kT0 + 100), 0u);
    // RST: ESTABLISHED (900 s) -> CLOSE (10 s), 10 s from now, not 900.
    t.on_packet(*r.conn, Direction::server_to_client, kT0 + 100, 40, kTcpRst);
    ASSERT_EQ(r.conn->state, TcpState::close);
    EXPECT_EQ(expiry_second(t, kT0 + 101, kT0 + 2000), kT0 + 110);
    EXPECT_EQ(t.stats().expired_tcp[static_cast<std::size_t>(TcpState::close)], 1u);
}

TEST(Expiry, ClosingStatesUseTheirTimeouts) {
    ConnTable t(16);
    const InsertResult r = add_nat(t, 1, kT0);
    Connection& c = *r.conn;
    t.on_packet(c, Direction::client_to_server, kT0, 60, kTcpSyn);
    t.on_packet(c, Direction::client_to_server, kT0, 52, kTcpAck);
    t.on_packet(c, Direction::client_to_server, kT0 + 5, 52, kTcpFin | kTcpAck);
    ASSERT_EQ(c.state, TcpState::close_wait);
    EXPECT_EQ(t.expiry_of(c), static_cast<std::uint32_t>(kT0 + 5 + 60));
    t.on_packet(c, Direction::server_to_client, kT0 + 6, 52, kTcpFin | kTcpAck);
    ASSERT_EQ(c.state, TcpState::time_wait);
    EXPECT_EQ(expiry_second(t, kT0, kT0 + 1000), kT0 + 6 + 120);
    EXPECT_EQ(t.stats().expired_tcp[static_cast<std::size_t>(TcpState::time_wait)], 1u);
}

TEST(Expiry, TimeoutsLongerThanOneWheelLap) {
    ConnTableConfig config;
    config.max_connections = 4;
    ConnTable t(config);
    Timeouts slow = kDefaultTimeouts;
    slow.udp = 3 * TimerWheel::kSlots + 17;
    ASSERT_TRUE(t.set_timeouts(0, slow));
    ASSERT_TRUE(add_nat(t, 1, kT0, kProtoUdp).ok());
    EXPECT_EQ(expiry_second(t, kT0, kT0 + std::uint64_t{5} * TimerWheel::kSlots), kT0 + slow.udp);
}

TEST(Expiry, BudgetIsRespected) {
    ConnTable t(1000);
    for (std::uint32_t n = 0; n < 1000; ++n) {
        ASSERT_TRUE(add_nat(t, n, kT0, kProtoUdp).ok());
    }
    EXPECT_EQ(t.expire(kT0 + 299, kBudget), 0u);
    EXPECT_EQ(t.expire(kT0 + 300, 100), 100u);
    EXPECT_EQ(t.size(), 900u);
    EXPECT_EQ(t.expire(kT0 + 300, 0), 0u);
    EXPECT_EQ(t.expire(kT0 + 301, 850), 850u);
    EXPECT_EQ(t.expire(kT0 + 301, 850), 50u);
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.stats().expired_udp, 1000u);
}

TEST(Expiry, BudgetCountsRefiledConnectionsToo) {
    ConnTable t(100);
    for (std::uint32_t n = 0; n < 100; ++n) {
        const InsertResult r = add_nat(t, n, kT0, kProtoUdp);
        ASSERT_TRUE(r.ok());
        ConnTable::touch(*r.conn, Direction::client_to_server, kT0 + 10, 1);  // moves expiry
    }
    EXPECT_EQ(t.expire(kT0 + 300, 40), 0u);  // 40 refiled, nothing due yet
    EXPECT_EQ(t.stats().rearms, 40u);
    EXPECT_EQ(t.expire(kT0 + 300, kBudget), 0u);
    EXPECT_EQ(t.stats().rearms, 100u);
    EXPECT_EQ(t.expire(kT0 + 310, kBudget), 100u);
}

TEST(Expiry, ClockJumpCatchesUp) {
    ConnTable t(100);
    for (std::uint32_t n = 0; n < 100; ++n) {
        ASSERT_TRUE(add_nat(t, n, kT0, kProtoUdp).ok());
    }
    std::uint32_t expired = 0;
    for (int call = 0; call < 10; ++call) {
        expired += t.expire(kT0 + 100'000, kBudget);
    }
    EXPECT_EQ(expired, 100u);
    // An empty wheel jumps to the present: new connections time out normally.
    ASSERT_TRUE(add_nat(t, 1, kT0 + 100'000, kProtoUdp).ok());
    EXPECT_EQ(expiry_second(t, kT0 + 100'000, kT0 + 101'000), kT0 + 100'300);
}

TEST(Expiry, ZeroTimeoutIsClampedToOneSecond) {
    ConnTable t(4);
    Timeouts zero = kDefaultTimeouts;
    zero.udp = 0;
    ASSERT_TRUE(t.set_timeouts(0, zero));
    EXPECT_EQ(t.timeouts(0).udp, 1u);
}

TEST(Expiry, ExpiryDoesNotDisturbOtherConnections) {
    ConnTable t(64);
    for (std::uint32_t n = 0; n < 64; ++n) {
        const InsertResult r = add_nat(t, n, kT0 + n, kProtoUdp);
        ASSERT_TRUE(r.ok());
    }
    EXPECT_EQ(run_clock(t, kT0, kT0 + 331), 32u);  // inserted at kT0 .. kT0+31
    for (std::uint32_t n = 0; n < 64; ++n) {
        EXPECT_EQ(static_cast<bool>(t.lookup(forward(n, kProtoUdp))), n >= 32) << n;
        EXPECT_EQ(static_cast<bool>(t.lookup(reply(n, kProtoUdp))), n >= 32) << n;
    }
}

}  // namespace
}  // namespace sluice::dataplane::conn
