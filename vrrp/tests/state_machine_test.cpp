#include "vrrp/state_machine.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "vrrp/timers.h"

namespace sluice::vrrp {
namespace {

using K = Action::Kind;
using common::Ipv4Addr;

constexpr Ipv4Addr ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return Ipv4Addr{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d};
}

constexpr Ipv4Addr ours = ip(10, 0, 0, 5);
constexpr Ipv4Addr peer_low = ip(10, 0, 0, 1);
constexpr Ipv4Addr peer_high = ip(10, 0, 0, 9);
constexpr Ipv4Addr peer_very_high = ip(200, 0, 0, 1);  // above 2^31: unsigned compare

Config make_config(std::uint8_t version, std::uint8_t priority, std::uint32_t interval_cs, bool preempt = true,
                   std::uint64_t preempt_delay_us = 0) {
    Config c;
    c.name = "VI_1";
    c.vrid = 51;
    c.version = version;
    c.priority = priority;
    c.advert_interval_cs = interval_cs;
    c.preempt = preempt;
    c.preempt_delay_us = preempt_delay_us;
    c.primary_address = ours;
    return c;
}

// ---- table-driven scenarios ------------------------------------------------

enum class Op { start, advert, timer, shutdown, priority, fault, recover, force_master, force_backup };

struct Step {
    std::uint64_t at_us;
    Op op;
    ReceivedAdvert adv{};    // for Op::advert
    std::uint8_t prio = 0;   // for Op::priority
    State expect_state;
    std::optional<std::uint64_t> expect_deadline;
    std::vector<Action> expect;  // the non-log actions, in order
};

struct Scenario {
    const char* name;
    Config cfg;
    std::vector<Step> steps;
};

std::ostream& operator<<(std::ostream& os, const Scenario& s) { return os << s.name; }

Action advert(std::uint8_t p) { return {K::send_advert, p, {}}; }
const Action garp{K::send_garp, 0, {}};
const Action to_master{K::become_master, 0, {}};
const Action to_backup{K::become_backup, 0, {}};
const Action to_init{K::become_init, 0, {}};
const Action to_fault{K::become_fault, 0, {}};
const std::vector<Action> takeover_v{advert(100), garp, to_master};
const std::vector<Action> none{};

ReceivedAdvert adv(Ipv4Addr src, std::uint8_t p, std::uint32_t interval_cs = 100) { return {src, p, interval_cs}; }

std::vector<Scenario> scenarios() {
    constexpr std::uint64_t v2_down = 3'609'375;   // v2 p100 1 s
    constexpr std::uint64_t v3_down = 360'937;     // v3 p100 10 cs
    constexpr std::uint64_t v2_skew = 609'375;
    constexpr std::uint64_t p200_down = 3'218'750;  // v2 p200 1 s: 3 s + 56/256 s
    return {
        {"V2BackupTakesOverAfterExactlyMasterDown", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {v2_down - 1, Op::timer, {}, 0, State::backup, v2_down, none},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {v2_down + 1'000'000, Op::timer, {}, 0, State::master, v2_down + 2'000'000, {advert(100)}}}},
        {"V3TenCentisecondsTakesOverAt360937", make_config(3, 100, 10),
         {{0, Op::start, {}, 0, State::backup, v3_down, {to_backup}},
          {v3_down - 1, Op::timer, {}, 0, State::backup, v3_down, none},
          {v3_down, Op::timer, {}, 0, State::master, v3_down + 100'000, takeover_v}}},
        {"V3BackupAdoptsTheMastersInterval", make_config(3, 100, 100),
         {{0, Op::start, {}, 0, State::backup, 3'609'375, {to_backup}},
          // 3 x 0.5 s + 156 x 0.5 s / 256 = 1.5 s + 304687 us
          {1'000, Op::advert, adv(peer_low, 150, 50), 0, State::backup, 1'000 + 1'804'687, none},
          {1'000 + 1'804'687, Op::timer, {}, 0, State::master, 1'000 + 1'804'687 + 1'000'000, takeover_v}}},
        {"V2IgnoresTheAdvertisedInterval", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {10, Op::advert, adv(peer_low, 150, 300), 0, State::backup, 10 + v2_down, none}}},
        {"OwnerBecomesMasterAtOnce", make_config(3, 255, 100),
         {{5, Op::start, {}, 0, State::master, 1'000'005, {advert(255), garp, to_master}},
          {1'000'005, Op::timer, {}, 0, State::master, 2'000'005, {advert(255)}}}},
        {"PriorityZeroInBackupWaitsOnlySkew", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {2'000'000, Op::advert, adv(peer_high, 0), 0, State::backup, 2'000'000 + v2_skew, none},
          {2'000'000 + v2_skew, Op::timer, {}, 0, State::master, 3'000'000 + v2_skew, takeover_v}}},
        {"EqualOrHigherAdvertResetsMasterDown", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {1'000'000, Op::advert, adv(peer_low, 100), 0, State::backup, 1'000'000 + v2_down, none},
          {2'000'000, Op::advert, adv(peer_low, 200), 0, State::backup, 2'000'000 + v2_down, none}}},
        {"PreemptIgnoresALowerMaster", make_config(2, 200, 100),
         {{0, Op::start, {}, 0, State::backup, p200_down, {to_backup}},
          {1'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, p200_down, none},
          {2'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, p200_down, none},
          {p200_down, Op::timer, {}, 0, State::master, p200_down + 1'000'000, {advert(200), garp, to_master}}}},
        {"NoPreemptKeepsTheLiveLowerMaster", make_config(2, 200, 100, false),
         {{0, Op::start, {}, 0, State::backup, p200_down, {to_backup}},
          {1'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 1'000'000 + p200_down, none},
          {2'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 2'000'000 + p200_down, none},
          {p200_down, Op::timer, {}, 0, State::backup, 2'000'000 + p200_down, none},
          {3'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 3'000'000 + p200_down, none},
          // the lower master dies: now we take over
          {3'000'000 + p200_down, Op::timer, {}, 0, State::master, 4'000'000 + p200_down,
           {advert(200), garp, to_master}}}},
        {"PreemptDelayWaitsBeforeTakingOver", make_config(2, 200, 100, true, 5'000'000),
         {{0, Op::start, {}, 0, State::backup, p200_down, {to_backup}},
          // first lower advert opens a 5 s window ending at 6 s; adverts inside it count
          {1'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 1'000'000 + p200_down, none},
          {2'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 2'000'000 + p200_down, none},
          {3'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 3'000'000 + p200_down, none},
          {4'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 4'000'000 + p200_down, none},
          {5'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 5'000'000 + p200_down, none},
          {5'999'999, Op::advert, adv(peer_high, 100), 0, State::backup, 5'999'999 + p200_down, none},
          // window over: lower adverts are ignored and Master_Down runs out
          {6'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 5'999'999 + p200_down, none},
          {7'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 5'999'999 + p200_down, none},
          {5'999'998 + p200_down, Op::timer, {}, 0, State::backup, 5'999'999 + p200_down, none},
          {5'999'999 + p200_down, Op::timer, {}, 0, State::master, 6'999'999 + p200_down,
           {advert(200), garp, to_master}}}},
        {"PreemptDelayWindowClosesOnAHigherMaster", make_config(2, 200, 100, true, 5'000'000),
         {{0, Op::start, {}, 0, State::backup, p200_down, {to_backup}},
          {1'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 1'000'000 + p200_down, none},
          {2'000'000, Op::advert, adv(peer_high, 250), 0, State::backup, 2'000'000 + p200_down, none},
          // a new window opens at 3 s (until 8 s): lower adverts count again
          {3'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 3'000'000 + p200_down, none},
          {7'999'999, Op::advert, adv(peer_high, 100), 0, State::backup, 7'999'999 + p200_down, none},
          {8'000'000, Op::advert, adv(peer_high, 100), 0, State::backup, 7'999'999 + p200_down, none}}},
        {"MasterAnswersALowerAdvertAtOnce", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {v2_down + 300, Op::advert, adv(peer_high, 50), 0, State::master, v2_down + 300 + 1'000'000,
           {advert(100)}}}},
        {"MasterAnswersPriorityZeroAtOnce", make_config(3, 255, 100),
         {{0, Op::start, {}, 0, State::master, 1'000'000, {advert(255), garp, to_master}},
          {400'000, Op::advert, adv(peer_high, 0), 0, State::master, 1'400'000, {advert(255)}}}},
        {"MasterYieldsToHigherPriorityAndAdoptsItsInterval", make_config(3, 100, 100),
         {{0, Op::start, {}, 0, State::backup, 3'609'375, {to_backup}},
          {3'609'375, Op::timer, {}, 0, State::master, 4'609'375, takeover_v},
          {4'000'000, Op::advert, adv(peer_low, 150, 50), 0, State::backup, 4'000'000 + 1'804'687, {to_backup}}}},
        {"EqualPriorityHigherPeerAddressWins", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {v2_down + 10, Op::advert, adv(peer_high, 100), 0, State::backup, 2 * v2_down + 10, {to_backup}}}},
        {"EqualPriorityUnsignedAddressCompare", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {v2_down + 10, Op::advert, adv(peer_very_high, 100), 0, State::backup, 2 * v2_down + 10, {to_backup}}}},
        {"EqualPriorityLowerPeerAddressLoses", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {v2_down + 10, Op::advert, adv(peer_low, 100), 0, State::master, v2_down + 1'000'010, {advert(100)}}}},
        {"MasterShutdownSendsPriorityZero", make_config(3, 255, 100),
         {{0, Op::start, {}, 0, State::master, 1'000'000, {advert(255), garp, to_master}},
          {500'000, Op::shutdown, {}, 0, State::init, std::nullopt, {advert(0), to_init}},
          {600'000, Op::advert, adv(peer_low, 100), 0, State::init, std::nullopt, none},
          {700'000, Op::start, {}, 0, State::master, 1'700'000, {advert(255), garp, to_master}}}},
        {"BackupShutdownIsSilent", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {100, Op::shutdown, {}, 0, State::init, std::nullopt, {to_init}},
          {v2_down, Op::timer, {}, 0, State::init, std::nullopt, none}}},
        {"FaultResignsAndRecoveryReturnsToBackup", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {4'000'000, Op::fault, {}, 0, State::fault, std::nullopt, {advert(0), to_fault}},
          {4'500'000, Op::advert, adv(peer_low, 200), 0, State::fault, std::nullopt, none},
          {5'000'000, Op::recover, {}, 0, State::backup, 5'000'000 + v2_down, {to_backup}}}},
        {"LoweredPriorityOnMasterIsAdvertisedAtOnce", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {4'000'000, Op::priority, {}, 60, State::master, 5'000'000, {advert(60)}},
          {4'100'000, Op::advert, adv(peer_low, 80), 0, State::backup, 4'100'000 + 3'765'625, {to_backup}}}},
        // sync groups
        {"ForceMasterTakesOverLikeATimeout", make_config(2, 100, 100),
         {{0, Op::force_master, {}, 0, State::init, std::nullopt, none},
          {0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {1'000'000, Op::force_master, {}, 0, State::master, 2'000'000, takeover_v},
          {1'500'000, Op::force_master, {}, 0, State::master, 2'000'000, none},
          {2'000'000, Op::timer, {}, 0, State::master, 3'000'000, {advert(100)}}}},
        {"ForceBackupStepsDownWithoutPriorityZero", make_config(2, 100, 100),
         {{0, Op::start, {}, 0, State::backup, v2_down, {to_backup}},
          {10, Op::force_backup, {}, 0, State::backup, v2_down, none},
          {v2_down, Op::timer, {}, 0, State::master, v2_down + 1'000'000, takeover_v},
          {4'000'000, Op::force_backup, {}, 0, State::backup, 4'000'000 + v2_down, {to_backup}},
          {4'000'000 + v2_down, Op::timer, {}, 0, State::master, 5'000'000 + v2_down, takeover_v}}},
        {"ForcingIsIgnoredInFault", make_config(3, 255, 100),
         {{0, Op::start, {}, 0, State::master, 1'000'000, {advert(255), garp, to_master}},
          {10, Op::fault, {}, 0, State::fault, std::nullopt, {advert(0), to_fault}},
          {20, Op::force_master, {}, 0, State::fault, std::nullopt, none},
          {30, Op::force_backup, {}, 0, State::fault, std::nullopt, none}}},
    };
}

class StateMachineScenario : public ::testing::TestWithParam<Scenario> {};

TEST_P(StateMachineScenario, Runs) {
    const Scenario& sc = GetParam();
    Instance inst(sc.cfg);
    EXPECT_EQ(inst.state(), State::init);
    EXPECT_FALSE(inst.next_deadline().has_value());
    for (std::size_t i = 0; i < sc.steps.size(); ++i) {
        const Step& st = sc.steps[i];
        SCOPED_TRACE("step " + std::to_string(i) + " at " + std::to_string(st.at_us) + " us");
        Actions out;
        switch (st.op) {
            case Op::start: out = inst.start(st.at_us); break;
            case Op::advert: out = inst.on_advert(st.at_us, st.adv); break;
            case Op::timer: out = inst.on_timer(st.at_us); break;
            case Op::shutdown: out = inst.shutdown(st.at_us); break;
            case Op::priority: out = inst.set_priority(st.at_us, st.prio); break;
            case Op::fault: out = inst.set_fault(st.at_us, true); break;
            case Op::recover: out = inst.set_fault(st.at_us, false); break;
            case Op::force_master: out = inst.force_master(st.at_us); break;
            case Op::force_backup: out = inst.force_backup(st.at_us); break;
        }
        std::vector<Action> got;
        for (const auto& a : out.items)
            if (a.kind != K::log) got.push_back(a);
        EXPECT_EQ(got, st.expect);
        EXPECT_EQ(inst.state(), st.expect_state) << to_string(inst.state());
        EXPECT_EQ(inst.next_deadline(), st.expect_deadline);
    }
}

INSTANTIATE_TEST_SUITE_P(Rfc5798, StateMachineScenario, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& p) { return std::string(p.param.name); });

// ---- log lines and details -------------------------------------------------

TEST(VrrpStateMachine, TimerValuesComeFromTimersH) {
    Instance v2(make_config(2, 100, 100));
    EXPECT_EQ(v2.master_down_us(), v2_timers(100, 1).master_down_us);
    EXPECT_EQ(v2.skew_us(), v2_timers(100, 1).skew_us);
    Instance v3(make_config(3, 100, 10));
    EXPECT_EQ(v3.master_down_us(), v3_timers(100, 10).master_down_us);
    EXPECT_EQ(v3.master_adver_interval_cs(), 10u);
}

TEST(VrrpStateMachine, LogsInKeepalivedPhrasing) {
    Instance inst(make_config(2, 100, 100));
    EXPECT_EQ(inst.start(0).logs(), std::vector<std::string>{"(VI_1) Entering BACKUP STATE"});
    auto up = inst.on_timer(3'609'375);
    ASSERT_FALSE(up.logs().empty());
    EXPECT_EQ(up.logs().back(), "(VI_1) Entering MASTER STATE");
    EXPECT_EQ(up.count(K::send_garp), 1u);
    auto lower = inst.on_advert(4'000'000, adv(ip(192, 168, 1, 7), 50));
    EXPECT_EQ(lower.logs(), std::vector<std::string>{
                                "(VI_1) Received advert from 192.168.1.7 with lower priority 50, ours 100, "
                                "forcing new election"});
    EXPECT_EQ(lower.advert_priority(), std::optional<std::uint8_t>{100});
    auto down = inst.on_advert(4'100'000, adv(ip(192, 168, 1, 8), 150));
    EXPECT_EQ(down.logs().back(), "(VI_1) Entering BACKUP STATE");
}

TEST(VrrpStateMachine, ForcedTransitionsLogLikeKeepalived) {
    Instance inst(make_config(2, 100, 100));
    inst.start(0);
    EXPECT_EQ(inst.force_master(1).logs(), std::vector<std::string>{"(VI_1) Entering MASTER STATE"});
    EXPECT_EQ(inst.force_backup(2).logs(), std::vector<std::string>{"(VI_1) Entering BACKUP STATE"});
}

TEST(VrrpStateMachine, MasterIgnoresItsOwnLoopedAdvert) {
    Instance inst(make_config(3, 255, 100));
    inst.start(0);
    EXPECT_TRUE(inst.on_advert(10, adv(ours, 255)).empty());
    EXPECT_EQ(inst.state(), State::master);
}

TEST(VrrpStateMachine, FaultBeforeStartEntersFault) {
    Instance inst(make_config(2, 100, 100));
    EXPECT_TRUE(inst.set_fault(0, true).empty());
    EXPECT_TRUE(inst.start(0).contains(K::become_fault));
    EXPECT_EQ(inst.state(), State::fault);
    EXPECT_FALSE(inst.next_deadline().has_value());
}

TEST(VrrpStateMachine, OwnerKeeps255AndAcceptsTraffic) {
    Instance inst(make_config(3, 255, 100));
    inst.start(0);
    EXPECT_TRUE(inst.set_priority(1, 100).empty());
    EXPECT_EQ(inst.effective_priority(), 255);
    EXPECT_TRUE(inst.accepts_vip_traffic());
    Instance backup(make_config(3, 100, 100));
    backup.start(0);
    EXPECT_FALSE(backup.accepts_vip_traffic());
}

TEST(VrrpStateMachine, RejectsInvalidConfig) {
    EXPECT_THROW(Instance(make_config(4, 100, 100)), std::invalid_argument);
    EXPECT_THROW(Instance(make_config(3, 0, 100)), std::invalid_argument);
    EXPECT_THROW(Instance(make_config(3, 100, 0)), std::invalid_argument);
    EXPECT_THROW(Instance(make_config(3, 100, 4096)), std::invalid_argument);
    EXPECT_THROW(Instance(make_config(2, 100, 150)), std::invalid_argument);
}

}  // namespace
}  // namespace sluice::vrrp
