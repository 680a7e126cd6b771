#pragma once
// One service's scheduler: built by the control plane from the backend list,
// immutable afterwards and shared by every worker (published by RCU with the
// rest of the dataplane snapshot); each worker picks with its own
// SchedulerState and connection counts (PickContext).
//
//   auto built = ServiceScheduler::build(Algorithm::kMaglev, backends, keys);
//   if (!built) { report(build_error_name(built.error())); }
//   ...
//   std::uint32_t backend = built->pick(ctx, flow);  // worker: O(1) or O(N)
//
// The pick path never allocates, locks, throws or reads a clock.

#include <cstdint>
#include <span>
#include <vector>

#include "dataplane/sched/algorithm.h"
#include "dataplane/sched/backend.h"
#include "dataplane/sched/build_result.h"
#include "dataplane/sched/flow_key.h"
#include "dataplane/sched/maglev.h"
#include "dataplane/sched/round_robin.h"
#include "dataplane/sched/scheduler_state.h"
#include "dataplane/sched/source_hash.h"
#include "dataplane/sched/weighted_round_robin.h"

namespace sluice::dataplane::sched {

struct BuildOptions {
    std::uint32_t mh_table_size = kDefaultMaglevTableSize;  // prime, <= kMaxMaglevTableSize
    // mh hashes the 5-tuple (the paper's choice: flows of one client spread);
    // false hashes the client address only, like LVS mh without "mh-port".
    bool mh_hash_ports = true;
    // sh hashes the client address; true adds its port (LVS "sh-port").
    bool sh_hash_port = false;
};

class ServiceScheduler {
public:
    // Validates and builds the tables `algorithm` needs. `backend_keys`
    // (backend_key(ip, port), one per backend) are required for mh and may be
    // empty otherwise. Fails with kTooManyBackends, kWeightTooLarge, and for
    // mh also kKeyCountMismatch, kDuplicateKey, kTableSizeNotPrime,
    // kTableSizeOutOfRange. No eligible backend is not an error: every pick
    // then returns kNoBackend.
    static BuildResult<ServiceScheduler> build(Algorithm algorithm,
                                               std::span<const BackendInfo> backends,
                                               std::span<const std::uint64_t> backend_keys,
                                               const BuildOptions& options = {});

    // Like build, but when both `previous` and the new scheduler are mh with
    // the same table size, the Maglev table is derived from previous's with
    // update_maglev, so only the slots of changed backends move; `changes`
    // (if given) receives the changed slots, else is left empty. Fails like
    // build.
    static BuildResult<ServiceScheduler> rebuild(const ServiceScheduler& previous,
                                                 Algorithm algorithm,
                                                 std::span<const BackendInfo> backends,
                                                 std::span<const std::uint64_t> backend_keys,
                                                 const BuildOptions& options = {},
                                                 std::vector<MaglevSlotChange>* changes = nullptr);

    // The backend for a new connection, or kNoBackend when none is eligible
    // (or, for lc/wlc, when ctx's counts are shorter than the backend list).
    // rr: O(1); wrr, lc, wlc: O(N); sh, mh: O(1).
    std::uint32_t pick(PickContext& ctx, const FlowKey& flow) const noexcept;

    Algorithm algorithm() const noexcept { return algorithm_; }
    const BuildOptions& options() const noexcept { return options_; }
    std::uint32_t backend_count() const noexcept {
        return static_cast<std::uint32_t>(backends_.size());
    }
    std::span<const BackendInfo> backends() const noexcept { return backends_; }
    std::span<const std::uint64_t> backend_keys() const noexcept { return keys_; }
    bool is_eligible(std::uint32_t backend) const noexcept {
        return backend < backends_.size() && sched::is_eligible(backends_[backend]);
    }
    // The built tables, for the control plane's statistics; null when the
    // algorithm does not use them.
    const MaglevTable* maglev_table() const noexcept {
        return algorithm_ == Algorithm::kMaglev ? &maglev_ : nullptr;
    }
    const SourceHashTable* source_hash_table() const noexcept {
        return algorithm_ == Algorithm::kSourceHash ? &source_hash_ : nullptr;
    }

private:
    ServiceScheduler() = default;
    static BuildResult<ServiceScheduler> prepare(Algorithm algorithm,
                                                 std::span<const BackendInfo> backends,
                                                 std::span<const std::uint64_t> backend_keys,
                                                 const BuildOptions& options);

    Algorithm algorithm_ = Algorithm::kRoundRobin;
    BuildOptions options_;
    std::vector<BackendInfo> backends_;
    std::vector<std::uint64_t> keys_;
    std::vector<std::uint32_t> weights_;  // effective: 0 when not eligible
    RoundRobinRing round_robin_;          // rr
    WrrParams wrr_;                       // wrr
    SourceHashTable source_hash_;         // sh
    MaglevTable maglev_;                  // mh
};

}  // namespace sluice::dataplane::sched
