#include "dataplane/packet/checksum.h"

#include "dataplane/packet/byte_order.h"
#include "dataplane/packet/headers.h"

namespace sluice::dataplane::packet {
namespace {

// End-around-carry fold to 16 bits. Because 2^16 == 1 (mod 0xFFFF), folding
// keeps the value modulo 0xFFFF, and a non-zero input never folds to 0: the
// "negative zero" 0xFFFF is kept, as RFC 1624 s3 requires for eqn. 3 to agree
// with a full recomputation.
constexpr std::uint32_t fold64(std::uint64_t sum) noexcept {
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    return static_cast<std::uint32_t>(sum);
}

constexpr std::uint16_t low16(std::uint32_t v) noexcept {
    return static_cast<std::uint16_t>(v & 0xffffu);
}
constexpr std::uint16_t high16(std::uint32_t v) noexcept {
    return static_cast<std::uint16_t>(v >> 16);
}
constexpr std::uint16_t inv16(std::uint16_t v) noexcept {
    return static_cast<std::uint16_t>(~v);
}

// Sum of `len` bytes with the 16-bit word at `skip` (even) treated as zero.
std::uint32_t csum_skipping(const std::uint8_t* data, std::uint32_t len, std::uint32_t skip,
                            std::uint32_t sum) noexcept {
    sum = csum_partial(data, skip, sum);
    return csum_partial(data + skip + 2, len - skip - 2, sum);
}

}  // namespace

std::uint32_t csum_partial(const std::uint8_t* data, std::uint32_t len,
                           std::uint32_t sum) noexcept {
    // Summing big-endian 32-bit words is the same modulo 0xFFFF as summing the
    // 16-bit halves (RFC 1071 s2(B), "parallel summation"), at half the loads.
    std::uint64_t acc = sum;
    while (len >= 16) {
        acc += load_be32(data);
        acc += load_be32(data + 4);
        acc += load_be32(data + 8);
        acc += load_be32(data + 12);
        data += 16;
        len -= 16;
    }
    while (len >= 4) {
        acc += load_be32(data);
        data += 4;
        len -= 4;
    }
    if (len >= 2) {
        acc += load_be16(data);
        data += 2;
        len -= 2;
    }
    if (len == 1) {
        acc += static_cast<std::uint32_t>(data[0]) << 8;
    }
    return fold64(acc);
}

std::uint16_t csum_finish(std::uint32_t sum) noexcept {
    return inv16(low16(fold64(sum)));
}

std::uint16_t internet_checksum(const std::uint8_t* data, std::uint32_t len,
                                std::uint32_t initial) noexcept {
    return csum_finish(csum_partial(data, len, initial));
}

std::uint16_t ipv4_header_checksum(const std::uint8_t* ip, std::uint32_t header_len) noexcept {
    return csum_finish(csum_skipping(ip, header_len, Ipv4View<const std::uint8_t>::kChecksum, 0));
}

bool ipv4_header_checksum_ok(const std::uint8_t* ip, std::uint32_t header_len) noexcept {
    // RFC 1071 s1(3): summing a header that includes a correct checksum gives all ones.
    return csum_partial(ip, header_len) == 0xffffu;
}

void ipv4_set_header_checksum(std::uint8_t* ip, std::uint32_t header_len) noexcept {
    Ipv4View(ip).set_checksum(ipv4_header_checksum(ip, header_len));
}

std::uint32_t ipv4_pseudo_header_sum(common::Ipv4Addr src, common::Ipv4Addr dst, std::uint8_t proto,
                                     std::uint16_t l4_len) noexcept {
    const std::uint64_t sum = std::uint64_t{src.value} + dst.value + proto + l4_len;
    return fold64(sum);
}

std::uint16_t tcp_udp_checksum(common::Ipv4Addr src, common::Ipv4Addr dst, std::uint8_t proto,
                               const std::uint8_t* l4, std::uint16_t l4_len) noexcept {
    const std::uint32_t field = proto == kIpProtoTcp ? TcpView<const std::uint8_t>::kChecksum
                                                     : UdpView<const std::uint8_t>::kChecksum;
    const std::uint32_t sum =
        csum_skipping(l4, l4_len, field, ipv4_pseudo_header_sum(src, dst, proto, l4_len));
    const std::uint16_t csum = csum_finish(sum);
    if (proto == kIpProtoUdp && csum == 0) {
        return 0xffff;  // RFC 768
    }
    return csum;
}

std::uint16_t icmp_checksum(const std::uint8_t* icmp, std::uint32_t len) noexcept {
    return csum_finish(csum_skipping(icmp, len, IcmpView<const std::uint8_t>::kChecksum, 0));
}

std::uint16_t csum_update16(std::uint16_t csum, std::uint16_t old_v, std::uint16_t new_v) noexcept {
    const std::uint32_t sum = std::uint32_t{inv16(csum)} + inv16(old_v) + new_v;
    return inv16(low16(fold64(sum)));
}

std::uint16_t csum_update32(std::uint16_t csum, std::uint32_t old_v, std::uint32_t new_v) noexcept {
    const std::uint32_t sum = std::uint32_t{inv16(csum)} + inv16(high16(old_v)) +
                              inv16(low16(old_v)) + high16(new_v) + low16(new_v);
    return inv16(low16(fold64(sum)));
}

std::uint16_t udp_csum_update16(std::uint16_t csum, std::uint16_t old_v,
                                std::uint16_t new_v) noexcept {
    if (csum == 0) {
        return 0;
    }
    const std::uint16_t updated = csum_update16(csum, old_v, new_v);
    return updated == 0 ? 0xffff : updated;
}

std::uint16_t udp_csum_update32(std::uint16_t csum, std::uint32_t old_v,
                                std::uint32_t new_v) noexcept {
    if (csum == 0) {
        return 0;
    }
    const std::uint16_t updated = csum_update32(csum, old_v, new_v);
    return updated == 0 ? 0xffff : updated;
}

}  // namespace sluice::dataplane::packet
