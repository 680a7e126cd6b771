#include "dataplane/packet/tcp_reset.h"

#include <gtest/gtest.h>

#include "dataplane/packet/headers.h"
#include "dataplane/packet/mac_addr.h"
#include "dataplane/packet/tests/frame_builder.h"

namespace sluice::dataplane::packet {
namespace {

using test::Bytes;
using test::PacketSpec;

constexpr std::uint32_t kClient = 0xc612000a;  // 198.18.0.10
constexpr std::uint32_t kVip = 0xc6120064;     // 198.18.0.100

PacketSpec segment(std::uint8_t flags, Bytes payload = {}) {
    PacketSpec s;
    s.src = common::Ipv4Addr{kClient};
    s.dst = common::Ipv4Addr{kVip};
    s.src_port = 40000;
    s.dst_port = 80;
    s.tcp_flags = flags;
    s.payload = std::move(payload);
    return s;  // build_ip_packet: seq 0x01020304, ack 0x0a0b0c0d when ACK is set
}

struct Reset {
    TcpResetStatus status = TcpResetStatus::ok;
    Bytes frame;  // the reset (or, on failure, the untouched input)
    PacketMeta meta;
};

// Builds the reset in a copy of `in` with `capacity` bytes of buffer.
Reset reset_of(const Bytes& in, std::uint32_t capacity, std::uint16_t ip_id = 0x5151) {
    Reset r;
    Bytes buf(std::max<std::size_t>(capacity, in.size()),
              0xee);  // non-zero: padding must be written
    std::copy(in.begin(), in.end(), buf.begin());
    EXPECT_EQ(parse_frame(buf.data(), static_cast<std::uint32_t>(in.size()), r.meta),
              ParseStatus::ok);
    std::uint32_t len = 0;
    r.status = make_tcp_reset(buf.data(), capacity, r.meta, ip_id, len);
    const std::size_t n = r.status == TcpResetStatus::ok ? len : in.size();
    r.frame = Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    return r;
}

// The reset parses, its checksums equal a naive recomputation, and meta
// describes it.
void expect_valid_reset(const Reset& r) {
    ASSERT_EQ(r.status, TcpResetStatus::ok) << tcp_reset_status_name(r.status);
    PacketMeta m;
    ASSERT_EQ(parse_frame(r.frame.data(), static_cast<std::uint32_t>(r.frame.size()), m),
              ParseStatus::ok);  // verifies the IP header checksum
    const std::size_t l3 = m.l3_offset;
    EXPECT_EQ(test::get16(r.frame, l3 + 10), test::ref_ip_checksum(r.frame, l3));
    EXPECT_EQ(test::get16(r.frame, l3 + 20 + 16), test::ref_l4_checksum(r.frame, l3));
    EXPECT_EQ(m.ip_header_len, 20);
    EXPECT_EQ(m.ip_total_len, 40);
    EXPECT_EQ(m.ttl, kTcpResetTtl);
    EXPECT_TRUE(m.dont_fragment);
    EXPECT_EQ(m.l4_payload_offset, l3 + 40);           // no options, no payload
    EXPECT_EQ(test::get16(r.frame, l3 + 20 + 14), 0);  // window
    EXPECT_EQ(test::get16(r.frame, l3 + 20 + 18), 0);  // urgent pointer
    EXPECT_EQ(m.src_ip, r.meta.src_ip);
    EXPECT_EQ(m.dst_ip, r.meta.dst_ip);
    EXPECT_EQ(m.src_port, r.meta.src_port);
    EXPECT_EQ(m.dst_port, r.meta.dst_port);
    EXPECT_EQ(m.tcp_flags, r.meta.tcp_flags);
    EXPECT_EQ(m.ip_total_len, r.meta.ip_total_len);
    EXPECT_EQ(m.ip_header_len, r.meta.ip_header_len);
    EXPECT_EQ(m.l4_offset, r.meta.l4_offset);
    EXPECT_EQ(m.l4_payload_offset, r.meta.l4_payload_offset);
    EXPECT_EQ(m.ttl, r.meta.ttl);
    for (std::size_t i = l3 + 40; i < r.frame.size(); ++i) {
        EXPECT_EQ(r.frame[i], 0) << "padding byte " << i;
    }
}

TEST(TcpReset, AnAckedSegmentGetsRstWithSeqFromItsAck) {
    const Bytes in = test::build_frame(segment(kTcpAck | kTcpPsh, {1, 2, 3, 4, 5, 6, 7}));
    const Reset r = reset_of(in, 2048, 0x4242);
    expect_valid_reset(r);
    const Bytes& out = r.frame;
    EXPECT_EQ(out.size(), kEtherMinFrameLen);                            // padded
    EXPECT_EQ(MacAddr::load(out.data()), MacAddr::load(in.data() + 6));  // MACs swapped
    EXPECT_EQ(MacAddr::load(out.data() + 6), MacAddr::load(in.data()));
    EXPECT_EQ(test::get16(out, 12), kEtherTypeIpv4);
    EXPECT_EQ(test::get16(out, 14 + 4), 0x4242);  // IP ID
    EXPECT_EQ(test::get32(out, 14 + 12), kVip);
    EXPECT_EQ(test::get32(out, 14 + 16), kClient);
    EXPECT_EQ(test::get16(out, 34), 80);
    EXPECT_EQ(test::get16(out, 34 + 2), 40000);
    EXPECT_EQ(test::get32(out, 34 + 4), 0x0a0b0c0du);  // SEG.ACK
    EXPECT_EQ(test::get32(out, 34 + 8), 0u);
    EXPECT_EQ(out[34 + 13], kTcpRst);
    EXPECT_EQ(r.meta.src_ip.value, kVip);
    EXPECT_EQ(r.meta.dst_port, 40000);
}

TEST(TcpReset, AnUnackedSegmentGetsRstAckForSeqPlusLength) {
    // SYN: SEG.LEN 1.
    Reset r = reset_of(test::build_frame(segment(kTcpSyn)), 2048);
    expect_valid_reset(r);
    EXPECT_EQ(test::get32(r.frame, 34 + 4), 0u);
    EXPECT_EQ(test::get32(r.frame, 34 + 8), 0x01020304u + 1);
    EXPECT_EQ(r.frame[34 + 13], kTcpRst | kTcpAck);
    // FIN with 5 bytes of data: SEG.LEN 6.
    r = reset_of(test::build_frame(segment(kTcpFin, {9, 9, 9, 9, 9})), 2048);
    expect_valid_reset(r);
    EXPECT_EQ(test::get32(r.frame, 34 + 8), 0x01020304u + 6);
    EXPECT_EQ(r.frame[34 + 13], kTcpRst | kTcpAck);
    // Data alone: SEG.LEN is the payload.
    r = reset_of(test::build_frame(segment(kTcpPsh, {1, 2, 3})), 2048);
    expect_valid_reset(r);
    EXPECT_EQ(test::get32(r.frame, 34 + 8), 0x01020304u + 3);
}

TEST(TcpReset, OptionsAreDroppedAndAVlanTagKept) {
    PacketSpec s = segment(kTcpAck, Bytes(100, 0x61));
    s.ip_options = {0x94, 0x04, 0, 0, 1, 1, 1, 0};          // router alert, NOPs, EOL
    s.tcp_options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};  // NOP NOP timestamps
    s.vlan = true;
    s.tos = 0xb8;
    s.ttl = 3;
    const Bytes in = test::build_frame(s);
    const Reset r = reset_of(in, static_cast<std::uint32_t>(in.size()));
    expect_valid_reset(r);
    const Bytes& out = r.frame;
    EXPECT_EQ(out.size(), 60u);  // 18 + 40, padded
    EXPECT_EQ(test::get16(out, 12), kEtherTypeVlan);
    EXPECT_EQ(test::get16(out, 14), s.vlan_tci);
    EXPECT_EQ(out[18 + 1], 0);  // TOS
    EXPECT_EQ(test::get32(out, 18 + 20 + 4), 0x0a0b0c0du);
    EXPECT_EQ(r.meta.l3_offset, 18);
    EXPECT_EQ(r.meta.l4_offset, 38);
}

TEST(TcpReset, PadsOnlyAsFarAsTheBufferAllows) {
    const Bytes in = test::build_frame(segment(kTcpAck));  // 54 bytes
    ASSERT_EQ(in.size(), 54u);
    Reset r = reset_of(in, 54);
    expect_valid_reset(r);
    EXPECT_EQ(r.frame.size(), 54u);
    r = reset_of(in, 57);
    expect_valid_reset(r);
    EXPECT_EQ(r.frame.size(), 57u);
    r = reset_of(in, 1500);
    expect_valid_reset(r);
    EXPECT_EQ(r.frame.size(), 60u);
}

TEST(TcpReset, RefusesWhatItMustNotAnswerAndChangesNothing) {
    auto expect_refused = [](const Bytes& in, std::uint32_t capacity, TcpResetStatus want) {
        const Reset r = reset_of(in, capacity);
        EXPECT_EQ(r.status, want) << tcp_reset_status_name(r.status);
        EXPECT_EQ(r.frame, in);
    };
    expect_refused(test::build_frame(segment(kTcpRst)), 2048, TcpResetStatus::is_reset);
    expect_refused(test::build_frame(segment(kTcpRst | kTcpAck)), 2048, TcpResetStatus::is_reset);
    PacketSpec udp = segment(0, {1, 2});
    udp.proto = kIpProtoUdp;
    expect_refused(test::build_frame(udp), 2048, TcpResetStatus::not_tcp);
    PacketSpec frag = segment(kTcpAck, Bytes(64, 1));
    frag.flags_frag = kIpv4FlagMf;  // a first fragment
    expect_refused(test::build_frame(frag), 2048, TcpResetStatus::fragmented);

    // A capacity below L2 + 40 (a caller's mistake: the segment itself is longer).
    Bytes in = test::build_frame(segment(kTcpAck));
    Bytes buf = in;
    PacketMeta meta;
    ASSERT_EQ(parse_frame(buf.data(), static_cast<std::uint32_t>(buf.size()), meta),
              ParseStatus::ok);
    std::uint32_t len = 7;
    EXPECT_EQ(make_tcp_reset(buf.data(), 53, meta, 1, len), TcpResetStatus::buffer_too_small);
    EXPECT_EQ(buf, in);
    EXPECT_EQ(len, 7u);
}

TEST(TcpReset, RandomSegmentsGiveValidResets) {
    test::Rng rng(793);
    for (int i = 0; i < 2000; ++i) {
        PacketSpec s;
        s.src = common::Ipv4Addr{rng()};
        s.dst = common::Ipv4Addr{rng()};
        s.src_port = static_cast<std::uint16_t>(rng());
        s.dst_port = static_cast<std::uint16_t>(rng());
        s.tcp_flags = static_cast<std::uint8_t>(rng() & ~std::uint32_t{kTcpRst});
        s.ip_options = Bytes(4 * (rng() % 3), 1);  // NOPs
        s.tcp_options = Bytes(4 * (rng() % 4), 1);
        s.vlan = rng() % 2 == 0;
        s.payload = test::random_bytes(rng, rng() % 300);
        const Bytes in = test::build_frame(s);
        const Reset r = reset_of(in, 2048, static_cast<std::uint16_t>(i));
        expect_valid_reset(r);
        const std::size_t l4 = r.meta.l4_offset;
        const bool acked = (s.tcp_flags & kTcpAck) != 0;
        const std::uint32_t seg_len = static_cast<std::uint32_t>(s.payload.size()) +
                                      ((s.tcp_flags & kTcpSyn) != 0 ? 1u : 0u) +
                                      ((s.tcp_flags & kTcpFin) != 0 ? 1u : 0u);
        EXPECT_EQ(test::get32(r.frame, l4 + 4), acked ? 0x0a0b0c0du : 0u);
        EXPECT_EQ(test::get32(r.frame, l4 + 8), acked ? 0u : 0x01020304u + seg_len);
        EXPECT_EQ(r.frame[l4 + 13], acked ? kTcpRst : kTcpRst | kTcpAck);
        EXPECT_EQ(r.meta.src_ip, s.dst);
        EXPECT_EQ(r.meta.dst_port, s.src_port);
        if (HasFailure()) {
            break;
        }
    }
}

TEST(TcpReset, StatusNames) {
    EXPECT_EQ(tcp_reset_status_name(TcpResetStatus::ok), "ok");
    EXPECT_EQ(tcp_reset_status_name(TcpResetStatus::is_reset), "is_reset");
    EXPECT_EQ(tcp_reset_status_name(TcpResetStatus::buffer_too_small), "buffer_too_small");
    EXPECT_EQ(tcp_reset_status_name(static_cast<TcpResetStatus>(kTcpResetStatusCount)), "unknown");
}

}  // namespace
}  // namespace sluice::dataplane::packet
