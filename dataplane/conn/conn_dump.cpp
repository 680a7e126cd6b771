#include "dataplane/conn/conn_dump.h"

namespace sluice::dataplane::conn {

bool dump_matches(const Connection& c, const DumpFilter& f) noexcept {
    if (f.by_service && (c.vip_ip != f.vip_ip || c.vip_port != f.vip_port || c.proto != f.proto)) {
        return false;
    }
    return !f.by_client || c.client_ip == f.client_ip;
}

void dump_step(const ConnTable& table, const DumpFilter& filter, std::span<DumpRecord> out,
               DumpProgress& progress, std::uint64_t now, std::uint32_t budget) noexcept {
    const std::uint32_t capacity = table.capacity();
    const auto now32 = static_cast<std::uint32_t>(now);
    std::uint32_t seen = 0;
    while (progress.cursor < capacity && seen < budget) {
        const Connection& c = table.at(ConnHandle{progress.cursor});
        ++progress.cursor;
        ++seen;
        if ((c.flags & conn_flag::kLive) == 0 || !dump_matches(c, filter)) {
            continue;
        }
        if (progress.count >= out.size()) {
            progress.truncated = true;
            progress.finished = true;
            return;
        }
        // Modulo 2^32 like last_seen: an overdue connection shows 0.
        const auto left = static_cast<std::int32_t>(table.expiry_of(c) - now32);
        out[progress.count++] =
            DumpRecord{c.client_ip,  c.vip_ip,
                       c.backend_ip, c.client_port,
                       c.vip_port,   c.backend_port,
                       c.proto,      c.state,
                       c.method,     left > 0 ? static_cast<std::uint32_t>(left) : 0};
    }
    progress.finished = progress.cursor >= capacity;
}

}  // namespace sluice::dataplane::conn
