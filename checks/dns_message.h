#pragma once
// DNS messages for DNS_CHECK (pure; RFC 1035): the query a check sends and a
// parser for the reply. The parser is bounded by the message it is given:
// names are at most 255 bytes on the wire, a name follows at most
// kMaxCompressionPointers compression pointers (a pointer loop is an error,
// not a hang), every length is checked against the end of the message.
// Only the header, the question and the answer section are read.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::checks {

namespace dns_type {
inline constexpr std::uint16_t a = 1;
inline constexpr std::uint16_t ns = 2;
inline constexpr std::uint16_t cname = 5;
inline constexpr std::uint16_t soa = 6;
inline constexpr std::uint16_t ptr = 12;
inline constexpr std::uint16_t mx = 15;
inline constexpr std::uint16_t txt = 16;
inline constexpr std::uint16_t aaaa = 28;
}  // namespace dns_type

inline constexpr std::size_t kMaxCompressionPointers = 64;

// "A", "aaaa", "MX", ... (case-insensitive), or "TYPE<n>" (RFC 3597).
std::optional<std::uint16_t> parse_dns_type(std::string_view name);
std::string dns_type_name(std::uint16_t type);
// "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", else "RCODE<n>".
std::string dns_rcode_name(unsigned rcode);

// A standard query with recursion desired and one question (`name`, `type`,
// class IN). `name` is dotted, a trailing dot optional, "" or "." the root.
// nullopt (with `error`) for an empty label, a label over 63 bytes or a name
// over 255 bytes on the wire.
std::optional<std::string> build_dns_query(std::uint16_t id, std::string_view name,
                                           std::uint16_t type, std::string& error);

struct DnsRecord {
    std::string name;  // dotted, no trailing dot; "" for the root
    std::uint16_t type = 0;
    std::uint16_t rclass = 0;
    std::uint32_t ttl = 0;
    std::string rdata;  // raw (names in it are not decompressed)
};

struct DnsResponse {
    std::uint16_t id = 0;
    bool truncated = false;  // TC: answers may be missing
    bool authoritative = false;
    unsigned rcode = 0;
    std::vector<DnsRecord> answers;
};

// Parses the reply to the query build_dns_query(id, name, type) sent: a
// response (QR) to a standard query with that id, echoing the question (a
// server may leave the question out of an error reply). nullopt with
// `error` when malformed or not that reply.
std::optional<DnsResponse> parse_dns_response(std::string_view message, std::uint16_t id,
                                              std::string_view name, std::uint16_t type,
                                              std::string& error);

// Reads the possibly compressed name at `offset` and moves `offset` past it
// (past the first pointer when there is one). Exposed for tests.
std::optional<std::string> read_dns_name(std::string_view message, std::size_t& offset,
                                         std::string& error);

}  // namespace sluice::checks
