#pragma once
// Compiles the configuration model into the dataplane's immutable Snapshot:
// ports with their MACs, services with backends, routes and scheduler tables,
// timeout profiles and the owned-VIP set. Pure apart from its inputs.

#include <memory>
#include <string>
#include <vector>

#include "controlplane/config/model.h"
#include "dataplane/forward/snapshot.h"
#include "dataplane/packet/mac_addr.h"

namespace sluice::controlplane {

struct SnapshotInputs {
    std::vector<std::uint16_t> port_ids;        // DPDK ids, configuration order
    std::vector<dataplane::packet::MacAddr> port_macs;
    std::uint64_t generation = 1;
};

// Returns the snapshot, or null with `error` set (e.g. a scheduler table that
// cannot be built). Service i gets counter slot i and timeout profile i;
// backends get consecutive slots in configuration order.
std::unique_ptr<dataplane::forward::Snapshot> build_snapshot(const config::Config& config,
                                                             const SnapshotInputs& inputs, std::string& error);

}  // namespace sluice::controlplane
