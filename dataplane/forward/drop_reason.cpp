#include "dataplane/forward/drop_reason.h"

namespace sluice::dataplane::forward {

std::string_view drop_reason_name(DropReason reason) noexcept {
    static constexpr std::array<std::string_view, kDropReasonCount> kNames{
        "bad_header",   "not_ip",         "bad_arp",         "arp_not_for_us",
        "fragment",     "not_for_us",     "host_bound",      "vip_not_owned",
        "no_connection", "no_backend",    "table_full",      "conn_insert_failed",
        "ttl_exceeded", "no_route",       "unresolved_neighbour", "too_big",
        "needs_fragmentation", "no_headroom", "icmp_unsupported", "tx_full",
        "event_ring_full", "no_config", "multi_segment", "redirect_full",
        "punt_full", "backend_reset",
    };
    const auto i = static_cast<std::size_t>(reason);
    return i < kNames.size() ? kNames[i] : "unknown";
}

}  // namespace sluice::dataplane::forward
