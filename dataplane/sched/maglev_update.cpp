// update_maglev: move only the slots that must move (see maglev.h).

#include <algorithm>
#include <utility>
#include <vector>

#include "dataplane/sched/apportion.h"
#include "dataplane/sched/maglev.h"
#include "dataplane/sched/maglev_fill.h"
#include "dataplane/sched/validate.h"

namespace sluice::dataplane::sched {
namespace {

constexpr std::uint32_t kNotMember = 0xffff'ffff;

std::optional<BuildError> validate_list(BackendList list) {
    if (auto error = validate_backends(list.info)) {
        return error;
    }
    return validate_keys(list.info, list.keys);
}

// For each index of `prior`, the member number in `next` of the backend with
// the same key, or kNotMember when it is gone or no longer eligible.
std::vector<std::uint32_t> match_members(BackendList prior, BackendList next,
                                         std::span<const std::uint32_t> member_of) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_key;
    by_key.reserve(next.keys.size());
    for (std::size_t j = 0; j < next.keys.size(); ++j) {
        by_key.emplace_back(next.keys[j], static_cast<std::uint32_t>(j));
    }
    std::sort(by_key.begin(), by_key.end());
    std::vector<std::uint32_t> result(prior.keys.size(), kNotMember);
    for (std::size_t o = 0; o < prior.keys.size(); ++o) {
        const auto it = std::lower_bound(by_key.begin(), by_key.end(),
                                         std::pair{prior.keys[o], std::uint32_t{0}});
        if (it != by_key.end() && it->first == prior.keys[o]) {
            result[o] = member_of[it->second];
        }
    }
    return result;
}

}  // namespace

BuildResult<MaglevUpdate> update_maglev(const MaglevTable& previous, BackendList prior,
                                        BackendList next) {
    if (auto error = validate_list(prior)) {
        return *error;
    }
    if (auto error = validate_list(next)) {
        return *error;
    }
    const std::uint32_t table_size = previous.size();
    if (table_size == 0) {
        return BuildError::kPreviousTableMismatch;
    }
    if (auto error = validate_maglev_table_size(table_size)) {
        return *error;
    }
    const std::span<const std::uint16_t> old_slots = previous.slots();
    for (const std::uint16_t owner : old_slots) {
        if (owner != MaglevTable::kEmptySlot && owner >= prior.info.size()) {
            return BuildError::kPreviousTableMismatch;
        }
    }

    // Members of the new table: the eligible backends of `next`.
    std::vector<std::uint32_t> member_of(next.info.size(), kNotMember);
    std::vector<MaglevFiller> fillers;
    std::vector<std::uint32_t> weights;
    for (std::size_t j = 0; j < next.info.size(); ++j) {
        if (is_eligible(next.info[j])) {
            member_of[j] = static_cast<std::uint32_t>(fillers.size());
            MaglevFiller f;
            f.backend = static_cast<std::uint16_t>(j);
            f.weight = next.info[j].weight;
            f.permutation = maglev_permutation(next.keys[j], table_size);
            fillers.push_back(f);
            weights.push_back(f.weight);
        }
    }
    const std::vector<std::uint32_t> old_to_member = match_members(prior, next, member_of);

    // Step 1: every slot keeps its owner if the owner is still a member.
    const std::size_t members = fillers.size();
    std::vector<std::uint16_t> slots(table_size, MaglevTable::kEmptySlot);
    std::vector<std::uint32_t> slot_member(table_size, kNotMember);
    std::vector<std::uint32_t> held(members, 0);
    for (std::uint32_t s = 0; s < table_size; ++s) {
        if (old_slots[s] == MaglevTable::kEmptySlot) {
            continue;
        }
        const std::uint32_t m = old_to_member[old_slots[s]];
        if (m != kNotMember) {
            slots[s] = fillers[m].backend;
            slot_member[s] = m;
            ++held[m];
        }
    }
    const std::vector<std::uint32_t> share = apportion(weights, table_size, held);

    // An owner over its share gives up the slots latest in its own
    // permutation, keeping those it would have claimed first. Slots are
    // grouped by member first (a counting sort), so this is O(M) overall.
    std::vector<std::uint32_t> group_start(members + 1, 0);
    for (std::uint32_t s = 0; s < table_size; ++s) {
        if (slot_member[s] != kNotMember) {
            ++group_start[slot_member[s] + 1];
        }
    }
    for (std::size_t m = 0; m < members; ++m) {
        group_start[m + 1] += group_start[m];
    }
    std::vector<std::uint32_t> grouped(group_start[members]);
    {
        std::vector<std::uint32_t> cursor(group_start.begin(), group_start.end() - 1);
        for (std::uint32_t s = 0; s < table_size; ++s) {
            if (slot_member[s] != kNotMember) {
                grouped[cursor[slot_member[s]]++] = s;
            }
        }
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ranked;  // (rank, slot)
    for (std::uint32_t m = 0; m < members; ++m) {
        if (held[m] <= share[m]) {
            continue;
        }
        const MaglevPermutation& p = fillers[m].permutation;
        const std::uint64_t inverse = pow_mod(p.skip, table_size - 2, table_size);
        ranked.clear();
        for (std::uint32_t k = group_start[m]; k < group_start[m + 1]; ++k) {
            ranked.emplace_back(maglev_rank(p, inverse, grouped[k], table_size), grouped[k]);
        }
        const std::uint32_t surplus = held[m] - share[m];
        std::nth_element(ranked.begin(), ranked.begin() + surplus, ranked.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        for (std::uint32_t k = 0; k < surplus; ++k) {
            slots[ranked[k].second] = MaglevTable::kEmptySlot;
        }
        held[m] = share[m];
    }

    // Step 2: members below their share refill the free slots.
    for (std::uint32_t m = 0; m < members; ++m) {
        fillers[m].need = share[m] - held[m];
    }
    fill_maglev_slots(slots, fillers);

    MaglevUpdate update;
    for (std::uint32_t s = 0; s < table_size; ++s) {
        if (slots[s] != old_slots[s]) {
            update.changes.push_back(MaglevSlotChange{s, slots[s]});
        }
    }
    update.table = MaglevTable(std::move(slots));
    return update;
}

}  // namespace sluice::dataplane::sched
