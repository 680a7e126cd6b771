#pragma once
// `conns` on the control loop without blocking it: asks every worker for its
// matching connections (dataplane::Dataplane::request_conn_dump), then checks
// every few milliseconds on a timer until all answered or kConnsWait passed;
// workers that did not answer by then are reported as not answering.

#include <chrono>
#include <cstdint>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "dataplane/dataplane.h"

namespace sluice::controlplane {

inline constexpr auto kConnsWait = std::chrono::milliseconds(200);

class ConnsQuery {
  public:
    using Reply = std::function<void(nlohmann::json response)>;

    ConnsQuery(boost::asio::io_context& io, dataplane::Dataplane& dataplane)
        : io_(io), dataplane_(dataplane) {}

    // Starts a query; `reply` gets an api_ok or api_error response later (or
    // now, when the workers are still busy with an earlier one).
    void run(const dataplane::conn::DumpFilter& filter, std::uint32_t limit, Reply reply);

  private:
    void check(std::uint64_t seq, std::uint32_t limit,
               std::chrono::steady_clock::time_point deadline, const Reply& reply);

    boost::asio::io_context& io_;
    dataplane::Dataplane& dataplane_;
};

}  // namespace sluice::controlplane
