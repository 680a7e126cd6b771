#pragma once
// What the host offers in hugepages, read from /proc without DPDK, so that the
// EAL can be told up front to run with or without them.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::dataplane {

struct HugepageInfo {
    std::uint64_t free_pages = 0;
    std::uint64_t page_size_kb = 0;
    bool hugetlbfs_mounted = false;
    std::string mount_point;

    std::uint64_t free_mb() const { return free_pages * page_size_kb / 1024; }
};

// Parses the text of /proc/meminfo and /proc/mounts (pure; tested on samples).
HugepageInfo parse_hugepage_info(std::string_view meminfo, std::string_view mounts);

// Reads the live files; on any read error returns an empty HugepageInfo.
HugepageInfo probe_hugepages();

}  // namespace sluice::dataplane
