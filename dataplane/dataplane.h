#pragma once
// The dataplane as one object: EAL, mempool, ports and polling workers.
// Created and driven by the control plane's main thread; workers run on their
// own lcores until stop(). Library code never exits the process: every failure
// comes back as a message.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/eal_args.h"
#include "dataplane/settings.h"
#include "dataplane/status.h"
#include "dataplane/worker.h"

struct rte_mempool;

namespace sluice::dataplane {

class Dataplane {
public:
    explicit Dataplane(DataplaneSettings settings);
    ~Dataplane();
    Dataplane(const Dataplane&) = delete;
    Dataplane& operator=(const Dataplane&) = delete;

    // Initialises the EAL with `plan`, creates the mempool, opens and starts
    // every configured port and launches one worker per worker lcore.
    // On failure returns false with `error` set; whatever was opened is closed.
    // Can be called once per process (the EAL cannot be initialised twice).
    bool start(const EalPlan& plan, std::string& error);

    // Raises the stop flag, waits for every worker, stops and closes the ports
    // and releases the EAL (no hugepage files remain). Idempotent.
    void stop();

    bool running() const { return running_; }
    std::vector<PortStatus> port_status() const;
    std::vector<WorkerStatus> worker_status() const;

private:
    bool open_ports(std::string& error);
    void release();

    DataplaneSettings settings_;
    bool eal_ready_ = false;
    bool running_ = false;
    rte_mempool* pool_ = nullptr;
    std::vector<std::uint16_t> port_ids_;  // index i = settings_.ports[i]
    std::vector<std::unique_ptr<WorkerContext>> workers_;
    std::atomic<bool> stop_flag_{false};
};

}  // namespace sluice::dataplane
