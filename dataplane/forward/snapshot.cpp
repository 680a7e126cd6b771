#include "dataplane/forward/snapshot.h"

#include <algorithm>

namespace sluice::dataplane::forward {

const ServiceView* Snapshot::find_service(std::uint32_t vip, std::uint16_t port,
                                          std::uint8_t proto) const noexcept {
    const ServiceKey key{vip, port, proto};
    const auto it = std::lower_bound(service_index.begin(), service_index.end(), key,
                                     [](const auto& entry, const ServiceKey& k) { return entry.first < k; });
    return it != service_index.end() && it->first == key ? &services[it->second] : nullptr;
}

bool Snapshot::owns_vip(std::uint32_t vip) const noexcept {
    return std::binary_search(owned_vips.begin(), owned_vips.end(), vip);
}

const packet::MacAddr* Snapshot::vip_mac(std::uint32_t vip) const noexcept {
    const auto it = std::lower_bound(vip_macs.begin(), vip_macs.end(), vip,
                                     [](const auto& entry, std::uint32_t v) { return entry.first < v; });
    return it != vip_macs.end() && it->first == vip ? &it->second : nullptr;
}

bool Snapshot::is_vip(std::uint32_t ip) const noexcept { return std::binary_search(vips.begin(), vips.end(), ip); }

int Snapshot::port_owning(std::uint32_t ip) const noexcept {
    for (std::size_t i = 0; i < ports.size(); ++i) {
        for (const auto& a : ports[i].addresses) {
            if (a.addr.value == ip) {
                return static_cast<int>(i);
            }
        }
    }
    return -1;
}

void Snapshot::finalize() {
    service_index.clear();
    for (std::uint32_t i = 0; i < services.size(); ++i) {
        const auto& s = services[i];
        service_index.push_back({ServiceKey{s.vip.value, s.port, s.proto}, i});
    }
    std::sort(service_index.begin(), service_index.end());
    std::sort(owned_vips.begin(), owned_vips.end());
    owned_vips.erase(std::unique(owned_vips.begin(), owned_vips.end()), owned_vips.end());
    for (const auto& s : services) {
        vips.push_back(s.vip.value);
    }
    vips.insert(vips.end(), owned_vips.begin(), owned_vips.end());
    std::sort(vips.begin(), vips.end());
    vips.erase(std::unique(vips.begin(), vips.end()), vips.end());
    std::sort(vip_macs.begin(), vip_macs.end());
    reset_slots.reset();
    for (const auto& s : services) {
        if (!s.reset_on_backend_down) {
            continue;
        }
        for (const auto& b : s.backends) {
            if (!b.up && b.slot < kMaxBackendSlots) {
                reset_slots.set(b.slot);
            }
        }
    }
}

std::optional<Route> route(const Snapshot& snapshot, common::Ipv4Addr dst) noexcept {
    for (std::size_t i = 0; i < snapshot.ports.size(); ++i) {
        for (const auto& a : snapshot.ports[i].addresses) {
            if (a.contains(dst)) {
                return Route{static_cast<std::uint16_t>(i), dst};
            }
        }
    }
    for (std::size_t i = 0; i < snapshot.ports.size(); ++i) {
        if (snapshot.ports[i].gateway) {
            return Route{static_cast<std::uint16_t>(i), *snapshot.ports[i].gateway};
        }
    }
    return std::nullopt;
}

std::optional<common::Ipv4Addr> next_hop(const PortView& port, common::Ipv4Addr dst) noexcept {
    for (const auto& a : port.addresses) {
        if (a.contains(dst)) {
            return dst;
        }
    }
    return port.gateway;
}

}  // namespace sluice::dataplane::forward
