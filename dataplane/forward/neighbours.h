#pragma once
// Resolved next hops (IPv4 -> MAC), immutable once published. The control
// plane owns resolution (ARP requests, learning from replies and from ARP
// requests addressed to us) and publishes a new table on every change; workers
// only look up.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "dataplane/packet/mac_addr.h"

namespace sluice::dataplane::forward {

class NeighbourTable {
public:
    NeighbourTable() = default;
    // `entries` may be unsorted and hold duplicates (the last one wins).
    explicit NeighbourTable(std::vector<std::pair<std::uint32_t, packet::MacAddr>> entries) {
        std::stable_sort(entries.begin(), entries.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& e : entries) {
            if (!entries_.empty() && entries_.back().first == e.first) {
                entries_.back() = e;
            } else {
                entries_.push_back(e);
            }
        }
    }

    const packet::MacAddr* find(std::uint32_t ip) const noexcept {
        const auto it = std::lower_bound(entries_.begin(), entries_.end(), ip,
                                         [](const auto& e, std::uint32_t k) { return e.first < k; });
        return it != entries_.end() && it->first == ip ? &it->second : nullptr;
    }
    const std::vector<std::pair<std::uint32_t, packet::MacAddr>>& entries() const noexcept { return entries_; }

private:
    std::vector<std::pair<std::uint32_t, packet::MacAddr>> entries_;
};

}  // namespace sluice::dataplane::forward
