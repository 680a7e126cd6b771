#pragma once
// Dataplane settings: what the dataplane needs from the configuration, as plain
// values. The control plane fills this from the TOML model; the dataplane never
// sees toml++ or Boost.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::dataplane {

enum class HugepageMode { automatic, required, disabled };
enum class IdleMode { busy, adaptive };

struct PortSettings {
    std::string name;    // operator's name, e.g. "front"
    std::string device;  // PCI address ("0000:01:00.0") or vdev string ("net_tap0,iface=x")
    bool exception_path = false;  // pair the port with a kernel TAP interface
};

// The kernel interface name of a port's exception path: "sl-<name>", cut to
// the 15 characters Linux allows.
inline std::string exception_interface(const std::string& port_name) {
    return ("sl-" + port_name).substr(0, 15);
}

// The DPDK vdev name of port `index`'s exception path.
inline std::string exception_device(std::size_t index) { return "net_tap_sl" + std::to_string(index); }

struct DataplaneSettings {
    std::string node_name = "sluice";
    std::uint32_t main_lcore = 0;
    std::vector<std::uint32_t> worker_lcores{1};
    HugepageMode hugepages = HugepageMode::automatic;
    std::uint32_t memory_mb = 512;  // EAL -m when running without hugepages
    std::uint32_t mbufs = 16383;
    std::uint32_t mbuf_cache = 256;
    std::uint16_t rx_desc = 1024;
    std::uint16_t tx_desc = 1024;
    std::uint16_t burst = 32;
    IdleMode idle = IdleMode::adaptive;
    std::uint32_t idle_sleep_us = 200;
    std::uint32_t max_connections_per_worker = 1u << 18;
    bool verbose_eal = false;        // let DPDK log at info level
    std::vector<std::string> eal_args;  // appended verbatim, last
    std::vector<PortSettings> ports;
};

}  // namespace sluice::dataplane
