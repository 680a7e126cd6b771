#pragma once
// Test-only frame crafting with an independent, deliberately naive RFC 1071
// checksum, so the library's optimised checksum code is checked, not trusted.

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "common/ipv4.h"

namespace sluice::dataplane::packet::test {

using Bytes = std::vector<std::uint8_t>;
using common::Ipv4Addr;

inline void put16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}
inline void put32(Bytes& b, std::size_t at, std::uint32_t v) {
    put16(b, at, static_cast<std::uint16_t>(v >> 16));
    put16(b, at + 2, static_cast<std::uint16_t>(v));
}
inline std::uint16_t get16(const Bytes& b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
inline std::uint32_t get32(const Bytes& b, std::size_t at) {
    return (std::uint32_t{get16(b, at)} << 16) | get16(b, at + 2);
}

// Naive RFC 1071: 16-bit words into a 32-bit accumulator, folded at the end.
inline std::uint16_t ref_checksum(const Bytes& b, std::size_t off, std::size_t len,
                                  std::uint32_t initial = 0) {
    std::uint32_t sum = initial;
    for (std::size_t i = 0; i + 1 < len; i += 2) {
        sum += static_cast<std::uint32_t>((b[off + i] << 8) | b[off + i + 1]);
    }
    if (len % 2 == 1) {
        sum += static_cast<std::uint32_t>(b[off + len - 1] << 8);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

// Expected TCP/UDP checksum of the IP packet at `l3` in `b`: recomputed from
// scratch with the field zeroed (UDP: 0 sent as 0xFFFF).
inline std::uint16_t ref_l4_checksum(const Bytes& b, std::size_t l3) {
    const std::size_t ihl = std::size_t{b[l3] & 0x0fu} * 4;
    const std::size_t total = get16(b, l3 + 2);
    const std::uint8_t proto = b[l3 + 9];
    Bytes l4(b.begin() + static_cast<std::ptrdiff_t>(l3 + ihl),
             b.begin() + static_cast<std::ptrdiff_t>(l3 + total));
    put16(l4, proto == 6 ? 16 : 6, 0);
    const std::uint32_t pseudo = std::uint32_t{get16(b, l3 + 12)} + get16(b, l3 + 14) +
                                 get16(b, l3 + 16) + get16(b, l3 + 18) + proto +
                                 static_cast<std::uint32_t>(l4.size());
    const std::uint16_t c = ref_checksum(l4, 0, l4.size(), pseudo);
    return (proto == 17 && c == 0) ? 0xffff : c;
}

// Expected IPv4 header checksum of the header at `l3`, recomputed with the field zeroed.
inline std::uint16_t ref_ip_checksum(const Bytes& b, std::size_t l3) {
    const std::size_t ihl = std::size_t{b[l3] & 0x0fu} * 4;
    Bytes h(b.begin() + static_cast<std::ptrdiff_t>(l3),
            b.begin() + static_cast<std::ptrdiff_t>(l3 + ihl));
    put16(h, 10, 0);
    return ref_checksum(h, 0, h.size());
}

// Expected ICMP checksum of `len` bytes at `off`, recomputed with the field zeroed.
inline std::uint16_t ref_icmp_checksum(const Bytes& b, std::size_t off, std::size_t len) {
    Bytes m(b.begin() + static_cast<std::ptrdiff_t>(off),
            b.begin() + static_cast<std::ptrdiff_t>(off + len));
    put16(m, 2, 0);
    return ref_checksum(m, 0, m.size());
}

struct PacketSpec {
    Ipv4Addr src{0xc6120001};  // 198.18.0.1
    Ipv4Addr dst{0xc6120164};  // 198.18.1.100
    std::uint8_t proto = 6;
    std::uint8_t tos = 0;
    std::uint8_t ttl = 64;
    std::uint16_t ip_id = 0x1234;
    std::uint16_t flags_frag = 0x4000;  // DF
    Bytes ip_options;                   // multiple of 4
    std::uint16_t src_port = 40000;
    std::uint16_t dst_port = 80;
    std::uint8_t tcp_flags = 0x02;  // SYN
    Bytes tcp_options;              // multiple of 4
    bool udp_zero_checksum = false;
    std::uint8_t icmp_type = 8;
    std::uint8_t icmp_code = 0;
    std::uint32_t icmp_rest = 0x00070001;  // echo id 7, seq 1
    Bytes payload;
    // Ethernet only
    bool vlan = false;
    std::uint16_t vlan_tci = 0x2064;  // PCP 1, VID 100
    std::size_t pad_to = 0;           // zero-pad the frame to this length
};

// IPv4 packet (no L2) with correct IP and L4 checksums. For protocols other
// than TCP/UDP/ICMP the payload follows the IP header directly.
inline Bytes build_ip_packet(const PacketSpec& s) {
    const std::size_t ihl = 20 + s.ip_options.size();
    std::size_t l4_header = 0;
    if (s.proto == 6) {
        l4_header = 20 + s.tcp_options.size();
    }
    if (s.proto == 17 || s.proto == 1) {
        l4_header = 8;
    }
    const std::size_t total = ihl + l4_header + s.payload.size();
    Bytes b(total, 0);
    b[0] = static_cast<std::uint8_t>(0x40 | (ihl / 4));
    b[1] = s.tos;
    put16(b, 2, static_cast<std::uint16_t>(total));
    put16(b, 4, s.ip_id);
    put16(b, 6, s.flags_frag);
    b[8] = s.ttl;
    b[9] = s.proto;
    put32(b, 12, s.src.value);
    put32(b, 16, s.dst.value);
    std::copy(s.ip_options.begin(), s.ip_options.end(), b.begin() + 20);
    const std::size_t l4 = ihl;
    std::copy(s.payload.begin(), s.payload.end(),
              b.begin() + static_cast<std::ptrdiff_t>(l4 + l4_header));
    if (s.proto == 6) {
        put16(b, l4, s.src_port);
        put16(b, l4 + 2, s.dst_port);
        put32(b, l4 + 4, 0x01020304);
        put32(b, l4 + 8, s.tcp_flags & 0x10 ? 0x0a0b0c0d : 0);
        b[l4 + 12] = static_cast<std::uint8_t>((l4_header / 4) << 4);
        b[l4 + 13] = s.tcp_flags;
        put16(b, l4 + 14, 65535);
        std::copy(s.tcp_options.begin(), s.tcp_options.end(),
                  b.begin() + static_cast<std::ptrdiff_t>(l4 + 20));
        put16(b, l4 + 16, ref_l4_checksum(b, 0));
    } else if (s.proto == 17) {
        put16(b, l4, s.src_port);
        put16(b, l4 + 2, s.dst_port);
        put16(b, l4 + 4, static_cast<std::uint16_t>(total - ihl));
        put16(b, l4 + 6, s.udp_zero_checksum ? 0 : ref_l4_checksum(b, 0));
    } else if (s.proto == 1) {
        b[l4] = s.icmp_type;
        b[l4 + 1] = s.icmp_code;
        put32(b, l4 + 4, s.icmp_rest);
        put16(b, l4 + 2, ref_icmp_checksum(b, l4, total - ihl));
    }
    put16(b, 10, ref_ip_checksum(b, 0));
    return b;
}

inline constexpr std::uint8_t kDstMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xaa};
inline constexpr std::uint8_t kSrcMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xbb};

// Ethernet (+ optional 802.1Q) frame around `ip` (or any L3 bytes).
inline Bytes wrap_ethernet(const Bytes& l3, std::uint16_t ether_type = 0x0800, bool vlan = false,
                           std::uint16_t vlan_tci = 0, std::size_t pad_to = 0) {
    // Sized up front and filled by index: GCC 12 reports a bogus -Warray-bounds
    // for vector::insert of a 6-byte array at -O2.
    const std::size_t l2 = vlan ? 18 : 14;
    Bytes f(std::max(l2 + l3.size(), pad_to), 0);
    for (std::size_t i = 0; i < 6; ++i) {
        f[i] = kDstMac[i];
        f[6 + i] = kSrcMac[i];
    }
    if (vlan) {
        put16(f, 12, 0x8100);
        put16(f, 14, vlan_tci);
    }
    put16(f, l2 - 2, ether_type);
    std::copy(l3.begin(), l3.end(), f.begin() + static_cast<std::ptrdiff_t>(l2));
    return f;
}

inline Bytes build_frame(const PacketSpec& s) {
    return wrap_ethernet(build_ip_packet(s), 0x0800, s.vlan, s.vlan_tci, s.pad_to);
}

// Deterministic 32-bit generator (std::mt19937's result_type is wider than 32
// bits on LP64, which -Wconversion rightly flags at every use).
class Rng {
  public:
    explicit Rng(std::uint32_t seed) : engine_(seed) {}
    std::uint32_t operator()() { return static_cast<std::uint32_t>(engine_()); }

  private:
    std::mt19937 engine_;
};

inline Bytes random_bytes(Rng& rng, std::size_t n) {
    Bytes b(n);
    for (auto& x : b) {
        x = static_cast<std::uint8_t>(rng());
    }
    return b;
}

}  // namespace sluice::dataplane::packet::test
