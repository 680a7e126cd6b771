#pragma once
// Persistent services (LVS `-p`, keepalived persistence_timeout and
// persistence_granularity): a client network keeps its backend for
// `timeout` seconds after its last new connection, whatever the scheduler
// would say. LVS keeps one template connection per (client network, service)
// in its global table; sluice keeps them per worker, in a fixed-size table
// allocated at start-up. Time is always passed in, in seconds of a monotonic
// clock; nothing here reads a clock.

#include <cstdint>
#include <span>
#include <vector>

#include "dataplane/sched/backend.h"

namespace sluice::dataplane::sched {

// The client network a persistence template covers: netmask
// 255.255.255.255 keeps each client apart, 255.255.255.0 groups a /24.
// Host byte order.
constexpr std::uint32_t persistence_key(std::uint32_t client_ip, std::uint32_t netmask) noexcept {
    return client_ip & netmask;
}

struct PersistenceKey {
    std::uint32_t service = 0;     // the worker's index of the virtual service
    std::uint32_t client_net = 0;  // persistence_key(client, granularity)

    friend bool operator==(const PersistenceKey&, const PersistenceKey&) = default;
};

// Bucketed two-choice hashing: a key may live in either of two 64-byte
// buckets of kBucketEntries entries, chosen by two independent hashes, and is
// inserted into the one with more free entries. Every operation touches at
// most two cache lines and needs no tombstones (an expired entry is free).
// Without eviction, inserts start failing at ~75% load (~1% refused there)
// and practically never below 50%: size the table for twice the expected
// live bindings.
class PersistenceTable {
public:
    static constexpr std::uint32_t kBucketEntries = 4;
    static constexpr std::uint32_t kMaxCapacity = 1u << 30;

    // Allocates capacity entries of 16 bytes, rounded up to a power of two of
    // at least kBucketEntries (capped at kMaxCapacity); nothing allocates
    // afterwards.
    explicit PersistenceTable(std::uint32_t capacity);

    std::uint32_t capacity() const noexcept {
        return static_cast<std::uint32_t>(buckets_.size()) * kBucketEntries;
    }

    // The backend the key is bound to, if the binding has not expired
    // (expires > now) and the backend is still eligible in `backends` (the
    // service's current list). kNoBackend otherwise. LVS, by contrast, keeps
    // using a quiesced (weight 0) destination unless
    // expire_quiescent_template is set; sluice drains on weight 0.
    std::uint32_t lookup(const PersistenceKey& key, std::uint32_t now,
                         std::span<const BackendInfo> backends) const noexcept;

    // Binds (or re-binds, refreshing the expiry) key -> backend until
    // now + timeout_s. Call it for every new connection of a persistent
    // service, hit or miss, as LVS refreshes its template. timeout_s == 0
    // stores nothing and succeeds. Returns false when both of the key's
    // buckets hold only live bindings of other keys: the caller counts
    // `persistence_full` and serves the connection without persistence.
    bool insert(const PersistenceKey& key, std::uint32_t backend, std::uint32_t now,
                std::uint32_t timeout_s) noexcept;

    // Drops the key's binding, if any.
    void erase(const PersistenceKey& key) noexcept;

    // Live bindings, O(capacity): for statistics and tests.
    std::uint32_t live(std::uint32_t now) const noexcept;

private:
    struct Entry {
        std::uint32_t service = 0;
        std::uint32_t client_net = 0;
        std::uint32_t expires = 0;  // free when <= now; 0 = empty
        std::uint32_t backend = 0;

        bool holds(const PersistenceKey& key) const noexcept {
            return expires != 0 && service == key.service && client_net == key.client_net;
        }
    };
    struct alignas(64) Bucket {
        Entry entries[kBucketEntries];
    };

    // The key's two buckets (the same one when the hashes collide).
    struct Choices {
        std::uint32_t first;
        std::uint32_t second;
    };
    Choices choices(const PersistenceKey& key) const noexcept;
    Entry* find(const PersistenceKey& key) noexcept;

    std::vector<Bucket> buckets_;
    std::uint32_t mask_ = 0;  // buckets_.size() - 1
};

}  // namespace sluice::dataplane::sched
