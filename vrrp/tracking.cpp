#include "vrrp/tracking.h"

#include <algorithm>
#include <utility>

namespace sluice::vrrp {
namespace {

constexpr std::uint8_t kOwnerPriority = 255;
constexpr std::int64_t kMaxBackupPriority = 254;

}  // namespace

TrackResult track(std::uint8_t base_priority, std::span<const TrackedObject> objects) {
    TrackResult r;
    std::int64_t total = base_priority;
    for (const TrackedObject& o : objects) {
        if (o.pending) {
            if (o.weight == 0) {
                r.fault = true;
                r.pending.push_back(o.name);
            }
            continue;
        }
        if (!o.up)
            r.failing.push_back(o.name);
        if (o.weight == 0) {
            if (!o.up)
                r.fault = true;
        } else if (o.weight > 0) {
            if (o.up)
                total += o.weight;
        } else if (!o.up) {
            total += o.weight;
        }
    }
    r.effective_priority =
        base_priority == kOwnerPriority
            ? kOwnerPriority
            : static_cast<std::uint8_t>(std::clamp<std::int64_t>(total, 1, kMaxBackupPriority));
    return r;
}

std::string_view to_string(ScriptState s) {
    switch (s) {
        case ScriptState::pending:
            return "pending";
        case ScriptState::up:
            return "up";
        case ScriptState::down:
            return "down";
    }
    return "unknown";
}

ScriptTracker::ScriptTracker(std::uint32_t rise, std::uint32_t fall, ScriptState initial)
    : rise_(std::max<std::uint32_t>(rise, 1)),
      fall_(std::max<std::uint32_t>(fall, 1)),
      state_(initial) {}

bool ScriptTracker::on_result(bool success) {
    if (state_ == ScriptState::pending) {
        state_ = success ? ScriptState::up : ScriptState::down;
        return true;
    }
    const bool agrees = success == (state_ == ScriptState::up);
    if (agrees) {
        streak_ = 0;
        return false;
    }
    if (++streak_ < (state_ == ScriptState::up ? fall_ : rise_))
        return false;
    state_ = success ? ScriptState::up : ScriptState::down;
    streak_ = 0;
    return true;
}

TrackedObject ScriptTracker::object(std::string name, std::int32_t weight) const {
    return {std::move(name), weight, state_ == ScriptState::up, state_ == ScriptState::pending};
}

}  // namespace sluice::vrrp
