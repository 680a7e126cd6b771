#include "dataplane/hugepages.h"

#include <gtest/gtest.h>

namespace sluice::dataplane {
namespace {

constexpr const char* kMeminfo =
    "MemTotal:       24000000 kB\n"
    "HugePages_Total:     512\n"
    "HugePages_Free:      500\n"
    "HugePages_Rsvd:        0\n"
    "Hugepagesize:       2048 kB\n";

TEST(Hugepages, ParsesFreePagesAndMount) {
    auto info = parse_hugepage_info(
        kMeminfo,
        "proc /proc proc rw 0 0\nnodev /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n");
    EXPECT_EQ(info.free_pages, 500u);
    EXPECT_EQ(info.page_size_kb, 2048u);
    EXPECT_EQ(info.free_mb(), 1000u);
    EXPECT_TRUE(info.hugetlbfs_mounted);
    EXPECT_EQ(info.mount_point, "/dev/hugepages");
}

TEST(Hugepages, NoMountNoPages) {
    auto info = parse_hugepage_info("MemTotal: 1 kB\n", "proc /proc proc rw 0 0");
    EXPECT_EQ(info.free_pages, 0u);
    EXPECT_FALSE(info.hugetlbfs_mounted);
    EXPECT_EQ(info.free_mb(), 0u);
}

}  // namespace
}  // namespace sluice::dataplane
