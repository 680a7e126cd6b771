// RCU publication without the EAL: rte_rcu_qsbr is plain shared memory.
#include "dataplane/rcu_published.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace sluice::dataplane {
namespace {

struct Version {
    explicit Version(int v, std::atomic<int>& alive) : value(v), alive_count(alive) { ++alive_count; }
    ~Version() { --alive_count; }
    int value;
    std::atomic<int>& alive_count;
};

TEST(RcuPublished, OldVersionLivesUntilEveryOnlineReaderWasQuiescent) {
    std::atomic<int> alive{0};
    QsbrDomain domain(2);
    RcuPublished<Version> published(domain);
    domain.register_reader(0);
    domain.online(0);

    published.publish(std::make_unique<Version>(1, alive));
    const Version* seen = published.load();  // reader 0 holds version 1
    ASSERT_EQ(seen->value, 1);
    published.publish(std::make_unique<Version>(2, alive));
    EXPECT_EQ(published.reclaim(), 1u);  // reader 0 has not been quiescent
    EXPECT_EQ(alive.load(), 2);
    EXPECT_EQ(seen->value, 1);           // still safe to read

    domain.quiescent(0);
    EXPECT_EQ(published.reclaim(), 0u);
    EXPECT_EQ(alive.load(), 1);
    EXPECT_EQ(published.load()->value, 2);

    domain.offline(0);
    domain.unregister_reader(0);
}

TEST(RcuPublished, OfflineReadersDoNotHoldUpReclaim) {
    std::atomic<int> alive{0};
    QsbrDomain domain(4);
    RcuPublished<Version> published(domain);
    domain.register_reader(3);  // registered but offline, e.g. sleeping in idle back-off
    published.publish(std::make_unique<Version>(1, alive));
    published.publish(std::make_unique<Version>(2, alive));
    EXPECT_EQ(published.reclaim(), 0u);
    EXPECT_EQ(alive.load(), 1);
    domain.unregister_reader(3);
}

TEST(RcuPublished, ConcurrentReaderNeverSeesAFreedVersion) {
    std::atomic<int> alive{0};
    QsbrDomain domain(1);
    RcuPublished<Version> published(domain);
    published.publish(std::make_unique<Version>(0, alive));
    domain.register_reader(0);
    std::atomic<bool> stop{false};
    std::atomic<long> bad{0};
    std::thread reader([&] {
        domain.online(0);
        int last = 0;
        while (!stop.load(std::memory_order_acquire)) {
            const Version* v = published.load();
            // A freed version would have been overwritten by the destructor's
            // bookkeeping, and ASan would flag the read; values only go up.
            if (v->value < last) {
                ++bad;
            }
            last = v->value;
            domain.quiescent(0);
        }
        domain.offline(0);
    });
    for (int i = 1; i <= 2000; ++i) {
        published.publish(std::make_unique<Version>(i, alive));
        published.reclaim();
    }
    stop.store(true, std::memory_order_release);
    reader.join();
    published.drain();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(alive.load(), 1);
    domain.unregister_reader(0);
}

}  // namespace
}  // namespace sluice::dataplane
