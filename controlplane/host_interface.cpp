#include "controlplane/host_interface.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace sluice::controlplane {

namespace {

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string set_up(const std::string& ifname) {
    const Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (s.get() < 0) return errno_text("socket");
    ifreq req{};
    std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    if (::ioctl(s.get(), SIOCGIFFLAGS, &req) != 0) return errno_text("SIOCGIFFLAGS " + ifname);
    req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
    if (::ioctl(s.get(), SIOCSIFFLAGS, &req) != 0) return errno_text("SIOCSIFFLAGS " + ifname);
    return "";
}

// RTM_NEWADDR with NLM_F_REPLACE, acknowledged.
std::string add_address(unsigned index, const common::Ipv4Prefix& prefix) {
    const Fd s(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (s.get() < 0) return errno_text("netlink socket");
    struct Request {
        nlmsghdr nh;
        ifaddrmsg ifa;
        std::array<char, 64> attrs;
    } req{};
    req.nh.nlmsg_type = RTM_NEWADDR;
    req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
    req.nh.nlmsg_seq = 1;
    req.ifa.ifa_family = AF_INET;
    req.ifa.ifa_prefixlen = prefix.len;
    req.ifa.ifa_index = index;
    req.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
    std::size_t len = NLMSG_LENGTH(sizeof(ifaddrmsg));
    const std::uint32_t addr = htonl(prefix.addr.value);
    auto put = [&](std::uint16_t type, const void* data, std::size_t size) {
        auto* rta = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&req) + NLMSG_ALIGN(len));
        rta->rta_type = type;
        rta->rta_len = static_cast<std::uint16_t>(RTA_LENGTH(size));
        std::memcpy(reinterpret_cast<char*>(rta) + RTA_LENGTH(0), data, size);
        len = NLMSG_ALIGN(len) + RTA_ALIGN(rta->rta_len);
    };
    put(IFA_LOCAL, &addr, sizeof addr);
    put(IFA_ADDRESS, &addr, sizeof addr);
    req.nh.nlmsg_len = static_cast<std::uint32_t>(len);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(s.get(), &req, len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
        return errno_text("netlink send");
    std::array<char, 4096> buf{};
    const ssize_t n = ::recv(s.get(), buf.data(), buf.size(), 0);
    if (n < 0) return errno_text("netlink receive");
    const auto* nh = reinterpret_cast<const nlmsghdr*>(buf.data());
    if (n >= static_cast<ssize_t>(sizeof(nlmsghdr)) && nh->nlmsg_type == NLMSG_ERROR) {
        const auto* err = reinterpret_cast<const nlmsgerr*>(buf.data() + NLMSG_HDRLEN);
        if (err->error != 0 && err->error != -EEXIST) {
            errno = -err->error;
            return errno_text("adding " + prefix.to_string());
        }
    }
    return "";
}

}  // namespace

std::string configure_host_interface(const std::string& ifname, const std::vector<common::Ipv4Prefix>& addresses) {
    const unsigned index = ::if_nametoindex(ifname.c_str());
    if (index == 0) return errno_text("interface " + ifname);
    if (auto e = set_up(ifname); !e.empty()) return e;
    for (const auto& p : addresses) {
        if (auto e = add_address(index, p); !e.empty()) return e;
    }
    return "";
}

}  // namespace sluice::controlplane
