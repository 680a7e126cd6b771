#include "dataplane/conn/flow_index.h"

namespace sluice::dataplane::conn {

FlowIndex::FlowIndex(std::uint32_t bucket_count) noexcept : buckets_(bucket_count) {
    if (buckets_.size() != 0) {
        lookup_ = buckets_.data();
        mask_ = buckets_.size() - 1;
    }
}

bool FlowIndex::insert(std::uint64_t hash, std::uint32_t ref) noexcept {
    if (size_ >= slot_count()) {
        return false;  // also covers an index without buckets
    }
    const std::uint32_t sig = sig_of(hash);
    std::uint64_t b = bucket_of(hash);
    // There is a free slot somewhere, so this walk ends within one lap.
    for (std::uint32_t displacement = 0;; ++displacement) {
        Bucket& bucket = buckets_[b];
        for (std::uint32_t i = 0; i < kSlotsPerBucket; ++i) {
            if (bucket.sig[i] == 0) {
                bucket.sig[i] = sig;
                bucket.ref[i] = ref;
                ++size_;
                if (displacement > max_displacement_) {
                    max_displacement_ = displacement;
                }
                return true;
            }
        }
        ++bucket.overflow;
        b = (b + 1) & mask_;
    }
}

bool FlowIndex::erase(std::uint64_t hash, std::uint32_t ref) noexcept {
    if (buckets_.size() == 0) {
        return false;
    }
    const std::uint32_t sig = sig_of(hash);
    const std::uint64_t home = bucket_of(hash);
    std::uint64_t b = home;
    for (std::uint64_t walked = 0; walked <= mask_; ++walked) {
        Bucket& bucket = buckets_[b];
        for (std::uint32_t i = 0; i < kSlotsPerBucket; ++i) {
            if (bucket.sig[i] == sig && bucket.ref[i] == ref) {
                bucket.sig[i] = 0;
                bucket.ref[i] = kNoRef;
                --size_;
                // Undo the overflow marks the insert left on the way here.
                for (std::uint64_t p = home; p != b; p = (p + 1) & mask_) {
                    --buckets_[p].overflow;
                }
                return true;
            }
        }
        if (bucket.overflow == 0) {
            break;
        }
        b = (b + 1) & mask_;
    }
    return false;
}

}  // namespace sluice::dataplane::conn
