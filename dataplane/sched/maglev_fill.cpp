#include "dataplane/sched/maglev_fill.h"

#include <algorithm>
#include <cassert>
#include <queue>
#include <vector>

#include "dataplane/sched/maglev_table.h"

namespace sluice::dataplane::sched {
namespace {

// One member's progress through its permutation (the paper's next[i]).
struct Walker {
    std::uint32_t position = 0;  // next slot of its permutation to try
    std::uint32_t skip = 1;
    std::uint32_t left = 0;  // need still open
    std::uint32_t weight = 1;
    std::uint16_t backend = 0;
};

// Members of one weight share every virtual time k / weight, so they take
// their turns together: a round in index order. [begin, end) of the sorted
// walkers; members whose need is met are compacted out of the range.
struct WeightClass {
    std::uint32_t weight = 1;
    std::uint32_t rounds = 0;  // rounds taken; the next is at (rounds + 1) / weight
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Claims the first free slot at or after the walker's position in its
// permutation. At most one lap: a full lap finding nothing means the needs
// exceeded the free slots (a broken precondition): give up on this member.
void claim(std::span<std::uint16_t> slots, Walker& w) {
    const auto table_size = static_cast<std::uint32_t>(slots.size());
    for (std::uint32_t steps = 0; steps < table_size; ++steps) {
        if (slots[w.position] == MaglevTable::kEmptySlot) {
            slots[w.position] = w.backend;
            --w.left;
            return;
        }
        w.position += w.skip;
        if (w.position >= table_size) {
            w.position -= table_size;
        }
    }
    assert(false && "needs exceed the free slots");
    w.left = 0;
}

}  // namespace

void fill_maglev_slots(std::span<std::uint16_t> slots, std::span<const MaglevFiller> fillers) {
    std::vector<Walker> walkers;
    walkers.reserve(fillers.size());
    for (const MaglevFiller& f : fillers) {
        if (f.need > 0) {
            walkers.push_back(
                Walker{f.permutation.offset, f.permutation.skip, f.need, f.weight, f.backend});
        }
    }
    // Heavier classes first, each in index order.
    std::sort(walkers.begin(), walkers.end(), [](const Walker& a, const Walker& b) {
        return a.weight != b.weight ? a.weight > b.weight : a.backend < b.backend;
    });
    std::vector<WeightClass> classes;
    for (std::size_t i = 0; i < walkers.size(); ++i) {
        if (classes.empty() || classes.back().weight != walkers[i].weight) {
            classes.push_back(WeightClass{walkers[i].weight, 0, i, i});
        }
        classes.back().end = i + 1;
    }
    // Min-heap on the next round's virtual time (rounds + 1) / weight; at
    // equal times the heavier class first. Products < 2^21 * 2^17.
    const auto later = [&classes](std::size_t a, std::size_t b) {
        const std::uint64_t ta = std::uint64_t{classes[a].rounds + 1} * classes[b].weight;
        const std::uint64_t tb = std::uint64_t{classes[b].rounds + 1} * classes[a].weight;
        return ta != tb ? ta > tb : classes[a].weight < classes[b].weight;
    };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> queue(later);
    for (std::size_t c = 0; c < classes.size(); ++c) {
        queue.push(c);
    }
    while (!queue.empty()) {
        const std::size_t c = queue.top();
        queue.pop();
        WeightClass& wc = classes[c];
        std::size_t kept = wc.begin;
        for (std::size_t i = wc.begin; i < wc.end; ++i) {
            claim(slots, walkers[i]);
            if (walkers[i].left > 0) {
                walkers[kept++] = walkers[i];
            }
        }
        wc.end = kept;
        ++wc.rounds;
        if (wc.end > wc.begin) {
            queue.push(c);
        }
    }
}

}  // namespace sluice::dataplane::sched
