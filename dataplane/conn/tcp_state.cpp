#include "dataplane/conn/tcp_state.h"

namespace sluice::dataplane::conn {

// The names ipvsadm -Lc prints (ip_vs_proto_tcp.c tcp_state_name_table[]).
std::string_view tcp_state_name(TcpState s) noexcept {
    switch (s) {
        case TcpState::none:
            return "NONE";
        case TcpState::established:
            return "ESTABLISHED";
        case TcpState::syn_sent:
            return "SYN_SENT";
        case TcpState::syn_recv:
            return "SYN_RECV";
        case TcpState::fin_wait:
            return "FIN_WAIT";
        case TcpState::time_wait:
            return "TIME_WAIT";
        case TcpState::close:
            return "CLOSE";
        case TcpState::close_wait:
            return "CLOSE_WAIT";
        case TcpState::last_ack:
            return "LAST_ACK";
        case TcpState::listen:
            return "LISTEN";
        case TcpState::synack:
            return "SYNACK";
    }
    return "ERR!";
}

}  // namespace sluice::dataplane::conn
