#pragma once
// The per-backend health state machine (pure): a backend goes down after `fall`
// consecutive failures and comes back after `rise` consecutive successes.

#include <cstdint>

namespace sluice::checks {

enum class Health { up, down };

class RiseFall {
public:
    // Backends start up, as keepalived assumes unless told otherwise.
    RiseFall(std::uint32_t rise, std::uint32_t fall, Health initial = Health::up);

    // Feeds one check result; returns true when the health state changed.
    bool on_result(bool success);
    Health health() const { return health_; }

private:
    std::uint32_t rise_;
    std::uint32_t fall_;
    Health health_;
    std::uint32_t streak_ = 0;  // consecutive results that disagree with health_
};

}  // namespace sluice::checks
