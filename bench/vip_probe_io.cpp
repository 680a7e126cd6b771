#include "bench/vip_probe_io.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netpacket/packet.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vip_probe {

namespace {

// ICMP_FILTER from <linux/icmp.h>, which clashes with <net/if.h>.
constexpr int kIcmpFilter = 1;
struct IcmpFilter {
    std::uint32_t data;
};
constexpr std::uint8_t kIpProtoVrrp = 112;
constexpr std::size_t kEthLen = 14;

std::uint16_t inet_checksum(const std::uint8_t* p, std::size_t n) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        sum += static_cast<std::uint32_t>(p[i]) << 8 | p[i + 1];
    }
    if ((n & 1U) != 0) {
        sum += static_cast<std::uint32_t>(p[n - 1]) << 8;
    }
    while ((sum >> 16) != 0) {
        sum = (sum & 0xffffU) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum & 0xffffU);
}

void put16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v & 0xffU);
}

std::uint16_t get16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

std::int64_t to_ns(const timespec& ts) {
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

std::string mac_text(const Mac& m) {
    std::array<char, 18> b{};
    std::snprintf(b.data(), b.size(), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                  m[5]);
    return b.data();
}

std::optional<Mac> parse_mac(std::string_view s) {
    Mac m{};
    if (s.size() != 17) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < m.size(); ++i) {
        const std::size_t at = i * 3;
        if (i > 0 && s[at - 1] != ':') {
            return std::nullopt;
        }
        const auto r = std::from_chars(s.data() + at, s.data() + at + 2, m[i], 16);
        if (r.ec != std::errc{} || r.ptr != s.data() + at + 2) {
            return std::nullopt;
        }
    }
    return m;
}

std::int64_t now_ns(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return to_ns(ts);
}

Sockets::~Sockets() {
    if (icmp_fd_ >= 0) {
        close(icmp_fd_);
    }
    if (pkt_fd_ >= 0) {
        close(pkt_fd_);
    }
}

bool Sockets::open(const std::string& iface, std::uint32_t vip_be) {
    vip_be_ = vip_be;
    ident_ = static_cast<std::uint16_t>(getpid() & 0xffff);
    icmp_fd_ = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (icmp_fd_ < 0) {
        std::perror("vip_probe: raw ICMP socket (needs root)");
        return false;
    }
    // Replies are read on the packet socket; this one queues nothing.
    const IcmpFilter all{~0U};
    setsockopt(icmp_fd_, SOL_RAW, kIcmpFilter, &all, sizeof all);
    pkt_fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETHERTYPE_IP));
    if (pkt_fd_ < 0) {
        std::perror("vip_probe: AF_PACKET socket");
        return false;
    }
    const unsigned ifindex = if_nametoindex(iface.c_str());
    if (ifindex == 0) {
        std::fprintf(stderr, "vip_probe: no interface %s\n", iface.c_str());
        return false;
    }
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETHERTYPE_IP);
    sll.sll_ifindex = static_cast<int>(ifindex);
    if (bind(pkt_fd_, reinterpret_cast<sockaddr*>(&sll), sizeof sll) != 0) {
        std::perror("vip_probe: bind AF_PACKET");
        return false;
    }
    const int on = 1;
    setsockopt(pkt_fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    return true;
}

void Sockets::send_echo() {
    std::array<std::uint8_t, 24> m{};  // 8-byte header + 16 bytes of payload
    m[0] = ICMP_ECHO;
    put16(&m[4], ident_);
    put16(&m[6], ++seq_);
    std::memcpy(&m[8], "sluice-vip-probe", 16);
    put16(&m[2], inet_checksum(m.data(), m.size()));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = vip_be_;
    if (sendto(icmp_fd_, m.data(), m.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
        ++send_errors_;  // e.g. ARP failed for a moment: keep going
    }
}

std::optional<Frame> Sockets::read() const {
    std::array<std::uint8_t, 2048> buf{};
    std::array<char, CMSG_SPACE(sizeof(timespec))> ctrl{};
    sockaddr_ll from{};
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctrl.data();
    msg.msg_controllen = ctrl.size();
    const ssize_t got = recvmsg(pkt_fd_, &msg, 0);
    if (got < 0) {
        return std::nullopt;
    }
    Frame f;
    f.rx_realtime_ns = now_ns(CLOCK_REALTIME);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
            timespec ts{};
            std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
            f.rx_realtime_ns = to_ns(ts);
        }
    }
    const auto n = static_cast<std::size_t>(got);
    if (from.sll_pkttype == PACKET_OUTGOING || n < kEthLen + 20 + 8) {
        return f;
    }
    std::memcpy(f.src.data(), buf.data() + 6, 6);
    const std::uint8_t* ip = buf.data() + kEthLen;
    const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0fU) * 4;
    if (get16(buf.data() + 12) != ETHERTYPE_IP || (ip[0] >> 4) != 4 || ihl < 20 ||
        n < kEthLen + ihl + 8) {
        return f;
    }
    if (ip[9] == kIpProtoVrrp) {
        f.kind = FrameKind::vrrp_advert;
        return f;
    }
    std::uint32_t src_be = 0;
    std::memcpy(&src_be, ip + 12, 4);
    const std::uint8_t* icmp = ip + ihl;
    if (ip[9] == IPPROTO_ICMP && src_be == vip_be_ && icmp[0] == ICMP_ECHOREPLY &&
        get16(icmp + 4) == ident_) {
        f.kind = FrameKind::echo_reply;
    }
    return f;
}

}  // namespace vip_probe
