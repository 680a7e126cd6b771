#pragma once
// Bringing the EAL up and down. Shared by the daemon's Dataplane, benchmarks
// and tools so every process cleans up the same way.

#include <string>
#include <vector>

namespace sluice::dataplane {

// rte_eal_init with private copies of `args` (args[0] is the program name).
// Returns false with `error` set on failure. Once per process.
bool eal_init(const std::vector<std::string>& args, std::string& error);

// rte_eal_cleanup, then removes the (empty) runtime directory the EAL made, so a
// stopped process leaves no files behind.
void eal_cleanup();

}  // namespace sluice::dataplane
