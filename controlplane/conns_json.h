#pragma once
// The `conns` API result (like `ipvsadm -Lnc`) from the workers' dump
// answers: one row per connection with its owning worker, cut to the limit,
// with "truncated" and the workers that did not answer in time. Pure.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataplane/dataplane.h"

namespace sluice::controlplane {

inline constexpr std::uint32_t kConnsDefaultLimit = 100;

nlohmann::json conn_record_to_json(const dataplane::conn::DumpRecord& r, std::uint32_t lcore);
nlohmann::json conns_to_json(const std::vector<dataplane::Dataplane::ConnDumpAnswer>& answers,
                             std::uint32_t limit);

}  // namespace sluice::controlplane
