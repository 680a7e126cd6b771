#pragma once
// Why a received VRRP packet was dropped (vrrp/receive.h documents each rule).
// The names double as counter names in the status API, so they are snake_case
// and must stay stable.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::vrrp {

enum class RxDrop : std::uint8_t {
    ok,                 // not dropped
    truncated,          // shorter than the IPv4 header, its total length or the VRRP message
    bad_ip_header,      // not IPv4, IHL < 5, header checksum wrong, or a fragment
    not_vrrp,           // IP protocol is not 112
    bad_ttl,            // TTL != 255 (multicast instances only, as keepalived)
    bad_version,        // VRRP version neither 2 nor 3
    bad_type,           // not an advertisement (type 1)
    bad_length,         // longer than the count of addresses implies
    bad_checksum,       // neither checksum form verifies (v3: with or without pseudo-header)
    unknown_vrid,       // no instance on this port has this VRID
    version_mismatch,   // an instance has this VRID but runs the other version
    auth_mismatch,      // v2 auth type or PASS password differ; v3 when we expect auth
    interval_mismatch,  // v2: advertised seconds != ours
    zero_interval,      // v3: max advert interval 0
    bad_count,          // v3: count of addresses 0
    unknown_peer,       // unicast instance, source not among the peers
    own_advert,         // source is our own primary address (our advert looped back)
    wrong_destination,  // destination neither the VRRP group nor our address (see receive.h)
};

inline constexpr std::size_t kRxDropCount = 18;

inline constexpr std::array<std::string_view, kRxDropCount> kRxDropNames = {
    "ok",
    "truncated",
    "bad_ip_header",
    "not_vrrp",
    "bad_ttl",
    "bad_version",
    "bad_type",
    "bad_length",
    "bad_checksum",
    "unknown_vrid",
    "version_mismatch",
    "auth_mismatch",
    "interval_mismatch",
    "zero_interval",
    "bad_count",
    "unknown_peer",
    "own_advert",
    "wrong_destination",
};

constexpr std::size_t drop_index(RxDrop d) {
    return static_cast<std::size_t>(d);
}

constexpr std::string_view to_string(RxDrop d) {
    return drop_index(d) < kRxDropCount ? kRxDropNames[drop_index(d)] : std::string_view{"unknown"};
}

static_assert(drop_index(RxDrop::wrong_destination) + 1 == kRxDropCount,
              "kRxDropCount and kRxDropNames must follow the enum");

}  // namespace sluice::vrrp
