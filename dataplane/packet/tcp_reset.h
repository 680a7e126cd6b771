#pragma once
// A TCP reset answering a received segment, built in place over it (RFC 793
// s3.4 "Reset Generation", RFC 9293 s3.10.7.1): what the dataplane sends a
// client whose connection it aborts (a backend went down and the service has
// reset_on_backend_down).
//
// Precondition wherever a PacketMeta is taken: parse_frame() returned `ok` for
// these bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dataplane/packet/parse.h"

namespace sluice::dataplane::packet {

enum class TcpResetStatus : std::uint8_t {
    ok,
    not_tcp,           // IP protocol != 6, or no TCP header parsed
    fragmented,        // the segment is IP-fragmented (we do not reassemble)
    is_reset,          // the segment is itself a RST: never answered (RFC 793 s3.4)
    buffer_too_small,  // `capacity` cannot hold L2 + 40 bytes
};
inline constexpr std::size_t kTcpResetStatusCount = 5;
std::string_view tcp_reset_status_name(TcpResetStatus status) noexcept;

// TTL of the resets built here.
inline constexpr std::uint8_t kTcpResetTtl = 64;

// Replaces the segment in the frame at `data` with the reset that answers it:
//  - L2: source and destination MACs swapped; an 802.1Q tag and the
//    ethertype stay as they are.
//  - IPv4: a 20-byte header (options dropped) from the segment's destination
//    to its source, TOS 0, ID `ip_id`, DF, TTL kTcpResetTtl, correct checksum.
//  - TCP: ports swapped, no options, no payload, window 0, correct checksum;
//    if the segment has ACK: seq = SEG.ACK, flags RST;
//    else: seq = 0, ack = SEG.SEQ + SEG.LEN (payload, plus one each for SYN
//    and FIN), flags RST|ACK.
// `capacity` is how many bytes from `data` may be written (at least the
// frame's length); the frame is zero-padded up to kEtherMinFrameLen as far as
// capacity allows. On ok, `out_len` is the new frame length and `meta`
// describes the new bytes. Fails, changing nothing, with not_tcp, fragmented,
// is_reset or buffer_too_small.
TcpResetStatus make_tcp_reset(std::uint8_t* data, std::uint32_t capacity, PacketMeta& meta,
                              std::uint16_t ip_id, std::uint32_t& out_len) noexcept;

}  // namespace sluice::dataplane::packet
