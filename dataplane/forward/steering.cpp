#include "dataplane/forward/steering.h"

#include "dataplane/packet/headers.h"
#include "dataplane/packet/parse.h"

namespace sluice::dataplane::forward {

std::uint32_t worker_for_client(std::uint32_t client_ip, std::uint16_t client_port, std::uint32_t workers) noexcept {
    // A multiplicative mix (Fibonacci hashing) of ip:port; the high bits are
    // the best mixed, so reduce those.
    const std::uint64_t key = (std::uint64_t{client_ip} << 16) | client_port;
    const std::uint64_t h = key * 0x9e3779b97f4a7c15ULL;
    return static_cast<std::uint32_t>(((h >> 32) * workers) >> 32);
}

std::optional<std::uint32_t> owning_worker(const std::uint8_t* data, std::uint32_t len, const Snapshot& snapshot,
                                           std::uint32_t workers) noexcept {
    if (workers <= 1) {
        return std::nullopt;
    }
    packet::PacketMeta meta;
    if (packet::parse_frame(data, len, meta, packet::IpChecksumCheck::trust) != packet::ParseStatus::ok ||
        !meta.has_l4_header ||
        (meta.ip_proto != packet::kIpProtoTcp && meta.ip_proto != packet::kIpProtoUdp)) {
        return std::nullopt;
    }
    if (snapshot.find_service(meta.dst_ip.value, meta.dst_port, meta.ip_proto) != nullptr) {
        return worker_for_client(meta.src_ip.value, meta.src_port, workers);
    }
    return worker_for_client(meta.dst_ip.value, meta.dst_port, workers);
}

}  // namespace sluice::dataplane::forward
