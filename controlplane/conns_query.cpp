#include "controlplane/conns_query.h"

#include <algorithm>

#include "controlplane/api_protocol.h"
#include "controlplane/conns_json.h"

namespace sluice::controlplane {

void ConnsQuery::run(const dataplane::conn::DumpFilter& filter, std::uint32_t limit, Reply reply) {
    const std::uint64_t seq = dataplane_.request_conn_dump(filter, limit);
    if (seq == 0) {
        reply(api_error("busy",
                        "the workers are still answering an earlier conns request; try again"));
        return;
    }
    check(seq, limit, std::chrono::steady_clock::now() + kConnsWait, reply);
}

void ConnsQuery::check(std::uint64_t seq, std::uint32_t limit,
                       std::chrono::steady_clock::time_point deadline, const Reply& reply) {
    auto answers = dataplane_.conn_dump_answers(seq);
    const bool all =
        std::all_of(answers.begin(), answers.end(), [](const auto& a) { return a.done; });
    if (all || std::chrono::steady_clock::now() >= deadline) {
        reply(api_ok(conns_to_json(answers, limit)));
        return;
    }
    // A timer per query: a second query may start once every worker answered
    // the first, while the first is still in its last wait.
    auto timer = std::make_shared<boost::asio::steady_timer>(io_);
    timer->expires_after(std::chrono::milliseconds(2));
    timer->async_wait([this, timer, seq, limit, deadline, reply](boost::system::error_code ec) {
        if (!ec) {
            check(seq, limit, deadline, reply);
        }
    });
}


}  // namespace sluice::controlplane
