#include "vrrp/sync_group.h"

namespace sluice::vrrp {
namespace {

void for_others(std::span<const SyncMember> members, std::size_t self, State in, SyncAction c,
                std::vector<SyncDecision>& out) {
    for (std::size_t j = 0; j < members.size(); ++j) {
        if (j != self && members[j].state == in)
            out.push_back({j, c});
    }
}

bool another_is(std::span<const SyncMember> members, std::size_t self, State s) {
    for (std::size_t j = 0; j < members.size(); ++j) {
        if (j != self && members[j].state == s)
            return true;
    }
    return false;
}

}  // namespace

std::string_view to_string(SyncAction c) {
    switch (c) {
        case SyncAction::force_master:
            return "force_master";
        case SyncAction::force_backup:
            return "force_backup";
        case SyncAction::set_fault:
            return "set_fault";
        case SyncAction::clear_fault:
            return "clear_fault";
    }
    return "unknown";
}

bool held_by_group(std::span<const SyncMember> members, std::size_t member) {
    for (std::size_t j = 0; j < members.size(); ++j) {
        if (j != member && members[j].own_fault)
            return true;
    }
    return false;
}

std::vector<SyncDecision> sync_group_decide(std::span<const SyncMember> members,
                                            const SyncTransition& t) {
    std::vector<SyncDecision> out;
    if (t.member >= members.size() || t.from == t.to || t.to == State::init)
        return out;

    if (t.to == State::fault) {
        for (std::size_t j = 0; j < members.size(); ++j) {
            if (j != t.member && members[j].state != State::fault) {
                out.push_back({j, SyncAction::set_fault});
            }
        }
        return out;
    }

    if (t.from == State::fault) {
        if (held_by_group(members, t.member)) {
            out.push_back({t.member, SyncAction::set_fault});
            return out;
        }
        for_others(members, t.member, State::fault, SyncAction::clear_fault, out);
    }

    if (t.to == State::master) {
        for_others(members, t.member, State::backup, SyncAction::force_master, out);
    } else if (t.from == State::master) {  // to backup
        for_others(members, t.member, State::master, SyncAction::force_backup, out);
    } else if (another_is(members, t.member, State::master)) {  // to backup from init or fault
        out.push_back({t.member, SyncAction::force_master});
    }
    return out;
}

}  // namespace sluice::vrrp
