// A full table refuses new connections, counts the refusals, keeps serving
// the connections it has, and takes new ones again once records free up.

#include <cstdint>

#include <gtest/gtest.h>

#include "dataplane/conn/conn_table.h"
#include "dataplane/conn/tests/test_flows.h"

namespace sluice::dataplane::conn {
namespace {

using namespace flows;  // NOLINT(google-build-using-namespace): test helpers

constexpr std::uint64_t kT0 = 5'000;
constexpr std::uint32_t kCapacity = 256;

class FullTable : public ::testing::Test {
  protected:
    void SetUp() override {
        for (std::uint32_t n = 0; n < kCapacity; ++n) {
            const InsertResult r = add_nat(table, n, kT0, kProtoUdp);
            ASSERT_TRUE(r.ok()) << n;
        }
        ASSERT_TRUE(table.full());
    }

    ConnTable table{kCapacity};
};

TEST_F(FullTable, NewConnectionsAreRefusedAndCounted) {
    EXPECT_EQ(add_nat(table, kCapacity, kT0, kProtoUdp).status, InsertStatus::table_full);
    EXPECT_EQ(add_dr(table, kCapacity + 1, kT0).status, InsertStatus::table_full);
    EXPECT_EQ(table.stats().table_full, 2u);
    EXPECT_EQ(table.stats().inserts, kCapacity);
    EXPECT_EQ(table.size(), kCapacity);
    EXPECT_EQ(table.index_entries(), 2 * kCapacity);
    EXPECT_FALSE(table.lookup(forward(kCapacity, kProtoUdp)));
}

TEST_F(FullTable, DuplicatesAreStillReportedAsDuplicates) {
    EXPECT_EQ(add_nat(table, 7, kT0, kProtoUdp).status, InsertStatus::exists);
    EXPECT_EQ(table.stats().table_full, 0u);
}

TEST_F(FullTable, ExistingConnectionsKeepWorking) {
    ASSERT_EQ(add_nat(table, kCapacity, kT0, kProtoUdp).status, InsertStatus::table_full);
    for (std::uint32_t n = 0; n < kCapacity; ++n) {
        const Match in = table.lookup(forward(n, kProtoUdp));
        const Match out = table.lookup(reply(n, kProtoUdp));
        ASSERT_TRUE(in && out) << n;
        EXPECT_EQ(in.handle, out.handle);
        table.on_packet(*in.conn, in.direction, kT0 + 100, 200, 0);
        table.on_packet(*out.conn, out.direction, kT0 + 100, 300, 0);
        EXPECT_EQ(in.conn->packets[0], 1u);
        EXPECT_EQ(in.conn->bytes[1], 300u);
    }
}

TEST_F(FullTable, ExpiryMakesRoomAgain) {
    // Keep the first half alive; the second half idles out at kT0 + 300.
    for (std::uint32_t n = 0; n < kCapacity / 2; ++n) {
        const Match m = table.lookup(forward(n, kProtoUdp));
        ASSERT_TRUE(m) << n;
        ConnTable::touch(*m.conn, Direction::client_to_server, kT0 + 200, 1);
    }
    EXPECT_EQ(table.expire(kT0 + 299, 1'000'000), 0u);
    EXPECT_EQ(add_nat(table, kCapacity, kT0 + 299, kProtoUdp).status, InsertStatus::table_full);
    EXPECT_EQ(table.expire(kT0 + 300, 1'000'000), kCapacity / 2);
    EXPECT_FALSE(table.full());
    for (std::uint32_t n = 0; n < kCapacity / 2; ++n) {
        EXPECT_TRUE(add_nat(table, kCapacity + n, kT0 + 300, kProtoUdp).ok()) << n;
    }
    EXPECT_TRUE(table.full());
    EXPECT_EQ(add_nat(table, 2 * kCapacity, kT0 + 300, kProtoUdp).status, InsertStatus::table_full);
    EXPECT_EQ(table.stats().table_full, 2u);
    for (std::uint32_t n = 0; n < kCapacity / 2; ++n) {
        EXPECT_TRUE(table.lookup(forward(n, kProtoUdp))) << n;
        EXPECT_TRUE(table.lookup(reply(kCapacity + n, kProtoUdp))) << n;
    }
}

TEST_F(FullTable, EraseMakesRoomForExactlyOne) {
    ASSERT_TRUE(table.erase(table.lookup(forward(3, kProtoUdp)).handle));
    EXPECT_TRUE(add_nat(table, kCapacity, kT0, kProtoUdp).ok());
    EXPECT_EQ(add_nat(table, kCapacity + 1, kT0, kProtoUdp).status, InsertStatus::table_full);
}

}  // namespace
}  // namespace sluice::dataplane::conn
