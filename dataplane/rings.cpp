#include "dataplane/rings.h"

#include <rte_lcore.h>

namespace sluice::dataplane {

EventRing::EventRing(const std::string& name, std::uint32_t capacity) {
    static_assert(sizeof(forward::NeighbourEvent) % 4 == 0, "rte_ring elements are multiples of 4 bytes");
    ring_ = rte_ring_create_elem(name.c_str(), sizeof(forward::NeighbourEvent), rte_align32pow2(capacity),
                                 static_cast<int>(rte_socket_id()), RING_F_SC_DEQ);
}

EventRing::~EventRing() { rte_ring_free(ring_); }

TxRing::TxRing(const std::string& name, std::uint32_t capacity) {
    ring_ = rte_ring_create(name.c_str(), rte_align32pow2(capacity), static_cast<int>(rte_socket_id()),
                            RING_F_SP_ENQ | RING_F_SC_DEQ);
}

TxRing::~TxRing() {
    if (ring_ == nullptr) {
        return;
    }
    rte_mbuf* m = nullptr;
    while (rte_ring_sc_dequeue(ring_, reinterpret_cast<void**>(&m)) == 0) {
        rte_pktmbuf_free(m);
    }
    rte_ring_free(ring_);
}

MbufRing::MbufRing(const std::string& name, std::uint32_t capacity) {
    ring_ = rte_ring_create(name.c_str(), rte_align32pow2(capacity), static_cast<int>(rte_socket_id()),
                            RING_F_SC_DEQ);
}

MbufRing::~MbufRing() {
    if (ring_ == nullptr) {
        return;
    }
    rte_mbuf* m = nullptr;
    while (rte_ring_sc_dequeue(ring_, reinterpret_cast<void**>(&m)) == 0) {
        rte_pktmbuf_free(m);
    }
    rte_ring_free(ring_);
}

}  // namespace sluice::dataplane
