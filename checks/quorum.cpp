#include "checks/quorum.h"

#include <algorithm>

namespace sluice::checks {

namespace {

std::uint64_t effective_quorum(std::uint32_t quorum) {
    return std::max<std::uint64_t>(quorum, 1);
}

std::uint64_t effective_hysteresis(std::uint32_t quorum, std::uint32_t hysteresis) {
    return std::min<std::uint64_t>(hysteresis, effective_quorum(quorum) - 1);
}

}  // namespace

Quorum::Quorum(std::uint32_t quorum, std::uint32_t hysteresis, bool initially_up)
    : quorum_(effective_quorum(quorum)),
      hysteresis_(effective_hysteresis(quorum, hysteresis)),
      up_(initially_up) {}

bool Quorum::starts_up(std::uint32_t quorum, std::uint32_t hysteresis, std::uint64_t alive_weight) {
    return alive_weight >= effective_quorum(quorum) + effective_hysteresis(quorum, hysteresis);
}

std::uint64_t Quorum::threshold() const {
    return up_ ? quorum_ - hysteresis_ : quorum_ + hysteresis_;
}

bool Quorum::update(std::uint64_t alive_weight) {
    // Up stays up while alive >= Q - H; down comes up at alive >= Q + H. The
    // threshold is at least 1 either way, so alive 0 never has quorum.
    const bool up = alive_weight >= threshold();
    if (up == up_) {
        return false;
    }
    up_ = up;
    return true;
}

}  // namespace sluice::checks
