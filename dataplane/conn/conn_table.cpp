#include "dataplane/conn/conn_table.h"

#include <algorithm>
#include <bit>

namespace sluice::dataplane::conn {

namespace {

constexpr std::uint32_t kNone = TimerWheel::kNone;

// At most two keys per connection, at most 5 of 7 slots in use on average.
std::uint32_t bucket_count_for(std::uint32_t capacity, std::uint32_t requested) {
    const std::uint64_t keys = std::uint64_t{2} * capacity;
    const std::uint64_t minimum = std::max<std::uint64_t>((keys + 4) / 5, 1);
    return static_cast<std::uint32_t>(std::bit_ceil(std::max<std::uint64_t>(minimum, requested)));
}

bool is_valid_method(ForwardMethod m) {
    return m == ForwardMethod::nat || m == ForwardMethod::dr || m == ForwardMethod::tun;
}

}  // namespace

ConnTable::ConnTable(const ConnTableConfig& config) noexcept
    : capacity_(std::min(config.max_connections, kMaxConnections)),
      seed_(config.seed),
      records_(capacity_),
      index_(bucket_count_for(capacity_, config.hash_buckets)),
      wheel_(records_.data()),
      profiles_(std::max<std::uint16_t>(config.timeout_profiles, 1)) {
    if (records_.size() != capacity_ || index_.bucket_count() == 0 || profiles_.size() == 0) {
        capacity_ = 0;  // allocation failed: refuse everything, crash on nothing
    }
    for (std::size_t p = 0; p < profiles_.size(); ++p) {
        profiles_[p] = kDefaultTimeouts;
    }
    // Free list in index order, so a fresh table fills records front to back.
    for (std::uint32_t i = 0; i < capacity_; ++i) {
        records_[i].wheel_next = i + 1 < capacity_ ? i + 1 : kNone;
    }
    free_head_ = capacity_ == 0 ? kNone : 0;
}

void ConnTable::lookup_burst(std::span<const FlowKey> keys, std::span<Match> out) noexcept {
    constexpr std::size_t kChunk = 32;
    std::uint64_t hashes[kChunk];
    const std::size_t n = std::min(keys.size(), out.size());
    for (std::size_t base = 0; base < n; base += kChunk) {
        const std::size_t m = std::min(kChunk, n - base);
        // Stage 1: hash and start loading every bucket.
        for (std::size_t i = 0; i < m; ++i) {
            hashes[i] = hash(keys[base + i]);
            index_.prefetch(hashes[i]);
        }
        // Stage 2: buckets are (mostly) here; start loading the records the
        // signatures point at, both cache lines, for writing (the caller will
        // touch() them).
        for (std::size_t i = 0; i < m; ++i) {
            const std::uint32_t ref = index_.first_candidate(hashes[i]);
            if (ref != FlowIndex::kNoRef) {
                const Connection& c = records_[FlowIndex::record_of(ref)];
                __builtin_prefetch(&c, 1, 3);
                __builtin_prefetch(&c.bytes[1], 1, 3);
            }
        }
        // Stage 3: compare keys.
        for (std::size_t i = 0; i < m; ++i) {
            out[base + i] = lookup(keys[base + i], hashes[i]);
        }
    }
}

InsertResult ConnTable::insert(const FlowKey& forward, const std::optional<FlowKey>& reply,
                               const ConnInit& init, std::uint64_t now) noexcept {
    InsertResult result;
    const bool nat = init.method == ForwardMethod::nat;
    bool valid = is_valid_method(init.method) && init.timeouts_index < profiles_.size() &&
                 static_cast<std::size_t>(init.initial_state) < kTcpStateCount &&
                 nat == reply.has_value();
    if (valid && nat) {
        // The reply key is not stored but derived from the record (LVS
        // ip_vs_conn_out_get), so it must be exactly backend -> client.
        const FlowKey expected{init.backend_ip, forward.src_ip, init.backend_port, forward.src_port,
                               forward.proto};
        valid = *reply == expected && *reply != forward;
    }
    if (!valid) {
        ++stats_.invalid;
        result.status = InsertStatus::invalid;
        return result;
    }
    // Both buckets load in parallel; the hashes are reused for the index.
    const std::uint64_t forward_hash = hash(forward);
    const std::uint64_t reply_hash = reply ? hash(*reply) : 0;
    if (reply) {
        index_.prefetch(reply_hash);
    }
    if (lookup(forward, forward_hash) || (reply && lookup(*reply, reply_hash))) {
        ++stats_.exists;
        result.status = InsertStatus::exists;
        return result;
    }
    if (free_head_ == kNone) {
        ++stats_.table_full;
        result.status = InsertStatus::table_full;
        return result;
    }

    const std::uint32_t i = free_head_;
    Connection& c = records_[i];
    const std::uint32_t next_free = c.wheel_next;
    const bool tcp = forward.proto == kProtoTcp;
    c = Connection{
        .client_ip = forward.src_ip,
        .vip_ip = forward.dst_ip,
        .backend_ip = init.backend_ip,
        .client_port = forward.src_port,
        .vip_port = forward.dst_port,
        .backend_port = init.backend_port,
        .proto = forward.proto,
        .method = init.method,
        .state = tcp ? init.initial_state : TcpState::none,
        .flags = conn_flag::kLive,
        .timeouts_index = init.timeouts_index,
        .service_index = init.service_index,
        .backend_index = init.backend_index,
        .backend_slot = init.backend_slot,
        .last_seen = static_cast<std::uint32_t>(now),
        .wheel_tick = 0,
        .wheel_next = kNone,
        .wheel_prev = kNone,
        .user = init.user,
        .packets = {0, 0},
        .bytes = {0, 0},
    };
    if (!nat) {
        c.flags |= conn_flag::kInputOnly;  // LVS: IP_VS_CONN_F_NOOUTPUT unless masquerading
    }
    if (!(tcp && is_active(c.state))) {
        c.flags |= conn_flag::kInactive;
    }

    // The index has room for two keys per record, so these inserts cannot
    // fail; if they somehow did, refuse the connection rather than corrupt.
    bool indexed = index_.insert(forward_hash, FlowIndex::make_ref(i, Direction::client_to_server));
    if (indexed && reply) {
        indexed = index_.insert(reply_hash, FlowIndex::make_ref(i, Direction::server_to_client));
        if (!indexed) {
            index_.erase(forward_hash, FlowIndex::make_ref(i, Direction::client_to_server));
        }
        c.flags |= conn_flag::kReplyKey;
    }
    if (!indexed) {
        c.flags = 0;
        c.wheel_next = next_free;  // still on the free list
        ++stats_.table_full;
        result.status = InsertStatus::table_full;
        return result;
    }
    free_head_ = next_free;
    ++live_;

    if (!wheel_.started()) {
        wheel_.start(now);
    }
    wheel_.arm(i, expiry_of(c));
    if (c.backend_slot < backend_counts_.size()) {
        c.flags |= conn_flag::kCounted;
        BackendConnCounts& counts = backend_counts_[c.backend_slot];
        ++((c.flags & conn_flag::kInactive) != 0 ? counts.inactive : counts.active);
    }
    ++stats_.inserts;
    result.status = InsertStatus::inserted;
    result.handle = ConnHandle{i};
    result.conn = &c;
    return result;
}

bool ConnTable::erase(ConnHandle handle) noexcept {
    if (handle.index >= capacity_ || (records_[handle.index].flags & conn_flag::kLive) == 0) {
        return false;
    }
    remove(handle.index);
    ++stats_.erases;
    return true;
}

void ConnTable::remove(std::uint32_t i) noexcept {
    Connection& c = records_[i];
    // Up to four independent cache misses (two buckets, two wheel
    // neighbours): start them all before using any.
    const bool has_reply = (c.flags & conn_flag::kReplyKey) != 0;
    const std::uint64_t forward_hash = hash(forward_key(c));
    const std::uint64_t reply_hash = has_reply ? hash(reply_key(c)) : 0;
    index_.prefetch(forward_hash);
    if (has_reply) {
        index_.prefetch(reply_hash);
    }
    if (c.wheel_prev != kNone) {
        __builtin_prefetch(&records_[c.wheel_prev], 1, 3);
    }
    if (c.wheel_next != kNone) {
        __builtin_prefetch(&records_[c.wheel_next], 1, 3);
    }
    index_.erase(forward_hash, FlowIndex::make_ref(i, Direction::client_to_server));
    if (has_reply) {
        index_.erase(reply_hash, FlowIndex::make_ref(i, Direction::server_to_client));
    }
    wheel_.disarm(i);
    if ((c.flags & conn_flag::kCounted) != 0) {
        BackendConnCounts& counts = backend_counts_[c.backend_slot];
        --((c.flags & conn_flag::kInactive) != 0 ? counts.inactive : counts.active);
    }
    c.flags = 0;
    c.wheel_next = free_head_;  // LIFO: the next insert reuses a warm record
    free_head_ = i;
    --live_;
}

void ConnTable::change_state(Connection& c, TcpState next) noexcept {
    ++stats_.state_changes;
    c.state = next;
    // LVS set_tcp_state(): ESTABLISHED is active, everything else inactive.
    const bool was_inactive = (c.flags & conn_flag::kInactive) != 0;
    const bool now_inactive = !is_active(next);
    if (was_inactive != now_inactive) {
        c.flags = static_cast<std::uint8_t>(c.flags ^ conn_flag::kInactive);
        if ((c.flags & conn_flag::kCounted) != 0) {
            BackendConnCounts& counts = backend_counts_[c.backend_slot];
            if (now_inactive) {
                --counts.active;
                ++counts.inactive;
            } else {
                ++counts.active;
                --counts.inactive;
            }
        }
    }
    // Lazy re-arm only works for expiries that move later. A shorter timeout
    // (ESTABLISHED 900 s -> CLOSE 10 s, say) must refile the record now, or
    // the connection would linger until its old tick.
    const std::uint32_t expiry = expiry_of(c);
    if (static_cast<std::int32_t>(expiry - c.wheel_tick) < 0) {
        const std::uint32_t i = index_of(c);
        wheel_.disarm(i);
        wheel_.arm(i, expiry);
    }
}

void ConnTable::count_expiry(const Connection& c) noexcept {
    switch (c.proto) {
        case kProtoTcp:
            ++stats_.expired_tcp[static_cast<std::size_t>(c.state)];
            break;
        case kProtoUdp:
            ++stats_.expired_udp;
            break;
        case kProtoIcmp:
            ++stats_.expired_icmp;
            break;
        default:
            ++stats_.expired_other;
            break;
    }
}

// Expiry walks a slot's list, a pointer chase, and every expired record
// costs two random index buckets. While record i is handled, record i+1
// (fetched one step earlier) gets its buckets requested and record i+2 its
// first line, so the misses of consecutive records overlap. The hashes are
// computed twice for expired records; that is ~5 ns against ~80 ns of
// memory latency per record without it.
void ConnTable::prefetch_for_expiry(const Connection& next) const noexcept {
    if (next.wheel_next != kNone) {
        __builtin_prefetch(&records_[next.wheel_next], 1, 3);
    }
    index_.prefetch(hash(forward_key(next)));
    if ((next.flags & conn_flag::kReplyKey) != 0) {
        index_.prefetch(hash(reply_key(next)));
    }
}

std::uint32_t ConnTable::expire(std::uint64_t now, std::uint32_t budget) noexcept {
    if (!wheel_.started()) {
        wheel_.start(now);
    }
    const auto now32 = static_cast<std::uint32_t>(now);
    std::uint32_t looked_at = 0;
    std::uint32_t expired = 0;
    std::uint32_t empty_ticks = 0;
    while (looked_at < budget && wheel_.cursor() <= now) {
        if (wheel_.armed() == 0) {
            wheel_.skip_to(now + 1);
            break;
        }
        const std::uint32_t i = wheel_.peek_current();
        if (i == kNone) {
            wheel_.advance();
            if (++empty_ticks >= TimerWheel::kSlots) {
                break;  // bound the work of a long clock jump; resume next call
            }
            continue;
        }
        ++looked_at;
        Connection& c = records_[i];
        if (c.wheel_next != kNone) {
            prefetch_for_expiry(records_[c.wheel_next]);
        }
        const std::uint32_t expiry = expiry_of(c);
        if (static_cast<std::int32_t>(expiry - now32) <= 0) {
            count_expiry(c);
            remove(i);
            ++expired;
        } else {
            // Touched since it was filed (or filed at the lap's end): refile.
            // expiry > now >= cursor, so it lands in a later slot.
            wheel_.disarm(i);
            wheel_.arm(i, expiry);
            ++stats_.rearms;
        }
    }
    return expired;
}

bool ConnTable::set_timeouts(std::uint16_t index, const Timeouts& timeouts) noexcept {
    if (index >= profiles_.size()) {
        return false;
    }
    profiles_[index] = clamped(timeouts);
    return true;
}

void ConnTable::attach_backend_counts(std::span<BackendConnCounts> counts) noexcept {
    backend_counts_ = counts;
    std::fill(counts.begin(), counts.end(), BackendConnCounts{});
    for (std::uint32_t i = 0; i < capacity_; ++i) {
        Connection& c = records_[i];
        if ((c.flags & conn_flag::kLive) == 0) {
            continue;
        }
        if (c.backend_slot < counts.size()) {
            c.flags |= conn_flag::kCounted;
            BackendConnCounts& slot = counts[c.backend_slot];
            ++((c.flags & conn_flag::kInactive) != 0 ? slot.inactive : slot.active);
        } else {
            c.flags = static_cast<std::uint8_t>(c.flags & ~conn_flag::kCounted);
        }
    }
}

std::size_t ConnTable::memory_bytes() const noexcept {
    return sizeof(*this) + records_.bytes() + index_.bytes() + profiles_.bytes();
}

}  // namespace sluice::dataplane::conn
