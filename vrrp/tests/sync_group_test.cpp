#include "vrrp/sync_group.h"

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::vrrp {
namespace {

using C = SyncAction;
using Acts = std::vector<SyncDecision>;

SyncMember m(State s, bool own_fault = false) {
    return {s, own_fault};
}

// ---- the decision alone --------------------------------------------------------

struct DecisionCase {
    const char* name;
    std::vector<SyncMember> members;  // after the transition
    SyncTransition t;
    Acts expect;
};

std::ostream& operator<<(std::ostream& os, const DecisionCase& c) {
    return os << c.name;
}

std::vector<DecisionCase> decision_cases() {
    using S = State;
    return {
        {"OneMasterAllMaster",
         {m(S::master), m(S::backup), m(S::backup)},
         {0, S::backup, S::master},
         {{1, C::force_master}, {2, C::force_master}}},
        {"OwnerStartingAsMasterPullsBackups",
         {m(S::backup), m(S::master), m(S::init)},
         {1, S::init, S::master},
         {{0, C::force_master}}},
        {"OneSteppingDownAllBackup",
         {m(S::master), m(S::backup), m(S::master)},
         {1, S::master, S::backup},
         {{0, C::force_backup}, {2, C::force_backup}}},
        {"StartingInBackupJoinsAMasterGroup",
         {m(S::master), m(S::backup)},
         {1, S::init, S::backup},
         {{1, C::force_master}}},
        {"StartingInBackupInABackupGroup",
         {m(S::backup), m(S::backup)},
         {1, S::init, S::backup},
         {}},
        {"OneFaultAllFault",
         {m(S::master), m(S::fault, true), m(S::backup), m(S::init)},
         {1, S::master, S::fault},
         {{0, C::set_fault}, {2, C::set_fault}, {3, C::set_fault}}},
        {"RecoveryClearsTheOthers",
         {m(S::fault), m(S::backup), m(S::fault)},
         {1, S::fault, S::backup},
         {{0, C::clear_fault}, {2, C::clear_fault}}},
        {"RecoveryAsOwnerClearsThenPulls",
         {m(S::fault), m(S::master), m(S::backup)},
         {1, S::fault, S::master},
         {{0, C::clear_fault}, {2, C::force_master}}},
        {"RecoveryWhileAnotherIsStillFaultyIsUndone",
         {m(S::fault), m(S::backup), m(S::fault, true)},
         {1, S::fault, S::backup},
         {{1, C::set_fault}}},
        {"ForcedMasterDoesNotRetrigger",
         {m(S::master), m(S::master), m(S::master)},
         {2, S::backup, S::master},
         {}},
        {"ForcedBackupDoesNotRetrigger",
         {m(S::backup), m(S::backup)},
         {0, S::master, S::backup},
         {}},
        {"ForcedFaultDoesNotRetrigger",
         {m(S::fault, true), m(S::fault)},
         {1, S::backup, S::fault},
         {}},
        {"ShutdownDoesNothing", {m(S::master), m(S::init)}, {1, S::master, S::init}, {}},
        {"NoChangeDoesNothing", {m(S::master), m(S::backup)}, {0, S::master, S::master}, {}},
        {"MemberOutOfRange", {m(S::master), m(S::backup)}, {5, S::backup, S::master}, {}},
        {"SingleMemberGroup", {m(S::master)}, {0, S::backup, S::master}, {}},
    };
}

class SyncRules : public ::testing::TestWithParam<DecisionCase> {};

TEST_P(SyncRules, Decides) {
    const DecisionCase& c = GetParam();
    EXPECT_EQ(sync_group_decide(c.members, c.t), c.expect);
}

INSTANTIATE_TEST_SUITE_P(Keepalived, SyncRules, ::testing::ValuesIn(decision_cases()),
                         [](const ::testing::TestParamInfo<DecisionCase>& p) {
                             return std::string(p.param.name);
                         });

TEST(VrrpSyncGroup, HeldByGroup) {
    const std::vector<SyncMember> g = {m(State::fault, true), m(State::fault), m(State::fault)};
    EXPECT_FALSE(held_by_group(g, 0));
    EXPECT_TRUE(held_by_group(g, 1));
    EXPECT_TRUE(held_by_group(g, 2));
}

TEST(VrrpSyncGroup, CommandNames) {
    EXPECT_EQ(to_string(C::force_master), "force_master");
    EXPECT_EQ(to_string(C::force_backup), "force_backup");
    EXPECT_EQ(to_string(C::set_fault), "set_fault");
    EXPECT_EQ(to_string(C::clear_fault), "clear_fault");
}

// ---- driven to a fixpoint over real Instances ------------------------------------

common::Ipv4Addr addr(std::uint8_t last) {
    return common::Ipv4Addr{0x0a000000u | last};
}

Config member_config(std::uint8_t vrid, std::uint8_t priority) {
    Config c;
    c.name = "VI_" + std::to_string(vrid);
    c.vrid = vrid;
    c.version = 3;
    c.priority = priority;
    c.advert_interval_cs = 100;
    c.primary_address = addr(5);
    return c;
}

// What a control plane does: every transition is fed back, every command applied,
// until nothing changes. Counts commands that changed nothing (there must be none).
class Group {
  public:
    explicit Group(const std::vector<std::uint8_t>& priorities) {
        for (std::size_t i = 0; i < priorities.size(); ++i) {
            inst_.emplace_back(member_config(static_cast<std::uint8_t>(i + 1), priorities[i]));
            own_fault_.push_back(false);
        }
    }

    std::vector<SyncMember> view() const {
        std::vector<SyncMember> v;
        for (std::size_t i = 0; i < inst_.size(); ++i)
            v.push_back({inst_[i].state(), own_fault_[i]});
        return v;
    }

    // Runs `event` on member i, then the group until it settles.
    void on(std::size_t i, const std::function<Actions(Instance&)>& event) {
        const State before = inst_[i].state();
        event(inst_[i]);
        settle({i, before, inst_[i].state()});
    }

    void start_all() {
        for (std::size_t i = 0; i < inst_.size(); ++i)
            on(i, [&](Instance& x) { return x.start(now_); });
    }
    void own_fault(std::size_t i, bool f) {
        own_fault_[i] = f;
        if (!f && held_by_group(view(), i))
            return;  // stays held; nothing to do
        on(i, [&](Instance& x) { return x.set_fault(now_, f); });
    }

    State state(std::size_t i) const { return inst_[i].state(); }
    Instance& instance(std::size_t i) { return inst_[i]; }
    std::size_t commands() const { return commands_; }
    std::size_t wasted() const { return wasted_; }
    std::uint64_t now_ = 1'000;

  private:
    void settle(SyncTransition first) {
        std::deque<SyncTransition> queue{first};
        std::size_t rounds = 0;
        while (!queue.empty()) {
            ASSERT_LT(++rounds, 100u) << "sync group does not settle";
            const SyncTransition t = queue.front();
            queue.pop_front();
            for (const SyncDecision& a : sync_group_decide(view(), t)) {
                Instance& x = inst_[a.member];
                const State before = x.state();
                switch (a.what) {
                    case C::force_master:
                        x.force_master(now_);
                        break;
                    case C::force_backup:
                        x.force_backup(now_);
                        break;
                    case C::set_fault:
                        x.set_fault(now_, true);
                        break;
                    case C::clear_fault:
                        x.set_fault(now_, false);
                        break;
                }
                ++commands_;
                if (x.state() == before) {
                    // set_fault on a member still in INIT only arms it: not wasted.
                    if (!(a.what == C::set_fault && before == State::init))
                        ++wasted_;
                } else {
                    queue.push_back({a.member, before, x.state()});
                }
            }
        }
    }

    std::vector<Instance> inst_;
    std::vector<bool> own_fault_;
    std::size_t commands_ = 0;
    std::size_t wasted_ = 0;
};

ReceivedAdvert higher(std::uint8_t p) {
    return {addr(9), p, 100};
}

TEST(VrrpSyncGroupDriven, TakeoverPullsEveryMember) {
    Group g({100, 100, 100});
    g.start_all();
    ASSERT_EQ(g.state(0), State::backup);
    g.now_ = 5'000'000;
    g.on(1, [&](Instance& x) { return x.on_timer(g.now_); });
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(g.state(i), State::master) << i;
    EXPECT_EQ(g.commands(), 2u);
    EXPECT_EQ(g.wasted(), 0u);
}

TEST(VrrpSyncGroupDriven, LosingAnElectionPushesEveryMemberBack) {
    Group g({100, 100, 100});
    g.start_all();
    g.now_ = 5'000'000;
    g.on(0, [&](Instance& x) { return x.on_timer(g.now_); });
    g.on(2, [&](Instance& x) { return x.on_advert(g.now_ + 10, higher(200)); });
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(g.state(i), State::backup) << i;
    EXPECT_EQ(g.wasted(), 0u);
}

TEST(VrrpSyncGroupDriven, OneFaultFaultsAllAndRecoveryReleasesAll) {
    Group g({255, 100});  // member 0 owns its address
    g.start_all();
    EXPECT_EQ(g.state(0), State::master);
    EXPECT_EQ(g.state(1), State::master);  // joined the master group
    g.own_fault(1, true);
    EXPECT_EQ(g.state(0), State::fault);
    EXPECT_EQ(g.state(1), State::fault);
    g.own_fault(1, false);
    EXPECT_EQ(g.state(0), State::master);  // the owner comes back as master...
    EXPECT_EQ(g.state(1), State::master);  // ...and pulls the other member
    EXPECT_EQ(g.wasted(), 0u);
}

TEST(VrrpSyncGroupDriven, GroupStaysInFaultUntilTheLastOwnFaultClears) {
    Group g({100, 100, 100});
    g.start_all();
    g.own_fault(0, true);
    g.own_fault(1, true);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(g.state(i), State::fault) << i;
    g.own_fault(0, false);  // held: 1 still faulty
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(g.state(i), State::fault) << i;
    g.own_fault(1, false);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(g.state(i), State::backup) << i;
    EXPECT_EQ(g.wasted(), 0u);
}

TEST(VrrpSyncGroupDriven, UnheldRecoveryIsUndone) {
    Group g({100, 100});
    g.start_all();
    g.own_fault(0, true);
    g.own_fault(1, true);
    // A caller that skips held_by_group(): member 0 comes out, and is put back.
    g.on(0, [&](Instance& x) { return x.set_fault(g.now_, false); });
    EXPECT_EQ(g.state(0), State::fault);
    EXPECT_EQ(g.state(1), State::fault);
}

TEST(VrrpSyncGroupDriven, FaultBeforeStartKeepsLateMembersInFault) {
    Group g({100, 100});
    g.on(0, [&](Instance& x) { return x.start(g.now_); });
    g.own_fault(0, true);
    EXPECT_EQ(g.state(0), State::fault);
    g.on(1, [&](Instance& x) { return x.start(g.now_); });
    EXPECT_EQ(g.state(1), State::fault);  // armed by set_fault while in INIT
    g.own_fault(0, false);
    EXPECT_EQ(g.state(0), State::backup);
    EXPECT_EQ(g.state(1), State::backup);
}

}  // namespace
}  // namespace sluice::vrrp
