#include "dataplane/dataplane.h"

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "common/mbuf_budget.h"
#include "dataplane/eal_session.h"
#include "dataplane/port.h"

namespace sluice::dataplane {

Dataplane::Dataplane(DataplaneSettings settings) : settings_(std::move(settings)) {}

Dataplane::~Dataplane() { stop(); }

bool Dataplane::start(const EalPlan& plan, std::string& error) {
    if (!plan.error.empty()) {
        error = plan.error;
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

    const IdleBackoff backoff(settings_.idle == IdleMode::adaptive, settings_.idle_sleep_us);
    const auto burst = static_cast<std::uint16_t>(std::min(settings_.burst, kMaxBurst));
    std::uint16_t queue = 0;
    for (const auto lcore : settings_.worker_lcores) {
        workers_.push_back(std::make_unique<WorkerContext>(lcore, queue++, port_ids_, burst, backoff,
                                                           stop_flag_));
    }
    stop_flag_.store(false, std::memory_order_release);
    for (auto& w : workers_) {
        if (int rc = rte_eal_remote_launch(worker_main, w.get(), w->lcore); rc != 0) {
            error = "cannot launch worker on lcore " + std::to_string(w->lcore) + ": " +
                    rte_strerror(-rc);
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
        error = "mbufs = " + std::to_string(settings_.mbufs) + " is too few for " +
                std::to_string(nb_ports) + " ports x " + std::to_string(workers) +
                " workers with these ring sizes; need at least " + std::to_string(needed);
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
        const std::string name = device_name(port.device);
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
    }
    return true;
}

void Dataplane::stop() { release(); }

void Dataplane::release() {
    if (!eal_ready_) {
        return;
    }
    stop_flag_.store(true, std::memory_order_release);
    rte_eal_mp_wait_lcore();
    running_ = false;
    workers_.clear();
    // Close every probed port, started or not, so drivers release their sockets.
    for (std::uint16_t id = 0; id < RTE_MAX_ETHPORTS; ++id) {
        if (rte_eth_dev_is_valid_port(id) != 0) {
            close_port(id);
        }
    }
    port_ids_.clear();
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
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<WorkerStatus> Dataplane::worker_status() const {
    std::vector<WorkerStatus> out;
    for (const auto& w : workers_) {
        out.push_back(WorkerStatus{w->lcore, w->queue, w->stats.rx_packets.get(),
                                   w->stats.rx_bytes.get(), w->stats.polls.get(),
                                   w->stats.idle_polls.get(), w->stats.sleeps.get()});
    }
    return out;
}

}  // namespace sluice::dataplane
