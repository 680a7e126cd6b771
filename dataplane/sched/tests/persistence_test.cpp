#include "dataplane/sched/persistence.h"

#include <random>

#include <gtest/gtest.h>

#include "dataplane/sched/tests/sched_test_util.h"

namespace sluice::dataplane::sched {
namespace {

constexpr std::uint32_t kSlash24 = 0xffff'ff00;
constexpr std::uint32_t kSlash32 = 0xffff'ffff;
constexpr std::uint32_t ip(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

const std::vector<BackendInfo> kBackends = testing::equal_backends(4);

TEST(PersistenceKey, NetmaskSetsTheGranularity) {
    EXPECT_EQ(persistence_key(ip(10, 0, 0, 1), kSlash24), ip(10, 0, 0, 0));
    EXPECT_EQ(persistence_key(ip(10, 0, 0, 1), kSlash24),
              persistence_key(ip(10, 0, 0, 254), kSlash24));
    EXPECT_NE(persistence_key(ip(10, 0, 0, 1), kSlash24),
              persistence_key(ip(10, 0, 1, 1), kSlash24));
    EXPECT_NE(persistence_key(ip(10, 0, 0, 1), kSlash32),
              persistence_key(ip(10, 0, 0, 2), kSlash32));
    EXPECT_EQ(persistence_key(ip(10, 9, 8, 7), 0), 0u);
}

TEST(PersistenceTable, InsertLookupAndExpiry) {
    PersistenceTable table(64);
    const PersistenceKey key{1, persistence_key(ip(10, 0, 0, 1), kSlash32)};
    EXPECT_EQ(table.lookup(key, 100, kBackends), kNoBackend);
    ASSERT_TRUE(table.insert(key, 2, 100, 300));
    EXPECT_EQ(table.lookup(key, 100, kBackends), 2u);
    EXPECT_EQ(table.lookup(key, 399, kBackends), 2u);
    EXPECT_EQ(table.lookup(key, 400, kBackends), kNoBackend);  // expires at now + timeout
    EXPECT_EQ(table.live(399), 1u);
    EXPECT_EQ(table.live(400), 0u);
}

TEST(PersistenceTable, InsertRefreshesAndRebinds) {
    PersistenceTable table(64);
    const PersistenceKey key{1, ip(10, 0, 0, 1)};
    ASSERT_TRUE(table.insert(key, 2, 100, 300));
    ASSERT_TRUE(table.insert(key, 2, 350, 300));  // new connection: refresh
    EXPECT_EQ(table.lookup(key, 500, kBackends), 2u);
    ASSERT_TRUE(table.insert(key, 3, 700, 300));  // expired, then rebound elsewhere
    EXPECT_EQ(table.lookup(key, 701, kBackends), 3u);
    EXPECT_EQ(table.live(701), 1u);  // one entry per key, never two
}

TEST(PersistenceTable, IneligibleBackendIsNotReturned) {
    PersistenceTable table(64);
    const PersistenceKey key{0, ip(10, 0, 0, 1)};
    ASSERT_TRUE(table.insert(key, 1, 0, 60));
    auto backends = kBackends;
    backends[1].available = false;
    EXPECT_EQ(table.lookup(key, 1, backends), kNoBackend);
    backends[1] = BackendInfo{0, true};  // drained
    EXPECT_EQ(table.lookup(key, 1, backends), kNoBackend);
    EXPECT_EQ(table.lookup(key, 1, testing::equal_backends(1)), kNoBackend);  // list shrank
    EXPECT_EQ(table.lookup(key, 1, kBackends), 1u);
}

TEST(PersistenceTable, ServicesAreSeparate) {
    PersistenceTable table(64);
    ASSERT_TRUE(table.insert({1, ip(10, 0, 0, 0)}, 1, 0, 60));
    ASSERT_TRUE(table.insert({2, ip(10, 0, 0, 0)}, 3, 0, 60));
    EXPECT_EQ(table.lookup({1, ip(10, 0, 0, 0)}, 1, kBackends), 1u);
    EXPECT_EQ(table.lookup({2, ip(10, 0, 0, 0)}, 1, kBackends), 3u);
    EXPECT_EQ(table.lookup({3, ip(10, 0, 0, 0)}, 1, kBackends), kNoBackend);
}

TEST(PersistenceTable, SlashTwentyFourGroupsClients) {
    PersistenceTable table(64);
    const std::uint32_t service = 7;
    ASSERT_TRUE(table.insert({service, persistence_key(ip(192, 0, 2, 10), kSlash24)}, 2, 0, 60));
    EXPECT_EQ(table.lookup({service, persistence_key(ip(192, 0, 2, 200), kSlash24)}, 1, kBackends),
              2u);
    EXPECT_EQ(table.lookup({service, persistence_key(ip(192, 0, 3, 10), kSlash24)}, 1, kBackends),
              kNoBackend);
}

TEST(PersistenceTable, FullTableRefusesThenReusesExpiredSlots) {
    PersistenceTable table(4);  // one bucket: exactly 4 live bindings fit
    ASSERT_EQ(table.capacity(), 4u);
    for (std::uint32_t i = 0; i < 4; ++i) {
        ASSERT_TRUE(table.insert({0, ip(10, 0, 0, i)}, i, 10, 60)) << i;
    }
    EXPECT_FALSE(table.insert({0, ip(10, 0, 1, 0)}, 0, 10, 60));  // caller counts persistence_full
    EXPECT_EQ(table.lookup({0, ip(10, 0, 1, 0)}, 11, kBackends), kNoBackend);
    // Refreshing a bound key still works.
    EXPECT_TRUE(table.insert({0, ip(10, 0, 0, 3)}, 1, 10, 60));
    EXPECT_TRUE(table.insert({0, ip(10, 0, 1, 0)}, 0, 70, 60));  // the others expired at 70
    EXPECT_EQ(table.lookup({0, ip(10, 0, 1, 0)}, 71, kBackends), 0u);
    table.erase({0, ip(10, 0, 1, 0)});
    EXPECT_EQ(table.lookup({0, ip(10, 0, 1, 0)}, 71, kBackends), kNoBackend);
}

TEST(PersistenceTable, CapacityRoundsUpToAPowerOfTwo) {
    EXPECT_EQ(PersistenceTable(0).capacity(), 4u);
    EXPECT_EQ(PersistenceTable(5).capacity(), 8u);
    EXPECT_EQ(PersistenceTable(1000).capacity(), 1024u);
}

TEST(PersistenceTable, ZeroTimeoutStoresNothing) {
    PersistenceTable table(8);
    EXPECT_TRUE(table.insert({0, 1}, 0, 5, 0));
    EXPECT_EQ(table.lookup({0, 1}, 5, kBackends), kNoBackend);
    EXPECT_EQ(table.live(0), 0u);
}

TEST(PersistenceTable, ExpirySaturatesInsteadOfWrapping) {
    PersistenceTable table(8);
    ASSERT_TRUE(table.insert({0, 1}, 2, 0xffff'fff0, 31'536'000));
    EXPECT_EQ(table.lookup({0, 1}, 0xffff'fffe, kBackends), 2u);
}

TEST(PersistenceTable, HalfLoadedTableAcceptsEveryone) {
    PersistenceTable table(1 << 14);
    std::mt19937 rng(3);
    std::uint32_t refused = 0;
    for (std::uint32_t i = 0; i < (1 << 13); ++i) {
        refused +=
            table.insert({i % 16, static_cast<std::uint32_t>(rng())}, i % 4, 0, 60) ? 0u : 1u;
    }
    EXPECT_EQ(refused, 0u);  // two choices of 4-entry buckets at load 0.5
    EXPECT_EQ(table.live(1), 1u << 13);
}

}  // namespace
}  // namespace sluice::dataplane::sched
