#pragma once
// Per-second rates over a sliding window of counter samples (`sluicectl list
// --rate`, `sluicectl workers`). The daemon adds one sample per key every
// second; a key's rates are (newest - oldest) / elapsed over the samples it
// keeps. Pure: time is the caller's.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::controlplane {

// (last - first) / seconds; 0 when the counter went back (a reused slot) or
// no time passed.
double per_second(std::uint64_t first, std::uint64_t last, double seconds);

class RateWindow {
  public:
    explicit RateWindow(std::size_t samples = 10) : capacity_(samples < 2 ? 2 : samples) {}

    // Records the counters of `key` at `t_s` seconds; keeps the last `samples`.
    void add(const std::string& key, double t_s, std::vector<std::uint64_t> values);
    // Rates of each counter over the window; nullopt before two samples.
    std::optional<std::vector<double>> rates(const std::string& key) const;
    // Seconds the window of `key` spans (0 before two samples).
    double span_s(const std::string& key) const;
    // Drops keys with no sample at or after `t_s` (removed services).
    void forget_before(double t_s);
    std::size_t keys() const { return series_.size(); }

  private:
    struct Sample {
        double t_s = 0;
        std::vector<std::uint64_t> values;
    };
    std::size_t capacity_;
    std::map<std::string, std::deque<Sample>> series_;
};

}  // namespace sluice::controlplane
