// The LVS TCP state machine (ip_vs_proto_tcp.c tcp_states[]), walked through
// the exchanges a load balancer sees.

#include "dataplane/conn/tcp_state.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::dataplane::conn {
namespace {

constexpr Direction kIn = Direction::client_to_server;
constexpr Direction kOut = Direction::server_to_client;
constexpr std::uint8_t kSynAck = kTcpSyn | kTcpAck;
constexpr std::uint8_t kFinAck = kTcpFin | kTcpAck;
constexpr std::uint8_t kPshAck = 0x08 | kTcpAck;

struct Step {
    Direction direction;
    std::uint8_t flags;
    TcpState expected;
};

struct Exchange {
    const char* name;
    TcpTable table;
    TcpState start;
    std::vector<Step> steps;
};

class TcpExchange : public ::testing::TestWithParam<Exchange> {};

TEST_P(TcpExchange, FollowsLvsTable) {
    const Exchange& x = GetParam();
    TcpState s = x.start;
    for (std::size_t i = 0; i < x.steps.size(); ++i) {
        const Step& step = x.steps[i];
        s = next_state(s, step.direction, step.flags, x.table);
        EXPECT_EQ(s, step.expected) << x.name << " step " << i << ": got " << tcp_state_name(s)
                                    << ", want " << tcp_state_name(step.expected);
    }
}

std::string exchange_name(const ::testing::TestParamInfo<Exchange>& param_info) {
    return param_info.param.name;
}

using S = TcpState;
constexpr TcpTable kBoth = TcpTable::both_directions;
constexpr TcpTable kInOnly = TcpTable::input_only;

INSTANTIATE_TEST_SUITE_P(
    Nat, TcpExchange,
    ::testing::Values(
        Exchange{"handshake",
                 kBoth,
                 S::none,
                 {{kIn, kTcpSyn, S::syn_recv},
                  {kOut, kSynAck, S::syn_recv},
                  {kIn, kTcpAck, S::established}}},
        Exchange{"data",
                 kBoth,
                 S::established,
                 {{kIn, kPshAck, S::established},
                  {kOut, kPshAck, S::established},
                  {kIn, kTcpAck, S::established}}},
        Exchange{"client_closes",
                 kBoth,
                 S::established,
                 {{kIn, kFinAck, S::close_wait},
                  {kOut, kTcpAck, S::close_wait},
                  {kOut, kFinAck, S::time_wait},
                  {kIn, kTcpAck, S::time_wait}}},
        Exchange{"server_closes",
                 kBoth,
                 S::established,
                 {{kOut, kFinAck, S::fin_wait},
                  {kIn, kTcpAck, S::fin_wait},
                  {kIn, kFinAck, S::time_wait},
                  {kOut, kTcpAck, S::time_wait}}},
        Exchange{"simultaneous_close",
                 kBoth,
                 S::established,
                 {{kIn, kFinAck, S::close_wait}, {kOut, kFinAck, S::time_wait}}},
        Exchange{"client_rst", kBoth, S::established, {{kIn, kTcpRst, S::close}}},
        Exchange{"server_rst", kBoth, S::established, {{kOut, kTcpRst | kTcpAck, S::close}}},
        Exchange{"rst_refused_handshake",
                 kBoth,
                 S::none,
                 {{kIn, kTcpSyn, S::syn_recv}, {kOut, kTcpRst | kTcpAck, S::close}}},
        Exchange{"syn_on_established_keeps_it",
                 kBoth,
                 S::established,
                 {{kIn, kTcpSyn, S::established}, {kOut, kTcpSyn, S::established}}},
        Exchange{"syn_reopens_time_wait", kBoth, S::time_wait, {{kIn, kTcpSyn, S::syn_recv}}},
        Exchange{"ack_alone_does_not_establish", kBoth, S::none, {{kIn, kTcpAck, S::close}}},
        Exchange{"server_opens", kBoth, S::none, {{kOut, kTcpSyn, S::syn_sent}}},
        Exchange{"rst_wins_over_syn", kBoth, S::established, {{kIn, kTcpSyn | kTcpRst, S::close}}},
        Exchange{"no_flags_closes", kBoth, S::established, {{kIn, 0x08, S::close}}}),
    exchange_name);

INSTANTIATE_TEST_SUITE_P(
    DirectRouting, TcpExchange,
    ::testing::Values(
        Exchange{"handshake",
                 kInOnly,
                 S::none,
                 {{kIn, kTcpSyn, S::syn_recv}, {kIn, kTcpAck, S::established}}},
        Exchange{"data", kInOnly, S::established, {{kIn, kPshAck, S::established}}},
        // Input-only: a client FIN means the client is closing: FIN_WAIT, not CLOSE_WAIT.
        Exchange{"client_closes",
                 kInOnly,
                 S::established,
                 {{kIn, kFinAck, S::fin_wait},
                  {kIn, kTcpAck, S::fin_wait},
                  {kIn, kFinAck, S::fin_wait}}},
        Exchange{"rst", kInOnly, S::established, {{kIn, kTcpRst, S::close}}},
        Exchange{"syn_on_established_keeps_it",
                 kInOnly,
                 S::established,
                 {{kIn, kTcpSyn, S::established}}},
        Exchange{"rst_on_synack", kInOnly, S::synack, {{kIn, kTcpRst, S::close}}},
        // A server->client packet uses the OUTPUT rows even for input-only.
        Exchange{"output_packet_uses_output_rows",
                 kInOnly,
                 S::established,
                 {{kOut, kFinAck, S::fin_wait}}}),
    exchange_name);

TEST(TcpState, InputAndInputOnlyDifferWhereLvsDoes) {
    EXPECT_EQ(next_state(S::synack, kIn, kTcpRst, kBoth), S::syn_recv);
    EXPECT_EQ(next_state(S::synack, kIn, kTcpRst, kInOnly), S::close);
    EXPECT_EQ(next_state(S::established, kIn, kTcpFin, kBoth), S::close_wait);
    EXPECT_EQ(next_state(S::established, kIn, kTcpFin, kInOnly), S::fin_wait);
}

TEST(TcpState, OnlyEstablishedIsActive) {
    for (std::size_t i = 0; i < kTcpStateCount; ++i) {
        const auto s = static_cast<TcpState>(i);
        EXPECT_EQ(is_active(s), s == S::established) << tcp_state_name(s);
    }
}

TEST(TcpState, NamesMatchIpvsadm) {
    EXPECT_EQ(tcp_state_name(S::established), "ESTABLISHED");
    EXPECT_EQ(tcp_state_name(S::syn_recv), "SYN_RECV");
    EXPECT_EQ(tcp_state_name(S::close_wait), "CLOSE_WAIT");
    EXPECT_EQ(tcp_state_name(static_cast<TcpState>(42)), "ERR!");
}

TEST(TcpState, OutOfRangeStateCloses) {
    EXPECT_EQ(next_state(static_cast<TcpState>(42), kIn, kTcpAck), S::close);
}

static_assert(next_state(TcpState::none, Direction::client_to_server, kTcpSyn) ==
              TcpState::syn_recv);

}  // namespace
}  // namespace sluice::dataplane::conn
