#include "vrrp/advert.h"

#include <algorithm>
#include <utility>

#include "dataplane/packet/checksum.h"

namespace sluice::vrrp {
namespace {

constexpr std::size_t kV2Fixed = 16;  // 8-byte header + 8 bytes auth data
constexpr std::size_t kV3Fixed = 8;
constexpr std::size_t kHeader = 8;

std::uint8_t u8(unsigned v) { return static_cast<std::uint8_t>(v & 0xffu); }

void put_addr(std::vector<std::uint8_t>& b, common::Ipv4Addr a) {
    b.push_back(u8(a.value >> 24));
    b.push_back(u8(a.value >> 16));
    b.push_back(u8(a.value >> 8));
    b.push_back(u8(a.value));
}

std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t off) {
    return (std::uint32_t{b[off]} << 24) | (std::uint32_t{b[off + 1]} << 16) |
           (std::uint32_t{b[off + 2]} << 8) | std::uint32_t{b[off + 3]};
}

// RFC 1071 checksum of a whole VRRP message (at most 16 + 4 x 255 bytes).
std::uint16_t checksum(std::span<const std::uint8_t> data, std::uint32_t initial = 0) {
    return dataplane::packet::internet_checksum(data.data(), static_cast<std::uint32_t>(data.size()),
                                                initial);
}

std::uint32_t pseudo_header(common::Ipv4Addr src, common::Ipv4Addr dst, std::size_t length) {
    return dataplane::packet::ipv4_pseudo_header_sum(src, dst, kVrrpProtocol,
                                                     static_cast<std::uint16_t>(length));
}

}  // namespace

std::string_view to_string(AdvertError e) {
    switch (e) {
        case AdvertError::ok: return "ok";
        case AdvertError::bad_ttl: return "bad_ttl";
        case AdvertError::truncated: return "truncated";
        case AdvertError::bad_version: return "bad_version";
        case AdvertError::bad_type: return "bad_type";
        case AdvertError::bad_length: return "bad_length";
        case AdvertError::bad_checksum: return "bad_checksum";
        case AdvertError::bad_count: return "bad_count";
        case AdvertError::zero_interval: return "zero_interval";
    }
    return "unknown";
}

std::vector<std::uint8_t> encode(const Advert& a, common::Ipv4Addr src, common::Ipv4Addr dst) {
    const bool v2 = a.version == 2;
    if ((!v2 && a.version != 3) || a.addresses.size() > 255) return {};
    if (v2 ? a.interval > 0xff : a.interval > 0xfff) return {};

    std::vector<std::uint8_t> b;
    b.reserve((v2 ? kV2Fixed : kV3Fixed) + 4 * a.addresses.size());
    b.push_back(u8((unsigned{a.version} << 4) | kAdvertType));
    b.push_back(a.vrid);
    b.push_back(a.priority);
    b.push_back(u8(static_cast<unsigned>(a.addresses.size())));
    if (v2) {
        b.push_back(a.auth_type);
        b.push_back(u8(a.interval));
    } else {
        b.push_back(u8((a.interval >> 8) & 0x0fu));  // 4 reserved bits are zero
        b.push_back(u8(a.interval));
    }
    b.push_back(0);  // checksum, filled below
    b.push_back(0);
    for (const auto addr : a.addresses) put_addr(b, addr);
    if (v2) {
        for (const char c : a.auth_data) b.push_back(static_cast<std::uint8_t>(c));
    }

    const std::uint16_t ck = checksum(b, v2 ? 0u : pseudo_header(src, dst, b.size()));
    b[6] = u8(ck >> 8);
    b[7] = u8(ck);
    return b;
}

AdvertError decode(std::span<const std::uint8_t> vrrp, common::Ipv4Addr src,
                   common::Ipv4Addr dst, std::uint8_t ip_ttl, Advert& out) {
    if (ip_ttl != kVrrpTtl) return AdvertError::bad_ttl;
    if (vrrp.size() < kHeader) return AdvertError::truncated;

    const unsigned version = vrrp[0] >> 4;
    if (version != 2 && version != 3) return AdvertError::bad_version;
    if ((vrrp[0] & 0x0fu) != kAdvertType) return AdvertError::bad_type;
    const bool v2 = version == 2;

    const std::size_t count = vrrp[3];
    if (!v2 && count == 0) return AdvertError::bad_count;
    const std::size_t expected = (v2 ? kV2Fixed : kV3Fixed) + 4 * count;
    if (vrrp.size() < expected) return AdvertError::truncated;
    if (vrrp.size() > expected) return AdvertError::bad_length;

    if (v2) {
        if (checksum(vrrp) != 0) return AdvertError::bad_checksum;
    } else {
        const std::uint32_t pseudo = pseudo_header(src, dst, vrrp.size());
        if (checksum(vrrp, pseudo) != 0 && checksum(vrrp) != 0) {
            return AdvertError::bad_checksum;
        }
    }

    const std::uint16_t interval =
        v2 ? vrrp[5]
           : static_cast<std::uint16_t>(((unsigned{vrrp[4]} & 0x0fu) << 8) | vrrp[5]);
    if (!v2 && interval == 0) return AdvertError::zero_interval;

    Advert a;
    a.version = static_cast<std::uint8_t>(version);
    a.vrid = vrrp[1];
    a.priority = vrrp[2];
    a.interval = interval;
    a.auth_type = v2 ? vrrp[4] : 0;
    a.addresses.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        a.addresses.emplace_back(get32(vrrp, kHeader + 4 * i));
    }
    if (v2) {
        const std::size_t off = kHeader + 4 * count;
        for (std::size_t i = 0; i < a.auth_data.size(); ++i) {
            a.auth_data[i] = static_cast<char>(vrrp[off + i]);
        }
    }
    out = std::move(a);
    return AdvertError::ok;
}

std::array<char, 8> pass_auth_data(std::string_view pass) {
    std::array<char, 8> d{};
    std::copy_n(pass.begin(), std::min(pass.size(), d.size()), d.begin());
    return d;
}

bool auth_matches(const Advert& a, AuthType expected, std::string_view pass) {
    if (a.version != 2) return expected == AuthType::none;
    if (a.auth_type != static_cast<std::uint8_t>(expected)) return false;
    if (expected == AuthType::pass) return a.auth_data == pass_auth_data(pass);
    return true;
}

}  // namespace sluice::vrrp
