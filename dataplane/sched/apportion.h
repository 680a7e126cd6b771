#pragma once
// Splitting a table's slots among backends in proportion to their weights:
// the quotas behind the sh and mh tables.

#include <cstdint>
#include <span>
#include <vector>

namespace sluice::dataplane::sched {

// Splits `total` slots among members with the given weights (each > 0, at most
// kMaxBackends of them, total <= 2^24). Every member gets floor(ideal) or
// ceil(ideal) slots where ideal = total * weight / sum(weights), so no share is
// a whole slot off its ideal (the largest-remainder, or Hamilton, method).
//
// The total - sum(floor) members that get ceil are chosen, in order:
//   1. members already holding at least ceil (`held`, when given: what each
//      member owns in the table being updated), so they need not give one up;
//   2. larger remainder first;
//   3. lower index first.
// With `held` empty this is plain Hamilton apportionment with ties to the lower
// index. Returns an empty vector when `weights` is empty.
std::vector<std::uint32_t> apportion(std::span<const std::uint32_t> weights, std::uint32_t total,
                                     std::span<const std::uint32_t> held = {});

}  // namespace sluice::dataplane::sched
