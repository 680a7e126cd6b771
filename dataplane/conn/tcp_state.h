#pragma once
// TCP connection states and the transition function of LVS
// (net/netfilter/ipvs/ip_vs_proto_tcp.c: tcp_states[], tcp_state_idx(),
// set_tcp_state()), as pure constexpr data. The "secure_tcp" (tcp_states_dos)
// variant is not carried.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dataplane/conn/flow_key.h"

namespace sluice::dataplane::conn {

// Same order and meaning as IP_VS_TCP_S_*: the value indexes the transition
// table columns and the per-state timeouts.
enum class TcpState : std::uint8_t {
    none = 0,
    established,
    syn_sent,
    syn_recv,
    fin_wait,
    time_wait,
    close,
    close_wait,
    last_ack,
    listen,
    synack,
};
inline constexpr std::size_t kTcpStateCount = 11;

// TCP header flag bits as on the wire (RFC 9293 section 3.1), so the caller
// passes the header's flags byte unchanged.
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpAck = 0x10;

// Which LVS table drives a connection. NAT sees both directions; DR and TUN
// only ever see client->server packets, so LVS marks them
// IP_VS_CONN_F_NOOUTPUT and uses the INPUT-ONLY table, which (for instance)
// treats a client FIN on ESTABLISHED as FIN_WAIT rather than CLOSE_WAIT.
enum class TcpTable : std::uint8_t { both_directions, input_only };

// LVS semantics (set_tcp_state()): only ESTABLISHED counts as an active
// connection; every other state, and every non-TCP connection, is inactive.
constexpr bool is_active(TcpState s) noexcept {
    return s == TcpState::established;
}

std::string_view tcp_state_name(TcpState s) noexcept;

namespace detail {

using TcpRow = std::array<TcpState, kTcpStateCount>;

// LVS's own short names, so the table below reads line for line against
// ip_vs_proto_tcp.c.
// NOLINTBEGIN(readability-identifier-naming)
inline constexpr TcpState sNO = TcpState::none;
inline constexpr TcpState sES = TcpState::established;
inline constexpr TcpState sSS = TcpState::syn_sent;
inline constexpr TcpState sSR = TcpState::syn_recv;
inline constexpr TcpState sFW = TcpState::fin_wait;
inline constexpr TcpState sTW = TcpState::time_wait;
inline constexpr TcpState sCL = TcpState::close;
inline constexpr TcpState sCW = TcpState::close_wait;
inline constexpr TcpState sLA = TcpState::last_ack;
inline constexpr TcpState sLI = TcpState::listen;
inline constexpr TcpState sSA = TcpState::synack;
// NOLINTEND(readability-identifier-naming)

// Rows: 0 syn, 1 fin, 2 ack, 3 rst (tcp_state_idx()). Three blocks of four
// rows: INPUT (client->server), OUTPUT (server->client), INPUT-ONLY.
// Transcribed from the current mainline table, where an ACK on NONE gives CLOSE
// (an ACK alone no longer creates an established connection).
// clang-format off
inline constexpr std::array<TcpRow, 12> kTcpStates = {{
    //  sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA          INPUT
    {{ sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR }},  // syn
    {{ sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW }},  // fin
    {{ sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES }},  // ack
    {{ sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR }},  // rst
    //                                                              OUTPUT
    {{ sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR }},  // syn
    {{ sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW }},  // fin
    {{ sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES }},  // ack
    {{ sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL }},  // rst
    //                                                              INPUT-ONLY
    {{ sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR }},  // syn
    {{ sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW }},  // fin
    {{ sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES }},  // ack
    {{ sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL }},  // rst
}};
// clang-format on

inline constexpr std::size_t kInputBlock = 0;
inline constexpr std::size_t kOutputBlock = 4;
inline constexpr std::size_t kInputOnlyBlock = 8;

}  // namespace detail

// The state after one packet, exactly as LVS set_tcp_state() computes it:
//  * the row is chosen by the first of RST, SYN, FIN, ACK present (in that
//    order of precedence);
//  * a segment with none of them moves the connection to CLOSE (LVS starts
//    new_state at IP_VS_TCP_S_CLOSE and skips the table);
//  * with TcpTable::input_only, client->server packets use the INPUT-ONLY
//    rows; a server->client packet uses the OUTPUT rows (LVS clears
//    NOOUTPUT when it sees one; ConnTable does the same for the connection).
constexpr TcpState next_state(TcpState current, Direction direction, std::uint8_t tcp_flags,
                              TcpTable table = TcpTable::both_directions) noexcept {
    std::size_t row = 0;
    if ((tcp_flags & kTcpRst) != 0) {
        row = 3;
    } else if ((tcp_flags & kTcpSyn) != 0) {
        row = 0;
    } else if ((tcp_flags & kTcpFin) != 0) {
        row = 1;
    } else if ((tcp_flags & kTcpAck) != 0) {
        row = 2;
    } else {
        return TcpState::close;
    }
    std::size_t block = detail::kInputBlock;
    if (direction == Direction::server_to_client) {
        block = detail::kOutputBlock;
    } else if (table == TcpTable::input_only) {
        block = detail::kInputOnlyBlock;
    }
    const auto column = static_cast<std::size_t>(current);
    if (column >= kTcpStateCount) {
        return TcpState::close;
    }
    return detail::kTcpStates[block + row][column];
}

}  // namespace sluice::dataplane::conn
