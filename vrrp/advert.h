#pragma once
// VRRP advertisement wire format over IPv4 (RFC 3768 section 5, RFC 5798 section 5),
// pure code: encode/decode the VRRP message only (the IP header is the caller's).
// v3 checksums: we send the IPv4 pseudo-header form (keepalived 2.2.7, tcpdump,
// Wireshark) and accept both forms on receive (see design/vrrp-interop.md).
// Checksums use dataplane/packet/checksum.h (RFC 1071).

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/ipv4.h"

namespace sluice::vrrp {

inline constexpr std::uint8_t kVrrpProtocol = 112;
inline constexpr std::uint8_t kVrrpTtl = 255;
inline constexpr std::uint8_t kAdvertType = 1;
inline constexpr common::Ipv4Addr kVrrpGroup{0xe0000012};  // 224.0.0.18

enum class AuthType : std::uint8_t { none = 0, pass = 1 };

struct Advert {
    std::uint8_t version = 3;         // 2 or 3
    std::uint8_t vrid = 0;
    std::uint8_t priority = 100;
    std::uint16_t interval = 100;     // v2: seconds (1..255); v3: centiseconds (1..4095)
    std::uint8_t auth_type = 0;       // v2 only (AuthType); 0 for v3
    std::array<char, 8> auth_data{};  // v2 only
    std::vector<common::Ipv4Addr> addresses;

    bool operator==(const Advert&) const = default;
};

enum class AdvertError : std::uint8_t {
    ok,
    bad_ttl,        // IP TTL != 255
    truncated,      // shorter than the header or than the count implies
    bad_version,    // not 2 or 3
    bad_type,       // not 1 (advertisement)
    bad_length,     // longer than 16+4N (v2) / 8+4N (v3)
    bad_checksum,
    bad_count,      // v3 with count 0
    zero_interval,  // v3 with max advert interval 0
};

std::string_view to_string(AdvertError e);

// The VRRP message (no IP header). src/dst are the IPv4 header's addresses, used by
// the v3 pseudo-header checksum (for unicast, the real destination). Returns an empty
// vector for an advert that cannot be encoded: version not 2/3, more than 255
// addresses, v2 interval > 255, v3 interval > 4095.
std::vector<std::uint8_t> encode(const Advert& a, common::Ipv4Addr src, common::Ipv4Addr dst);

// Validates and parses; `out` is written only when the result is ok. Auth data is
// not checked here (see auth_matches); v3 reserved bits are ignored.
AdvertError decode(std::span<const std::uint8_t> vrrp, common::Ipv4Addr src,
                   common::Ipv4Addr dst, std::uint8_t ip_ttl, Advert& out);

// v2 auth data for a PASS password: the first 8 characters, zero-padded.
std::array<char, 8> pass_auth_data(std::string_view pass);

// True when the advert's authentication matches the local configuration: v2 requires
// the same auth type and, for PASS, the same (8-character, zero-padded) password.
// v3 carries no authentication: matches only when `expected` is none.
bool auth_matches(const Advert& a, AuthType expected, std::string_view pass);

}  // namespace sluice::vrrp
