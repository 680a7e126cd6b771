#pragma once
// Types of the ConnTable interface (HAProxy-style "-t" header): results,
// configuration and counters, with no table code attached.

#include <array>
#include <cstdint>

#include "dataplane/conn/connection.h"
#include "dataplane/conn/flow_key.h"
#include "dataplane/conn/tcp_state.h"

namespace sluice::dataplane::conn {

// A record's index in the table. Valid from insert() until erase() or until
// expire() removes the connection; do not hold one across expire().
struct ConnHandle {
    static constexpr std::uint32_t kInvalid = 0xffffffffu;
    std::uint32_t index = kInvalid;

    constexpr bool valid() const noexcept { return index != kInvalid; }
    friend constexpr bool operator==(ConnHandle, ConnHandle) = default;
};

// A lookup's answer: the record, its handle, and which of its keys matched
// (forward key: client_to_server; reply key: server_to_client).
struct Match {
    Connection* conn = nullptr;
    ConnHandle handle;
    Direction direction = Direction::client_to_server;

    constexpr explicit operator bool() const noexcept { return conn != nullptr; }
};

enum class InsertStatus : std::uint8_t {
    inserted,
    exists,      // the forward or the reply key is already in the table
    table_full,  // every record is in use: the new connection is refused
    invalid,     // inconsistent request (see ConnTable::insert)
};

struct InsertResult {
    InsertStatus status = InsertStatus::invalid;
    ConnHandle handle;           // valid only when status == inserted
    Connection* conn = nullptr;  // likewise

    constexpr bool ok() const noexcept { return status == InsertStatus::inserted; }
};

// Default hash seed. The owner should pass a random one (see flow_hash()).
inline constexpr std::uint64_t kDefaultConnSeed = 0x5eed'c0de'0000'0001ULL;

struct ConnTableConfig {
    std::uint32_t max_connections = 0;
    // Index buckets (7 keys each). Rounded up to a power of two and to at
    // least 2 * max_connections / 5 (<= 5/7 load with every connection NAT).
    // 0 picks that minimum.
    std::uint32_t hash_buckets = 0;
    // Timeouts profiles, e.g. one per service plus the default (profile 0).
    // Every profile starts as kDefaultTimeouts.
    std::uint16_t timeout_profiles = 1;
    std::uint64_t seed = kDefaultConnSeed;
};

// Per-table counters. Plain integers: a single writer (the owning worker);
// the worker copies them into its published stats.
struct ConnTableStats {
    std::uint64_t inserts = 0;
    std::uint64_t erases = 0;      // explicit erase() calls (not expirations)
    std::uint64_t table_full = 0;  // inserts refused because every record was in use
    std::uint64_t exists = 0;      // inserts refused as duplicates
    std::uint64_t invalid = 0;     // inserts refused as inconsistent
    std::array<std::uint64_t, kTcpStateCount> expired_tcp{};  // by state when expired
    std::uint64_t expired_udp = 0;
    std::uint64_t expired_icmp = 0;
    std::uint64_t expired_other = 0;
    std::uint64_t state_changes = 0;  // TCP state transitions
    std::uint64_t rearms = 0;         // wheel visits that found a touched connection

    constexpr std::uint64_t expired_total() const noexcept {
        std::uint64_t n = expired_udp + expired_icmp + expired_other;
        for (const std::uint64_t e : expired_tcp) {
            n += e;
        }
        return n;
    }
};

}  // namespace sluice::dataplane::conn
