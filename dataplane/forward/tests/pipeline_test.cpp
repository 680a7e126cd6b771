// The forwarding pipeline on crafted frames, no EAL: NAT both directions, DR,
// TUN, ARP, ICMP echo and the counted drops.
#include "dataplane/forward/pipeline.h"

#include <gtest/gtest.h>

#include "dataplane/forward/tests/pipeline_fixture.h"
#include "dataplane/packet/arp.h"
#include "dataplane/packet/headers.h"
#include "dataplane/packet/icmp.h"
#include "dataplane/packet/parse.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::forward {
namespace {

using namespace test;

TEST(Pipeline, NatForwardThenReplyWithValidChecksums) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    p.adopt(*snap);
    const auto nb = all_known();

    TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02)), 0);
    const Verdict v = p.process(syn.frame, *snap, nb, 100);
    ASSERT_EQ(v.action, Action::transmit) << drop_reason_name(v.reason);
    EXPECT_EQ(v.out_port, 1);
    const Bytes out = syn.bytes();
    const auto m = parse(out);  // parse verifies the IP checksum
    EXPECT_EQ(m.dst_ip.value, kBe1);
    EXPECT_EQ(m.dst_port, 8080);
    EXPECT_EQ(m.src_ip.value, kClient);
    EXPECT_EQ(m.ttl, 63);
    EXPECT_EQ(packet::test::get16(out, 14 + 20 + 16), packet::test::ref_l4_checksum(out, 14));
    EXPECT_EQ(MacAddr::load(out.data()), kBe1Mac);
    EXPECT_EQ(MacAddr::load(out.data() + 6), kBackMac);
    EXPECT_EQ(p.connections().size(), 1u);

    TestFrame synack(packet::test::build_frame(tcp(kBe1, kClient, 8080, 40000, 0x12)), 1);
    const Verdict r = p.process(synack.frame, *snap, nb, 100);
    ASSERT_EQ(r.action, Action::transmit) << drop_reason_name(r.reason);
    EXPECT_EQ(r.out_port, 0);
    const Bytes back = synack.bytes();
    const auto rm = parse(back);
    EXPECT_EQ(rm.src_ip.value, kVip);
    EXPECT_EQ(rm.src_port, 80);
    EXPECT_EQ(rm.dst_ip.value, kClient);
    EXPECT_EQ(packet::test::get16(back, 14 + 20 + 16), packet::test::ref_l4_checksum(back, 14));
    EXPECT_EQ(MacAddr::load(back.data()), kClientMac);
    EXPECT_EQ(MacAddr::load(back.data() + 6), kFrontMac);

    // The next client packet follows the same connection, to the same backend.
    TestFrame ack(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x10)), 0);
    ASSERT_EQ(p.process(ack.frame, *snap, nb, 101).action, Action::transmit);
    EXPECT_EQ(parse(ack.bytes()).dst_ip.value, kBe1);
    const auto& c = p.counters();
    EXPECT_EQ(c.services[0].connections.get(), 1u);
    EXPECT_EQ(c.services[0].packets_in.get(), 2u);
    EXPECT_EQ(c.services[0].packets_out.get(), 1u);
    EXPECT_EQ(c.backends[0].packets_in.get(), 2u);
}

TEST(Pipeline, RoundRobinSpreadsNewConnections) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    const auto nb = all_known();
    int to_be1 = 0;
    for (std::uint16_t port = 1000; port < 1100; ++port) {
        TestFrame f(packet::test::build_frame(tcp(kClient, kVip, port, 80, 0x02)), 0);
        ASSERT_EQ(p.process(f.frame, *snap, nb, 1).action, Action::transmit);
        to_be1 += parse(f.bytes()).dst_ip.value == kBe1 ? 1 : 0;
    }
    EXPECT_EQ(to_be1, 50);
    EXPECT_EQ(p.connections().size(), 100u);
}

TEST(Pipeline, BurstGivesTheSameVerdictsAsOneByOne) {
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    const auto nb = all_known();
    Pipeline one({1024});
    Pipeline many({1024});
    std::vector<Bytes> inputs;
    for (std::uint16_t port = 2000; port < 2020; ++port) {
        inputs.push_back(packet::test::build_frame(tcp(kClient, kVip, port, 80, 0x02)));
        inputs.push_back(packet::test::build_frame(tcp(kClient, kVip, port, 80, 0x10)));
        inputs.push_back(packet::test::build_frame(tcp(kBe1, kClient, 8080, port, 0x12)));
    }
    inputs.push_back(Bytes(10, 0));  // runt
    std::vector<TestFrame> a;
    std::vector<TestFrame> b;
    for (const auto& in : inputs) {
        a.emplace_back(in, in.size() > 14 && in[30] == 198 && in[31] == 18 && in[32] == 0 ? 0 : 1);
        b.emplace_back(in, a.back().frame.in_port);
    }
    std::vector<Verdict> burst_verdicts(b.size());
    std::vector<Frame> frames;
    for (auto& f : b) {
        frames.push_back(f.frame);
    }
    for (std::size_t off = 0; off < frames.size(); off += 32) {
        const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(32, frames.size() - off));
        many.process_burst(frames.data() + off, burst_verdicts.data() + off, n, *snap, nb, 5);
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const Verdict v = one.process(a[i].frame, *snap, nb, 5);
        EXPECT_EQ(v.action, burst_verdicts[i].action) << i;
        EXPECT_EQ(v.reason, burst_verdicts[i].reason) << i;
        EXPECT_EQ(v.out_port, burst_verdicts[i].out_port) << i;
        EXPECT_EQ(a[i].bytes(), Bytes(frames[i].data, frames[i].data + frames[i].len)) << i;
    }
    EXPECT_EQ(one.connections().size(), many.connections().size());
}

TEST(Pipeline, PersistenceKeepsAClientNetworkOnOneBackend) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    snap->services[0].persistence_timeout = 300;
    snap->services[0].persistence_mask = common::Ipv4Addr{0xffffff00u};  // per /24
    p.adopt(*snap);
    const auto nb = all_known();
    std::uint32_t first = 0;
    for (std::uint16_t port = 100; port < 120; ++port) {
        // Clients .10 and .20 of the same /24, alternating: rr would alternate backends.
        const std::uint32_t client = port % 2 == 0 ? kClient : ip(198, 18, 0, 20);
        TestFrame f(packet::test::build_frame(tcp(client, kVip, port, 80, 0x02)), 0);
        ASSERT_EQ(p.process(f.frame, *snap, nb, 10).action, Action::transmit);
        const auto dst = parse(f.bytes()).dst_ip.value;
        if (port == 100) {
            first = dst;
        }
        EXPECT_EQ(dst, first) << port;
    }
    // After the binding expires, the scheduler decides again (rr moves on).
    TestFrame later(packet::test::build_frame(tcp(kClient, kVip, 999, 80, 0x02)), 0);
    ASSERT_EQ(p.process(later.frame, *snap, nb, 10 + 301).action, Action::transmit);
    EXPECT_NE(parse(later.bytes()).dst_ip.value, first);
}

TEST(Pipeline, IcmpErrorsAboutNatConnectionsAreTranslatedBothWays) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat, 17);
    const auto nb = all_known();
    PacketSpec udp;
    udp.src = common::Ipv4Addr{kClient};
    udp.dst = common::Ipv4Addr{kVip};
    udp.proto = 17;
    udp.src_port = 5555;
    udp.dst_port = 80;
    udp.payload = {9, 9, 9};
    TestFrame f(packet::test::build_frame(udp), 0);
    ASSERT_EQ(p.process(f.frame, *snap, nb, 1).action, Action::transmit);
    const Bytes forwarded = f.bytes();  // client -> backend:8080 as the backend got it

    // The backend answers "port unreachable" about it, to the client.
    std::array<std::uint8_t, 128> buf{};
    std::uint32_t len = 0;
    ASSERT_EQ(packet::build_icmp_error(buf, forwarded.data() + 14,
                                       static_cast<std::uint32_t>(forwarded.size() - 14), 3, 3, 0,
                                       common::Ipv4Addr{kBe1}, 7, len),
              packet::IcmpStatus::ok);
    TestFrame err(packet::test::wrap_ethernet(Bytes(buf.begin(), buf.begin() + len)), 1);
    const Verdict v = p.process(err.frame, *snap, nb, 1);
    ASSERT_EQ(v.action, Action::transmit) << drop_reason_name(v.reason);
    EXPECT_EQ(v.out_port, 0);
    const Bytes out = err.bytes();
    const auto m = parse(out);
    EXPECT_EQ(m.src_ip.value, kVip);
    EXPECT_EQ(m.dst_ip.value, kClient);
    EXPECT_EQ(packet::test::get16(out, 34 + 2),
              packet::test::ref_icmp_checksum(out, 34, m.ip_total_len - 20u));
    // The quoted packet now reads client -> VIP:80, with a valid header checksum.
    EXPECT_EQ(packet::test::get32(out, 42 + 16), kVip);
    EXPECT_EQ(packet::test::get16(out, 42 + 20 + 2), 80);
    EXPECT_EQ(packet::test::get16(out, 42 + 10), packet::test::ref_ip_checksum(out, 42));
    EXPECT_EQ(MacAddr::load(out.data()), kClientMac);

    // An error about a packet the client got from the VIP goes to the backend.
    PacketSpec reply = udp;
    reply.src = common::Ipv4Addr{kVip};
    reply.dst = common::Ipv4Addr{kClient};
    reply.src_port = 80;
    reply.dst_port = 5555;
    const Bytes quoted = packet::test::build_ip_packet(reply);
    ASSERT_EQ(
        packet::build_icmp_error(buf, quoted.data(), static_cast<std::uint32_t>(quoted.size()), 3,
                                 3, 0, common::Ipv4Addr{kClient}, 8, len),
        packet::IcmpStatus::ok);
    // build_icmp_error sends it to the quoted source: the VIP.
    TestFrame back(packet::test::wrap_ethernet(Bytes(buf.begin(), buf.begin() + len)), 0);
    const Verdict b = p.process(back.frame, *snap, nb, 1);
    ASSERT_EQ(b.action, Action::transmit) << drop_reason_name(b.reason);
    EXPECT_EQ(b.out_port, 1);
    const Bytes bout = back.bytes();
    EXPECT_EQ(parse(bout).dst_ip.value, kBe1);
    EXPECT_EQ(packet::test::get32(bout, 42 + 12), kBe1);  // quoted source now the backend
    EXPECT_EQ(packet::test::get16(bout, 42 + 20), 8080);
    EXPECT_EQ(packet::test::get16(bout, 34 + 2),
              packet::test::ref_icmp_checksum(bout, 34, bout.size() - 34));

    // An error about nothing we track is counted, not forwarded.
    PacketSpec stray = reply;
    stray.dst_port = 1;
    const Bytes q2 = packet::test::build_ip_packet(stray);
    ASSERT_EQ(packet::build_icmp_error(buf, q2.data(), static_cast<std::uint32_t>(q2.size()), 3, 3,
                                       0, common::Ipv4Addr{kClient}, 9, len),
              packet::IcmpStatus::ok);
    TestFrame none(packet::test::wrap_ethernet(Bytes(buf.begin(), buf.begin() + len)), 0);
    EXPECT_EQ(p.process(none.frame, *snap, nb, 1).action, Action::drop);
}

TEST(Pipeline, DrRewritesOnlyTheMac) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::dr);
    const Bytes in = packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02));
    TestFrame f(in, 0);
    ASSERT_EQ(p.process(f.frame, *snap, all_known(), 1).action, Action::transmit);
    const Bytes out = f.bytes();
    EXPECT_TRUE(std::equal(out.begin() + 12, out.end(), in.begin() + 12));  // L3 and up untouched
    EXPECT_EQ(MacAddr::load(out.data()), kBe1Mac);
    EXPECT_EQ(MacAddr::load(out.data() + 6), kBackMac);
}

TEST(Pipeline, TunEncapsulatesInIpip) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::tun);
    const Bytes in = packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02));
    TestFrame f(in, 0);
    const Verdict v = p.process(f.frame, *snap, all_known(), 1);
    ASSERT_EQ(v.action, Action::transmit) << drop_reason_name(v.reason);
    EXPECT_EQ(v.prepended, 20u);
    const Bytes out = f.bytes();
    ASSERT_EQ(out.size(), in.size() + 20);
    const auto outer = parse(out);
    EXPECT_EQ(outer.ip_proto, 4);
    EXPECT_EQ(outer.src_ip.value, ip(198, 18, 1, 2));
    EXPECT_EQ(outer.dst_ip.value, kBe1);
    EXPECT_TRUE(std::equal(out.begin() + 34, out.end(), in.begin() + 14));  // inner packet intact
    EXPECT_EQ(MacAddr::load(out.data()), kBe1Mac);
}

TEST(Pipeline, TunTooBigWithDfAnswersFragmentationNeeded) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::tun);
    auto spec = tcp(kClient, kVip, 40000, 80, 0x02);
    spec.payload = Bytes(1500 - 40, 0x5a);  // a full 1500-byte packet, DF set
    TestFrame f(packet::test::build_frame(spec), 0);
    const Verdict v = p.process(f.frame, *snap, all_known(), 1);
    ASSERT_EQ(v.action, Action::transmit) << drop_reason_name(v.reason);
    EXPECT_EQ(v.out_port, 0);  // back to the client
    const Bytes out = f.bytes();
    const auto m = parse(out);
    EXPECT_EQ(m.ip_proto, 1);
    EXPECT_EQ(m.icmp_type, 3);
    EXPECT_EQ(m.icmp_code, 4);
    EXPECT_EQ(m.dst_ip.value, kClient);
    EXPECT_EQ(m.src_ip.value, ip(198, 18, 0, 2));
    EXPECT_EQ(packet::test::get16(out, 34 + 6), 1480);  // next-hop MTU: 1500 - 20
    EXPECT_EQ(packet::test::get16(out, 34 + 2),
              packet::test::ref_icmp_checksum(out, 34, out.size() - 34));
    EXPECT_EQ(packet::test::get32(out, 42 + 16), kVip);  // quotes the client's packet
    EXPECT_EQ(MacAddr::load(out.data()), kClientMac);
    EXPECT_EQ(p.counters().drops[static_cast<std::size_t>(DropReason::too_big)].get(), 1u);
}

TEST(Pipeline, AnswersArpForOwnAddressAndOwnedVipAndLearnsTheSender) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    const NeighbourTable empty;
    for (const std::uint32_t target : {ip(198, 18, 0, 2), kVip}) {
        std::array<std::uint8_t, 64> buf{};
        std::uint32_t len = 0;
        ASSERT_EQ(packet::build_arp_request(buf, kClientMac, common::Ipv4Addr{kClient},
                                            common::Ipv4Addr{target}, std::nullopt, len),
                  packet::ArpStatus::ok);
        TestFrame f(Bytes(buf.begin(), buf.begin() + len), 0);
        const Verdict v = p.process(f.frame, *snap, empty, 1);
        ASSERT_EQ(v.action, Action::transmit);
        const Bytes out = f.bytes();
        packet::ArpPacket reply;
        ASSERT_EQ(packet::parse_arp(out.data() + 14, len - 14, reply), packet::ArpStatus::ok);
        EXPECT_EQ(reply.op, packet::kArpOpReply);
        EXPECT_EQ(reply.sender_ip.value, target);
        EXPECT_EQ(reply.sender_mac, kFrontMac);
        EXPECT_EQ(MacAddr::load(out.data()), kClientMac);
    }
    ASSERT_GE(p.event_count(), 1u);
    EXPECT_EQ(p.events()[0].kind, NeighbourEvent::Kind::learned);
    EXPECT_EQ(p.events()[0].ip, kClient);
    EXPECT_EQ(p.events()[0].mac, kClientMac);
    EXPECT_EQ(p.counters().arp_replies.get(), 2u);

    // Not ours: counted, not answered.
    std::array<std::uint8_t, 64> buf{};
    std::uint32_t len = 0;
    packet::build_arp_request(buf, kClientMac, common::Ipv4Addr{kClient},
                              common::Ipv4Addr{ip(198, 18, 0, 99)}, std::nullopt, len);
    TestFrame f(Bytes(buf.begin(), buf.begin() + len), 0);
    EXPECT_EQ(p.process(f.frame, *snap, empty, 1).reason, DropReason::arp_not_for_us);
}

TEST(Pipeline, BackupDropsVipTrafficAndStaysSilentOnArp) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    snap->owned_vips.clear();
    TestFrame f(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02)), 0);
    EXPECT_EQ(p.process(f.frame, *snap, all_known(), 1).reason, DropReason::vip_not_owned);
    std::array<std::uint8_t, 64> buf{};
    std::uint32_t len = 0;
    packet::build_arp_request(buf, kClientMac, common::Ipv4Addr{kClient}, common::Ipv4Addr{kVip},
                              std::nullopt, len);
    TestFrame a(Bytes(buf.begin(), buf.begin() + len), 0);
    EXPECT_EQ(p.process(a.frame, *snap, all_known(), 1).reason, DropReason::vip_not_owned);
    EXPECT_EQ(p.counters().drops[static_cast<std::size_t>(DropReason::vip_not_owned)].get(), 2u);
    EXPECT_EQ(p.counters().arp_replies.get(), 0u);
}

TEST(Pipeline, MasterAnswersArpForAVipWithItsVirtualMac) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    const MacAddr vmac{{0x00, 0x00, 0x5e, 0x00, 0x01, 51}};
    snap->vip_macs = {{kVip, vmac}};
    snap->finalize();
    std::array<std::uint8_t, 64> buf{};
    std::uint32_t len = 0;
    packet::build_arp_request(buf, kClientMac, common::Ipv4Addr{kClient}, common::Ipv4Addr{kVip},
                              std::nullopt, len);
    TestFrame f(Bytes(buf.begin(), buf.begin() + len), 0);
    ASSERT_EQ(p.process(f.frame, *snap, all_known(), 1).action, Action::transmit);
    const Bytes out = f.bytes();
    packet::ArpPacket reply;
    ASSERT_EQ(packet::parse_arp(out.data() + 14, len - 14, reply), packet::ArpStatus::ok);
    EXPECT_EQ(reply.sender_mac, vmac);
}

TEST(Pipeline, VrrpAdvertsArePuntedToTheControlPlane) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    snap->owned_vips.clear();  // a backup still hears adverts
    auto vrrp = [](std::uint32_t src, std::uint32_t dst) {
        PacketSpec s;
        s.src = common::Ipv4Addr{src};
        s.dst = common::Ipv4Addr{dst};
        s.proto = packet::kIpProtoVrrp;
        s.ttl = 255;
        s.flags_frag = 0;
        s.payload = {0x31, 51, 100, 1, 0, 100, 0, 0, 198, 18, 0, 100};
        return packet::test::build_frame(s);
    };
    const std::uint32_t peer = ip(198, 18, 0, 3);
    for (const std::uint32_t dst :
         {packet::kVrrpGroup, ip(198, 18, 0, 2)}) {  // multicast, unicast to us
        TestFrame f(vrrp(peer, dst), 0);
        const Verdict v = p.process(f.frame, *snap, all_known(), 1);
        EXPECT_EQ(v.action, Action::punt);
        EXPECT_EQ(v.out_port, 0);
        EXPECT_EQ(v.len, f.frame.len);
    }
    // Unicast VRRP between two other hosts (seen in promiscuous mode): not ours.
    TestFrame other(vrrp(peer, ip(198, 18, 0, 4)), 0);
    EXPECT_EQ(p.process(other.frame, *snap, all_known(), 1).reason, DropReason::not_for_us);
}

TEST(Pipeline, VrrpPeerGratuitousArpIsNotLearnedAsANeighbour) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    snap->owned_vips.clear();
    std::array<std::uint8_t, 64> buf{};
    std::uint32_t len = 0;
    ASSERT_EQ(
        packet::build_gratuitous_arp(buf, kClientMac, common::Ipv4Addr{kVip}, std::nullopt, len),
        packet::ArpStatus::ok);
    TestFrame f(Bytes(buf.begin(), buf.begin() + len), 0);
    EXPECT_EQ(p.process(f.frame, *snap, NeighbourTable{}, 1).action, Action::drop);
    EXPECT_EQ(p.event_count(), 0u);
}

TEST(Pipeline, EchoReplyForOwnAddressAndVip) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    for (const std::uint32_t dst : {ip(198, 18, 0, 2), kVip}) {
        PacketSpec s;
        s.src = common::Ipv4Addr{kClient};
        s.dst = common::Ipv4Addr{dst};
        s.proto = 1;
        TestFrame f(packet::test::build_frame(s), 0);
        ASSERT_EQ(p.process(f.frame, *snap, all_known(), 1).action, Action::transmit);
        const Bytes out = f.bytes();
        const auto m = parse(out);
        EXPECT_EQ(m.icmp_type, 0);
        EXPECT_EQ(m.src_ip.value, dst);
        EXPECT_EQ(m.dst_ip.value, kClient);
        EXPECT_EQ(packet::test::get16(out, 14 + 20 + 2),
                  packet::test::ref_icmp_checksum(out, 34, out.size() - 34));
    }
}

TEST(Pipeline, CountedDrops) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    const auto nb = all_known();
    // Mid-flow TCP with no connection.
    TestFrame ack(packet::test::build_frame(tcp(kClient, kVip, 1, 80, 0x10)), 0);
    EXPECT_EQ(p.process(ack.frame, *snap, nb, 1).reason, DropReason::no_connection);
    // Another port on the VIP: no service.
    TestFrame other(packet::test::build_frame(tcp(kClient, kVip, 1, 81, 0x02)), 0);
    EXPECT_EQ(p.process(other.frame, *snap, nb, 1).reason, DropReason::not_for_us);
    // Unknown backend MAC: counted and reported to the control plane.
    TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, 2, 80, 0x02)), 0);
    const NeighbourTable only_client({{kClient, kClientMac}});
    const Verdict held = p.process(syn.frame, *snap, only_client, 1);
    EXPECT_EQ(held.action, Action::hold);  // the worker parks it until the MAC is known
    EXPECT_EQ(held.next_hop, kBe1);
    EXPECT_EQ(held.out_port, 1);
    ASSERT_EQ(p.event_count(), 1u);
    EXPECT_EQ(p.events()[0].kind, NeighbourEvent::Kind::unresolved);
    EXPECT_EQ(p.events()[0].ip, kBe1);
    // Truncated IPv4.
    Bytes bad = packet::test::build_frame(tcp(kClient, kVip, 3, 80, 0x02));
    bad.resize(30);
    TestFrame t(bad, 0);
    EXPECT_EQ(p.process(t.frame, *snap, nb, 1).reason, DropReason::bad_header);
    // TTL 1.
    auto spec = tcp(kClient, kVip, 4, 80, 0x02);
    spec.ttl = 1;
    TestFrame ttl(packet::test::build_frame(spec), 0);
    EXPECT_EQ(p.process(ttl.frame, *snap, nb, 1).reason, DropReason::ttl_exceeded);
    const auto& d = p.counters().drops;
    EXPECT_EQ(d[static_cast<std::size_t>(DropReason::no_connection)].get(), 1u);
    EXPECT_EQ(d[static_cast<std::size_t>(DropReason::not_for_us)].get(), 1u);
    EXPECT_EQ(d[static_cast<std::size_t>(DropReason::unresolved_neighbour)].get(),
              0u);  // held, not dropped
    EXPECT_EQ(d[static_cast<std::size_t>(DropReason::bad_header)].get(), 1u);
    EXPECT_EQ(d[static_cast<std::size_t>(DropReason::ttl_exceeded)].get(), 1u);
}

TEST(Pipeline, FullTableRefusesNewConnectionsOnly) {
    Pipeline p({2});
    auto snap = make_snapshot(conn::ForwardMethod::nat, 17);
    const auto nb = all_known();
    auto udp = [](std::uint16_t sport) {
        PacketSpec s;
        s.src = common::Ipv4Addr{kClient};
        s.dst = common::Ipv4Addr{kVip};
        s.proto = 17;
        s.src_port = sport;
        s.dst_port = 80;
        return packet::test::build_frame(s);
    };
    for (const std::uint16_t sport : {std::uint16_t{1}, std::uint16_t{2}}) {
        TestFrame f(udp(sport), 0);
        ASSERT_EQ(p.process(f.frame, *snap, nb, 1).action, Action::transmit);
    }
    TestFrame third(udp(3), 0);
    EXPECT_EQ(p.process(third.frame, *snap, nb, 1).reason, DropReason::table_full);
    TestFrame again(udp(1), 0);
    EXPECT_EQ(p.process(again.frame, *snap, nb, 1).action, Action::transmit);
}

// ---- health: sorry server, reset_on_backend_down ------------------------------

constexpr std::uint32_t kSorry = ip(198, 18, 1, 13);
const MacAddr kSorryMac{{0x02, 0, 0, 0, 1, 0x13}};

NeighbourTable with_sorry() {
    return NeighbourTable(
        {{kClient, kClientMac}, {kBe1, kBe1Mac}, {kBe2, kBe2Mac}, {kSorry, kSorryMac}});
}

// Appends a sorry server (slot 2) after the real servers, as the builder does.
void add_sorry(Snapshot& s) {
    auto& svc = s.services[0];
    svc.sorry_index = static_cast<std::uint32_t>(svc.backends.size());
    svc.backends.push_back(
        {common::Ipv4Addr{kSorry}, svc.backends[0].port, 1, 1, common::Ipv4Addr{kSorry}, 2});
    s.finalize();
}

// A new snapshot of the same services with the real servers' health set (the
// scheduler rebuilt over the real servers only, as the builder does).
std::unique_ptr<Snapshot> with_health(const Snapshot& base, std::vector<bool> up, bool reset,
                                      sched::Algorithm algo = sched::Algorithm::kRoundRobin) {
    auto s = std::make_unique<Snapshot>(base);
    auto& svc = s->services[0];
    std::vector<sched::BackendInfo> infos;
    for (std::size_t i = 0; i < up.size(); ++i) {
        svc.backends[i].up = up[i];
        infos.push_back({svc.backends[i].weight, up[i]});
    }
    auto built = sched::ServiceScheduler::build(algo, infos, {});
    EXPECT_TRUE(built.has_value());
    svc.scheduler = std::move(built).value();
    svc.reset_on_backend_down = reset;
    s->generation = base.generation + 1;
    s->finalize();
    return s;
}

std::uint64_t drops(const Pipeline& p, DropReason r) {
    return p.counters().drops[static_cast<std::size_t>(r)].get();
}

TEST(Snapshot, ResetSlotsAreTheDownBackendsOfResettingServices) {
    auto base = make_snapshot(conn::ForwardMethod::nat);
    add_sorry(*base);
    EXPECT_FALSE(base->must_reset(0));
    const auto keep = with_health(*base, {false, true}, false);
    EXPECT_FALSE(keep->must_reset(0));  // the default: connections carry on
    const auto reset = with_health(*base, {false, true}, true);
    EXPECT_TRUE(reset->must_reset(0));
    EXPECT_FALSE(reset->must_reset(1));
    EXPECT_FALSE(reset->must_reset(2));  // the sorry server
    EXPECT_FALSE(reset->must_reset(kMaxBackendSlots));
    EXPECT_FALSE(reset->must_reset(conn::kNoBackendSlot));
    const auto back = with_health(*reset, {true, true}, true);
    EXPECT_FALSE(back->must_reset(0));
}

TEST(Pipeline, SorryServerTakesNewConnectionsWhileNoBackendIsUp) {
    for (const auto algo :
         {sched::Algorithm::kRoundRobin, sched::Algorithm::kWeightedLeastConnection}) {
        Pipeline p({1024});
        auto base = make_snapshot(conn::ForwardMethod::nat);
        add_sorry(*base);
        const auto nb = with_sorry();
        const auto none_up = with_health(*base, {false, false}, false, algo);
        p.adopt(*none_up);

        TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02)), 0);
        const Verdict v = p.process(syn.frame, *none_up, nb, 1);
        ASSERT_EQ(v.action, Action::transmit) << drop_reason_name(v.reason);
        const Bytes out = syn.bytes();
        EXPECT_EQ(parse(out).dst_ip.value, kSorry);
        EXPECT_EQ(parse(out).dst_port, 8080);
        EXPECT_EQ(MacAddr::load(out.data()), kSorryMac);
        EXPECT_EQ(p.counters().sorry.get(), 1u);
        EXPECT_EQ(p.counters().backends[2].connections.get(), 1u);  // the sorry server's slot
        EXPECT_EQ(p.counters().services[0].connections.get(), 1u);
        EXPECT_EQ(drops(p, DropReason::no_backend), 0u);
        // Its reply is translated back like any backend's.
        TestFrame synack(packet::test::build_frame(tcp(kSorry, kClient, 8080, 40000, 0x12)), 1);
        ASSERT_EQ(p.process(synack.frame, *none_up, nb, 1).action, Action::transmit);
        EXPECT_EQ(parse(synack.bytes()).src_ip.value, kVip);

        // One backend up again: new connections go to it, not to the sorry server...
        const auto one_up = with_health(*base, {false, true}, false, algo);
        p.adopt(*one_up);
        for (std::uint16_t port = 41000; port < 41004; ++port) {
            TestFrame f(packet::test::build_frame(tcp(kClient, kVip, port, 80, 0x02)), 0);
            ASSERT_EQ(p.process(f.frame, *one_up, nb, 2).action, Action::transmit);
            EXPECT_EQ(parse(f.bytes()).dst_ip.value, kBe2);
        }
        EXPECT_EQ(p.counters().sorry.get(), 1u);
        // ...while the sorry server's connection carries on there.
        TestFrame ack(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x10)), 0);
        ASSERT_EQ(p.process(ack.frame, *one_up, nb, 2).action, Action::transmit);
        EXPECT_EQ(parse(ack.bytes()).dst_ip.value, kSorry);
    }
}

TEST(Pipeline, NoBackendAndNoSorryServerIsCountedNoBackend) {
    Pipeline p({1024});
    const auto snap = with_health(*make_snapshot(conn::ForwardMethod::nat), {false, false}, false);
    TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02)), 0);
    EXPECT_EQ(p.process(syn.frame, *snap, all_known(), 1).reason, DropReason::no_backend);
    EXPECT_EQ(drops(p, DropReason::no_backend), 1u);
    EXPECT_EQ(p.counters().sorry.get(), 0u);
    EXPECT_EQ(p.connections().size(), 0u);
}

TEST(Pipeline, ConnectionsToADownBackendCarryOnByDefault) {
    Pipeline p({1024});
    auto base = make_snapshot(conn::ForwardMethod::nat);
    const auto nb = all_known();
    TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02)), 0);
    ASSERT_EQ(p.process(syn.frame, *base, nb, 1).action, Action::transmit);
    ASSERT_EQ(parse(syn.bytes()).dst_ip.value, kBe1);

    const auto down = with_health(*base, {false, true}, false);
    TestFrame ack(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x10)), 0);
    ASSERT_EQ(p.process(ack.frame, *down, nb, 2).action, Action::transmit);
    EXPECT_EQ(parse(ack.bytes()).dst_ip.value, kBe1);
    TestFrame reply(packet::test::build_frame(tcp(kBe1, kClient, 8080, 40000, 0x10)), 1);
    ASSERT_EQ(p.process(reply.frame, *down, nb, 2).action, Action::transmit);
    EXPECT_EQ(parse(reply.bytes()).src_ip.value, kVip);
    // New connections avoid it.
    for (std::uint16_t port = 41000; port < 41004; ++port) {
        TestFrame f(packet::test::build_frame(tcp(kClient, kVip, port, 80, 0x02)), 0);
        ASSERT_EQ(p.process(f.frame, *down, nb, 2).action, Action::transmit);
        EXPECT_EQ(parse(f.bytes()).dst_ip.value, kBe2);
    }
    EXPECT_EQ(drops(p, DropReason::backend_reset), 0u);
    EXPECT_EQ(p.connections().size(), 5u);
}

TEST(Pipeline, ResetOnBackendDownAnswersTheClientWithARst) {
    Pipeline p({1024});
    auto base = make_snapshot(conn::ForwardMethod::nat);
    const auto nb = all_known();
    // rr: 40000 -> backend 1, 40001 -> backend 2.
    for (const std::uint16_t port : {std::uint16_t{40000}, std::uint16_t{40001}}) {
        TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, port, 80, 0x02)), 0);
        ASSERT_EQ(p.process(syn.frame, *base, nb, 1).action, Action::transmit);
        ASSERT_EQ(parse(syn.bytes()).dst_ip.value, port == 40000 ? kBe1 : kBe2);
    }
    ASSERT_EQ(p.connections().size(), 2u);

    const auto down = with_health(*base, {false, true}, true);
    p.adopt(*down);
    // The down backend's own packets no longer reach the client.
    TestFrame reply(packet::test::build_frame(tcp(kBe1, kClient, 8080, 40000, 0x10)), 1);
    const Verdict rv = p.process(reply.frame, *down, nb, 2);
    EXPECT_EQ(rv.action, Action::drop);
    EXPECT_EQ(rv.reason, DropReason::backend_reset);
    EXPECT_EQ(p.connections().size(), 2u);

    // The client's next segment is answered with a RST and the connection goes.
    const Bytes in = packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x18));
    TestFrame data(in, 0);
    const Verdict v = p.process(data.frame, *down, nb, 2);
    ASSERT_EQ(v.action, Action::transmit) << drop_reason_name(v.reason);
    EXPECT_EQ(v.out_port, 0);  // back where it came from
    EXPECT_EQ(v.len, 60u);
    const Bytes out = data.bytes();
    ASSERT_EQ(out.size(), 60u);
    const auto m = parse(out);  // verifies the IP checksum
    EXPECT_EQ(MacAddr::load(out.data()), MacAddr::load(in.data() + 6));
    EXPECT_EQ(MacAddr::load(out.data() + 6), MacAddr::load(in.data()));
    EXPECT_EQ(m.src_ip.value, kVip);
    EXPECT_EQ(m.dst_ip.value, kClient);
    EXPECT_EQ(m.src_port, 80);
    EXPECT_EQ(m.dst_port, 40000);
    EXPECT_EQ(m.ttl, 64);
    EXPECT_EQ(m.ip_total_len, 40);
    EXPECT_EQ(m.tcp_flags, packet::kTcpRst);
    EXPECT_EQ(packet::test::get32(out, 34 + 4), 0x0a0b0c0du);  // seq = the segment's ack
    EXPECT_EQ(packet::test::get16(out, 14 + 10), packet::test::ref_ip_checksum(out, 14));
    EXPECT_EQ(packet::test::get16(out, 34 + 16), packet::test::ref_l4_checksum(out, 14));
    EXPECT_EQ(p.connections().size(), 1u);
    EXPECT_EQ(p.counters().resets_sent.get(), 1u);
    EXPECT_EQ(drops(p, DropReason::backend_reset), 2u);
    EXPECT_EQ(p.backend_conn_counts()[0].active + p.backend_conn_counts()[0].inactive, 0u);

    // The other backend's connection is untouched, both ways.
    TestFrame other(packet::test::build_frame(tcp(kClient, kVip, 40001, 80, 0x10)), 0);
    ASSERT_EQ(p.process(other.frame, *down, nb, 2).action, Action::transmit);
    EXPECT_EQ(parse(other.bytes()).dst_ip.value, kBe2);
    TestFrame other_reply(packet::test::build_frame(tcp(kBe2, kClient, 8080, 40001, 0x10)), 1);
    ASSERT_EQ(p.process(other_reply.frame, *down, nb, 2).action, Action::transmit);

    // A retransmission finds no connection any more (no second RST); a new SYN
    // from the same port is scheduled to a live backend.
    TestFrame again(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x18)), 0);
    EXPECT_EQ(p.process(again.frame, *down, nb, 2).reason, DropReason::no_connection);
    TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02)), 0);
    ASSERT_EQ(p.process(syn.frame, *down, nb, 3).action, Action::transmit);
    EXPECT_EQ(parse(syn.bytes()).dst_ip.value, kBe2);
    EXPECT_EQ(p.counters().resets_sent.get(), 1u);
}

TEST(Pipeline, ResetOnBackendDownNeverAnswersARst) {
    Pipeline p({1024});
    auto base = make_snapshot(conn::ForwardMethod::dr);
    const auto nb = all_known();
    TestFrame syn(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x02)), 0);
    ASSERT_EQ(p.process(syn.frame, *base, nb, 1).action, Action::transmit);
    const auto down = with_health(*base, {false, true}, true);
    TestFrame rst(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, 0x14)), 0);
    const Verdict v = p.process(rst.frame, *down, nb, 2);
    EXPECT_EQ(v.action, Action::drop);
    EXPECT_EQ(v.reason, DropReason::backend_reset);
    EXPECT_EQ(p.connections().size(), 0u);
    EXPECT_EQ(p.counters().resets_sent.get(), 0u);
}

TEST(Pipeline, ResetOnBackendDownReschedulesUdp) {
    Pipeline p({1024});
    auto base = make_snapshot(conn::ForwardMethod::nat, 17);
    const auto nb = all_known();
    auto udp = [](std::uint16_t sport) {
        PacketSpec s;
        s.src = common::Ipv4Addr{kClient};
        s.dst = common::Ipv4Addr{kVip};
        s.proto = 17;
        s.src_port = sport;
        s.dst_port = 80;
        s.payload = {7, 7};
        return packet::test::build_frame(s);
    };
    for (const std::uint16_t port : {std::uint16_t{5000}, std::uint16_t{5001}}) {
        TestFrame f(udp(port), 0);
        ASSERT_EQ(p.process(f.frame, *base, nb, 1).action, Action::transmit);
    }
    const auto down = with_health(*base, {false, true}, true);
    TestFrame first(udp(5000), 0);
    const Verdict v = p.process(first.frame, *down, nb, 2);
    EXPECT_EQ(v.action, Action::drop);
    EXPECT_EQ(v.reason, DropReason::backend_reset);
    EXPECT_EQ(p.connections().size(), 1u);
    TestFrame next(udp(5000), 0);
    ASSERT_EQ(p.process(next.frame, *down, nb, 2).action, Action::transmit);
    EXPECT_EQ(parse(next.bytes()).dst_ip.value, kBe2);
    TestFrame other(udp(5001), 0);
    ASSERT_EQ(p.process(other.frame, *down, nb, 2).action, Action::transmit);
    EXPECT_EQ(parse(other.bytes()).dst_ip.value, kBe2);
    EXPECT_EQ(p.connections().size(), 2u);
    EXPECT_EQ(drops(p, DropReason::backend_reset), 1u);
    EXPECT_EQ(p.counters().resets_sent.get(), 0u);
}

}  // namespace
}  // namespace sluice::dataplane::forward
