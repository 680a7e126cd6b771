#pragma once
// The sockets and frames of vip_probe (see vip_probe.cpp): echo requests out through
// a raw ICMP socket, every IPv4 frame of the interface in through an AF_PACKET socket.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <time.h>

namespace vip_probe {

using Mac = std::array<std::uint8_t, 6>;

std::string mac_text(const Mac& m);
std::optional<Mac> parse_mac(std::string_view s);  // aa:bb:cc:dd:ee:ff
std::int64_t now_ns(clockid_t clock);

enum class FrameKind {
    other,
    echo_reply,   // an answer to one of our echo requests, from the VIP
    vrrp_advert,  // IP protocol 112, from anyone
};

struct Frame {
    FrameKind kind = FrameKind::other;
    Mac src{};                        // Ethernet source
    std::int64_t rx_realtime_ns = 0;  // kernel receive time (CLOCK_REALTIME)
};

class Sockets {
  public:
    Sockets() = default;
    Sockets(const Sockets&) = delete;
    Sockets& operator=(const Sockets&) = delete;
    ~Sockets();

    // Opens both sockets; prints the reason and returns false when it cannot.
    bool open(const std::string& iface, std::uint32_t vip_be);
    void send_echo();
    // One incoming frame, or nullopt when none is queued.
    std::optional<Frame> read() const;

    int packet_fd() const { return pkt_fd_; }
    std::uint64_t send_errors() const { return send_errors_; }

  private:
    int icmp_fd_ = -1;
    int pkt_fd_ = -1;
    std::uint32_t vip_be_ = 0;  // network byte order
    std::uint16_t ident_ = 0;
    std::uint16_t seq_ = 0;
    std::uint64_t send_errors_ = 0;
};

}  // namespace vip_probe
