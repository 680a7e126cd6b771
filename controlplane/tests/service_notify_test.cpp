#include "controlplane/service_notify.h"

#include <gtest/gtest.h>

namespace sluice::controlplane {
namespace {

TEST(WorkerHeartbeats, ReportsOnlyWorkersWhoseCounterDidNotMove) {
    WorkerHeartbeats h;
    const std::vector<std::uint64_t> first{10, 20, 30};
    EXPECT_TRUE(h.stalled(first).empty());  // nothing to compare with yet
    const std::vector<std::uint64_t> second{11, 20, 31};
    EXPECT_EQ(h.stalled(second), (std::vector<std::size_t>{1}));
    const std::vector<std::uint64_t> third{12, 21, 32};
    EXPECT_TRUE(h.stalled(third).empty());
    const std::vector<std::uint64_t> all_stuck{12, 21, 32};
    EXPECT_EQ(h.stalled(all_stuck), (std::vector<std::size_t>{0, 1, 2}));
    const std::vector<std::uint64_t> resized{1, 2};
    EXPECT_TRUE(h.stalled(resized).empty());  // a different worker set starts over
}

TEST(ServiceNotifier, IsANoOpWithoutSystemd) {
    ::unsetenv("NOTIFY_SOCKET");
    ServiceNotifier n;
    EXPECT_FALSE(n.active());
    EXPECT_FALSE(n.watchdog_interval().has_value());
    n.ready("x");  // must not crash or block
    n.watchdog();
}

}  // namespace
}  // namespace sluice::controlplane
