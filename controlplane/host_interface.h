#pragma once
// The host side of a port's exception path: sluiced brings the kernel TAP
// (sl-<port>) up and gives it the port's addresses, so the host's own traffic
// (health checks, SSH, a routing daemon) leaves through the dataplane port
// without any manual `ip addr add`. rtnetlink and ioctl only; no shelling out.

#include <string>
#include <vector>

#include "common/ipv4.h"

namespace sluice::controlplane {

// Sets `ifname` up and adds every prefix (an address already present is fine).
// Returns "" on success, else what failed (interface missing, permission, ...).
std::string configure_host_interface(const std::string& ifname, const std::vector<common::Ipv4Prefix>& addresses);

}  // namespace sluice::controlplane
