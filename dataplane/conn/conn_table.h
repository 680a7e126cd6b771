#pragma once
// The per-worker connection table (LVS ip_vs_conn.c, without its locks,
// reference counts and per-connection timers): fixed capacity, preallocated
// records on a free list, a hash index over both keys of every connection,
// LVS TCP state tracking with per-backend active/inactive counts, and expiry
// by timer wheel.
//
// One instance per worker; only that worker touches it. Nothing here takes a
// lock, uses an atomic, reads a clock, throws, or allocates after the
// constructor. Time is the caller's, in seconds.
//
// Full table: when every record is in use, insert() refuses new connections
// with InsertStatus::table_full (counted in stats().table_full) and changes
// nothing else; existing connections keep being found, tracked and expired,
// and each expiry or erase frees a record for the next insert.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "dataplane/conn/backend_counts.h"
#include "dataplane/conn/conn_table_types.h"
#include "dataplane/conn/connection.h"
#include "dataplane/conn/flow_index.h"
#include "dataplane/conn/flow_key.h"
#include "dataplane/conn/table_memory.h"
#include "dataplane/conn/tcp_state.h"
#include "dataplane/conn/timeouts.h"
#include "dataplane/conn/timer_wheel.h"

namespace sluice::dataplane::conn {

class ConnTable {
  public:
    // Record indices are stored shifted left by one in the index.
    static constexpr std::uint32_t kMaxConnections = 1u << 30;

    // Allocates everything the table will ever use (~120 bytes per
    // connection). On allocation failure, or with max_connections == 0, the
    // table has capacity 0 and refuses every insert as table_full; ok()
    // tells. max_connections is capped at kMaxConnections.
    explicit ConnTable(const ConnTableConfig& config) noexcept;
    explicit ConnTable(std::uint32_t max_connections, std::uint32_t hash_buckets_pow2 = 0) noexcept
        : ConnTable(ConnTableConfig{.max_connections = max_connections,
                                    .hash_buckets = hash_buckets_pow2}) {}
    ConnTable(const ConnTable&) = delete;
    ConnTable& operator=(const ConnTable&) = delete;

    bool ok() const noexcept { return capacity_ != 0; }

    // ---- per packet ----------------------------------------------------

    std::uint64_t hash(const FlowKey& key) const noexcept { return flow_hash(key, seed_); }
    // Starts loading the key's index bucket; look it up a few packets later.
    void prefetch(std::uint64_t hash) const noexcept { index_.prefetch(hash); }

    // The connection with this forward or reply key, or an empty Match.
    Match lookup(const FlowKey& key) noexcept { return lookup(key, hash(key)); }
    Match lookup(const FlowKey& key, std::uint64_t key_hash) noexcept {
        Connection* const records = records_.data();
        const std::uint32_t ref = index_.find(key_hash, [&](std::uint32_t r) {
            return matches(records[FlowIndex::record_of(r)], key, FlowIndex::direction_of(r));
        });
        if (ref == FlowIndex::kNoRef) {
            return {};
        }
        const std::uint32_t i = FlowIndex::record_of(ref);
        return Match{&records[i], ConnHandle{i}, FlowIndex::direction_of(ref)};
    }
    // lookup() of every key, with the index buckets and then the candidate
    // records of up to 32 keys prefetched ahead (rte_hash_lookup_bulk style),
    // so the memory latency of a burst overlaps. out.size() >= keys.size().
    void lookup_burst(std::span<const FlowKey> keys, std::span<Match> out) noexcept;

    // Records a packet: last-seen time and the direction's counters. No list
    // surgery: expiry is recomputed from last_seen when the wheel gets there.
    static void touch(Connection& c, Direction d, std::uint64_t now, std::uint32_t bytes) noexcept {
        c.last_seen = static_cast<std::uint32_t>(now);
        const auto i = static_cast<std::size_t>(d);
        ++c.packets[i];
        c.bytes[i] += bytes;
    }

    // Applies a TCP segment's flags to the state (next_state(), with the
    // connection's table: input-only for DR/TUN until a server->client packet
    // is seen, as LVS's NOOUTPUT flag). On a change it updates the backend's
    // active/inactive counts and, if the new state's timeout ends before the
    // time the connection is filed under, refiles it. Returns the new state.
    TcpState update_tcp_state(Connection& c, Direction d, std::uint8_t tcp_flags) noexcept {
        TcpTable table = TcpTable::both_directions;
        if ((c.flags & conn_flag::kInputOnly) != 0) {
            if (d == Direction::server_to_client) {
                c.flags = static_cast<std::uint8_t>(c.flags & ~conn_flag::kInputOnly);
            } else {
                table = TcpTable::input_only;
            }
        }
        const TcpState next = next_state(c.state, d, tcp_flags, table);
        if (next != c.state) {
            change_state(c, next);
        }
        return next;
    }

    // touch() plus, for TCP, update_tcp_state(): what a worker calls for
    // every packet of a known connection.
    void on_packet(Connection& c, Direction d, std::uint64_t now, std::uint32_t bytes,
                   std::uint8_t tcp_flags) noexcept {
        touch(c, d, now, bytes);
        if (c.proto == kProtoTcp) {
            update_tcp_state(c, d, tcp_flags);
        }
    }

    // ---- new and finished connections ------------------------------------

    // Creates a connection from its forward key (client -> VIP) and the
    // scheduler's decision. For NAT, reply must be the reply key (backend ip:
    // port -> client ip:port, same protocol) and both keys are indexed; for DR
    // and TUN replies never cross the appliance, so reply must be empty.
    // Fails, changing nothing but a counter, with
    //   exists     when either key is already present (by either direction),
    //   table_full when every record is in use,
    //   invalid    when reply disagrees with the method or the keys, or
    //              init.timeouts_index / method / initial_state is out of range.
    // The connection starts inactive unless initial_state is ESTABLISHED (LVS
    // __ip_vs_update_dest sets IP_VS_CONN_F_INACTIVE on new connections).
    InsertResult insert(const FlowKey& forward, const std::optional<FlowKey>& reply,
                        const ConnInit& init, std::uint64_t now) noexcept;

    // Removes the connection: both keys, its wheel entry and its backend
    // count. False (and nothing done) if the handle is not a live connection.
    bool erase(ConnHandle handle) noexcept;

    // Advances the wheel to `now` and expires connections idle for their
    // state's timeout, looking at no more than `budget` connections (expired
    // or re-filed) and stepping over at most one lap of empty ticks per call.
    // Call it once per worker loop; when the budget runs out the rest waits
    // for the next call. Returns how many connections expired.
    std::uint32_t expire(std::uint64_t now, std::uint32_t budget) noexcept;

    // ---- configuration (control path, rare) -------------------------------

    // Sets one timeouts profile (values clamped to [1 s, kMaxTimeoutSeconds]).
    // False if index >= timeout_profiles(). Connections pick up the new
    // values when next touched by the wheel; a shortened timeout therefore
    // takes effect at most the old timeout late.
    bool set_timeouts(std::uint16_t index, const Timeouts& timeouts) noexcept;
    const Timeouts& timeouts(std::uint16_t index) const noexcept { return profiles_[index]; }
    std::uint16_t timeout_profiles() const noexcept {
        return static_cast<std::uint16_t>(profiles_.size());
    }

    // Hands the table the per-backend counter array it keeps up to date. The
    // array is zeroed and recounted from the live connections (O(capacity)):
    // call it when slot numbering changes. Connections whose backend_slot is
    // outside the array are not counted. The span must outlive its use.
    void attach_backend_counts(std::span<BackendConnCounts> counts) noexcept;

    // ---- introspection ----------------------------------------------------

    Connection& at(ConnHandle h) noexcept { return records_[h.index]; }
    const Connection& at(ConnHandle h) const noexcept { return records_[h.index]; }
    std::uint32_t size() const noexcept { return live_; }
    std::uint32_t capacity() const noexcept { return capacity_; }
    bool full() const noexcept { return free_head_ == TimerWheel::kNone; }
    const ConnTableStats& stats() const noexcept { return stats_; }

    // Seconds (modulo 2^32) at which the connection expires if idle.
    std::uint32_t expiry_of(const Connection& c) const noexcept {
        return c.last_seen + timeout_for(profiles_[c.timeouts_index], c.proto, c.state);
    }

    std::uint64_t bucket_count() const noexcept { return index_.bucket_count(); }
    std::uint32_t index_entries() const noexcept { return index_.size(); }
    std::uint32_t index_max_displacement() const noexcept { return index_.max_displacement(); }
    // Records + index + wheel + profiles: what the table holds in memory.
    std::size_t memory_bytes() const noexcept;

  private:
    static bool matches(const Connection& c, const FlowKey& k, Direction d) noexcept {
        if (d == Direction::client_to_server) {
            return c.client_ip == k.src_ip && c.vip_ip == k.dst_ip && c.client_port == k.src_port &&
                   c.vip_port == k.dst_port && c.proto == k.proto;
        }
        return c.backend_ip == k.src_ip && c.client_ip == k.dst_ip &&
               c.backend_port == k.src_port && c.client_port == k.dst_port && c.proto == k.proto;
    }
    std::uint32_t index_of(const Connection& c) const noexcept {
        return static_cast<std::uint32_t>(&c - records_.data());
    }

    void change_state(Connection& c, TcpState next) noexcept;
    void remove(std::uint32_t index) noexcept;
    void count_expiry(const Connection& c) noexcept;
    void prefetch_for_expiry(const Connection& next) const noexcept;

    std::uint32_t capacity_ = 0;
    std::uint32_t live_ = 0;
    std::uint32_t free_head_ = TimerWheel::kNone;
    std::uint64_t seed_;
    TableArray<Connection> records_;
    FlowIndex index_;
    TimerWheel wheel_;
    TableArray<Timeouts> profiles_;
    std::span<BackendConnCounts> backend_counts_;
    ConnTableStats stats_;
};

}  // namespace sluice::dataplane::conn
