#include "dataplane/sched/build_result.h"

namespace sluice::dataplane::sched {

std::string_view build_error_name(BuildError error) noexcept {
    switch (error) {
        case BuildError::kTooManyBackends:
            return "too many backends";
        case BuildError::kWeightTooLarge:
            return "weight above 65535";
        case BuildError::kKeyCountMismatch:
            return "backend key count differs from backend count";
        case BuildError::kDuplicateKey:
            return "duplicate backend key";
        case BuildError::kTableSizeNotPrime:
            return "table size is not prime";
        case BuildError::kTableSizeOutOfRange:
            return "table size out of range";
        case BuildError::kPreviousTableMismatch:
            return "previous table does not match the old backend list";
    }
    return "unknown build error";
}

}  // namespace sluice::dataplane::sched
