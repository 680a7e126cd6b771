#pragma once
// The runtime state of real servers that the health manager keeps and the
// snapshot builder publishes (controlplane/snapshot_builder.h). Plain values
// only: no checker or dataplane type appears here.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace sluice::controlplane {

struct BackendRuntime {
    // Health. A real server that is down takes no new connections: it stays
    // listed (up = false) with its weight, or with weight 0 when it has
    // inhibit_on_failure; its existing connections are reset when its virtual
    // server has reset_on_backend_down, else they carry on.
    bool up = true;
    // A dynamic weight (MISC_CHECK misc_dynamic) or a runtime override;
    // nullopt: the configured weight. Clamped to 65535 when published.
    std::optional<std::uint32_t> weight;

    friend bool operator==(const BackendRuntime&, const BackendRuntime&) = default;
};

// (virtual_server name, real server IPv4 in host order, real server port):
// the same identity as the backend's counter slot (SlotAllocator::backend).
using BackendKey = std::tuple<std::string, std::uint32_t, std::uint16_t>;

// A real server missing from the map is up with its configured weight.
using BackendStates = std::map<BackendKey, BackendRuntime>;

}  // namespace sluice::controlplane
