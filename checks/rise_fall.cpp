#include "checks/rise_fall.h"

#include <algorithm>

namespace sluice::checks {

RiseFall::RiseFall(std::uint32_t rise, std::uint32_t fall, Health initial)
    : rise_(std::max<std::uint32_t>(rise, 1)), fall_(std::max<std::uint32_t>(fall, 1)), health_(initial) {}

bool RiseFall::on_result(bool success) {
    const bool agrees = (health_ == Health::up) == success;
    if (agrees) {
        streak_ = 0;
        return false;
    }
    ++streak_;
    if (streak_ >= (health_ == Health::up ? fall_ : rise_)) {
        health_ = health_ == Health::up ? Health::down : Health::up;
        streak_ = 0;
        return true;
    }
    return false;
}

}  // namespace sluice::checks
