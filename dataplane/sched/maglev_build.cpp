// build_maglev: the paper's from-scratch populate (NSDI'16 section 3.4).

#include <vector>

#include "dataplane/sched/apportion.h"
#include "dataplane/sched/maglev.h"
#include "dataplane/sched/maglev_fill.h"
#include "dataplane/sched/validate.h"

namespace sluice::dataplane::sched {

BuildResult<MaglevTable> build_maglev(BackendList backends, std::uint32_t table_size) {
    if (auto error = validate_backends(backends.info)) {
        return *error;
    }
    if (auto error = validate_keys(backends.info, backends.keys)) {
        return *error;
    }
    if (auto error = validate_maglev_table_size(table_size)) {
        return *error;
    }
    std::vector<MaglevFiller> fillers;
    std::vector<std::uint32_t> weights;
    for (std::size_t i = 0; i < backends.info.size(); ++i) {
        if (is_eligible(backends.info[i])) {
            MaglevFiller f;
            f.backend = static_cast<std::uint16_t>(i);
            f.weight = backends.info[i].weight;
            f.permutation = maglev_permutation(backends.keys[i], table_size);
            fillers.push_back(f);
            weights.push_back(f.weight);
        }
    }
    const std::vector<std::uint32_t> share = apportion(weights, table_size);
    for (std::size_t m = 0; m < fillers.size(); ++m) {
        fillers[m].need = share[m];
    }
    std::vector<std::uint16_t> slots(table_size, MaglevTable::kEmptySlot);
    fill_maglev_slots(slots, fillers);
    return MaglevTable(std::move(slots));
}

}  // namespace sluice::dataplane::sched
