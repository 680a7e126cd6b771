#include "checks/check_schedule.h"

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::checks {
namespace {

constexpr std::uint64_t kSecond = 1'000'000;

// A run of attempts against an injected clock: each step says how long the
// attempt took and how it ended; the expectations are what on_result() says
// and when the next attempt is due, relative to the attempt's result.
struct Step {
    std::uint64_t took_us;  // the result arrives this long after next_attempt_us()
    bool success;
    Health health;  // after the result
    bool changed;
    bool counted_failure;      // attempt_failed_final
    bool retry;                // will_retry
    std::uint64_t next_in_us;  // next_attempt_us() - result time
};

struct ScheduleCase {
    const char* name;
    CheckTiming timing;
    Health initial;
    std::vector<Step> steps;
};

std::ostream& operator<<(std::ostream& os, const ScheduleCase& c) {
    return os << c.name;
}

constexpr Health U = Health::up;
constexpr Health D = Health::down;
constexpr bool ok = true;
constexpr bool ko = false;

// interval 10 s, timeout 5 s, retry 2 after 1 s, rise 1, fall 1, no warm-up.
CheckTiming timing(std::uint32_t retry, std::uint32_t rise, std::uint32_t fall) {
    return CheckTiming{10 * kSecond, 5 * kSecond, retry, 1 * kSecond, rise, fall, 0, false};
}

std::vector<ScheduleCase> schedule_cases() {
    const std::uint64_t s = kSecond;
    return {
        {"SuccessRunsEveryInterval",
         timing(2, 1, 1),
         U,
         {{100, ok, U, false, false, false, 10 * s}, {100, ok, U, false, false, false, 10 * s}}},
        {"RetryZeroFailsAtOnce",
         timing(0, 1, 1),
         U,
         {{100, ko, D, true, true, false, 10 * s}, {100, ko, D, false, true, false, 10 * s}}},
        {"RetriesThenOneCountedFailure",
         timing(2, 1, 1),
         U,
         {{5 * s, ko, U, false, false, true, 1 * s},
          {5 * s, ko, U, false, false, true, 1 * s},
          {5 * s, ko, D, true, true, false, 10 * s}}},
        {"SuccessDuringRetriesResetsThem",
         timing(2, 1, 1),
         U,
         {{100, ko, U, false, false, true, 1 * s},
          {100, ok, U, false, false, false, 10 * s},
          {100, ko, U, false, false, true, 1 * s},
          {100, ko, U, false, false, true, 1 * s},
          {100, ko, D, true, true, false, 10 * s}}},
        {"FallCountsFailuresAfterRetries",
         timing(1, 1, 2),
         U,
         {{100, ko, U, false, false, true, 1 * s},
          {100, ko, U, false, true, false, 10 * s},
          {100, ko, U, false, false, true, 1 * s},
          {100, ko, D, true, true, false, 10 * s}}},
        {"SuccessBetweenCountedFailuresResetsFall",
         timing(0, 1, 2),
         U,
         {{100, ko, U, false, true, false, 10 * s},
          {100, ok, U, false, false, false, 10 * s},
          {100, ko, U, false, true, false, 10 * s},
          {100, ko, D, true, true, false, 10 * s}}},
        {"DownFailuresCountWithoutRetries",
         timing(3, 1, 1),
         D,
         {{100, ko, D, false, true, false, 10 * s}, {100, ko, D, false, true, false, 10 * s}}},
        {"RiseNeedsSuccessesInARow",
         timing(3, 3, 1),
         D,
         {{100, ok, D, false, false, false, 10 * s},
          {100, ok, D, false, false, false, 10 * s},
          {100, ko, D, false, true, false, 10 * s},  // down: no retry, resets rise
          {100, ok, D, false, false, false, 10 * s},
          {100, ok, D, false, false, false, 10 * s},
          {100, ok, U, true, false, false, 10 * s}}},
        {"UpAgainThenRetriesResume",
         timing(1, 1, 1),
         D,
         {{100, ok, U, true, false, false, 10 * s},
          {100, ko, U, false, false, true, 1 * s},
          {100, ko, D, true, true, false, 10 * s}}},
        {"ZeroRiseFallActLikeOne",
         timing(0, 0, 0),
         U,
         {{100, ko, D, true, true, false, 10 * s}, {100, ok, U, true, false, false, 10 * s}}},
    };
}

class Schedule : public ::testing::TestWithParam<ScheduleCase> {};

TEST_P(Schedule, Sequence) {
    const ScheduleCase& c = GetParam();
    const std::uint64_t start = 1'000 * kSecond;
    BackendCheck check(c.timing, c.initial, start, 42);
    ASSERT_EQ(check.next_attempt_us(), start);  // no warm-up
    ASSERT_EQ(check.health(), c.initial);
    std::uint64_t since = start;
    std::uint64_t counted = 0;
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        SCOPED_TRACE("step " + std::to_string(i));
        const Step& st = c.steps[i];
        const std::uint64_t now = check.next_attempt_us() + st.took_us;
        const BackendCheck::Update u = check.on_result(now, st.success);
        EXPECT_EQ(u.health, st.health);
        EXPECT_EQ(check.health(), st.health);
        EXPECT_EQ(u.health_changed, st.changed);
        EXPECT_EQ(u.attempt_failed_final, st.counted_failure);
        EXPECT_EQ(u.will_retry, st.retry);
        EXPECT_EQ(check.next_attempt_us() - now, st.next_in_us);
        EXPECT_EQ(u.next_attempt_us, check.next_attempt_us());
        if (st.changed) {
            since = now;
        }
        EXPECT_EQ(check.since_us(), since);
        counted += st.counted_failure ? 1 : 0;
        EXPECT_EQ(check.failures(), counted);
        EXPECT_EQ(check.attempts(), i + 1);
    }
}

INSTANTIATE_TEST_SUITE_P(Keepalived, Schedule, ::testing::ValuesIn(schedule_cases()),
                         [](const ::testing::TestParamInfo<ScheduleCase>& p) {
                             return std::string(p.param.name);
                         });

TEST(BackendCheck, Counters) {
    BackendCheck check(timing(1, 2, 2), Health::up, 0, 1);
    EXPECT_FALSE(check.has_run());
    check.on_result(check.next_attempt_us(), true);
    check.on_result(check.next_attempt_us(), true);
    EXPECT_TRUE(check.has_run());
    EXPECT_EQ(check.consecutive_successes(), 2u);
    check.on_result(check.next_attempt_us(), false);  // first try: a retry follows
    EXPECT_EQ(check.retry_iterations(), 1u);
    EXPECT_EQ(check.consecutive_failures(), 0u);
    EXPECT_EQ(check.consecutive_successes(), 2u);
    check.on_result(check.next_attempt_us(), false);  // retry failed too: counted
    EXPECT_EQ(check.retry_iterations(), 0u);
    EXPECT_EQ(check.consecutive_failures(), 1u);
    EXPECT_EQ(check.consecutive_successes(), 0u);
    EXPECT_EQ(check.attempts(), 4u);
    EXPECT_EQ(check.failed_attempts(), 2u);
    EXPECT_EQ(check.failures(), 1u);
    EXPECT_EQ(check.health(), Health::up);  // fall 2
}

TEST(BackendCheck, DeadlineIsConnectTimeoutAfterTheAttempt) {
    BackendCheck check(timing(0, 1, 1), Health::up, 7 * kSecond, 0);
    EXPECT_EQ(check.attempt_deadline_us(), 12 * kSecond);
    check.on_result(check.attempt_deadline_us(), false);  // timed out
    // Measured from the end of the attempt: due at 7 s, 5 s timeout, 10 s interval.
    EXPECT_EQ(check.next_attempt_us(), 22 * kSecond);
    EXPECT_EQ(check.attempt_deadline_us(), 27 * kSecond);
}

TEST(BackendCheck, FromAttemptStartMeasuresFromWhenTheAttemptWasDue) {
    CheckTiming t = timing(1, 1, 1);
    t.from_attempt_start = true;
    BackendCheck check(t, Health::up, 0, 0);
    check.on_result(3 * kSecond, true);  // took 3 s
    EXPECT_EQ(check.next_attempt_us(), 10 * kSecond);
    check.on_result(12 * kSecond, false);  // retry 1 s after the start has passed: at once
    EXPECT_EQ(check.next_attempt_us(), 12 * kSecond);
    check.on_result(12 * kSecond + 300, false);
    EXPECT_EQ(check.health(), Health::down);
    EXPECT_EQ(check.next_attempt_us(), 22 * kSecond);
}

TEST(BackendCheck, SaturatesInsteadOfWrapping) {
    CheckTiming t = timing(0, 1, 1);
    t.interval_us = UINT64_MAX;
    BackendCheck check(t, Health::up, 0, 0);
    check.on_result(5, true);
    EXPECT_EQ(check.next_attempt_us(), UINT64_MAX);
}

TEST(BackendCheck, WarmupIsWithinRangeAndDeterministic) {
    CheckTiming t = timing(0, 1, 1);
    t.warmup_us = 10 * kSecond;
    const std::uint64_t now = 500 * kSecond;
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
        BackendCheck a(t, Health::up, now, seed);
        BackendCheck b(t, Health::up, now, seed);
        EXPECT_EQ(a.next_attempt_us(), b.next_attempt_us());
        EXPECT_GE(a.next_attempt_us(), now);
        EXPECT_LT(a.next_attempt_us(), now + t.warmup_us);
    }
    t.warmup_us = 0;
    EXPECT_EQ(BackendCheck(t, Health::up, now, 99).next_attempt_us(), now);
    EXPECT_EQ(warmup_offset(1, 12345), 0u);
}

TEST(BackendCheck, WarmupSpreadsThousandBackends) {
    CheckTiming t = timing(0, 1, 1);
    t.warmup_us = 10 * kSecond;
    constexpr int kBackends = 1000;
    constexpr std::uint64_t kBuckets = 10;  // one per second of warm-up
    std::vector<int> per_bucket(kBuckets, 0);
    std::set<std::uint64_t> distinct;
    for (int i = 0; i < kBackends; ++i) {
        const BackendCheck c(t, Health::up, 0, static_cast<std::uint64_t>(i));
        ASSERT_LT(c.next_attempt_us(), t.warmup_us);
        distinct.insert(c.next_attempt_us());
        ++per_bucket[c.next_attempt_us() / kSecond];
    }
    // No lockstep: nearly every backend has its own start, and every second of
    // the warm-up gets a share (100 expected; 50 is > 5 sigma away).
    EXPECT_GT(distinct.size(), 990u);
    for (std::uint64_t b = 0; b < kBuckets; ++b) {
        EXPECT_GT(per_bucket[b], 50) << "second " << b;
    }
}

}  // namespace
}  // namespace sluice::checks
