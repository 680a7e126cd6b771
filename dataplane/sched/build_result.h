#pragma once
// How control-plane table builders report failure: a value or a BuildError,
// never an exception for bad input (std::bad_alloc may still escape: builders
// allocate, picks never do).

#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>

namespace sluice::dataplane::sched {

enum class BuildError : std::uint8_t {
    kTooManyBackends,        // more than kMaxBackends
    kWeightTooLarge,         // a weight above kMaxWeight
    kKeyCountMismatch,       // backend_keys.size() != backends.size()
    kDuplicateKey,           // two backends with the same key (mh matches backends by key)
    kTableSizeNotPrime,      // Maglev table size not prime
    kTableSizeOutOfRange,    // Maglev table size above kMaxMaglevTableSize
    kPreviousTableMismatch,  // update_maglev: previous table not built from the old list
};

std::string_view build_error_name(BuildError error) noexcept;

template <typename T>
class [[nodiscard]] BuildResult {
public:
    BuildResult(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    BuildResult(BuildError error) : v_(error) {}    // NOLINT(google-explicit-constructor)

    bool has_value() const noexcept { return std::holds_alternative<T>(v_); }
    explicit operator bool() const noexcept { return has_value(); }

    // Precondition: has_value().
    T& value() & { return std::get<T>(v_); }
    const T& value() const& { return std::get<T>(v_); }
    T&& value() && { return std::get<T>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    // Precondition: !has_value().
    BuildError error() const { return std::get<BuildError>(v_); }

private:
    std::variant<T, BuildError> v_;
};

}  // namespace sluice::dataplane::sched
