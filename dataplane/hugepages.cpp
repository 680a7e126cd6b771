#include "dataplane/hugepages.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace sluice::dataplane {
namespace {

std::uint64_t meminfo_value(std::string_view meminfo, std::string_view key) {
    std::size_t pos = 0;
    while (pos < meminfo.size()) {
        const auto eol = meminfo.find('\n', pos);
        const auto line = meminfo.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
        if (line.starts_with(key) && line.size() > key.size() && line[key.size()] == ':') {
            auto rest = line.substr(key.size() + 1);
            while (!rest.empty() && rest.front() == ' ') {
                rest.remove_prefix(1);
            }
            std::uint64_t v = 0;
            std::from_chars(rest.data(), rest.data() + rest.size(), v);
            return v;
        }
        if (eol == std::string_view::npos) {
            break;
        }
        pos = eol + 1;
    }
    return 0;
}

std::string read_file(const char* path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

HugepageInfo parse_hugepage_info(std::string_view meminfo, std::string_view mounts) {
    HugepageInfo info;
    info.free_pages = meminfo_value(meminfo, "HugePages_Free");
    info.page_size_kb = meminfo_value(meminfo, "Hugepagesize");
    std::size_t pos = 0;
    while (pos < mounts.size()) {
        const auto eol = mounts.find('\n', pos);
        const auto line = mounts.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
        // "<source> <mount point> <fstype> <options> 0 0"
        const auto first = line.find(' ');
        const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
        if (second != std::string_view::npos) {
            const auto fstype_end = line.find(' ', second + 1);
            const auto fstype = line.substr(second + 1, fstype_end == std::string_view::npos
                                                            ? fstype_end
                                                            : fstype_end - second - 1);
            if (fstype == "hugetlbfs" && !info.hugetlbfs_mounted) {
                info.hugetlbfs_mounted = true;
                info.mount_point = std::string(line.substr(first + 1, second - first - 1));
            }
        }
        if (eol == std::string_view::npos) {
            break;
        }
        pos = eol + 1;
    }
    return info;
}

HugepageInfo probe_hugepages() {
    return parse_hugepage_info(read_file("/proc/meminfo"), read_file("/proc/mounts"));
}

}  // namespace sluice::dataplane
