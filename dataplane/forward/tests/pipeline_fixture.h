#pragma once
// Shared fixtures of the pipeline's unit tests: a two-port snapshot with one
// service over two backends, a neighbour table that knows everyone, frames
// with mbuf-like headroom and tailroom.

#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "dataplane/forward/pipeline.h"
#include "dataplane/packet/parse.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::forward::test {

using packet::MacAddr;
using packet::test::Bytes;
using packet::test::PacketSpec;

constexpr std::uint32_t ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

inline const MacAddr kFrontMac{{0x02, 0x53, 0x4c, 0x01, 0x00, 0x02}};
inline const MacAddr kBackMac{{0x02, 0x53, 0x4c, 0x01, 0x01, 0x02}};
inline const MacAddr kClientMac{{0x02, 0, 0, 0, 0, 0x10}};
inline const MacAddr kBe1Mac{{0x02, 0, 0, 0, 1, 0x11}};
inline const MacAddr kBe2Mac{{0x02, 0, 0, 0, 1, 0x12}};
constexpr std::uint32_t kClient = ip(198, 18, 0, 10);
constexpr std::uint32_t kVip = ip(198, 18, 0, 100);
constexpr std::uint32_t kBe1 = ip(198, 18, 1, 11);
constexpr std::uint32_t kBe2 = ip(198, 18, 1, 12);

inline std::unique_ptr<Snapshot> make_snapshot(conn::ForwardMethod method, std::uint8_t proto = 6) {
    auto s = std::make_unique<Snapshot>();
    s->ports.push_back(
        {0, kFrontMac, {{common::Ipv4Addr{ip(198, 18, 0, 2)}, 24}}, std::nullopt, 1500});
    s->ports.push_back(
        {1, kBackMac, {{common::Ipv4Addr{ip(198, 18, 1, 2)}, 24}}, std::nullopt, 1500});
    ServiceView svc;
    svc.vip = common::Ipv4Addr{kVip};
    svc.port = 80;
    svc.proto = proto;
    svc.method = method;
    svc.in_port = 0;
    svc.backends = {{common::Ipv4Addr{kBe1}, 8080, 1, 1, common::Ipv4Addr{kBe1}, 0},
                    {common::Ipv4Addr{kBe2}, 8080, 1, 1, common::Ipv4Addr{kBe2}, 1}};
    if (method != conn::ForwardMethod::nat) {
        svc.backends[0].port = svc.backends[1].port = 80;
    }
    const std::vector<sched::BackendInfo> infos{{1, true}, {1, true}};
    auto built = sched::ServiceScheduler::build(sched::Algorithm::kRoundRobin, infos, {});
    EXPECT_TRUE(built.has_value());
    svc.scheduler = std::move(built).value();
    s->services.push_back(std::move(svc));
    s->owned_vips = {kVip};
    s->timeouts = {conn::kDefaultTimeouts};
    s->finalize();
    return s;
}

inline NeighbourTable all_known() {
    return NeighbourTable({{kClient, kClientMac}, {kBe1, kBe1Mac}, {kBe2, kBe2Mac}});
}

// A frame with 64 bytes of headroom and tailroom, as an mbuf would have.
struct TestFrame {
    explicit TestFrame(const Bytes& b, std::uint16_t port) : buf(64 + b.size() + 64) {
        std::copy(b.begin(), b.end(), buf.begin() + 64);
        frame = Frame{buf.data() + 64, static_cast<std::uint32_t>(b.size()), 64, port, 64};
    }
    Bytes bytes() const { return Bytes(frame.data, frame.data + frame.len); }
    Bytes buf;
    Frame frame;
};

inline PacketSpec tcp(std::uint32_t src, std::uint32_t dst, std::uint16_t sport,
                      std::uint16_t dport, std::uint8_t flags) {
    PacketSpec s;
    s.src = common::Ipv4Addr{src};
    s.dst = common::Ipv4Addr{dst};
    s.src_port = sport;
    s.dst_port = dport;
    s.tcp_flags = flags;
    s.payload = {1, 2, 3, 4, 5};
    return s;
}

inline packet::PacketMeta parse(const Bytes& b) {
    packet::PacketMeta m;
    EXPECT_EQ(packet::parse_frame(b.data(), static_cast<std::uint32_t>(b.size()), m),
              packet::ParseStatus::ok);
    return m;
}
}  // namespace sluice::dataplane::forward::test
