#pragma once
// The key a packet is looked up by, and the hash that places it in the index.

#include <cstdint>

namespace sluice::dataplane::conn {

// IANA protocol numbers the table treats specially (timeouts, TCP states).
inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;

// One packet's flow, as it appears on the wire, in host byte order.
//
// TCP and UDP carry their ports. ICMP query messages (echo and the like) carry
// their identifier as the *client-side* port: src_port on client->server
// packets, dst_port on server->client packets, and 0 as the other port; that
// keeps the reply key of a NAT connection the exact mirror of what the backend
// sends. ICMP errors are not keys of their own: the caller looks up the flow of
// the embedded header, inverted (as LVS does in ip_vs_in_icmp()).
struct FlowKey {
    std::uint32_t src_ip = 0;
    std::uint32_t dst_ip = 0;
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint8_t proto = 0;

    friend constexpr bool operator==(const FlowKey&, const FlowKey&) = default;
};

// Which way a packet travels relative to the connection. The values are the
// LVS IP_VS_DIR_INPUT / IP_VS_DIR_OUTPUT numbers and index the per-direction
// counters in Connection.
enum class Direction : std::uint8_t {
    client_to_server = 0,  // front side: client -> VIP (matched the forward key)
    server_to_client = 1,  // back side: backend -> client (matched the reply key, NAT only)
};

namespace detail {

// 64x64 -> 128-bit multiply folded to 64 bits (the "mum" step of wyhash):
// every input bit reaches every output bit in one multiplication.
constexpr std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
    __extension__ using U128 = unsigned __int128;
    const U128 product = static_cast<U128>(a) * b;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
#else
    const std::uint64_t a_lo = a & 0xffffffffu;
    const std::uint64_t a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xffffffffu;
    const std::uint64_t b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo;
    const std::uint64_t hi_lo = a_hi * b_lo;
    const std::uint64_t lo_hi = a_lo * b_hi;
    const std::uint64_t hi_hi = a_hi * b_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
    const std::uint64_t high = hi_hi + (hi_lo >> 32) + (cross >> 32);
    const std::uint64_t low = (cross << 32) | (lo_lo & 0xffffffffu);
    return low ^ high;
#endif
}

inline constexpr std::uint64_t kHashK0 = 0xa0761d6478bd642fULL;  // wyhash secrets
inline constexpr std::uint64_t kHashK1 = 0xe7037ed1a0b428dbULL;
inline constexpr std::uint64_t kHashK2 = 0x8ebc6af09c88c6e3ULL;

}  // namespace detail

// Seeded hash of a flow. The seed is per table and should be random (the
// owner draws it, e.g. from rte_rand()): with a known seed an attacker could
// aim every SYN at one bucket, which LVS also guards against with its random
// ip_vs_conn_rnd. Two dependent multiplications; ~5 ns.
constexpr std::uint64_t flow_hash(const FlowKey& key, std::uint64_t seed) noexcept {
    const std::uint64_t ips = (static_cast<std::uint64_t>(key.src_ip) << 32) | key.dst_ip;
    const std::uint64_t rest = (static_cast<std::uint64_t>(key.src_port) << 32) |
                               (static_cast<std::uint64_t>(key.dst_port) << 16) | key.proto;
    const std::uint64_t h =
        detail::fold_multiply(ips ^ seed ^ detail::kHashK0, rest ^ detail::kHashK1);
    return detail::fold_multiply(h ^ seed, detail::kHashK2);
}

}  // namespace sluice::dataplane::conn
