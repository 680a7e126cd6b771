#pragma once
// A worker's forwarding counters. Written only by the owning worker (plain adds
// through SingleWriterCounter), read by the control plane, summed over workers.
// Services and backends are counted in stable slots the control plane assigns,
// so counters survive configuration changes.

#include <array>
#include <vector>

#include "dataplane/forward/drop_reason.h"
#include "dataplane/forward/snapshot.h"
#include "dataplane/packet/parse.h"
#include "dataplane/worker_stats.h"

namespace sluice::dataplane::forward {

struct TrafficCounters {
    SingleWriterCounter connections;  // created
    SingleWriterCounter packets_in;   // client -> backend
    SingleWriterCounter bytes_in;
    SingleWriterCounter packets_out;  // backend -> client (NAT only: DR/TUN replies bypass us)
    SingleWriterCounter bytes_out;
};

struct ForwardCounters {
    ForwardCounters() : services(kMaxServiceSlots), backends(kMaxBackendSlots) {}

    std::array<SingleWriterCounter, kDropReasonCount> drops;
    std::array<SingleWriterCounter, packet::kParseStatusCount> parse;  // detail of bad_header
    SingleWriterCounter arp_replies;       // we answered an ARP request
    SingleWriterCounter icmp_echo_replies;
    SingleWriterCounter forwarded;         // packets sent on
    SingleWriterCounter to_host;           // handed to the kernel through the exception path
    SingleWriterCounter from_host;         // sent by the kernel through the exception path
    SingleWriterCounter redirected;        // handed to the worker that owns the connection
    SingleWriterCounter punted;            // handed to the control plane (VRRP adverts)
    SingleWriterCounter persistence_full;  // a persistent binding could not be stored (scheduled anyway)
    SingleWriterCounter sorry;             // new connections given to a sorry server (no backend eligible)
    SingleWriterCounter resets_sent;       // TCP RSTs sent to clients of a reset connection (backend_reset)
    std::vector<TrafficCounters> services;  // by ServiceView::slot
    std::vector<TrafficCounters> backends;  // by BackendView::slot

    void drop(DropReason r) { drops[static_cast<std::size_t>(r)].add(1); }
};

}  // namespace sluice::dataplane::forward
