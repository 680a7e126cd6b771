// vip_probe: measures a VRRP takeover as a client sees it (used by bench/vrrp_takeover).
//
// Pings the VIP through an ordinary raw ICMP socket, so the kernel's ARP cache picks
// the MAC each request goes to (a gratuitous ARP moves it, as it moves a real client),
// and reads the echo replies on an AF_PACKET socket, which shows the MAC that sent
// each of them. Once replies arrive, it SIGKILLs --kill-pid and reports the time from
// the kill to the first reply sent by --expect-mac (the backup).
#include <arpa/inet.h>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <getopt.h>
#include <optional>
#include <poll.h>
#include <string>
#include <string_view>
#include <unistd.h>

#include "bench/vip_probe_io.h"

namespace {

using namespace vip_probe;

constexpr int kExitOk = 0;
constexpr int kExitTimeout = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSetup = 3;
constexpr std::uint64_t kSanityReplies = 10;  // replies before the kill

constexpr const char* kHelp =
    "Usage: vip_probe --iface IF --vip ADDR --expect-mac MAC --kill-pid PID\n"
    "                 [--after-advert] [--interval-us N] [--timeout-s N]\n"
    "\n"
    "Run inside the client's network namespace. Sends ICMP echo requests to ADDR every\n"
    "N us through a raw ICMP socket (the kernel's ARP cache chooses the destination MAC,\n"
    "so gratuitous ARP moves the traffic as it moves any client) and watches the echo\n"
    "replies on an AF_PACKET socket bound to IF, which shows the Ethernet source MAC of\n"
    "each reply.\n"
    "  1. waits for 10 echo replies, none of them from MAC;\n"
    "  2. with --after-advert, also waits for a VRRP advertisement (IP protocol 112) from\n"
    "     a MAC other than MAC, i.e. from the master, so that every kill falls at the\n"
    "     same point of the advert cycle (the backup's master-down timer was just reset)\n"
    "     instead of at a random one;\n"
    "  3. sends SIGKILL to PID (the master's VRRP process);\n"
    "  4. reports the time from the kill to the first echo reply whose source MAC is\n"
    "     MAC (the backup). Replies from any other MAC (a killed keepalived leaves the\n"
    "     VIP on the old master's kernel, which answers until gratuitous ARP moves the\n"
    "     client) are counted, not taken as the takeover.\n"
    "Receive times are the kernel's packet timestamps.\n"
    "\n"
    "Options:\n"
    "  --iface IF          interface the replies arrive on (e.g. eth0)\n"
    "  --vip ADDR          IPv4 address to ping\n"
    "  --expect-mac MAC    the backup's MAC, aa:bb:cc:dd:ee:ff\n"
    "  --kill-pid PID      process to SIGKILL once replies flow\n"
    "  --after-advert      kill right after an advertisement from the master (step 2)\n"
    "  --interval-us N     echo request interval, 100..1000000 (default 1000)\n"
    "  --timeout-s N       bound for each phase (1, 2 and 4), 1..600 (default 15)\n"
    "  --help              this text\n"
    "\n"
    "Prints one line, e.g.\n"
    "  takeover_us=43021 replies_before=10 old_mac_replies_after=12 sent_after=44\n"
    "  last_old_reply_us=11890 advert_age_us=52 send_errors=0 old_mac=02:53:4c:01:00:02\n"
    "(takeover_us=timeout if the backup did not answer in time; advert_age_us: from\n"
    "the master's last advertisement to the kill, -1 without --after-advert).\n"
    "Exit: 0 measured, 1 timeout, 2 usage, 3 setup problem (no replies or no advert\n"
    "before the kill, the backup already answering, kill failed, socket errors).\n";

struct Options {
    std::string iface;
    std::uint32_t vip_be = 0;  // network byte order
    Mac expect_mac{};
    pid_t kill_pid = 0;
    long interval_us = 1000;
    long timeout_s = 15;
    bool after_advert = false;
};

std::optional<long> parse_long(std::string_view s, long lo, long hi) {
    long v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || v < lo || v > hi) {
        return std::nullopt;
    }
    return v;
}

int usage(const std::string& msg) {
    std::fprintf(stderr, "vip_probe: %s\nTry 'vip_probe --help'.\n", msg.c_str());
    return kExitUsage;
}

// Returns -1 when parsing succeeded, else the exit code.
int parse_args(int argc, char** argv, Options& o) {
    static const option long_options[] = {{"iface", required_argument, nullptr, 'i'},
                                          {"vip", required_argument, nullptr, 'v'},
                                          {"expect-mac", required_argument, nullptr, 'm'},
                                          {"kill-pid", required_argument, nullptr, 'k'},
                                          {"interval-us", required_argument, nullptr, 'n'},
                                          {"timeout-s", required_argument, nullptr, 't'},
                                          {"after-advert", no_argument, nullptr, 'a'},
                                          {"help", no_argument, nullptr, 'h'},
                                          {nullptr, 0, nullptr, 0}};
    bool have_mac = false;
    int c = 0;
    // NOLINTNEXTLINE(concurrency-mt-unsafe): vip_probe has one thread
    while ((c = getopt_long(argc, argv, "", long_options, nullptr)) != -1) {
        const std::string_view arg = optarg != nullptr ? optarg : "";
        switch (c) {
            case 'i':
                o.iface = arg;
                break;
            case 'v': {
                in_addr a{};
                if (inet_pton(AF_INET, optarg, &a) != 1) {
                    return usage("--vip: not an IPv4 address: " + std::string(arg));
                }
                o.vip_be = a.s_addr;
                break;
            }
            case 'm': {
                const auto m = parse_mac(arg);
                if (!m) {
                    return usage("--expect-mac: not a MAC aa:bb:cc:dd:ee:ff: " + std::string(arg));
                }
                o.expect_mac = *m;
                have_mac = true;
                break;
            }
            case 'k': {
                const auto v = parse_long(arg, 2, 4194304);
                if (!v) {
                    return usage("--kill-pid: not a process id: " + std::string(arg));
                }
                o.kill_pid = static_cast<pid_t>(*v);
                break;
            }
            case 'n': {
                const auto v = parse_long(arg, 100, 1000000);
                if (!v) {
                    return usage("--interval-us: 100..1000000");
                }
                o.interval_us = *v;
                break;
            }
            case 't': {
                const auto v = parse_long(arg, 1, 600);
                if (!v) {
                    return usage("--timeout-s: 1..600");
                }
                o.timeout_s = *v;
                break;
            }
            case 'a':
                o.after_advert = true;
                break;
            case 'h':
                std::fputs(kHelp, stdout);
                return kExitOk;
            default:
                return usage("unknown option");
        }
    }
    if (optind != argc) {
        return usage(std::string("unexpected argument ") + argv[optind]);
    }
    if (o.iface.empty() || o.vip_be == 0 || !have_mac || o.kill_pid == 0) {
        return usage("--iface, --vip, --expect-mac and --kill-pid are required");
    }
    return -1;
}

struct Counts {
    std::uint64_t replies_before = 0;
    std::uint64_t old_after = 0;
    std::uint64_t sent_before = 0;
    std::uint64_t sent_after = 0;
    std::int64_t kill_realtime_ns = 0;
    std::int64_t last_old_ns = -1;
    std::int64_t advert_ns = -1;  // receive time of the advert the kill follows
    std::optional<Mac> old_mac;
};

// Pings until done(frame) says so or the phase's deadline passes. False on timeout.
template <typename Done>
bool ping_until(Sockets& s, const Options& o, std::uint64_t& sent, Done done) {
    const std::int64_t interval = o.interval_us * 1000;
    const std::int64_t deadline = now_ns(CLOCK_MONOTONIC) + o.timeout_s * 1000000000;
    std::int64_t next_send = now_ns(CLOCK_MONOTONIC);
    for (;;) {
        const std::int64_t now = now_ns(CLOCK_MONOTONIC);
        if (now >= deadline) {
            return false;
        }
        if (now >= next_send) {
            s.send_echo();
            ++sent;
            next_send = next_send + interval > now ? next_send + interval : now + interval;
        }
        const std::int64_t wait = next_send - now;
        const timespec ts{static_cast<time_t>(wait / 1000000000),
                          static_cast<long>(wait % 1000000000)};
        pollfd pfd{s.packet_fd(), POLLIN, 0};
        if (ppoll(&pfd, 1, &ts, nullptr) <= 0) {
            continue;
        }
        for (int i = 0; i < 256; ++i) {  // bounded drain per wake-up
            const auto f = s.read();
            if (!f) {
                break;
            }
            if (done(*f)) {
                return true;
            }
        }
    }
}

// Steps 1 and 2 of --help. Returns -1 when ready to kill, else the exit code.
int before_kill(Sockets& s, const Options& o, Counts& c) {
    bool backup_early = false;
    const bool ready = ping_until(s, o, c.sent_before, [&](const Frame& f) {
        if (f.kind != FrameKind::echo_reply) {
            return false;
        }
        if (f.src == o.expect_mac) {
            backup_early = true;
            return true;
        }
        c.old_mac = f.src;
        return ++c.replies_before >= kSanityReplies;
    });
    if (backup_early) {
        std::fprintf(stderr,
                     "vip_probe: %s (the backup) answers before the kill: the pair is not in "
                     "master/backup state\n",
                     mac_text(o.expect_mac).c_str());
        return kExitSetup;
    }
    if (!ready) {
        std::fprintf(stderr,
                     "vip_probe: only %llu echo replies in %ld s (sent %llu) before the kill\n",
                     static_cast<unsigned long long>(c.replies_before), o.timeout_s,
                     static_cast<unsigned long long>(c.sent_before));
        return kExitSetup;
    }
    if (o.after_advert && !ping_until(s, o, c.sent_before, [&](const Frame& f) {
            if (f.kind == FrameKind::vrrp_advert && f.src != o.expect_mac) {
                c.advert_ns = f.rx_realtime_ns;
                return true;
            }
            return false;
        })) {
        std::fprintf(stderr, "vip_probe: no VRRP advertisement from the master in %ld s\n",
                     o.timeout_s);
        return kExitSetup;
    }
    return -1;
}

int run(Sockets& s, const Options& o) {
    Counts c;
    if (const int rc = before_kill(s, o, c); rc >= 0) {
        return rc;
    }
    c.kill_realtime_ns = now_ns(CLOCK_REALTIME);
    if (kill(o.kill_pid, SIGKILL) != 0) {
        std::perror(("vip_probe: kill -KILL " + std::to_string(o.kill_pid)).c_str());
        return kExitSetup;
    }
    std::int64_t takeover_ns = -1;
    const bool moved = ping_until(s, o, c.sent_after, [&](const Frame& f) {
        if (f.kind != FrameKind::echo_reply) {
            return false;
        }
        if (f.src == o.expect_mac) {
            takeover_ns = f.rx_realtime_ns - c.kill_realtime_ns;
            return true;
        }
        ++c.old_after;
        c.last_old_ns = f.rx_realtime_ns - c.kill_realtime_ns;
        return false;
    });
    const std::string took = moved ? std::to_string(takeover_ns / 1000) : "timeout";
    const std::string old_mac = c.old_mac ? mac_text(*c.old_mac) : "none";
    std::printf(
        "takeover_us=%s replies_before=%llu old_mac_replies_after=%llu sent_after=%llu "
        "last_old_reply_us=%lld advert_age_us=%lld send_errors=%llu old_mac=%s\n",
        took.c_str(), static_cast<unsigned long long>(c.replies_before),
        static_cast<unsigned long long>(c.old_after), static_cast<unsigned long long>(c.sent_after),
        static_cast<long long>(c.last_old_ns < 0 ? -1 : c.last_old_ns / 1000),
        static_cast<long long>(c.advert_ns < 0 ? -1 : (c.kill_realtime_ns - c.advert_ns) / 1000),
        static_cast<unsigned long long>(s.send_errors()), old_mac.c_str());
    std::fflush(stdout);
    return moved ? kExitOk : kExitTimeout;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (const int rc = parse_args(argc, argv, o); rc >= 0) {
        return rc;
    }
    if (kill(o.kill_pid, 0) != 0) {
        std::perror(("vip_probe: --kill-pid " + std::to_string(o.kill_pid)).c_str());
        return kExitSetup;
    }
    Sockets s;
    if (!s.open(o.iface, o.vip_be)) {
        return kExitSetup;
    }
    return run(s, o);
}
