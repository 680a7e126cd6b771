#include "dataplane/conn/conn_dump.h"

#include <array>

#include <gtest/gtest.h>

#include "dataplane/conn/tests/test_flows.h"

namespace sluice::dataplane::conn {
namespace {

using namespace flows;  // NOLINT(google-build-using-namespace): test helpers

constexpr std::uint64_t kT0 = 1'000'000;

// Runs dump_step with a small budget until it finishes; returns the steps taken.
int dump_all(const ConnTable& t, const DumpFilter& f, std::span<DumpRecord> out, DumpProgress& p,
             std::uint64_t now) {
    int steps = 0;
    while (!p.finished) {
        dump_step(t, f, out, p, now, 7);
        ++steps;
    }
    return steps;
}

TEST(ConnDump, ListsEveryLiveConnectionInBoundedSteps) {
    ConnTable t(64);
    for (std::uint32_t n = 1; n <= 10; ++n) {
        ASSERT_TRUE(add_nat(t, n, kT0).ok());
    }
    std::array<DumpRecord, 32> out{};
    DumpProgress p;
    const int steps = dump_all(t, DumpFilter{}, out, p, kT0 + 1);
    EXPECT_EQ(p.count, 10u);
    EXPECT_FALSE(p.truncated);
    EXPECT_GT(steps, 1);  // resumable: 64 slots at 7 per step
    const DumpRecord& r = out[0];
    EXPECT_EQ(r.vip_ip, kVip);
    EXPECT_EQ(r.vip_port, kVipPort);
    EXPECT_EQ(r.backend_ip, kBackend);
    EXPECT_EQ(r.backend_port, kBackendPort);
    EXPECT_EQ(r.proto, kProtoTcp);
    EXPECT_EQ(r.method, ForwardMethod::nat);
    EXPECT_GT(r.expires_in_s, 0u);
}

TEST(ConnDump, FiltersByClientAndService) {
    ConnTable t(64);
    for (std::uint32_t n = 1; n <= 5; ++n) {
        ASSERT_TRUE(add_nat(t, n << 8, kT0).ok());  // five client addresses
    }
    std::array<DumpRecord, 8> out{};
    DumpFilter by_client;
    by_client.by_client = true;
    by_client.client_ip = client_ip(3 << 8);
    DumpProgress p;
    dump_all(t, by_client, out, p, kT0);
    ASSERT_EQ(p.count, 1u);
    EXPECT_EQ(out[0].client_ip, client_ip(3 << 8));

    DumpFilter other_service;
    other_service.by_service = true;
    other_service.vip_ip = kVip;
    other_service.vip_port = 443;
    other_service.proto = kProtoTcp;
    DumpProgress q;
    dump_all(t, other_service, out, q, kT0);
    EXPECT_EQ(q.count, 0u);

    DumpFilter same_service = other_service;
    same_service.vip_port = kVipPort;
    DumpProgress s;
    dump_all(t, same_service, out, s, kT0);
    EXPECT_EQ(s.count, 5u);
}

TEST(ConnDump, StopsAtTheLimitAndSaysTruncated) {
    ConnTable t(64);
    for (std::uint32_t n = 1; n <= 10; ++n) {
        ASSERT_TRUE(add_nat(t, n, kT0).ok());
    }
    std::array<DumpRecord, 4> out{};
    DumpProgress p;
    dump_all(t, DumpFilter{}, out, p, kT0);
    EXPECT_EQ(p.count, 4u);
    EXPECT_TRUE(p.truncated);

    std::array<DumpRecord, 10> exact{};
    DumpProgress q;
    dump_all(t, DumpFilter{}, exact, q, kT0);
    EXPECT_EQ(q.count, 10u);
    EXPECT_FALSE(q.truncated);
}

TEST(ConnDump, OverdueConnectionShowsZeroSeconds) {
    ConnTable t(16);
    ASSERT_TRUE(add_nat(t, 1, kT0).ok());
    std::array<DumpRecord, 1> out{};
    DumpProgress p;
    dump_all(t, DumpFilter{}, out, p, kT0 + 1'000'000);
    ASSERT_EQ(p.count, 1u);
    EXPECT_EQ(out[0].expires_in_s, 0u);
}

}  // namespace
}  // namespace sluice::dataplane::conn
