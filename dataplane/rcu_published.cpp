#include "dataplane/rcu_published.h"

#include <cstdlib>
#include <new>

namespace sluice::dataplane {

QsbrDomain::QsbrDomain(std::uint32_t max_readers) : max_readers_(max_readers) {
    const std::size_t size = rte_rcu_qsbr_get_memsize(max_readers);
    // The QSBR variable must be cache-line aligned; ordinary memory is fine (no
    // DMA), so this works before and without the EAL's hugepage heap.
    const std::size_t rounded = (size + RTE_CACHE_LINE_SIZE - 1) / RTE_CACHE_LINE_SIZE * RTE_CACHE_LINE_SIZE;
    qs_ = static_cast<rte_rcu_qsbr*>(std::aligned_alloc(RTE_CACHE_LINE_SIZE, rounded));
    if (qs_ == nullptr || rte_rcu_qsbr_init(qs_, max_readers) != 0) {
        std::free(qs_);
        throw std::bad_alloc();
    }
}

QsbrDomain::~QsbrDomain() { std::free(qs_); }

}  // namespace sluice::dataplane
