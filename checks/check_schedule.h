#pragma once
// The per-backend check schedule (pure): when to run the next check attempt,
// how retries and rise/fall turn attempt results into the backend's health.
// No clock and no I/O: times are microseconds the caller passes in, the warm-up
// draws from a seed the caller passes in.
//
// keepalived 2.2.7 semantics (check_tcp.c tcp_epilog, check_udp.c udp_epilog,
// check_dns.c dns_final, check_misc.c misc_check_child_thread,
// check_http.c epilog; warm-up in check_api.c register_checkers_thread):
//  - The first attempt runs at a random time in [0, warmup) after the checks
//    start, so checks do not fire in lockstep. keepalived draws
//    warmup * random() / RAND_MAX, adds BOOTSTRAP_DELAY (1 s) and defaults
//    warmup to delay_loop (check_data.c); the caller folds that bootstrap
//    delay into `now_us` and picks warmup_us.
//  - An attempt that fails while the backend is up and retries are left is
//    not counted yet: the next attempt is a retry, delay_before_retry later.
//    When `retry` retries have failed as well (retry + 1 attempts in a row),
//    that is one counted failure. A success at any point resets the retries.
//  - While the backend is down a failure counts at once: there is nothing to
//    protect by retrying (UDP_CHECK, DNS_CHECK and MISC_CHECK in 2.2.7; an
//    HTTP_GET that is down waits max(delay_before_retry, delay_loop) between
//    attempts, so it too probes at delay_loop; only TCP_CHECK still retries
//    at delay_before_retry while down).
//  - After a success or a counted failure the next attempt is `interval`
//    (delay_loop) later. keepalived's TCP, HTTP, UDP and DNS checkers register
//    that timer in their epilog, when the result is known: the interval is
//    measured from the END of the attempt, so a check that times out runs
//    every delay_loop + connect_timeout. That is the default here. MISC_CHECK
//    measures both delays from the START of the script (misck_checker->
//    last_ran), and runs at once if that time has passed; set
//    CheckTiming::from_attempt_start for it (the start is next_attempt_us(),
//    the time the attempt was due).
//  - rise/fall are sluice's (keepalived checkers have neither; its behaviour
//    is rise = fall = 1): `fall` counted failures in a row take an up backend
//    down, `rise` successes in a row bring a down one up (checks::RiseFall;
//    0 counts as 1).

#include <cstdint>

#include "checks/rise_fall.h"

namespace sluice::checks {

struct CheckTiming {
    std::uint64_t interval_us = 0;         // delay_loop
    std::uint64_t connect_timeout_us = 0;  // the attempt's deadline, see attempt_deadline_us()
    std::uint32_t retry = 0;               // retries after a failed attempt, while up
    std::uint64_t delay_before_retry_us = 0;
    std::uint32_t rise = 1;
    std::uint32_t fall = 1;
    std::uint64_t warmup_us = 0;      // first attempt in [0, warmup_us) after construction
    bool from_attempt_start = false;  // MISC_CHECK: delays count from the attempt's start
};

class BackendCheck {
  public:
    struct Update {
        bool health_changed = false;
        Health health = Health::up;
        bool attempt_failed_final = false;  // a failure that counted towards fall (after retries)
        bool will_retry = false;            // the next attempt is a retry (delay_before_retry)
        std::uint64_t next_attempt_us = 0;  // same as next_attempt_us() after the call
    };

    // `seed` picks the warm-up; give each backend (and each check) its own.
    BackendCheck(const CheckTiming& timing, Health initial, std::uint64_t now_us,
                 std::uint64_t seed);

    // When the caller should start the next attempt.
    std::uint64_t next_attempt_us() const { return next_attempt_us_; }
    // When the attempt due at next_attempt_us() has timed out: the caller
    // reports on_result(attempt_deadline_us(), false) if nothing came before.
    std::uint64_t attempt_deadline_us() const;

    // The result of the attempt started at next_attempt_us(), known at
    // `now_us`; schedules the next attempt.
    Update on_result(std::uint64_t now_us, bool success);

    Health health() const { return rise_fall_.health(); }
    // When health last changed, or construction.
    std::uint64_t since_us() const { return since_us_; }
    const CheckTiming& timing() const { return timing_; }

    // Counters (keepalived's dump shows "Has run" and "Retries iterations").
    bool has_run() const { return attempts_ > 0; }
    std::uint64_t attempts() const { return attempts_; }                // every result, retries too
    std::uint64_t failed_attempts() const { return failed_attempts_; }  // every failed result
    std::uint64_t failures() const { return failures_; }                // counted (after retries)
    std::uint32_t retry_iterations() const { return retry_it_; }  // retries of the current failure
    std::uint32_t consecutive_successes() const { return consecutive_successes_; }
    std::uint32_t consecutive_failures() const { return consecutive_failures_; }  // counted ones

  private:
    CheckTiming timing_;
    RiseFall rise_fall_;
    std::uint64_t next_attempt_us_;
    std::uint64_t since_us_;
    std::uint64_t attempts_ = 0;
    std::uint64_t failed_attempts_ = 0;
    std::uint64_t failures_ = 0;
    std::uint32_t retry_it_ = 0;
    std::uint32_t consecutive_successes_ = 0;
    std::uint32_t consecutive_failures_ = 0;
};

// The warm-up offset in [0, warmup_us) that `seed` gives (0 when warmup_us is 0).
std::uint64_t warmup_offset(std::uint64_t warmup_us, std::uint64_t seed);

}  // namespace sluice::checks
