#pragma once
// An immutable object published to the workers through an RCU-protected
// pointer (DPDK rte_rcu_qsbr): the control plane swaps in a new version at any
// time, workers keep reading whichever version they loaded until their next
// quiescent state, and the old version is freed only after every worker has
// passed one (the grace period).
//
// Writer side (control-plane thread only): publish(), reclaim(), drain().
// Reader side (worker `id`): online/offline around sleeps, load() at the top of
// a loop iteration, quiescent() at the bottom. Readers never block or allocate.

#include <rte_rcu_qsbr.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>

namespace sluice::dataplane {

// Owns the rte_rcu_qsbr variable (cache-aligned, sized for `max_readers`).
class QsbrDomain {
public:
    explicit QsbrDomain(std::uint32_t max_readers);
    ~QsbrDomain();
    QsbrDomain(const QsbrDomain&) = delete;
    QsbrDomain& operator=(const QsbrDomain&) = delete;

    rte_rcu_qsbr* get() const { return qs_; }
    std::uint32_t max_readers() const { return max_readers_; }

    // Reader registration: call from the control plane before launching the
    // worker, and after it stopped. A registered reader that is online holds up
    // every grace period until it reports quiescence or goes offline.
    void register_reader(std::uint32_t id) { rte_rcu_qsbr_thread_register(qs_, id); }
    void unregister_reader(std::uint32_t id) { rte_rcu_qsbr_thread_unregister(qs_, id); }

    // Reader side, on the worker itself.
    void online(std::uint32_t id) { rte_rcu_qsbr_thread_online(qs_, id); }
    void offline(std::uint32_t id) { rte_rcu_qsbr_thread_offline(qs_, id); }
    void quiescent(std::uint32_t id) { rte_rcu_qsbr_quiescent(qs_, id); }

private:
    rte_rcu_qsbr* qs_ = nullptr;
    std::uint32_t max_readers_;
};

template <typename T>
class RcuPublished {
public:
    explicit RcuPublished(QsbrDomain& domain) : domain_(domain) {}
    ~RcuPublished() { drain(); delete current_.load(std::memory_order_relaxed); }
    RcuPublished(const RcuPublished&) = delete;
    RcuPublished& operator=(const RcuPublished&) = delete;

    // Reader: the current version (may be null before the first publish).
    // acquire pairs with publish()'s release: the object's contents are visible.
    const T* load() const { return current_.load(std::memory_order_acquire); }

    // Writer: makes `next` current; the previous version is retired and freed by
    // a later reclaim() once all readers have been quiescent since now.
    void publish(std::unique_ptr<T> next) {
        const T* old = current_.exchange(next.release(), std::memory_order_acq_rel);
        if (old != nullptr) {
            retired_.emplace_back(rte_rcu_qsbr_start(domain_.get()), std::unique_ptr<const T>(old));
        }
    }

    // Writer: frees every retired version whose grace period is over, without
    // waiting. Returns how many are still waiting.
    std::size_t reclaim() {
        while (!retired_.empty() && rte_rcu_qsbr_check(domain_.get(), retired_.front().first, false) == 1) {
            retired_.pop_front();
        }
        return retired_.size();
    }

    // Writer: waits for every grace period, then frees all retired versions
    // (shutdown, or after the workers have stopped).
    void drain() {
        for (auto& [token, object] : retired_) {
            rte_rcu_qsbr_check(domain_.get(), token, true);
            object.reset();
        }
        retired_.clear();
    }

    std::size_t retired() const { return retired_.size(); }

private:
    QsbrDomain& domain_;
    std::atomic<const T*> current_{nullptr};
    std::deque<std::pair<std::uint64_t, std::unique_ptr<const T>>> retired_;
};

}  // namespace sluice::dataplane
