#pragma once
// keepalived's priority tracking (2.2.7 vrrp_track.c semantics), pure.
//
// An instance tracks objects: track_script (after the script's own rise/fall,
// see ScriptTracker), track_interface (link state) and track_service (a
// virtual server's quorum). Each has a weight:
//  - weight 0: the object failing puts the instance in FAULT;
//  - weight > 0: adds the weight while the object is up;
//  - weight < 0: subtracts |weight| while the object is down.
// The effective priority is base + those adjustments, clamped to 1..254, except
// that an address owner (base 255) always stays 255; a weight-0 failure still
// faults it.
//
// An object that has no result yet (`pending`: a script before its first run)
// adjusts nothing, whatever its weight, as keepalived does for scripts in their
// init state; with weight 0 it holds the instance in FAULT until it reports,
// where keepalived holds the instance in INIT: either way it neither advertises
// nor claims the VIPs before its weight-0 checks have run once.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::vrrp {

struct TrackedObject {
    std::string name;  // for log lines: the script, interface or virtual server
    std::int32_t weight = 0;
    bool up = true;
    bool pending = false;  // no result yet: `up` is ignored
};

struct TrackResult {
    std::uint8_t effective_priority = 0;
    bool fault = false;
    std::vector<std::string> failing;  // objects that are down, in input order
    std::vector<std::string> pending;  // weight-0 objects without a result (they fault too)
};

TrackResult track(std::uint8_t base_priority, std::span<const TrackedObject> objects);

// --- vrrp_script results ------------------------------------------------------

enum class ScriptState : std::uint8_t { pending, up, down };

std::string_view to_string(ScriptState s);

// Rise/fall counting for one vrrp_script, as keepalived 2.2.7 does it:
//  - A script starts `pending` (keepalived's init state, where "one success is
//    enough"): its first result decides at once, success -> up, failure -> down,
//    whatever rise and fall are.
//  - Up: `fall` consecutive failures -> down; a success resets the count.
//  - Down: `rise` consecutive successes -> up; a failure resets the count.
//  - Success is exit status 0. Anything else, and a timeout, is a failure.
//  - `initial` = down is keepalived's `init_fail`: `rise` successes are needed.
// rise and fall of 0 count as 1.
class ScriptTracker {
  public:
    ScriptTracker(std::uint32_t rise, std::uint32_t fall,
                  ScriptState initial = ScriptState::pending);

    // Each returns true when the state changed (the caller then recomputes
    // track() and logs keepalived's "VRRP_Script(name) succeeded/failed").
    bool on_result(bool success);
    bool on_exit(int exit_status) { return on_result(exit_status == 0); }
    bool on_timeout() { return on_result(false); }

    ScriptState state() const { return state_; }
    // This script as a tracked object of an instance, with that instance's weight.
    TrackedObject object(std::string name, std::int32_t weight) const;

  private:
    std::uint32_t rise_;
    std::uint32_t fall_;
    ScriptState state_;
    std::uint32_t streak_ = 0;  // consecutive results that disagree with state_
};

}  // namespace sluice::vrrp
