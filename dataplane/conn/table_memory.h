#pragma once
// Zeroed, cache-line (or huge-page) aligned arrays for the connection table:
// the only allocations the table makes, all at construction.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace sluice::dataplane::conn {

namespace detail {
// Zeroed memory, 64-byte aligned; arrays of 2 MiB or more are 2 MiB aligned
// and, on Linux, advised as transparent-huge-page candidates: a 1M-connection
// table is ~120 MiB touched at random, and 4 KiB pages would add a TLB miss
// to most lookups. Returns nullptr on failure (never throws).
void* allocate_zeroed(std::size_t bytes) noexcept;
void release(void* memory) noexcept;
}  // namespace detail

// A fixed-size array of trivially copyable T, zero-initialised. On
// allocation failure it is empty (size() == 0); nothing throws.
template <class T>
class TableArray {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

  public:
    TableArray() noexcept = default;
    explicit TableArray(std::size_t count) noexcept
        : data_(count == 0 ? nullptr : static_cast<T*>(detail::allocate_zeroed(count * sizeof(T)))),
          size_(data_ == nullptr ? 0 : count) {}
    ~TableArray() { detail::release(data_); }

    TableArray(const TableArray&) = delete;
    TableArray& operator=(const TableArray&) = delete;
    TableArray(TableArray&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    TableArray& operator=(TableArray&& other) noexcept {
        if (this != &other) {
            detail::release(data_);
            data_ = std::exchange(other.data_, nullptr);
            size_ = std::exchange(other.size_, 0);
        }
        return *this;
    }

    T* data() noexcept { return data_; }
    const T* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    std::size_t bytes() const noexcept { return size_ * sizeof(T); }
    T& operator[](std::size_t i) noexcept { return data_[i]; }
    const T& operator[](std::size_t i) const noexcept { return data_[i]; }

  private:
    T* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace sluice::dataplane::conn
