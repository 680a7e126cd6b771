#include "dataplane/forward/steering.h"

#include <gtest/gtest.h>

#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::forward {
namespace {

using packet::test::PacketSpec;

Snapshot one_service() {
    Snapshot s;
    ServiceView svc;
    svc.vip = common::Ipv4Addr{0xc6120064};  // 198.18.0.100
    svc.port = 80;
    svc.proto = 6;
    s.services.push_back(std::move(svc));
    s.finalize();
    return s;
}

TEST(Steering, BothDirectionsOfAConnectionHaveOneOwner) {
    const Snapshot snap = one_service();
    std::uint32_t owners[4] = {};
    for (std::uint16_t port = 1000; port < 3000; ++port) {
        PacketSpec in;
        in.src = common::Ipv4Addr{0xc612000a};  // client
        in.dst = common::Ipv4Addr{0xc6120064};  // VIP
        in.src_port = port;
        in.dst_port = 80;
        PacketSpec out;
        out.src = common::Ipv4Addr{0xc612010b};  // backend
        out.dst = in.src;
        out.src_port = 8080;
        out.dst_port = port;
        const auto a = packet::test::build_frame(in);
        const auto b = packet::test::build_frame(out);
        const auto oa = owning_worker(a.data(), static_cast<std::uint32_t>(a.size()), snap, 4);
        const auto ob = owning_worker(b.data(), static_cast<std::uint32_t>(b.size()), snap, 4);
        ASSERT_TRUE(oa && ob);
        ASSERT_EQ(*oa, *ob) << port;
        ASSERT_LT(*oa, 4u);
        ++owners[*oa];
    }
    for (const auto n : owners) {
        EXPECT_GT(n, 400u);  // 2000 flows over 4 workers: each gets a fair share
        EXPECT_LT(n, 600u);
    }
}

TEST(Steering, OneWorkerOrNoClientEndpointMeansAnyWorker) {
    const Snapshot snap = one_service();
    PacketSpec icmp;
    icmp.proto = 1;
    const auto f = packet::test::build_frame(icmp);
    EXPECT_FALSE(owning_worker(f.data(), static_cast<std::uint32_t>(f.size()), snap, 4));
    PacketSpec tcp;
    const auto t = packet::test::build_frame(tcp);
    EXPECT_FALSE(owning_worker(t.data(), static_cast<std::uint32_t>(t.size()), snap, 1));
}

}  // namespace
}  // namespace sluice::dataplane::forward
