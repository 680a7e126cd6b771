#include "controlplane/neighbour_manager.h"

#include <array>

#include "dataplane/packet/arp.h"

namespace sluice::controlplane {

namespace df = dataplane::forward;

namespace {
// ARP again for a silent next hop at most this often, and refresh known ones
// this often (a backend replaced behind the same address gets a new MAC).
constexpr auto kRetry = std::chrono::seconds(1);
constexpr auto kRefresh = std::chrono::seconds(60);
// An entry nobody confirmed for this long is forgotten (a backend gone for
// good, a client that left): packets to it wait for a fresh resolution.
constexpr auto kStale = std::chrono::seconds(300);
constexpr std::uint32_t kEventsPerPoll = 256;
}  // namespace

NeighbourManager::NeighbourManager(dataplane::Dataplane& dataplane, Logger& log) : dataplane_(dataplane), log_(log) {}

void NeighbourManager::set_targets(const df::Snapshot& snapshot) {
    snapshot_ = &snapshot;
    targets_.clear();
    for (const auto& s : snapshot.services) {
        for (const auto& b : s.backends) {
            if (b.next_hop.value != 0) {
                targets_[b.next_hop.value] = b.out_port;
            }
        }
    }
    for (std::size_t i = 0; i < snapshot.ports.size(); ++i) {
        if (snapshot.ports[i].gateway) {
            targets_[snapshot.ports[i].gateway->value] = static_cast<std::uint16_t>(i);
        }
    }
    for (const auto& [ip, port] : extra_targets_) {
        targets_[ip] = port;
    }
}

void NeighbourManager::set_extra_targets(std::vector<std::pair<std::uint32_t, std::uint16_t>> targets) {
    extra_targets_ = std::move(targets);
    for (const auto& [ip, port] : extra_targets_) {
        targets_[ip] = port;
    }
}

std::optional<dataplane::packet::MacAddr> NeighbourManager::mac_of(std::uint32_t ip) const {
    const auto it = entries_.find(ip);
    if (it == entries_.end()) {
        return std::nullopt;
    }
    return it->second.mac;
}

void NeighbourManager::request(std::uint16_t port, std::uint32_t ip, Clock::time_point now) {
    if (snapshot_ == nullptr || port >= snapshot_->ports.size() || snapshot_->ports[port].addresses.empty()) {
        return;
    }
    if (auto it = asked_.find(ip); it != asked_.end() && now - it->second < kRetry) {
        return;
    }
    asked_[ip] = now;
    const auto& pv = snapshot_->ports[port];
    std::array<std::uint8_t, 64> frame{};
    std::uint32_t len = 0;
    if (dataplane::packet::build_arp_request(frame, pv.mac, pv.addresses.front().addr, common::Ipv4Addr{ip},
                                             std::nullopt, len) == dataplane::packet::ArpStatus::ok) {
        if (!dataplane_.send_frame(port, frame.data(), len)) {
            log_.warning("cannot queue an ARP request for " + common::Ipv4Addr{ip}.to_string() +
                         ": control TX ring full or no mbufs");
        }
    }
}

void NeighbourManager::poll(Clock::time_point now) {
    bool changed = false;
    std::array<df::NeighbourEvent, kEventsPerPoll> events;
    const std::uint32_t n = dataplane_.pop_events(events.data(), kEventsPerPoll);
    for (std::uint32_t i = 0; i < n; ++i) {
        const auto& e = events[i];
        if (e.kind == df::NeighbourEvent::Kind::learned) {
            auto& entry = entries_[e.ip];
            if (entry.mac != e.mac) {
                const auto text = e.mac.format();
                log_.info("neighbour " + common::Ipv4Addr{e.ip}.to_string() + " is at " +
                          std::string(text.data(), text.size()));
                changed = true;
            }
            entry = Entry{e.mac, e.port, now};
        } else {
            request(e.port, e.ip, now);
        }
    }
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (now - it->second.learned > kStale) {
            log_.info("neighbour " + common::Ipv4Addr{it->first}.to_string() + " expired (not confirmed for " +
                      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kStale).count()) + " s)");
            it = entries_.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    for (const auto& [ip, port] : targets_) {
        const auto it = entries_.find(ip);
        if (it == entries_.end() || now - it->second.learned > kRefresh) {
            request(port, ip, now);
        }
    }
    if (changed) {
        std::vector<std::pair<std::uint32_t, dataplane::packet::MacAddr>> table;
        for (const auto& [ip, entry] : entries_) {
            table.emplace_back(ip, entry.mac);
        }
        dataplane_.publish_neighbours(std::make_unique<df::NeighbourTable>(std::move(table)));
    }
}

}  // namespace sluice::controlplane
