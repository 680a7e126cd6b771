#pragma once
// Compiles the configuration model into the dataplane's immutable Snapshot:
// ports with their MACs, services with backends, routes and scheduler tables,
// timeout profiles and the owned-VIP set. Pure apart from its inputs.

#include <memory>
#include <string>
#include <vector>

#include "controlplane/backend_state.h"
#include "controlplane/config/model.h"
#include "controlplane/slot_allocator.h"
#include "dataplane/forward/snapshot.h"
#include "dataplane/packet/mac_addr.h"

namespace sluice::controlplane {

// The VRRP addresses this node holds right now (from the VRRP manager). An
// address of a vrrp_instance is owned only while that instance is master; a
// service VIP that no vrrp_instance lists is always owned.
struct VrrpOwnership {
    std::vector<std::uint32_t> held;  // virtual_ipaddress of instances in MASTER
    std::vector<std::pair<std::uint32_t, dataplane::packet::MacAddr>> virtual_macs;  // use_vmac ones
};

struct SnapshotInputs {
    std::vector<std::uint16_t> port_ids;        // DPDK ids, configuration order
    std::vector<dataplane::packet::MacAddr> port_macs;
    std::uint64_t generation = 1;
    // The snapshot being replaced, if any: a Maglev service that keeps its name
    // and table size is updated from its previous table, so only the slots of
    // removed, added or reweighted backends move.
    const dataplane::forward::Snapshot* previous = nullptr;
    VrrpOwnership ownership;
    // The real servers' health and runtime weights (the health manager's);
    // null, or a real server missing from it: up with its configured weight.
    const BackendStates* backend_states = nullptr;
};

// Returns the snapshot, or null with `error` set (e.g. a scheduler table that
// cannot be built, or counter slots exhausted). Services and backends get
// their counter slots from `slots` (stable across reloads); a service's slot is
// also its connection-timeout profile.
//
// Every real server is listed, in configuration order (the scheduler's
// indices), with its runtime state from inputs.backend_states:
//  - up: its weight (the runtime one if set, else the configured one; at most
//    65535), eligible for new connections when the weight is above 0;
//  - down: up = false, not eligible (keepalived removes it from LVS; listing
//    it keeps every index, so a Maglev table moves only the down backend's
//    slots), with its weight, or with weight 0 if it has inhibit_on_failure
//    (keepalived keeps it at weight 0 instead of removing it).
// The sorry server, if any, follows the real servers (ServiceView::sorry_index)
// with its own counter slot; the scheduler is built over the real servers only.
// services_generation is the previous snapshot's when no service, backend list,
// counter slot or timeout changed (a health or weight change): workers then
// keep their persistence bindings.
std::unique_ptr<dataplane::forward::Snapshot> build_snapshot(const config::Config& config,
                                                             const SnapshotInputs& inputs, SlotAllocator& slots,
                                                             std::string& error);

// A copy of `current` with only the VIP ownership changed (a VRRP transition):
// services_generation stays, so workers keep their persistence bindings.
std::unique_ptr<dataplane::forward::Snapshot> with_ownership(const dataplane::forward::Snapshot& current,
                                                             const config::Config& config,
                                                             const VrrpOwnership& ownership,
                                                             std::uint64_t generation);

}  // namespace sluice::controlplane
