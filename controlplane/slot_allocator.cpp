#include "controlplane/slot_allocator.h"

namespace sluice::controlplane {

std::optional<std::uint32_t> SlotAllocator::service(const std::string& name) {
    if (const auto it = services_.find(name); it != services_.end()) {
        return it->second;
    }
    const auto next = static_cast<std::uint32_t>(services_.size());
    if (next >= max_services_) {
        return std::nullopt;
    }
    services_.emplace(name, next);
    return next;
}

std::optional<std::uint32_t> SlotAllocator::backend(const std::string& service, std::uint32_t ip,
                                                    std::uint16_t port) {
    const auto key = std::make_tuple(service, ip, port);
    if (const auto it = backends_.find(key); it != backends_.end()) {
        return it->second;
    }
    const auto next = static_cast<std::uint32_t>(backends_.size());
    if (next >= max_backends_) {
        return std::nullopt;
    }
    backends_.emplace(key, next);
    return next;
}

}  // namespace sluice::controlplane
