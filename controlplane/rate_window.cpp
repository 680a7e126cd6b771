#include "controlplane/rate_window.h"

namespace sluice::controlplane {

double per_second(std::uint64_t first, std::uint64_t last, double seconds) {
    if (last < first || seconds <= 0) {
        return 0;
    }
    return static_cast<double>(last - first) / seconds;
}

void RateWindow::add(const std::string& key, double t_s, std::vector<std::uint64_t> values) {
    auto& s = series_[key];
    if (!s.empty() && s.back().values.size() != values.size()) {
        s.clear();  // a different set of counters: start over
    }
    s.push_back(Sample{t_s, std::move(values)});
    while (s.size() > capacity_) {
        s.pop_front();
    }
}

std::optional<std::vector<double>> RateWindow::rates(const std::string& key) const {
    const auto it = series_.find(key);
    if (it == series_.end() || it->second.size() < 2) {
        return std::nullopt;
    }
    const Sample& a = it->second.front();
    const Sample& b = it->second.back();
    std::vector<double> out;
    for (std::size_t i = 0; i < a.values.size(); ++i) {
        out.push_back(per_second(a.values[i], b.values[i], b.t_s - a.t_s));
    }
    return out;
}

double RateWindow::span_s(const std::string& key) const {
    const auto it = series_.find(key);
    if (it == series_.end() || it->second.size() < 2) {
        return 0;
    }
    return it->second.back().t_s - it->second.front().t_s;
}

void RateWindow::forget_before(double t_s) {
    for (auto it = series_.begin(); it != series_.end();) {
        if (it->second.empty() || it->second.back().t_s < t_s) {
            it = series_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace sluice::controlplane
