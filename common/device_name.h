#pragma once
// The name DPDK registers for a configured device string: the part before the
// first comma ("net_af_packet0,iface=x" -> "net_af_packet0"; a PCI address is
// its own name). One rule for config validation (duplicate devices) and the
// dataplane (finding the probed port), so the two can never disagree.

#include <string_view>

namespace sluice::common {

constexpr std::string_view device_name(std::string_view device) { return device.substr(0, device.find(',')); }

}  // namespace sluice::common
