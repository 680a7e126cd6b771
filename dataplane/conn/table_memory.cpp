#include "dataplane/conn/table_memory.h"

#include <cstdlib>
#include <cstring>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sluice::dataplane::conn::detail {

namespace {
constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kHugePage = std::size_t{2} << 20;

constexpr std::size_t round_up(std::size_t n, std::size_t to) {
    return (n + to - 1) / to * to;
}
}  // namespace

void* allocate_zeroed(std::size_t bytes) noexcept {
    const std::size_t align = bytes >= kHugePage ? kHugePage : kCacheLine;
    const std::size_t size = round_up(bytes, align);  // aligned_alloc wants a multiple
    void* memory = std::aligned_alloc(align, size);
    if (memory == nullptr) {
        return nullptr;
    }
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (align == kHugePage) {
        // A hint only: with THP set to "never" it fails harmlessly.
        (void)::madvise(memory, size, MADV_HUGEPAGE);
    }
#endif
    // Zeroing here also first-touches the pages on the constructing thread:
    // build the table on the worker's lcore to get memory on its NUMA node.
    std::memset(memory, 0, size);
    return memory;
}

void release(void* memory) noexcept {
    std::free(memory);
}

}  // namespace sluice::dataplane::conn::detail
