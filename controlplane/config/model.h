#pragma once
// The configuration model: plain structs that config.toml is loaded into.
// No toml++ type appears here; the dataplane never sees this header either
// (the control plane translates the parts it needs into dataplane settings).
// docs/config.md documents every key; keys use keepalived's words where a
// keepalived user would look for them.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ipv4.h"

namespace sluice::config {

// Where a value came from in the file, for error messages.
struct SourcePos {
    std::uint32_t line = 0;    // 1-based; 0 = unknown
    std::uint32_t column = 0;  // 1-based; 0 = unknown
};

// Where each key of one table was written ("lcores", and "lcores[1]" for an
// array element), so that problems found after loading (validate.h) can point
// at the exact value instead of the table header. Empty for configs built in code.
struct KeyPositions {
    std::map<std::string, SourcePos, std::less<>> at;

    bool has(std::string_view key) const { return at.find(key) != at.end(); }
    // The key's position, or `fallback` (usually the table's own) when unknown.
    SourcePos find(std::string_view key, SourcePos fallback) const {
        const auto it = at.find(key);
        return it == at.end() ? fallback : it->second;
    }
};

enum class LogLevel { trace, debug, info, notice, warning, error };
enum class LogFormat { text, json };

struct Global {
    std::string node_name;  // keepalived: router_id; default: hostname
    LogLevel log_level = LogLevel::info;
    LogFormat log_format = LogFormat::text;
    std::string api_socket = "/run/sluice/sluiced.sock";
    std::string api_socket_owner;        // empty: the daemon's user
    std::string api_socket_group;        // empty: the daemon's group
    std::string metrics_listen;          // "127.0.0.1:9468"; empty: off
    std::string script_user = "nobody";  // notify/check scripts run as this user
    bool enable_script_security = true;
    SourcePos pos;
    KeyPositions key_pos;
};

enum class Hugepages { auto_, on, off };
enum class IdleMode { busy, adaptive };
enum class PortRole { front, back, both };

struct Port {
    std::string name;    // referenced by vrrp_instance.interface etc.
    std::string device;  // PCI "0000:01:00.0" or vdev "net_af_packet0,iface=eth1"
    PortRole role = PortRole::both;
    std::vector<common::Ipv4Prefix> addresses;  // the appliance's own addresses on this port
    std::optional<common::Ipv4Addr> gateway;
    std::uint16_t mtu = 1500;
    // A kernel TAP interface ("sl-<name>") paired with the port: traffic for the
    // appliance's own addresses that the dataplane does not answer itself (SSH,
    // health-check replies, BGP, IPv6) goes to the kernel and back.
    bool exception_path = false;
    SourcePos pos;
    KeyPositions key_pos;
};

struct Dataplane {
    std::uint32_t main_lcore = 0;       // runs the control-plane thread
    std::vector<std::uint32_t> lcores;  // one polling worker per entry; default {1}
    Hugepages hugepages = Hugepages::auto_;
    std::uint32_t memory_mb = 512;  // EAL memory when running without hugepages
    std::uint32_t mbufs = 16383;    // per mempool (one per NUMA socket)
    std::uint32_t mbuf_cache = 256;
    std::uint16_t rx_desc = 1024;
    std::uint16_t tx_desc = 1024;
    std::uint16_t burst = 32;
    std::uint32_t max_connections = 262144;  // per worker
    IdleMode idle = IdleMode::adaptive;      // adaptive: back off after empty polls
    std::uint32_t idle_sleep_us = 200;       // longest sleep in adaptive mode
    bool sloppy_tcp = false;            // LVS net.ipv4.vs.sloppy_tcp: any non-RST segment opens
    std::vector<std::string> eal_args;  // extra EAL arguments, appended verbatim
    std::vector<Port> ports;
    SourcePos pos;
    KeyPositions key_pos;
};

enum class Protocol { tcp, udp };
enum class Scheduler { rr, wrr, lc, wlc, sh, mh };
enum class ForwardMethod { nat, dr, tun };
enum class CheckType { tcp, http, https, misc, udp, dns };

struct HealthCheck {
    CheckType type = CheckType::tcp;
    std::optional<std::uint16_t> connect_port;  // default: the real server's port
    std::optional<common::Ipv4Addr> bindto;
    double connect_timeout = 5.0;      // seconds
    std::optional<double> delay_loop;  // default: the virtual server's delay_loop
    std::uint32_t retry = 1;           // alias: nb_get_retry (deprecated)
    double delay_before_retry = 1.0;
    std::uint32_t rise = 1;
    std::uint32_t fall = 1;
    // http / https
    std::string path = "/";
    std::vector<std::pair<std::uint16_t, std::uint16_t>> status_code;  // ranges; default 200-299
    std::string virtualhost;
    std::string body_regex;
    std::string digest;  // md5 hex of the body, as keepalived's HTTP_GET
    bool ssl_verify = false;
    std::string ssl_ca_file;
    std::string sni;
    // misc (keepalived MISC_CHECK)
    std::string misc_path;
    double misc_timeout = 5.0;
    bool misc_dynamic = false;
    std::string user;  // default: global.script_user
    // udp
    std::string payload;
    std::string require_reply;
    // dns
    std::string dns_name;
    std::string dns_type = "A";
    SourcePos pos;
    KeyPositions key_pos;
};

struct RealServer {
    common::Ipv4Addr address;
    std::uint16_t port = 0;    // default: the virtual server's port
    std::uint32_t weight = 1;  // 0..65535; 0 = drain
    bool inhibit_on_failure = false;
    std::string notify_up;
    std::string notify_down;
    std::optional<HealthCheck> check;
    SourcePos pos;
    KeyPositions key_pos;
};

struct Timeouts {  // seconds; defaults as LVS
    std::uint32_t tcp_established = 900;
    std::uint32_t tcp_syn = 60;
    std::uint32_t tcp_fin = 120;
    std::uint32_t tcp_close = 10;
    std::uint32_t udp = 300;
};

struct VirtualServer {
    std::string name;
    common::Ipv4Addr vip;
    std::uint16_t port = 0;
    Protocol protocol = Protocol::tcp;
    Scheduler lb_algo = Scheduler::wlc;
    ForwardMethod lb_kind = ForwardMethod::nat;
    std::string interface;                  // port the VIP is reached on; default: first front port
    std::uint32_t persistence_timeout = 0;  // seconds; 0 = off
    common::Ipv4Addr persistence_granularity{0xffffffffu};
    std::uint32_t mh_table_size = 65537;  // Maglev M, prime
    double delay_loop = 10.0;             // default check interval
    std::uint32_t quorum = 1;
    std::uint32_t hysteresis = 0;
    std::string quorum_up;
    std::string quorum_down;
    bool reset_on_backend_down = false;  // existing connections to a dead backend
    std::optional<RealServer> sorry_server;
    Timeouts timeouts;
    std::vector<RealServer> real_servers;
    SourcePos pos;
    KeyPositions key_pos;
};

enum class VrrpState { backup, master };
enum class AuthType { none, pass };

struct TrackScript {
    std::string name;
    std::optional<std::int32_t> weight;  // overrides vrrp_script.weight
    SourcePos pos;
    KeyPositions key_pos;
};

struct VrrpScript {
    std::string name;
    std::string script;
    double interval = 1.0;
    double timeout = 0.0;     // 0: interval
    std::int32_t weight = 0;  // -253..253
    std::uint32_t rise = 1;
    std::uint32_t fall = 1;
    std::string user;
    SourcePos pos;
    KeyPositions key_pos;
};

struct VrrpInstance {
    std::string name;
    VrrpState state = VrrpState::backup;  // initial state hint, as keepalived
    std::string interface;                // a dataplane port name
    std::uint8_t virtual_router_id = 0;   // 1..255
    std::uint8_t priority = 100;          // 1..255; 255 = address owner
    double advert_int = 1.0;              // seconds
    std::uint8_t version = 3;             // 2 or 3
    std::vector<common::Ipv4Prefix> virtual_ipaddress;
    bool nopreempt = false;
    double preempt_delay = 0.0;  // seconds
    std::optional<common::Ipv4Addr> unicast_src_ip;
    std::vector<common::Ipv4Addr> unicast_peer;
    AuthType auth_type = AuthType::none;  // v2 only
    std::string auth_pass;                // up to 8 characters
    std::vector<TrackScript> track_script;
    std::vector<std::string> track_interface;
    std::vector<std::string> track_service;  // virtual_server names (quorum)
    std::int32_t track_service_weight = 0;   // 0 = fault when the quorum is lost
    std::string notify_master;
    std::string notify_backup;
    std::string notify_fault;
    std::string notify_stop;
    std::string notify;
    double garp_master_delay = 5.0;
    std::uint32_t garp_master_repeat = 5;
    double garp_master_refresh = 0.0;  // 0 = off
    bool use_vmac = false;
    bool accept = false;
    SourcePos pos;
    KeyPositions key_pos;
};

struct VrrpSyncGroup {
    std::string name;
    std::vector<std::string> group;  // vrrp_instance names
    std::string notify_master;
    std::string notify_backup;
    std::string notify_fault;
    std::string notify;
    SourcePos pos;
    KeyPositions key_pos;
};

struct Config {
    std::string file;  // path it was loaded from
    Global global;
    Dataplane dataplane;
    std::vector<VirtualServer> virtual_servers;
    std::vector<VrrpScript> vrrp_scripts;
    std::vector<VrrpInstance> vrrp_instances;
    std::vector<VrrpSyncGroup> vrrp_sync_groups;
};

}  // namespace sluice::config
