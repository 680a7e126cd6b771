#include "dataplane/packet/icmp.h"

#include <array>
#include <random>

#include <gtest/gtest.h>

#include "dataplane/packet/headers.h"
#include "dataplane/packet/nat.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

using test::Bytes;
using test::PacketSpec;

ParseStatus parse(const Bytes& f, PacketMeta& meta) {
    return parse_frame(f.data(), static_cast<std::uint32_t>(f.size()), meta);
}

// Frame carrying an ICMP error (type/code) whose data is `quote`.
Bytes icmp_error_frame(std::uint8_t type, std::uint8_t code, const Bytes& quote,
                       common::Ipv4Addr from = common::Ipv4Addr{0x0a0000fe},
                       common::Ipv4Addr to = common::Ipv4Addr{0xc6120164}) {
    PacketSpec s;
    s.proto = kIpProtoIcmp;
    s.src = from;
    s.dst = to;
    s.icmp_type = type;
    s.icmp_code = code;
    s.icmp_rest = 0;
    s.payload = quote;
    return test::build_frame(s);
}

TEST(IcmpEcho, ReplyChecksumsEqualFullRecompute) {
    test::Rng rng(792);
    for (int i = 0; i < 2000; ++i) {
        PacketSpec s;
        s.proto = kIpProtoIcmp;
        s.src = common::Ipv4Addr{rng()};
        s.dst = common::Ipv4Addr{rng()};
        s.ttl = static_cast<std::uint8_t>(1 + rng() % 255);
        s.icmp_rest = rng();
        s.payload = test::random_bytes(rng, rng() % 1473);
        if (i % 7 == 0) {
            s.ip_options = {0x01, 0x01, 0x01, 0x00};
        }
        Bytes f = test::build_frame(s);
        PacketMeta m;
        ASSERT_EQ(parse(f, m), ParseStatus::ok);
        const std::size_t l4 = m.l4_offset;
        ASSERT_EQ(make_echo_reply(f.data(), m), IcmpStatus::ok);
        ASSERT_EQ(f[l4], 0);
        ASSERT_EQ(test::get16(f, l4 + 2), test::ref_icmp_checksum(f, l4, f.size() - l4));
        ASSERT_EQ(test::get16(f, 24), test::ref_ip_checksum(f, 14));
        ASSERT_EQ(test::get32(f, 26), s.dst.value);
        ASSERT_EQ(test::get32(f, 30), s.src.value);
        ASSERT_EQ(f[22], kIcmpReplyTtl);
        ASSERT_EQ(test::get32(f, l4 + 4), s.icmp_rest);  // id and sequence reflected
        EXPECT_EQ(m.src_ip, s.dst);
        EXPECT_EQ(m.dst_ip, s.src);
        EXPECT_EQ(m.icmp_type, kIcmpEchoReply);
        EXPECT_EQ(m.ttl, kIcmpReplyTtl);
    }
}

TEST(IcmpEcho, Refusals) {
    PacketSpec s;
    s.proto = kIpProtoIcmp;
    s.icmp_type = kIcmpEchoReply;
    Bytes f = test::build_frame(s);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_EQ(make_echo_reply(f.data(), m), IcmpStatus::not_echo_request);
    s.icmp_type = kIcmpEchoRequest;
    s.flags_frag = kIpv4FlagMf;
    f = test::build_frame(s);
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_EQ(make_echo_reply(f.data(), m), IcmpStatus::fragmented);
    f = test::build_frame(PacketSpec{});
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EXPECT_EQ(make_echo_reply(f.data(), m), IcmpStatus::not_icmp);
}

TEST(IcmpError, ParseEmbedded) {
    PacketSpec inner;  // the packet the router is complaining about
    inner.proto = kIpProtoUdp;
    inner.src = common::Ipv4Addr{0xc6120164};
    inner.dst = common::Ipv4Addr{0x0a000001};
    inner.src_port = 53;
    inner.dst_port = 33434;
    inner.payload = Bytes(40, 0);
    Bytes quote = test::build_ip_packet(inner);
    quote.resize(28);
    const Bytes f = icmp_error_frame(kIcmpDestUnreachable, 3, quote);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EmbeddedPacket e;
    ASSERT_EQ(parse_icmp_error(f.data(), m, e), IcmpStatus::ok);
    EXPECT_EQ(e.ip_offset, 42);
    EXPECT_EQ(e.ip_header_len, 20);
    EXPECT_EQ(e.ip_proto, kIpProtoUdp);
    EXPECT_EQ(e.ip_total_len, 68);
    EXPECT_EQ(e.l4_offset, 62);
    EXPECT_EQ(e.quoted_l4_len, 8);
    EXPECT_EQ(e.src_ip, inner.src);
    EXPECT_EQ(e.dst_ip, inner.dst);
    EXPECT_EQ(e.src_port, 53);
    EXPECT_EQ(e.dst_port, 33434);
    EXPECT_TRUE(e.has_l4_header);
}

TEST(IcmpError, ParseFaults) {
    const Bytes udp = test::build_ip_packet([] {
        PacketSpec s;
        s.proto = kIpProtoUdp;
        s.payload = Bytes(30, 0);
        return s;
    }());
    PacketMeta m;
    EmbeddedPacket e;
    auto status_for = [&](const Bytes& f) {
        EXPECT_EQ(parse(f, m), ParseStatus::ok);
        return parse_icmp_error(f.data(), m, e);
    };
    EXPECT_EQ(
        status_for(icmp_error_frame(kIcmpTimeExceeded, 0, Bytes(udp.begin(), udp.begin() + 19))),
        IcmpStatus::truncated_embedded);
    EXPECT_EQ(
        status_for(icmp_error_frame(kIcmpTimeExceeded, 0, Bytes(udp.begin(), udp.begin() + 24))),
        IcmpStatus::truncated_embedded);
    Bytes bad = Bytes(udp.begin(), udp.begin() + 28);
    bad[0] = 0x46;  // IHL 6 but 8 bytes of UDP after 20: header present, L4 short
    EXPECT_EQ(status_for(icmp_error_frame(kIcmpParameterProblem, 0, bad)),
              IcmpStatus::truncated_embedded);
    bad[0] = 0x65;
    EXPECT_EQ(status_for(icmp_error_frame(kIcmpParameterProblem, 0, bad)),
              IcmpStatus::bad_embedded_packet);
    bad[0] = 0x43;
    EXPECT_EQ(status_for(icmp_error_frame(kIcmpParameterProblem, 0, bad)),
              IcmpStatus::bad_embedded_packet);
    EXPECT_EQ(
        status_for(icmp_error_frame(kIcmpEchoRequest, 0, Bytes(udp.begin(), udp.begin() + 28))),
        IcmpStatus::not_error);
    EXPECT_EQ(status_for(test::build_frame(PacketSpec{})), IcmpStatus::not_icmp);
    // A quoted non-first fragment needs no L4 bytes.
    Bytes frag(udp.begin(), udp.begin() + 20);
    test::put16(frag, 6, 100);
    EXPECT_EQ(status_for(icmp_error_frame(kIcmpTimeExceeded, 1, frag)), IcmpStatus::ok);
    EXPECT_FALSE(e.has_l4_header);
    EXPECT_EQ(e.quoted_l4_len, 0);
}

// Every way a quote can look, translated both ways, against full recomputes.
TEST(IcmpError, TranslationChecksumsEqualFullRecompute) {
    test::Rng rng(5508);
    enum Kind {
        tcp_whole,
        tcp_8,
        tcp_16,
        tcp_17,
        tcp_18,
        udp_whole,
        udp_zero,
        udp_8,
        icmp_echo,
        fragment,
        kKinds
    };
    for (int i = 0; i < 4000; ++i) {
        const auto kind = static_cast<Kind>(i % kKinds);
        PacketSpec inner;
        inner.proto =
            (kind <= tcp_18) ? kIpProtoTcp : (kind == icmp_echo ? kIpProtoIcmp : kIpProtoUdp);
        inner.src = common::Ipv4Addr{rng()};
        inner.dst = common::Ipv4Addr{rng()};
        inner.src_port = static_cast<std::uint16_t>(rng());
        inner.dst_port = static_cast<std::uint16_t>(rng());
        inner.udp_zero_checksum = kind == udp_zero;
        inner.payload = test::random_bytes(rng, rng() % 101);
        if (i % 5 == 0) {
            inner.ip_options = {0x01, 0x01, 0x01, 0x00};
        }
        if (kind == fragment) {
            inner.flags_frag = 0x2000 | 3;
        }
        Bytes quote = test::build_ip_packet(inner);
        const std::size_t ihl = 20 + inner.ip_options.size();
        const bool complete =
            kind == tcp_whole || kind == udp_whole || kind == udp_zero || kind == icmp_echo;
        if (kind == tcp_8 || kind == udp_8) {
            quote.resize(ihl + 8);
        }
        if (kind == tcp_16) {
            quote.resize(ihl + 16);
        }
        if (kind == tcp_17) {
            quote.resize(ihl + 17);
        }
        if (kind == tcp_18) {
            quote.resize(ihl + 18);
        }
        Bytes f = icmp_error_frame(static_cast<std::uint8_t>(i % 2 ? 3 : 11), 0, quote);
        const std::size_t ip_end = f.size();
        f.insert(f.end(), 4, 0xab);  // Ethernet padding: must never be written

        PacketMeta m;
        ASSERT_EQ(parse(f, m), ParseStatus::ok);
        EmbeddedPacket e;
        ASSERT_EQ(parse_icmp_error(f.data(), m, e), IcmpStatus::ok) << kind;
        const Bytes before = f;
        const common::Ipv4Addr new_ip{rng()};
        const auto new_port = static_cast<std::uint16_t>(rng());
        const bool source = rng() % 2 == 0;
        if (source) {
            rewrite_embedded_source(f.data(), m, e, new_ip, new_port);
        } else {
            rewrite_embedded_destination(f.data(), m, e, new_ip, new_port);
        }
        const std::size_t eip = e.ip_offset;
        const std::size_t el4 = e.l4_offset;
        ASSERT_EQ(test::get32(f, eip + (source ? 12 : 16)), new_ip.value);
        ASSERT_EQ(test::get16(f, eip + 10), test::ref_ip_checksum(f, eip)) << kind;
        ASSERT_EQ(test::get16(f, m.l4_offset + 2),
                  test::ref_icmp_checksum(f, m.l4_offset, ip_end - m.l4_offset))
            << kind;
        ASSERT_EQ(test::get32(f, ip_end), 0xababababu) << kind;
        ASSERT_EQ(source ? e.src_ip : e.dst_ip, new_ip);
        if (inner.proto != kIpProtoIcmp && kind != fragment) {
            ASSERT_EQ(test::get16(f, el4 + (source ? 0 : 2)), new_port);
            ASSERT_EQ(source ? e.src_port : e.dst_port, new_port);
        } else {
            // No ports: everything after the quoted IP header is unchanged.
            ASSERT_TRUE(std::equal(f.begin() + static_cast<std::ptrdiff_t>(el4), f.end(),
                                   before.begin() + static_cast<std::ptrdiff_t>(el4)));
        }
        if (kind == tcp_8 || kind == tcp_16 || kind == tcp_17) {
            // Checksum field not (fully) quoted: bytes after the ports untouched.
            ASSERT_TRUE(std::equal(f.begin() + static_cast<std::ptrdiff_t>(el4 + 4), f.end(),
                                   before.begin() + static_cast<std::ptrdiff_t>(el4 + 4)));
        }
        if (complete && inner.proto == kIpProtoTcp) {
            ASSERT_EQ(test::get16(f, el4 + 16), test::ref_l4_checksum(f, eip));
        }
        if (complete && inner.proto == kIpProtoUdp) {
            ASSERT_EQ(test::get16(f, el4 + 6), kind == udp_zero ? 0 : test::ref_l4_checksum(f, eip))
                << kind;
        }
        if (kind == tcp_18 || kind == udp_8) {
            // Partial segment: the checksum must equal the full-segment value
            // the original datagram would have after the same translation.
            Bytes whole = test::build_ip_packet(inner);
            test::put32(whole, source ? 12 : 16, new_ip.value);
            test::put16(whole, ihl + (source ? 0 : 2), new_port);
            const std::size_t at = inner.proto == kIpProtoTcp ? 16 : 6;
            ASSERT_EQ(test::get16(f, el4 + at), test::ref_l4_checksum(whole, 0)) << kind;
        }
        if (kind == icmp_echo) {  // quoted echo keeps its own checksum valid
            ASSERT_EQ(test::get16(f, el4 + 2), test::ref_icmp_checksum(f, el4, ip_end - el4));
        }
        // Still parses to the translated values.
        EmbeddedPacket again;
        ASSERT_EQ(parse_icmp_error(f.data(), m, again), IcmpStatus::ok);
        EXPECT_EQ(again.src_ip, e.src_ip);
        EXPECT_EQ(again.dst_ip, e.dst_ip);
        EXPECT_EQ(again.src_port, e.src_port);
        EXPECT_EQ(again.dst_port, e.dst_port);
    }
}

// The LVS-NAT reply path: a router beyond the appliance reports on VIP:80 ->
// client; the appliance hands it to the backend as if the backend had sent it.
TEST(IcmpError, NatReplyPathEndToEnd) {
    const common::Ipv4Addr vip{0xc6120164};
    const common::Ipv4Addr backend{0x0a000a05};
    const common::Ipv4Addr client{0xcb007107};
    PacketSpec reply;
    reply.src = vip;
    reply.dst = client;
    reply.src_port = 80;
    reply.dst_port = 51000;
    reply.tcp_flags = kTcpAck | kTcpPsh;
    reply.payload = Bytes(1000, 0x5a);
    Bytes quote = test::build_ip_packet(reply);
    quote.resize(28);
    Bytes f = icmp_error_frame(kIcmpDestUnreachable, kIcmpCodeFragNeeded, quote,
                               common::Ipv4Addr{0x0a0000fe}, vip);
    PacketMeta m;
    ASSERT_EQ(parse(f, m), ParseStatus::ok);
    EmbeddedPacket e;
    ASSERT_EQ(parse_icmp_error(f.data(), m, e), IcmpStatus::ok);
    rewrite_destination(f.data(), m, backend, 0);
    rewrite_embedded_source(f.data(), m, e, backend, 8080);
    EXPECT_EQ(test::get32(f, 30), backend.value);
    EXPECT_EQ(test::get16(f, 24), test::ref_ip_checksum(f, 14));
    EXPECT_EQ(test::get16(f, 36), test::ref_icmp_checksum(f, 34, f.size() - 34));
    EXPECT_EQ(test::get32(f, e.ip_offset + 12u), backend.value);
    EXPECT_EQ(test::get16(f, e.l4_offset), 8080);
}

Bytes offending_tcp(std::size_t payload, std::uint16_t flags_frag = kIpv4FlagDf) {
    PacketSpec s;
    s.src = common::Ipv4Addr{0xcb007107};
    s.dst = common::Ipv4Addr{0xc6120164};
    s.flags_frag = flags_frag;
    s.tcp_flags = kTcpAck;
    s.payload = Bytes(payload, 0x42);
    return test::build_ip_packet(s);
}

TEST(IcmpBuild, FragNeededGoldenFields) {
    const Bytes bad = offending_tcp(1460);  // 1500 bytes
    std::array<std::uint8_t, 128> out{};
    std::uint32_t len = 0;
    const common::Ipv4Addr self{0xc6120002};
    ASSERT_EQ(build_frag_needed(out, bad.data(), static_cast<std::uint32_t>(bad.size()), 1480, self,
                                0x0102, len),
              IcmpStatus::ok);
    ASSERT_EQ(len, 56u);  // 20 + 8 + 20 + 8
    const Bytes p(out.begin(), out.begin() + len);
    const Bytes want_ip = {0x45, 0xc0, 0x00, 0x38, 0x01, 0x02, 0x00, 0x00, 0x40, 0x01};
    EXPECT_TRUE(std::equal(want_ip.begin(), want_ip.end(), p.begin()));
    EXPECT_EQ(test::get16(p, 10), test::ref_ip_checksum(p, 0));
    EXPECT_EQ(test::get32(p, 12), self.value);
    EXPECT_EQ(test::get32(p, 16), 0xcb007107u);
    const Bytes want_icmp = {0x03, 0x04};
    EXPECT_TRUE(std::equal(want_icmp.begin(), want_icmp.end(), p.begin() + 20));
    EXPECT_EQ(test::get16(p, 22), test::ref_icmp_checksum(p, 20, 36));
    EXPECT_EQ(test::get16(p, 24), 0);     // unused
    EXPECT_EQ(test::get16(p, 26), 1480);  // next-hop MTU, RFC 1191 s4
    EXPECT_TRUE(std::equal(bad.begin(), bad.begin() + 28, p.begin() + 28));
    EXPECT_EQ(out[56], 0);

    // And it parses as an ICMP error quoting the offending packet.
    const Bytes frame = test::wrap_ethernet(p);
    PacketMeta m;
    ASSERT_EQ(parse(frame, m), ParseStatus::ok);
    EmbeddedPacket e;
    ASSERT_EQ(parse_icmp_error(frame.data(), m, e), IcmpStatus::ok);
    EXPECT_EQ(e.src_port, 40000);
    EXPECT_EQ(e.dst_port, 80);
}

TEST(IcmpBuild, QuoteBoundsAndSuppression) {
    std::array<std::uint8_t, 128> out{};
    std::uint32_t len = 0;
    const common::Ipv4Addr self{0xc6120002};
    auto build = [&](const Bytes& bad) {
        return build_frag_needed(out, bad.data(), static_cast<std::uint32_t>(bad.size()), 1400,
                                 self, 1, len);
    };
    // IP options are quoted whole: header 24 + 8.
    PacketSpec opt;
    opt.ip_options = {0x01, 0x01, 0x01, 0x00};
    ASSERT_EQ(build(test::build_ip_packet(opt)), IcmpStatus::ok);
    EXPECT_EQ(len, 28u + 24u + 8u);
    // Ethernet padding past total length is not quoted.
    PacketSpec small;
    small.proto = 47;
    small.payload = {1, 2};
    Bytes gre = test::build_ip_packet(small);
    gre.resize(46, 0);
    ASSERT_EQ(build(gre), IcmpStatus::ok);
    EXPECT_EQ(len, 28u + 22u);

    EXPECT_EQ(build(offending_tcp(0, 0x2000 | 10)), IcmpStatus::suppressed);  // non-first fragment
    EXPECT_EQ(build(offending_tcp(0, 0x2000)), IcmpStatus::ok);  // first fragment is fine
    PacketSpec err;
    err.proto = kIpProtoIcmp;
    err.icmp_type = kIcmpDestUnreachable;
    EXPECT_EQ(build(test::build_ip_packet(err)), IcmpStatus::suppressed);
    err.icmp_type = kIcmpEchoRequest;
    EXPECT_EQ(build(test::build_ip_packet(err)), IcmpStatus::ok);
    PacketSpec mcast;
    mcast.src = common::Ipv4Addr{0xe0000005};
    EXPECT_EQ(build(test::build_ip_packet(mcast)), IcmpStatus::suppressed);
    mcast.src = common::Ipv4Addr{0x7f000001};
    EXPECT_EQ(build(test::build_ip_packet(mcast)), IcmpStatus::suppressed);
    mcast.src = common::Ipv4Addr{0xc6120001};
    mcast.dst = common::Ipv4Addr{0xffffffff};
    EXPECT_EQ(build(test::build_ip_packet(mcast)), IcmpStatus::suppressed);

    Bytes broken = offending_tcp(0);
    broken[0] = 0x46;
    broken.resize(23);
    EXPECT_EQ(build(broken), IcmpStatus::bad_offending_packet);
    EXPECT_EQ(build(Bytes(19, 0x45)), IcmpStatus::bad_offending_packet);

    std::array<std::uint8_t, 55> tiny{};
    const Bytes bad = offending_tcp(100);
    EXPECT_EQ(build_frag_needed(tiny, bad.data(), static_cast<std::uint32_t>(bad.size()), 1400,
                                self, 1, len),
              IcmpStatus::buffer_too_small);
    EXPECT_EQ(len, 0u);
}

TEST(IcmpBuild, TimeExceeded) {
    const Bytes bad = offending_tcp(10);
    std::array<std::uint8_t, 64> out{};
    std::uint32_t len = 0;
    ASSERT_EQ(build_time_exceeded(out, bad.data(), static_cast<std::uint32_t>(bad.size()),
                                  common::Ipv4Addr{0xc6120002}, 9, len),
              IcmpStatus::ok);
    EXPECT_EQ(out[20], kIcmpTimeExceeded);
    EXPECT_EQ(out[21], 0);
    const Bytes p(out.begin(), out.begin() + len);
    EXPECT_EQ(test::get32(p, 24), 0u);
    EXPECT_EQ(test::get16(p, 22), test::ref_icmp_checksum(p, 20, len - 20));
    EXPECT_EQ(icmp_status_name(IcmpStatus::suppressed), "suppressed");
}

}  // namespace
}  // namespace sluice::dataplane::packet
