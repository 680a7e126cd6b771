#include "dataplane/sched/validate.h"

#include <algorithm>
#include <vector>

#include "dataplane/sched/maglev_table.h"
#include "dataplane/sched/prime.h"

namespace sluice::dataplane::sched {

std::optional<BuildError> validate_backends(std::span<const BackendInfo> backends) {
    if (backends.size() > kMaxBackends) {
        return BuildError::kTooManyBackends;
    }
    for (const BackendInfo& b : backends) {
        if (b.weight > kMaxWeight) {
            return BuildError::kWeightTooLarge;
        }
    }
    return std::nullopt;
}

std::optional<BuildError> validate_keys(std::span<const BackendInfo> backends,
                                        std::span<const std::uint64_t> keys) {
    if (keys.size() != backends.size()) {
        return BuildError::kKeyCountMismatch;
    }
    std::vector<std::uint64_t> sorted(keys.begin(), keys.end());
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        return BuildError::kDuplicateKey;
    }
    return std::nullopt;
}

std::optional<BuildError> validate_maglev_table_size(std::uint32_t table_size) {
    if (table_size > kMaxMaglevTableSize) {
        return BuildError::kTableSizeOutOfRange;
    }
    if (!is_prime(table_size)) {
        return BuildError::kTableSizeNotPrime;
    }
    return std::nullopt;
}

}  // namespace sluice::dataplane::sched
