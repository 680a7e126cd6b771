#pragma once
// Compiles the configuration model into the dataplane's immutable Snapshot:
// ports with their MACs, services with backends, routes and scheduler tables,
// timeout profiles and the owned-VIP set. Pure apart from its inputs.

#include <memory>
#include <string>
#include <vector>

#include "controlplane/config/model.h"
#include "controlplane/slot_allocator.h"
#include "dataplane/forward/snapshot.h"
#include "dataplane/packet/mac_addr.h"

namespace sluice::controlplane {

struct SnapshotInputs {
    std::vector<std::uint16_t> port_ids;        // DPDK ids, configuration order
    std::vector<dataplane::packet::MacAddr> port_macs;
    std::uint64_t generation = 1;
    // The snapshot being replaced, if any: a Maglev service that keeps its name
    // and table size is updated from its previous table, so only the slots of
    // removed, added or reweighted backends move.
    const dataplane::forward::Snapshot* previous = nullptr;
};

// Returns the snapshot, or null with `error` set (e.g. a scheduler table that
// cannot be built, or counter slots exhausted). Services and backends get
// their counter slots from `slots` (stable across reloads); a service's slot is
// also its connection-timeout profile.
std::unique_ptr<dataplane::forward::Snapshot> build_snapshot(const config::Config& config,
                                                             const SnapshotInputs& inputs, SlotAllocator& slots,
                                                             std::string& error);

}  // namespace sluice::controlplane
