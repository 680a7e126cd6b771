#pragma once
// "did you mean ...?" for unknown keys: the closest valid key by edit
// distance, plus keepalived spellings that map to a different sluice key.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sluice::config {

// Optimal-string-alignment distance (insertions, deletions, substitutions and
// swaps of two neighbours each cost 1), ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate an operator most likely meant by `key`, or nullopt when none
// is close enough to be a plausible typo.
std::optional<std::string> closest_key(std::string_view key,
                                       std::span<const std::string_view> candidates);

}  // namespace sluice::config
