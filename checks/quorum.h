#pragma once
// A virtual server's quorum with hysteresis (pure), as keepalived 2.2.7 keeps
// it (ipwrapper.c update_quorum_state, set_quorum_states; check_data.c).
//
// The alive weight is the sum of the weights of the real servers that are up
// (see backend_weights.h alive_weight()). With quorum Q and hysteresis H:
//  - down -> up when alive >= Q + H ("Gained quorum Q+H=T <= alive");
//  - up -> down when alive < Q - H, or alive is 0 ("Lost quorum Q-H=T > alive");
//  - at start-up keepalived's state is alive >= Q + H (starts_up()).
// keepalived reads quorum as 1..2^32-1 and lowers a hysteresis >= quorum to
// quorum - 1 (so Q - H >= 1); sluice's config accepts quorum 0 and any
// hysteresis, and this class applies the same clamp, with quorum 0 acting as 1:
// a service with no live weight never has quorum (keepalived with quorum 0
// would lose it on alive 0 and regain it on the next evaluation).
// keepalived also lowers a quorum above the sum of the configured weights to
// that sum (sluice's validator only warns); the caller decides that.
//
// Crossing runs quorum_up / quorum_down, feeds VRRP track_service, and, with a
// sorry server, swaps the pool (backend_weights.h).

#include <cstdint>

namespace sluice::checks {

class Quorum {
  public:
    Quorum(std::uint32_t quorum, std::uint32_t hysteresis, bool initially_up);

    // keepalived's state at start-up for this alive weight.
    static bool starts_up(std::uint32_t quorum, std::uint32_t hysteresis,
                          std::uint64_t alive_weight);

    // Feeds the current alive weight; true when the state changed.
    bool update(std::uint64_t alive_weight);
    bool up() const { return up_; }

    // For log lines: the effective quorum and hysteresis (after the clamp),
    // and the weight the next change is measured against: while down the
    // alive weight must reach it, while up falling below it loses the quorum.
    std::uint64_t quorum() const { return quorum_; }
    std::uint64_t hysteresis() const { return hysteresis_; }
    std::uint64_t threshold() const;

  private:
    std::uint64_t quorum_;
    std::uint64_t hysteresis_;
    bool up_;
};

}  // namespace sluice::checks
