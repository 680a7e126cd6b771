#pragma once
// Stable counter slots for services and backends across reloads: a service
// keeps its slot (and so its counters and connection timeouts profile) as long
// as its name is unchanged, and a backend as long as its service, address and
// port are. Slots of removed entries are not reused during the process's
// lifetime, so a counter never jumps to another entry's values.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace sluice::controlplane {

class SlotAllocator {
public:
    SlotAllocator(std::uint32_t max_services, std::uint32_t max_backends)
        : max_services_(max_services), max_backends_(max_backends) {}

    // nullopt when the slots are exhausted (restart sluiced to reset them).
    std::optional<std::uint32_t> service(const std::string& name);
    std::optional<std::uint32_t> backend(const std::string& service, std::uint32_t ip, std::uint16_t port);

private:
    std::uint32_t max_services_;
    std::uint32_t max_backends_;
    std::map<std::string, std::uint32_t> services_;
    std::map<std::tuple<std::string, std::uint32_t, std::uint16_t>, std::uint32_t> backends_;
};

}  // namespace sluice::controlplane
