#pragma once
// keepalived-style vrrp_sync_group decisions, pure: the members of a group move
// together, so that e.g. the outside and inside VIPs of a NAT balancer are
// always on the same node.
//
// The caller owns the Instances. After any member changes state (whatever the
// cause: timer, advert, tracking, or an action from here) it calls
// sync_group_decide() with that transition and the members' states *after*
// it, carries out the returned actions on the Instances in order, and feeds
// each resulting transition back in. Rules (keepalived 2.2.7 vrrp_sync.c):
//  - A member enters MASTER: every other member in BACKUP -> force_master.
//  - A member leaves MASTER for BACKUP (it lost an election or stepped down):
//    every other member in MASTER -> force_backup.
//  - A member enters BACKUP from INIT or FAULT while another member is MASTER:
//    that member -> force_master (the group is master, it joins).
//  - A member enters FAULT: every other member not in FAULT -> set_fault (an
//    INIT member then starts in FAULT). The group is in fault while any member
//    has its own fault (`own_fault`: its tracking says so, not the group).
//  - A member leaves FAULT: if another member still has its own fault, it is
//    put back (set_fault on itself; use held_by_group() first to avoid that
//    flap). Otherwise every other member in FAULT -> clear_fault, and the rules
//    above apply to the state it entered.
//  - Entering INIT (shutdown) does nothing.
// No loops: every command is only issued to a member not already in the state
// it asks for, so the transition a command causes produces no command for the
// member that caused it (tests/sync_group_test.cpp drives this to a fixpoint).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "vrrp/state_machine.h"

namespace sluice::vrrp {

struct SyncMember {
    State state = State::init;
    bool own_fault = false;  // its own tracking faults it (as opposed to the group)
};

enum class SyncAction : std::uint8_t {
    force_master,  // Instance::force_master
    force_backup,  // Instance::force_backup
    set_fault,     // Instance::set_fault(now, true): held in fault by the group
    clear_fault,   // Instance::set_fault(now, false): the group left fault
};

std::string_view to_string(SyncAction c);

struct SyncDecision {
    std::size_t member;
    SyncAction what;

    bool operator==(const SyncDecision&) const = default;
};

struct SyncTransition {
    std::size_t member;
    State from;
    State to;
};

std::vector<SyncDecision> sync_group_decide(std::span<const SyncMember> members,
                                            const SyncTransition& t);

// True when another member has its own fault, so `member` must stay in FAULT
// even if its own tracking recovered.
bool held_by_group(std::span<const SyncMember> members, std::size_t member);

}  // namespace sluice::vrrp
