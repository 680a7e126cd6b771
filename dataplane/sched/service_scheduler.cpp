#include "dataplane/sched/service_scheduler.h"

#include "dataplane/sched/hash.h"
#include "dataplane/sched/least_connection.h"
#include "dataplane/sched/validate.h"

namespace sluice::dataplane::sched {

BuildResult<ServiceScheduler> ServiceScheduler::prepare(Algorithm algorithm,
                                                        std::span<const BackendInfo> backends,
                                                        std::span<const std::uint64_t> backend_keys,
                                                        const BuildOptions& options) {
    if (auto error = validate_backends(backends)) {
        return *error;
    }
    if (algorithm == Algorithm::kMaglev) {
        if (auto error = validate_keys(backends, backend_keys)) {
            return *error;
        }
        if (auto error = validate_maglev_table_size(options.mh_table_size)) {
            return *error;
        }
    }
    ServiceScheduler s;
    s.algorithm_ = algorithm;
    s.options_ = options;
    s.backends_.assign(backends.begin(), backends.end());
    s.keys_.assign(backend_keys.begin(), backend_keys.end());
    s.weights_.reserve(backends.size());
    for (const BackendInfo& b : backends) {
        s.weights_.push_back(sched::is_eligible(b) ? b.weight : 0);
    }
    switch (algorithm) {
        case Algorithm::kRoundRobin:
            s.round_robin_ = build_round_robin_ring(backends);
            break;
        case Algorithm::kWeightedRoundRobin:
            s.wrr_ = wrr_params(s.weights_);
            break;
        case Algorithm::kSourceHash:
            s.source_hash_ = SourceHashTable::build(backends);
            break;
        case Algorithm::kLeastConnection:
        case Algorithm::kWeightedLeastConnection:
        case Algorithm::kMaglev:  // the caller builds or updates the table
            break;
    }
    return s;
}

BuildResult<ServiceScheduler> ServiceScheduler::build(Algorithm algorithm,
                                                      std::span<const BackendInfo> backends,
                                                      std::span<const std::uint64_t> backend_keys,
                                                      const BuildOptions& options) {
    auto prepared = prepare(algorithm, backends, backend_keys, options);
    if (!prepared || algorithm != Algorithm::kMaglev) {
        return prepared;
    }
    auto table = build_maglev(BackendList{backends, backend_keys}, options.mh_table_size);
    if (!table) {
        return table.error();
    }
    prepared->maglev_ = std::move(table).value();
    return prepared;
}

BuildResult<ServiceScheduler> ServiceScheduler::rebuild(const ServiceScheduler& previous,
                                                        Algorithm algorithm,
                                                        std::span<const BackendInfo> backends,
                                                        std::span<const std::uint64_t> backend_keys,
                                                        const BuildOptions& options,
                                                        std::vector<MaglevSlotChange>* changes) {
    if (changes != nullptr) {
        changes->clear();
    }
    if (algorithm != Algorithm::kMaglev || previous.algorithm_ != Algorithm::kMaglev ||
        previous.maglev_.size() != options.mh_table_size) {
        return build(algorithm, backends, backend_keys, options);
    }
    auto prepared = prepare(algorithm, backends, backend_keys, options);
    if (!prepared) {
        return prepared;
    }
    auto update = update_maglev(previous.maglev_, BackendList{previous.backends_, previous.keys_},
                                BackendList{backends, backend_keys});
    if (!update) {
        return update.error();
    }
    prepared->maglev_ = std::move(update->table);
    if (changes != nullptr) {
        *changes = std::move(update->changes);
    }
    return prepared;
}

std::uint32_t ServiceScheduler::pick(PickContext& ctx, const FlowKey& flow) const noexcept {
    switch (algorithm_) {
        case Algorithm::kRoundRobin:
            return pick_round_robin(round_robin_, ctx.state.last);
        case Algorithm::kWeightedRoundRobin:
            if (ctx.state.bound_table != this) {
                rebind_weighted_round_robin(wrr_, ctx.state);
                ctx.state.bound_table = this;
            }
            return pick_weighted_round_robin(weights_, wrr_, ctx.state);
        case Algorithm::kLeastConnection:
            return pick_least_connection(weights_, ctx.active, ctx.inactive);
        case Algorithm::kWeightedLeastConnection:
            return pick_weighted_least_connection(weights_, ctx.active, ctx.inactive);
        case Algorithm::kSourceHash:
            return source_hash_.lookup(
                source_hash(flow.src_ip, options_.sh_hash_port ? flow.src_port : std::uint16_t{0}));
        case Algorithm::kMaglev:
            return maglev_.lookup(options_.mh_hash_ports ? flow_hash(flow)
                                                         : source_hash(flow.src_ip, 0));
    }
    return kNoBackend;
}

}  // namespace sluice::dataplane::sched
