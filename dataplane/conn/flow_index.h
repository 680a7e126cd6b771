#pragma once
// The hash index of the connection table: flow hash -> (record, direction),
// one entry per key (two for a NAT connection).
//
// Bucketed open addressing: 64-byte buckets of seven entries, each a 32-bit
// signature (high half of the hash, 0 = empty) and a 32-bit reference
// (record index << 1 | direction). A key lives in its home bucket or, when
// that is full, in the first following bucket with room (linear probing by
// bucket). Deletion needs no tombstones: every bucket counts the keys that
// probed past it ("overflow", as in folly's F14 tables); a lookup stops at
// the first bucket whose count is zero. With the table sized for <= 5/7 load
// nearly every lookup reads one cache line of index and, on a signature hit,
// one record; a miss usually reads one line only.

#include <bit>
#include <cstdint>

#include "dataplane/conn/flow_key.h"
#include "dataplane/conn/table_memory.h"

namespace sluice::dataplane::conn {

class FlowIndex {
  public:
    static constexpr std::uint32_t kSlotsPerBucket = 7;
    static constexpr std::uint32_t kNoRef = 0xffffffffu;

    struct alignas(64) Bucket {
        std::uint32_t sig[kSlotsPerBucket];
        std::uint32_t ref[kSlotsPerBucket];
        std::uint32_t overflow;  // keys homed at or before this bucket stored after it
        std::uint32_t unused;
    };
    static_assert(sizeof(Bucket) == 64);

    static constexpr std::uint32_t make_ref(std::uint32_t record, Direction d) noexcept {
        return (record << 1) | static_cast<std::uint32_t>(d);
    }
    static constexpr std::uint32_t record_of(std::uint32_t ref) noexcept { return ref >> 1; }
    static constexpr Direction direction_of(std::uint32_t ref) noexcept {
        return static_cast<Direction>(ref & 1u);
    }

    FlowIndex() noexcept = default;
    // bucket_count must be a power of two (ConnTable guarantees it). On
    // allocation failure the index has no buckets and every insert fails.
    explicit FlowIndex(std::uint32_t bucket_count) noexcept;
    FlowIndex(const FlowIndex&) = delete;
    FlowIndex& operator=(const FlowIndex&) = delete;

    void prefetch(std::uint64_t hash) const noexcept {
        __builtin_prefetch(&lookup_[bucket_of(hash)], 0, 3);
    }

    // The reference whose signature matches and for which is_match(ref) is
    // true, or kNoRef.
    template <class IsMatch>
    std::uint32_t find(std::uint64_t hash, IsMatch&& is_match) const noexcept {
        const std::uint32_t sig = sig_of(hash);
        std::uint64_t b = bucket_of(hash);
        for (std::uint64_t walked = 0; walked <= mask_; ++walked) {
            const Bucket& bucket = lookup_[b];
            for (std::uint32_t bits = match_bits(bucket, sig); bits != 0; bits &= bits - 1) {
                const std::uint32_t ref = bucket.ref[std::countr_zero(bits)];
                if (is_match(ref)) {
                    return ref;
                }
            }
            if (bucket.overflow == 0) {
                break;
            }
            b = (b + 1) & mask_;
        }
        return kNoRef;
    }

    // The first reference in the home bucket whose signature matches, or
    // kNoRef: lets a burst lookup prefetch the record before comparing keys.
    std::uint32_t first_candidate(std::uint64_t hash) const noexcept {
        const Bucket& bucket = lookup_[bucket_of(hash)];
        const std::uint32_t bits = match_bits(bucket, sig_of(hash));
        return bits == 0 ? kNoRef : bucket.ref[std::countr_zero(bits)];
    }

    // False only when every slot is taken (ConnTable sizes the index so that
    // it cannot happen). The caller checks the key is not present.
    bool insert(std::uint64_t hash, std::uint32_t ref) noexcept;
    // Removes exactly this reference; false if it is not filed under hash.
    bool erase(std::uint64_t hash, std::uint32_t ref) noexcept;

    std::uint32_t size() const noexcept { return size_; }
    std::uint64_t bucket_count() const noexcept { return buckets_.size(); }
    std::uint64_t slot_count() const noexcept { return buckets_.size() * kSlotsPerBucket; }
    std::size_t bytes() const noexcept { return buckets_.bytes(); }
    // Longest probe (in buckets beyond the home one) any insert has needed.
    std::uint32_t max_displacement() const noexcept { return max_displacement_; }

  private:
    std::uint64_t bucket_of(std::uint64_t hash) const noexcept { return hash & mask_; }
    static std::uint32_t sig_of(std::uint64_t hash) noexcept {
        const auto sig = static_cast<std::uint32_t>(hash >> 32);
        return sig == 0 ? 1u : sig;  // 0 marks an empty slot
    }
    // Bit i set when slot i holds sig; branch-free so the compiler can use SIMD.
    static std::uint32_t match_bits(const Bucket& bucket, std::uint32_t sig) noexcept {
        std::uint32_t bits = 0;
        for (std::uint32_t i = 0; i < kSlotsPerBucket; ++i) {
            bits |= static_cast<std::uint32_t>(bucket.sig[i] == sig) << i;
        }
        return bits;
    }

    // The bucket array, or one shared empty bucket when allocation failed,
    // so lookups need no emptiness check.
    static constexpr Bucket kEmptyBucket{};
    TableArray<Bucket> buckets_;
    const Bucket* lookup_ = &kEmptyBucket;
    std::uint64_t mask_ = 0;
    std::uint32_t size_ = 0;
    std::uint32_t max_displacement_ = 0;
};

}  // namespace sluice::dataplane::conn
