// The timer functions are constexpr in timers.h; this unit gives the module
// library an object file until the state machine lands beside it.
#include "vrrp/timers.h"

namespace sluice::vrrp {
static_assert(v2_timers(255, 1).skew_us == 3'906);
}  // namespace sluice::vrrp
