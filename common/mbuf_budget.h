#pragma once
// How many packet buffers a dataplane layout can hold at once: every RX and TX
// descriptor of every worker queue on every port, plus each lcore's mempool
// cache and one burst in flight. A pool smaller than this can run dry under
// load (RX then drops and counts rx_nombuf). Used by config validation and by
// the dataplane itself, so both give the same number.

#include <cstdint>

namespace sluice::common {

constexpr std::uint64_t mbufs_needed(std::uint64_t ports, std::uint64_t workers, std::uint64_t rx_desc,
                                     std::uint64_t tx_desc, std::uint64_t mbuf_cache, std::uint64_t burst) {
    return ports * workers * (rx_desc + tx_desc) + (workers + 1) * (mbuf_cache + burst);
}

}  // namespace sluice::common
