#pragma once
// The part of a new connection a scheduler may look at.

#include <cstdint>

#include "dataplane/conn/flow_key.h"

namespace sluice::dataplane::sched {

// The same 5-tuple the connection table keys on (one type for both, so the
// pipeline builds it once): src is the client, dst the VIP, host byte order.
using FlowKey = conn::FlowKey;

}  // namespace sluice::dataplane::sched
