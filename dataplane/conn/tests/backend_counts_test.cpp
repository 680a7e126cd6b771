// Per-backend active/inactive counts (LVS activeconns/inactconns) follow
// insertion, state changes, erasure and expiry.

#include <array>
#include <cstdint>

#include <gtest/gtest.h>

#include "dataplane/conn/conn_table.h"
#include "dataplane/conn/tests/test_flows.h"

namespace sluice::dataplane::conn {
namespace {

using namespace flows;  // NOLINT(google-build-using-namespace): test helpers

constexpr std::uint64_t kT0 = 100;
constexpr Direction kIn = Direction::client_to_server;
constexpr Direction kOut = Direction::server_to_client;

class BackendCounts : public ::testing::Test {
  protected:
    void SetUp() override { table.attach_backend_counts(counts); }
    BackendConnCounts at(std::size_t slot) const { return counts[slot]; }

    ConnTable table{64};
    std::array<BackendConnCounts, 4> counts{};
};

TEST_F(BackendCounts, NewConnectionsStartInactive) {
    ASSERT_TRUE(add_nat(table, 1, kT0, kProtoTcp, 2).ok());
    ASSERT_TRUE(add_nat(table, 2, kT0, kProtoUdp, 2).ok());
    EXPECT_EQ(at(2), (BackendConnCounts{0, 2}));
    EXPECT_EQ(at(0), (BackendConnCounts{0, 0}));
}

TEST_F(BackendCounts, FollowTheTcpLifecycle) {
    const InsertResult r = add_nat(table, 1, kT0, kProtoTcp, 1);
    Connection& c = *r.conn;
    table.on_packet(c, kIn, kT0, 60, kTcpSyn);
    EXPECT_EQ(at(1), (BackendConnCounts{0, 1}));  // SYN_RECV
    table.on_packet(c, kOut, kT0, 60, kTcpSyn | kTcpAck);
    table.on_packet(c, kIn, kT0, 52, kTcpAck);
    EXPECT_EQ(at(1), (BackendConnCounts{1, 0}));  // ESTABLISHED
    table.on_packet(c, kIn, kT0, 52, kTcpAck);
    EXPECT_EQ(at(1), (BackendConnCounts{1, 0}));
    table.on_packet(c, kIn, kT0, 52, kTcpFin | kTcpAck);
    EXPECT_EQ(at(1), (BackendConnCounts{0, 1}));  // CLOSE_WAIT
    EXPECT_TRUE(table.erase(r.handle));
    EXPECT_EQ(at(1), (BackendConnCounts{0, 0}));
}

TEST_F(BackendCounts, EstablishedThenErasedDecrementsActive) {
    const InsertResult r = add_dr(table, 1, kT0, 3);
    table.on_packet(*r.conn, kIn, kT0, 60, kTcpSyn);
    table.on_packet(*r.conn, kIn, kT0, 52, kTcpAck);
    EXPECT_EQ(at(3), (BackendConnCounts{1, 0}));
    EXPECT_TRUE(table.erase(r.handle));
    EXPECT_EQ(at(3), (BackendConnCounts{0, 0}));
}

TEST_F(BackendCounts, ExpiryDecrements) {
    const InsertResult r = add_nat(table, 1, kT0, kProtoTcp, 0);
    table.on_packet(*r.conn, kIn, kT0, 60, kTcpSyn);
    table.on_packet(*r.conn, kIn, kT0, 52, kTcpAck);
    ASSERT_TRUE(add_nat(table, 2, kT0, kProtoUdp, 0).ok());
    EXPECT_EQ(at(0), (BackendConnCounts{1, 1}));
    table.expire(kT0 + 300, 1000);
    EXPECT_EQ(at(0), (BackendConnCounts{1, 0}));
    table.expire(kT0 + 900, 1000);
    EXPECT_EQ(at(0), (BackendConnCounts{0, 0}));
}

TEST_F(BackendCounts, SyncedEstablishedConnectionStartsActive) {
    ConnInit init = nat_init(2);
    init.initial_state = TcpState::established;
    ASSERT_TRUE(table.insert(forward(1), reply(1), init, kT0).ok());
    EXPECT_EQ(at(2), (BackendConnCounts{1, 0}));
}

TEST_F(BackendCounts, SlotsOutsideTheArrayAreNotCounted) {
    ASSERT_TRUE(add_nat(table, 1, kT0, kProtoTcp, 4).ok());
    ASSERT_TRUE(add_nat(table, 2, kT0, kProtoTcp, kNoBackendSlot).ok());
    for (const BackendConnCounts& c : counts) {
        EXPECT_EQ(c, (BackendConnCounts{0, 0}));
    }
}

TEST_F(BackendCounts, ReattachingRecounts) {
    const InsertResult a = add_nat(table, 1, kT0, kProtoTcp, 0);
    table.on_packet(*a.conn, kIn, kT0, 60, kTcpSyn);
    table.on_packet(*a.conn, kIn, kT0, 52, kTcpAck);
    ASSERT_TRUE(add_nat(table, 2, kT0, kProtoUdp, 3).ok());
    ASSERT_TRUE(add_nat(table, 3, kT0, kProtoUdp, 7).ok());  // outside a 4-slot array

    std::array<BackendConnCounts, 8> bigger{};
    bigger[5] = BackendConnCounts{99, 99};  // stale values are cleared
    table.attach_backend_counts(bigger);
    EXPECT_EQ(bigger[0], (BackendConnCounts{1, 0}));
    EXPECT_EQ(bigger[3], (BackendConnCounts{0, 1}));
    EXPECT_EQ(bigger[5], (BackendConnCounts{0, 0}));
    EXPECT_EQ(bigger[7], (BackendConnCounts{0, 1}));

    // Shrinking back: slot 7 is no longer counted, and its erase must not
    // touch the array.
    table.attach_backend_counts(counts);
    EXPECT_EQ(at(0), (BackendConnCounts{1, 0}));
    EXPECT_EQ(at(3), (BackendConnCounts{0, 1}));
    EXPECT_TRUE(table.erase(table.lookup(forward(3, kProtoUdp)).handle));
    EXPECT_EQ(at(3), (BackendConnCounts{0, 1}));
}

}  // namespace
}  // namespace sluice::dataplane::conn
