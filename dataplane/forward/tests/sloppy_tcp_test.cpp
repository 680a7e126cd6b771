// LVS's sloppy_tcp: with it, any TCP segment but a RST opens a connection to a
// virtual service; without it only a SYN does.
#include <gtest/gtest.h>

#include "dataplane/forward/pipeline.h"
#include "dataplane/forward/tests/pipeline_fixture.h"

namespace sluice::dataplane::forward {
namespace {

using namespace test;

constexpr std::uint8_t kAck = 0x10;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kFinAck = 0x11;

TEST(SloppyTcp, OffAnAckOfAnUnknownFlowIsDropped) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    p.adopt(*snap);
    const auto nb = all_known();
    TestFrame ack(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, kAck)), 0);
    EXPECT_EQ(p.process(ack.frame, *snap, nb, 1).reason, DropReason::no_connection);
    EXPECT_EQ(p.connections().size(), 0u);
}

TEST(SloppyTcp, OnAnAckOpensANatConnectionAndTheReplyIsTranslated) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    snap->sloppy_tcp = true;
    p.adopt(*snap);
    const auto nb = all_known();
    TestFrame ack(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, kAck)), 0);
    const Verdict v = p.process(ack.frame, *snap, nb, 1);
    ASSERT_EQ(v.action, Action::transmit) << drop_reason_name(v.reason);
    EXPECT_EQ(parse(ack.bytes()).dst_ip.value, kBe1);
    EXPECT_EQ(p.connections().size(), 1u);
    EXPECT_EQ(p.counters().services[0].connections.get(), 1u);

    // The backend's answer finds the connection by its reply key.
    TestFrame reply(packet::test::build_frame(tcp(kBe1, kClient, 8080, 40000, kAck)), 1);
    ASSERT_EQ(p.process(reply.frame, *snap, nb, 1).action, Action::transmit);
    EXPECT_EQ(parse(reply.bytes()).src_ip.value, kVip);

    // The flow's next segments stay on it: no second connection.
    TestFrame again(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, kFinAck)), 0);
    ASSERT_EQ(p.process(again.frame, *snap, nb, 2).action, Action::transmit);
    EXPECT_EQ(parse(again.bytes()).dst_ip.value, kBe1);
    EXPECT_EQ(p.connections().size(), 1u);
}

TEST(SloppyTcp, OnARstNeverOpensAConnection) {
    Pipeline p({1024});
    auto snap = make_snapshot(conn::ForwardMethod::nat);
    snap->sloppy_tcp = true;
    p.adopt(*snap);
    const auto nb = all_known();
    TestFrame rst(packet::test::build_frame(tcp(kClient, kVip, 40000, 80, kRst)), 0);
    EXPECT_EQ(p.process(rst.frame, *snap, nb, 1).reason, DropReason::no_connection);
    EXPECT_EQ(p.connections().size(), 0u);
}

}  // namespace
}  // namespace sluice::dataplane::forward
