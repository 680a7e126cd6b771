#include "dataplane/sched/persistence.h"

#include <algorithm>
#include <bit>

#include "dataplane/sched/hash.h"

namespace sluice::dataplane::sched {
namespace {

std::uint32_t bucket_count(std::uint32_t capacity) {
    const std::uint32_t entries = std::bit_ceil(
        std::clamp(capacity, PersistenceTable::kBucketEntries, PersistenceTable::kMaxCapacity));
    return entries / PersistenceTable::kBucketEntries;
}

}  // namespace

PersistenceTable::PersistenceTable(std::uint32_t capacity)
    : buckets_(bucket_count(capacity)), mask_(static_cast<std::uint32_t>(buckets_.size() - 1)) {}

PersistenceTable::Choices PersistenceTable::choices(const PersistenceKey& key) const noexcept {
    // The two halves of one 64-bit mix are independent enough for two choices.
    const std::uint64_t h = mix64((std::uint64_t{key.service} << 32) | key.client_net);
    return Choices{static_cast<std::uint32_t>(h) & mask_,
                   static_cast<std::uint32_t>(h >> 32) & mask_};
}

PersistenceTable::Entry* PersistenceTable::find(const PersistenceKey& key) noexcept {
    const Choices c = choices(key);
    for (const std::uint32_t b : {c.first, c.second}) {
        for (Entry& e : buckets_[b].entries) {
            if (e.holds(key)) {
                return &e;
            }
        }
    }
    return nullptr;
}

std::uint32_t PersistenceTable::lookup(const PersistenceKey& key, std::uint32_t now,
                                       std::span<const BackendInfo> backends) const noexcept {
    const Choices c = choices(key);
    for (const std::uint32_t b : {c.first, c.second}) {
        for (const Entry& e : buckets_[b].entries) {
            if (e.holds(key)) {
                const bool usable = e.expires > now && e.backend < backends.size() &&
                                    is_eligible(backends[e.backend]);
                return usable ? e.backend : kNoBackend;
            }
        }
    }
    return kNoBackend;
}

bool PersistenceTable::insert(const PersistenceKey& key, std::uint32_t backend, std::uint32_t now,
                              std::uint32_t timeout_s) noexcept {
    if (timeout_s == 0) {
        return true;
    }
    // Saturate rather than wrap: a binding must not expire in the past.
    const std::uint32_t expires = now > 0xffff'ffffu - timeout_s ? 0xffff'ffffu : now + timeout_s;
    if (Entry* e = find(key)) {  // the key's own entry, live or expired: one entry per key
        e->expires = expires;
        e->backend = backend;
        return true;
    }
    // The emptier of the two buckets (two choices keep the load even).
    Entry* best = nullptr;
    std::uint32_t best_free = 0;
    const Choices c = choices(key);
    for (const std::uint32_t b : {c.first, c.second}) {
        Entry* first_free = nullptr;
        std::uint32_t free = 0;
        for (Entry& e : buckets_[b].entries) {
            if (e.expires <= now) {
                ++free;
                first_free = first_free != nullptr ? first_free : &e;
            }
        }
        if (free > best_free) {
            best = first_free;
            best_free = free;
        }
    }
    if (best == nullptr) {
        return false;
    }
    *best = Entry{key.service, key.client_net, expires, backend};
    return true;
}

void PersistenceTable::erase(const PersistenceKey& key) noexcept {
    if (Entry* e = find(key)) {
        *e = Entry{};
    }
}

std::uint32_t PersistenceTable::live(std::uint32_t now) const noexcept {
    std::uint32_t n = 0;
    for (const Bucket& b : buckets_) {
        for (const Entry& e : b.entries) {
            n += e.expires > now ? 1u : 0u;
        }
    }
    return n;
}

}  // namespace sluice::dataplane::sched
