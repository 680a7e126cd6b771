#include "dataplane/dataplane.h"

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cstring>

#include "common/mbuf_budget.h"
#include "dataplane/eal_session.h"
#include "dataplane/port.h"

namespace sluice::dataplane {

namespace {
constexpr std::uint32_t kEventRingSize = 4096;
constexpr std::uint32_t kControlTxRingSize = 1024;
constexpr std::uint32_t kRedirectRingSize = 4096;
// VRRP adverts: a few per instance per interval; a flood beyond this is counted punt_full.
constexpr std::uint32_t kPuntRingSize = 1024;
constexpr auto kStopDrain = std::chrono::milliseconds(100);
}  // namespace

Dataplane::Dataplane(DataplaneSettings settings) : settings_(std::move(settings)) {}

Dataplane::~Dataplane() { stop(); }

bool Dataplane::start(const EalPlan& plan, std::string& error) {
    if (!plan.error.empty()) {
        error = plan.error;
        return false;
    }
    if (settings_.ports.size() > kMaxPorts) {
        error = "at most " + std::to_string(kMaxPorts) + " ports are supported";
        return false;
    }
    if (!eal_init(plan.args, error)) {
        return false;
    }
    eal_ready_ = true;

    if (!open_ports(error)) {
        release();
        return false;
    }
    const auto workers = static_cast<std::uint32_t>(settings_.worker_lcores.size());
    qsbr_ = std::make_unique<QsbrDomain>(workers);
    snapshot_holder_ = std::make_unique<RcuPublished<forward::Snapshot>>(*qsbr_);
    neighbours_holder_ = std::make_unique<RcuPublished<forward::NeighbourTable>>(*qsbr_);
    neighbours_holder_->publish(std::make_unique<forward::NeighbourTable>());
    events_ = std::make_unique<EventRing>("sluice_events", kEventRingSize);
    control_tx_ = std::make_unique<TxRing>("sluice_ctl_tx", kControlTxRingSize);
    punt_ = std::make_unique<PuntRing>("sluice_punt", kPuntRingSize);
    punt_wakeup_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!events_->ok() || !control_tx_->ok() || !punt_->ok()) {
        error = std::string("cannot create the control rings: ") + rte_strerror(rte_errno);
        release();
        return false;
    }

    for (std::uint32_t i = 0; i < workers; ++i) {
        redirect_.push_back(std::make_unique<RedirectRing>("sluice_redir" + std::to_string(i), kRedirectRingSize));
        if (!redirect_.back()->ok()) {
            error = std::string("cannot create redirect ring: ") + rte_strerror(rte_errno);
            release();
            return false;
        }
        redirect_ptrs_.push_back(redirect_.back().get());
    }

    const IdleBackoff backoff(settings_.idle == IdleMode::adaptive, settings_.idle_sleep_us);
    const auto burst = static_cast<std::uint16_t>(std::min(settings_.burst, kMaxBurst));
    const WorkerShared shared{snapshot_holder_.get(), neighbours_holder_.get(), qsbr_.get(), events_.get(),
                              &stop_flag_, redirect_ptrs_.data(), punt_.get(), punt_wakeup_fd_, workers};
    forward::PipelineConfig pipeline_config;
    pipeline_config.max_connections = settings_.max_connections_per_worker;
    std::uint16_t queue = 0;
    for (const auto lcore : settings_.worker_lcores) {
        workers_.push_back(std::make_unique<WorkerContext>(lcore, queue, port_ids_, tap_ids_, burst, backoff, shared,
                                                           pipeline_config,
                                                           queue == 0 ? control_tx_.get() : nullptr));
        if (!workers_.back()->pipeline.connections().ok()) {
            error = "cannot allocate the connection table (" +
                    std::to_string(settings_.max_connections_per_worker) + " connections per worker)";
            release();
            return false;
        }
        qsbr_->register_reader(queue);
        ++queue;
    }
    stop_flag_.store(false, std::memory_order_release);
    for (auto& w : workers_) {
        if (int rc = rte_eal_remote_launch(worker_main, w.get(), w->lcore); rc != 0) {
            error = "cannot launch worker on lcore " + std::to_string(w->lcore) + ": " + rte_strerror(-rc);
            release();
            return false;
        }
    }
    running_ = true;
    return true;
}

bool Dataplane::open_ports(std::string& error) {
    const auto workers = static_cast<std::uint16_t>(settings_.worker_lcores.size());
    const auto nb_ports = static_cast<std::uint32_t>(settings_.ports.size());
    const std::uint64_t needed = common::mbufs_needed(nb_ports, workers, settings_.rx_desc, settings_.tx_desc,
                                                      settings_.mbuf_cache, settings_.burst);
    if (settings_.mbufs < needed) {
        error = "mbufs = " + std::to_string(settings_.mbufs) + " is too few for " + std::to_string(nb_ports) +
                " ports x " + std::to_string(workers) + " workers with these ring sizes; need at least " +
                std::to_string(needed);
        return false;
    }
    pool_ = rte_pktmbuf_pool_create("sluice_mbufs", settings_.mbufs, settings_.mbuf_cache, 0,
                                    RTE_MBUF_DEFAULT_BUF_SIZE, static_cast<int>(rte_socket_id()));
    if (pool_ == nullptr) {
        error = std::string("cannot create the mbuf pool (") + std::to_string(settings_.mbufs) +
                " mbufs): " + rte_strerror(rte_errno) +
                "; lower [dataplane] mbufs or raise memory_mb / reserve hugepages";
        return false;
    }
    for (const auto& port : settings_.ports) {
        std::uint16_t id = 0;
        const std::string name(device_name(port.device));
        if (rte_eth_dev_get_port_by_name(name.c_str(), &id) != 0) {
            error = "port '" + port.name + "': device '" + port.device +
                    "' was not probed by DPDK (check the device string, that the interface "
                    "or PCI device exists, and the EAL log above)";
            return false;
        }
        const PortQueueSetup setup{workers, settings_.rx_desc, settings_.tx_desc};
        std::string port_error;
        if (!start_port(id, setup, pool_, port_error)) {
            error = "port '" + port.name + "' (" + port.device + "): " + port_error;
            return false;
        }
        port_ids_.push_back(id);
        tap_ids_.push_back(kNoPort);
        if (port.exception_path) {
            std::uint16_t tap = 0;
            const std::string tap_name = exception_device(port_ids_.size() - 1);
            if (rte_eth_dev_get_port_by_name(tap_name.c_str(), &tap) != 0) {
                error = "port '" + port.name + "': the exception-path TAP " + exception_interface(port.name) +
                        " was not created (is the tun module available? see the EAL log above)";
                return false;
            }
            if (!start_port(tap, setup, pool_, port_error)) {
                error = "port '" + port.name + "' exception path " + exception_interface(port.name) + ": " +
                        port_error;
                return false;
            }
            // The kernel must see itself with the port's MAC: peers answer to it.
            rte_ether_addr mac{};
            rte_eth_macaddr_get(id, &mac);
            if (int rc = rte_eth_dev_default_mac_addr_set(tap, &mac); rc != 0) {
                error = "port '" + port.name + "': cannot give " + exception_interface(port.name) +
                        " the port's MAC: " + rte_strerror(-rc);
                return false;
            }
            tap_ids_.back() = tap;
        }
    }
    return true;
}

void Dataplane::stop() {
    // Let worker 0 send what the control plane queued last (VRRP's priority-0
    // adverts on a graceful stop), for at most kStopDrain.
    if (running_ && control_tx_) {
        const auto deadline = std::chrono::steady_clock::now() + kStopDrain;
        while (!control_tx_->empty() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the burst it popped leaves TX
    }
    release();
}

bool Dataplane::link_up(std::uint16_t port_index) const {
    if (port_index >= port_ids_.size()) {
        return false;
    }
    rte_eth_link link{};
    return rte_eth_link_get_nowait(port_ids_[port_index], &link) == 0 && link.link_status == RTE_ETH_LINK_UP;
}

std::string Dataplane::add_mac(std::uint16_t port_index, const packet::MacAddr& mac) {
    if (port_index >= port_ids_.size()) {
        return "no such port";
    }
    rte_ether_addr addr{};
    std::memcpy(addr.addr_bytes, mac.bytes.data(), mac.bytes.size());
    const int rc = rte_eth_dev_mac_addr_add(port_ids_[port_index], &addr, 0);
    if (rc == 0 || rc == -ENOTSUP) {
        return "";  // ENOTSUP: the PMD has no filter; the port is promiscuous anyway
    }
    return rte_strerror(-rc);
}

void Dataplane::release() {
    if (!eal_ready_) {
        return;
    }
    stop_flag_.store(true, std::memory_order_release);
    rte_eal_mp_wait_lcore();
    running_ = false;
    for (std::uint32_t i = 0; i < workers_.size(); ++i) {
        qsbr_->unregister_reader(i);
        auto& w = *workers_[i];
        for (std::uint32_t p = 0; p < w.pending_count; ++p) {
            rte_pktmbuf_free(w.pending[p].m);
        }
        w.pending_count = 0;
        for (std::uint32_t p = 0; p < w.control_backlog_count; ++p) {
            rte_pktmbuf_free(w.control_backlog[p]);
        }
        w.control_backlog_count = 0;
    }
    workers_.clear();
    snapshot_holder_.reset();
    neighbours_holder_.reset();
    qsbr_.reset();
    control_tx_.reset();
    punt_.reset();
    if (punt_wakeup_fd_ >= 0) {
        ::close(punt_wakeup_fd_);
        punt_wakeup_fd_ = -1;
    }
    events_.reset();
    redirect_ptrs_.clear();
    redirect_.clear();
    // Close every probed port, started or not, so drivers release their sockets.
    for (std::uint16_t id = 0; id < RTE_MAX_ETHPORTS; ++id) {
        if (rte_eth_dev_is_valid_port(id) != 0) {
            close_port(id);
        }
    }
    port_ids_.clear();
    tap_ids_.clear();
    if (pool_ != nullptr) {
        rte_mempool_free(pool_);
        pool_ = nullptr;
    }
    eal_cleanup();
    eal_ready_ = false;
}

std::vector<PortStatus> Dataplane::port_status() const {
    std::vector<PortStatus> out;
    for (std::size_t i = 0; i < port_ids_.size(); ++i) {
        PortStatus s = read_port_status(port_ids_[i]);
        s.name = settings_.ports[i].name;
        s.device = settings_.ports[i].device;
        if (settings_.ports[i].exception_path) {
            s.exception_interface = exception_interface(settings_.ports[i].name);
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<packet::MacAddr> Dataplane::port_macs() const {
    std::vector<packet::MacAddr> out;
    for (const auto id : port_ids_) {
        rte_ether_addr mac{};
        rte_eth_macaddr_get(id, &mac);
        packet::MacAddr m;
        std::memcpy(m.bytes.data(), mac.addr_bytes, m.bytes.size());
        out.push_back(m);
    }
    return out;
}

std::vector<WorkerStatus> Dataplane::worker_status() const {
    std::vector<WorkerStatus> out;
    for (const auto& w : workers_) {
        out.push_back(WorkerStatus{w->lcore, w->queue, w->stats.rx_packets.get(), w->stats.rx_bytes.get(),
                                   w->stats.polls.get(), w->stats.idle_polls.get(), w->stats.sleeps.get(),
                                   w->stats.tx_packets.get(), w->pipeline.connections().size()});
    }
    return out;
}

void Dataplane::publish_snapshot(std::unique_ptr<forward::Snapshot> snapshot) {
    snapshot_holder_->publish(std::move(snapshot));
}

void Dataplane::publish_neighbours(std::unique_ptr<forward::NeighbourTable> neighbours) {
    neighbours_holder_->publish(std::move(neighbours));
}

void Dataplane::reclaim() {
    if (snapshot_holder_) {
        snapshot_holder_->reclaim();
        neighbours_holder_->reclaim();
    }
}

std::uint32_t Dataplane::pop_events(forward::NeighbourEvent* out, std::uint32_t max) {
    return events_ ? events_->pop(out, max) : 0;
}

std::uint32_t Dataplane::drain_punted(const PuntHandler& handler, std::uint32_t max) {
    if (!punt_) {
        return 0;
    }
    rte_mbuf* burst[kMaxBurst];
    std::uint32_t done = 0;
    while (done < max) {
        const std::uint32_t n = punt_->pop(burst, std::min<std::uint32_t>(kMaxBurst, max - done));
        for (std::uint32_t i = 0; i < n; ++i) {
            rte_mbuf* m = burst[i];
            const auto it = std::find(port_ids_.begin(), port_ids_.end(), m->port);
            if (it != port_ids_.end() && m->nb_segs == 1) {
                handler(static_cast<std::uint16_t>(it - port_ids_.begin()),
                        std::span<const std::uint8_t>(rte_pktmbuf_mtod(m, const std::uint8_t*),
                                                      rte_pktmbuf_data_len(m)));
            }
            rte_pktmbuf_free(m);
        }
        done += n;
        if (n == 0) {
            break;
        }
    }
    return done;
}

bool Dataplane::send_frame(std::uint16_t port_index, const std::uint8_t* frame, std::uint32_t len) {
    if (!control_tx_ || port_index >= port_ids_.size() || workers_.empty()) {
        return false;
    }
    rte_mbuf* m = rte_pktmbuf_alloc(pool_);
    if (m == nullptr) {
        return false;
    }
    char* dst = rte_pktmbuf_append(m, static_cast<std::uint16_t>(len));
    if (dst == nullptr) {
        rte_pktmbuf_free(m);
        return false;
    }
    std::memcpy(dst, frame, len);
    m->port = port_ids_[port_index];
    if (!control_tx_->push(m)) {
        rte_pktmbuf_free(m);
        return false;
    }
    return true;
}

ForwardTotals Dataplane::forward_totals() const {
    ForwardTotals t;
    for (const auto& w : workers_) {
        const auto& c = w->pipeline.counters();
        for (std::size_t i = 0; i < t.drops.size(); ++i) {
            t.drops[i] += c.drops[i].get();
        }
        t.arp_replies += c.arp_replies.get();
        t.icmp_echo_replies += c.icmp_echo_replies.get();
        t.forwarded += c.forwarded.get();
        t.redirected += c.redirected.get();
        t.punted += c.punted.get();
        t.to_host += c.to_host.get();
        t.from_host += c.from_host.get();
        t.sorry += c.sorry.get();
        t.resets_sent += c.resets_sent.get();
        // size() is read racily (a plain load of a worker-written integer): a
        // statistic, never used for a decision.
        t.connections += w->pipeline.connections().size();
        t.connection_capacity += w->pipeline.connections().capacity();
    }
    return t;
}

namespace {
TrafficTotals sum(const std::vector<std::unique_ptr<WorkerContext>>& workers, bool backend, std::uint32_t slot) {
    TrafficTotals t;
    for (const auto& w : workers) {
        const auto& c = backend ? w->pipeline.counters().backends[slot] : w->pipeline.counters().services[slot];
        t.connections += c.connections.get();
        t.packets_in += c.packets_in.get();
        t.bytes_in += c.bytes_in.get();
        t.packets_out += c.packets_out.get();
        t.bytes_out += c.bytes_out.get();
        if (backend) {
            const auto& counts = w->pipeline.backend_conn_counts()[slot];
            t.active += counts.active;
            t.inactive += counts.inactive;
        }
    }
    return t;
}
}  // namespace

std::uint64_t Dataplane::request_conn_dump(const conn::DumpFilter& filter, std::uint32_t limit) {
    for (const auto& w : workers_) {
        if (w->dump.completed.load(std::memory_order_acquire) != w->dump.requested.load(std::memory_order_relaxed)) {
            return 0;
        }
    }
    ++dump_seq_;
    for (auto& w : workers_) {
        w->dump.filter = filter;
        w->dump.limit = std::min(limit, kMaxDump);
        w->dump.requested.store(dump_seq_, std::memory_order_release);
    }
    return dump_seq_;
}

std::vector<Dataplane::ConnDumpAnswer> Dataplane::conn_dump_answers(std::uint64_t seq) const {
    std::vector<ConnDumpAnswer> out;
    for (const auto& w : workers_) {
        ConnDumpAnswer a;
        a.lcore = w->lcore;
        a.done = w->dump.completed.load(std::memory_order_acquire) == seq;
        if (a.done) {
            a.records = std::span<const conn::DumpRecord>(w->dump.records.data(), w->dump.count);
            a.truncated = w->dump.truncated;
        }
        out.push_back(a);
    }
    return out;
}

TrafficTotals Dataplane::service_totals(std::uint32_t slot) const {
    return slot < forward::kMaxServiceSlots ? sum(workers_, false, slot) : TrafficTotals{};
}

TrafficTotals Dataplane::backend_totals(std::uint32_t slot) const {
    return slot < forward::kMaxBackendSlots ? sum(workers_, true, slot) : TrafficTotals{};
}

}  // namespace sluice::dataplane
