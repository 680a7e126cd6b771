#include "dataplane/sched/source_hash.h"

#include <algorithm>
#include <bit>

#include "dataplane/sched/apportion.h"

namespace sluice::dataplane::sched {
namespace {

// Slot count for these weights, all > 0 (see the header).
std::uint32_t table_size(std::span<const std::uint32_t> weights) {
    std::uint64_t sum = 0;
    std::uint32_t lightest = kMaxWeight;
    for (const std::uint32_t w : weights) {
        sum += w;
        lightest = std::min(lightest, w);
    }
    // sum <= 2^28 and 256 * ceil(sum / lightest) < 2^37: no overflow.
    const std::uint64_t wanted =
        SourceHashTable::kSlotsPerBackend * ((sum + lightest - 1) / lightest);
    return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(
        std::bit_ceil(wanted), SourceHashTable::kMinSize, SourceHashTable::kMaxSize));
}

// Fisher-Yates driven by splitmix64 from a fixed seed: the same on every
// standard library, unlike std::shuffle.
void shuffle(std::vector<std::uint16_t>& v) {
    std::uint64_t state = kSourceHashSeed;
    for (std::size_t i = v.size(); i > 1; --i) {
        state += 0x9e37'79b9'7f4a'7c15ULL;
        const auto j = static_cast<std::size_t>(mix64(state) % i);
        std::swap(v[i - 1], v[j]);
    }
}

}  // namespace

SourceHashTable SourceHashTable::build(std::span<const BackendInfo> backends) {
    std::vector<std::uint32_t> weights;
    std::vector<std::uint16_t> members;
    bool any_eligible = false;
    for (std::size_t i = 0; i < backends.size(); ++i) {
        if (backends[i].weight > 0) {
            weights.push_back(backends[i].weight);
            members.push_back(static_cast<std::uint16_t>(i));
            any_eligible = any_eligible || backends[i].available;
        }
    }
    SourceHashTable table;
    if (!any_eligible) {
        return table;
    }
    const std::uint32_t size = table_size(weights);
    std::vector<std::uint32_t> share = apportion(weights, size);
    // At least one slot each: a backend whose share rounds to zero would
    // otherwise never be chosen (and could be the only available one). S >=
    // 256 N, so the largest share can always spare it.
    for (auto& s : share) {
        if (s == 0) {
            ++s;
            --*std::max_element(share.begin(), share.end());
        }
    }
    std::vector<std::uint16_t> owners;
    owners.reserve(size);
    for (std::size_t m = 0; m < members.size(); ++m) {
        owners.insert(owners.end(), share[m], members[m]);
    }
    shuffle(owners);

    // Resolve fall-through: each slot takes the first available owner at or
    // after it, cyclically. Two backward passes carry that owner along.
    table.slots_.resize(size);
    std::uint16_t carry = 0;
    for (std::size_t k = 2 * std::size_t{size}; k-- > 0;) {
        const std::size_t s = k % size;
        if (backends[owners[s]].available) {
            carry = owners[s];
        }
        if (k < size) {
            table.slots_[s] = carry;
        }
    }
    return table;
}

}  // namespace sluice::dataplane::sched
