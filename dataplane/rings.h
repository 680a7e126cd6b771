#pragma once
// The only channels between the control plane and the workers: typed wrappers
// around rte_ring, all in this one file.
//
//   EventRing    workers -> control plane   NeighbourEvent values (MP/SC, by value)
//   TxRing       control plane -> worker 0  mbufs to transmit (SP/SC); the control
//                                           plane sets mbuf->port to the DPDK port
//   RedirectRing any worker -> worker N     mbufs of connections worker N owns (MP/SC);
//                                           mbuf->port keeps the DPDK port it arrived on
//   PuntRing     workers -> control plane   frames the control plane handles itself
//                                           (VRRP adverts; MP/SC); mbuf->port = DPDK port
//
// All are bounded: a full ring refuses and the caller counts the loss.

#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include <cstdint>
#include <string>

#include "dataplane/forward/pipeline.h"

namespace sluice::dataplane {

class EventRing {
public:
    // Creates the ring (a power of two >= `capacity`); throws nothing, check ok().
    EventRing(const std::string& name, std::uint32_t capacity);
    ~EventRing();
    EventRing(const EventRing&) = delete;
    EventRing& operator=(const EventRing&) = delete;

    bool ok() const { return ring_ != nullptr; }

    // Worker side: enqueues up to n events; returns how many fit.
    std::uint32_t push(const forward::NeighbourEvent* events, std::uint32_t n) noexcept {
        return rte_ring_mp_enqueue_burst_elem(ring_, events, sizeof(forward::NeighbourEvent), n, nullptr);
    }
    // Control-plane side.
    std::uint32_t pop(forward::NeighbourEvent* out, std::uint32_t max) noexcept {
        return rte_ring_sc_dequeue_burst_elem(ring_, out, sizeof(forward::NeighbourEvent), max, nullptr);
    }

private:
    rte_ring* ring_ = nullptr;
};

class TxRing {
public:
    TxRing(const std::string& name, std::uint32_t capacity);
    ~TxRing();  // frees any mbuf still queued
    TxRing(const TxRing&) = delete;
    TxRing& operator=(const TxRing&) = delete;

    bool ok() const { return ring_ != nullptr; }

    // Control-plane side: false when full (the caller frees the mbuf and counts).
    bool push(rte_mbuf* m) noexcept { return rte_ring_sp_enqueue(ring_, m) == 0; }
    bool empty() const noexcept { return rte_ring_empty(ring_) != 0; }
    // Worker side.
    std::uint32_t pop(rte_mbuf** out, std::uint32_t max) noexcept {
        return rte_ring_sc_dequeue_burst(ring_, reinterpret_cast<void**>(out), max, nullptr);
    }

private:
    rte_ring* ring_ = nullptr;
};

// Many producers, one consumer, mbufs: the redirect and punt rings.
class MbufRing {
public:
    MbufRing(const std::string& name, std::uint32_t capacity);
    ~MbufRing();  // frees any mbuf still queued
    MbufRing(const MbufRing&) = delete;
    MbufRing& operator=(const MbufRing&) = delete;

    bool ok() const { return ring_ != nullptr; }
    // Any worker: false when full (the caller frees the mbuf and counts).
    bool push(rte_mbuf* m) noexcept { return rte_ring_mp_enqueue(ring_, m) == 0; }
    std::uint32_t count() const noexcept { return rte_ring_count(ring_); }
    // The consumer only (the owning worker, or the control plane).
    std::uint32_t pop(rte_mbuf** out, std::uint32_t max) noexcept {
        return rte_ring_sc_dequeue_burst(ring_, reinterpret_cast<void**>(out), max, nullptr);
    }

private:
    rte_ring* ring_ = nullptr;
};

using RedirectRing = MbufRing;
using PuntRing = MbufRing;

}  // namespace sluice::dataplane
