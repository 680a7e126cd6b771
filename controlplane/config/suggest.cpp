#include "controlplane/config/suggest.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace sluice::config {
namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// keepalived keywords (and common plurals) whose sluice key is not a near
// spelling, so edit distance alone would not find it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kSynonyms{{
    {"lvs_sched", "lb_algo"},
    {"lvs_method", "lb_kind"},
    {"router_id", "node_name"},
    {"real_servers", "real_server"},
    {"virtual_servers", "virtual_server"},
    {"vrrp_instances", "vrrp_instance"},
    {"ports", "port"},
    {"virtual_ipaddresses", "virtual_ipaddress"},
    {"nb_sock_retry", "retry"},
}};

// Allowed distance grows with the key: one slip in a short key, up to three
// in a long one. Larger thresholds suggest unrelated keys.
std::size_t max_distance(std::string_view key) {
    if (key.size() <= 4) {
        return 1;
    }
    return key.size() <= 8 ? 2 : 3;
}

// "VI_3" for "VI_1", "port2" for "port1": names that differ only in digits
// are numbered siblings, not typos of each other.
bool differ_only_in_digits(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]) && (std::isdigit(static_cast<unsigned char>(a[i])) == 0 ||
                                           std::isdigit(static_cast<unsigned char>(b[i])) == 0)) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    // d[i][j]: distance between a[0..i) and b[0..j), one row of m+1 per i.
    std::vector<std::size_t> d((n + 1) * (m + 1));
    auto at = [m, &d](std::size_t i, std::size_t j) -> std::size_t& { return d[i * (m + 1) + j]; };
    for (std::size_t i = 0; i <= n; ++i) {
        at(i, 0) = i;
    }
    for (std::size_t j = 0; j <= m; ++j) {
        at(0, j) = j;
    }
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1])) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(n, m);
}

std::optional<std::string> closest_key(std::string_view key,
                                       std::span<const std::string_view> candidates) {
    for (const auto& [from, to] : kSynonyms) {
        if (key == from &&
            std::find(candidates.begin(), candidates.end(), to) != candidates.end()) {
            return std::string(to);
        }
    }
    std::optional<std::string> best;
    std::size_t best_distance = max_distance(key) + 1;
    for (std::string_view candidate : candidates) {
        const std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance && !differ_only_in_digits(key, candidate)) {
            best_distance = distance;
            best = std::string(candidate);
        }
    }
    return best;
}

}  // namespace sluice::config
