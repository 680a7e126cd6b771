#pragma once
// Input checks shared by the table builders (control plane).

#include <cstdint>
#include <optional>
#include <span>

#include "dataplane/sched/backend.h"
#include "dataplane/sched/build_result.h"

namespace sluice::dataplane::sched {

// At most kMaxBackends, every weight at most kMaxWeight.
std::optional<BuildError> validate_backends(std::span<const BackendInfo> backends);

// One key per backend, no key twice.
std::optional<BuildError> validate_keys(std::span<const BackendInfo> backends,
                                        std::span<const std::uint64_t> keys);

// A prime no larger than kMaxMaglevTableSize.
std::optional<BuildError> validate_maglev_table_size(std::uint32_t table_size);

}  // namespace sluice::dataplane::sched
