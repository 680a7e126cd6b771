#pragma once
// A bounded, resumable copy of the connections of one table that match a
// filter (`sluicectl conns`, like `ipvsadm -Lnc`). The owning worker runs
// dump_step() a slice of records at a time into a buffer allocated before;
// nothing here allocates, locks or throws.

#include <cstdint>
#include <span>

#include "dataplane/conn/conn_table.h"

namespace sluice::dataplane::conn {

// Which connections to list: all, or those of one service (VIP, port,
// protocol) and/or of one client address.
struct DumpFilter {
    bool by_service = false;
    std::uint32_t vip_ip = 0;
    std::uint16_t vip_port = 0;
    std::uint8_t proto = 0;
    bool by_client = false;
    std::uint32_t client_ip = 0;
};

// One listed connection, host byte order.
struct DumpRecord {
    std::uint32_t client_ip = 0;
    std::uint32_t vip_ip = 0;
    std::uint32_t backend_ip = 0;
    std::uint16_t client_port = 0;
    std::uint16_t vip_port = 0;
    std::uint16_t backend_port = 0;
    std::uint8_t proto = 0;
    TcpState state = TcpState::none;
    ForwardMethod method = ForwardMethod::nat;
    std::uint32_t expires_in_s = 0;  // seconds until it expires if idle
};

// Where a dump stands: the next record index to look at, how many records
// were copied, whether a match was left out for the limit.
struct DumpProgress {
    std::uint32_t cursor = 0;
    std::uint32_t count = 0;
    bool truncated = false;
    bool finished = false;
};

bool dump_matches(const Connection& c, const DumpFilter& f) noexcept;

// Looks at up to `budget` record slots from progress.cursor, copying matches
// into out[progress.count...] (out.size() is the limit). Finished when every
// slot was seen or a match beyond the limit was found (truncated).
void dump_step(const ConnTable& table, const DumpFilter& filter, std::span<DumpRecord> out,
               DumpProgress& progress, std::uint64_t now, std::uint32_t budget) noexcept;

}  // namespace sluice::dataplane::conn
