#include "controlplane/process/process_runner.h"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

namespace sluice::process {
namespace {

using namespace std::chrono_literals;
using Kind = ProcessResult::Kind;

constexpr auto kGenerous = 60s;  // only a safety net against a hung test

ProcessSpec shell(std::string script, std::chrono::milliseconds timeout = 30s,
                  std::size_t capture = 0) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", std::move(script)};
    spec.timeout = timeout;
    spec.capture_limit = capture;
    return spec;
}

// Alive and not a zombie (a zombie waits for a reaper outside our control).
bool alive(pid_t pid) {
    if (kill(pid, 0) != 0) {
        return false;
    }
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const std::size_t paren = line.rfind(')');
    return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

std::vector<pid_t> pids_in(const std::string& text) {
    std::vector<pid_t> pids;
    std::istringstream in(text);
    long pid = 0;
    while (in >> pid) {
        pids.push_back(static_cast<pid_t>(pid));
    }
    return pids;
}

class ProcessRunnerTest : public ::testing::Test {
protected:
    ProcessResult run(ProcessSpec spec) {
        std::optional<ProcessResult> result;
        int calls = 0;
        runner_.run(std::move(spec), [&](const ProcessResult& r) {
            result = r;
            ++calls;
        });
        io_.run_for(kGenerous);
        io_.restart();
        EXPECT_EQ(calls, 1);
        EXPECT_EQ(runner_.running(), 0U);
        return result.value_or(ProcessResult{});
    }

    boost::asio::io_context io_;
    ProcessRunner runner_{io_};
};

TEST_F(ProcessRunnerTest, ExitStatuses) {
    const ProcessResult ok = run(ProcessSpec{{"/bin/true"}, "", 30s, {}, 0});
    EXPECT_EQ(ok.kind, Kind::exited);
    EXPECT_EQ(ok.code, 0);
    EXPECT_TRUE(ok.succeeded());

    const ProcessResult one = run(ProcessSpec{{"/bin/false"}, "", 30s, {}, 0});
    EXPECT_EQ(one.kind, Kind::exited);
    EXPECT_EQ(one.code, 1);
    EXPECT_FALSE(one.succeeded());

    const ProcessResult answer = run(shell("exit 42"));
    EXPECT_EQ(answer.kind, Kind::exited);
    EXPECT_EQ(answer.code, 42);
    EXPECT_EQ(describe(answer), "exited with status 42");
}

TEST_F(ProcessRunnerTest, KilledBySignal) {
    const ProcessResult r = run(shell("kill -TERM $$; sleep 10"));
    EXPECT_EQ(r.kind, Kind::signalled);
    EXPECT_EQ(r.code, SIGTERM);
    EXPECT_EQ(describe(r), "killed by signal 15 (TERM)");
}

TEST_F(ProcessRunnerTest, TimeoutKillsTheWholeProcessGroup) {
    const auto timeout = 1000ms;
    const ProcessResult r =
        run(shell("sleep 100 & echo $!; sleep 100 & echo $!; echo $$; wait", timeout, 4096));
    EXPECT_EQ(r.kind, Kind::timed_out);
    EXPECT_EQ(r.code, SIGKILL);
    EXPECT_GE(r.elapsed, timeout);
    EXPECT_LT(r.elapsed, 30s);

    const std::vector<pid_t> pids = pids_in(r.output);
    ASSERT_EQ(pids.size(), 3U) << r.output;
    for (pid_t pid : pids) {
        for (int i = 0; i < 1000 && alive(pid); ++i) {
            std::this_thread::sleep_for(10ms);
        }
        EXPECT_FALSE(alive(pid)) << "pid " << pid << " survived the timeout";
    }
}

TEST_F(ProcessRunnerTest, MissingOrUnusableExecutableIsASpawnFailure) {
    const ProcessResult missing = run(ProcessSpec{{"/nonexistent/sluice-script"}, "", 30s, {}, 0});
    EXPECT_EQ(missing.kind, Kind::spawn_failed);
    EXPECT_NE(missing.error.find("No such file"), std::string::npos) << missing.error;

    const ProcessResult not_in_path = run(ProcessSpec{{"sluice-no-such-program"}, "", 30s, {}, 0});
    EXPECT_EQ(not_in_path.kind, Kind::spawn_failed);
    EXPECT_NE(not_in_path.error.find("not found"), std::string::npos) << not_in_path.error;

    std::string file = (std::filesystem::temp_directory_path() / "sluice-noexec-XXXXXX").string();
    const int fd = mkstemp(file.data());  // mode 0600
    ASSERT_GE(fd, 0);
    close(fd);
    const ProcessResult not_executable = run(ProcessSpec{{file}, "", 30s, {}, 0});
    unlink(file.c_str());
    EXPECT_EQ(not_executable.kind, Kind::spawn_failed);
    EXPECT_NE(not_executable.error.find("denied"), std::string::npos) << not_executable.error;

    const ProcessResult empty = run(ProcessSpec{});
    EXPECT_EQ(empty.kind, Kind::spawn_failed);
}

TEST_F(ProcessRunnerTest, BareNamesAreLookedUpInPath) {
    const ProcessResult r = run(ProcessSpec{{"true"}, "", 30s, {}, 0});
    EXPECT_EQ(r.kind, Kind::exited);
    EXPECT_EQ(r.code, 0);
}

TEST_F(ProcessRunnerTest, CapturesStdoutAndStderr) {
    const ProcessResult r = run(shell("echo out; echo err >&2", 30s, 1024));
    EXPECT_EQ(r.kind, Kind::exited);
    EXPECT_EQ(r.output, "out\nerr\n");
}

TEST_F(ProcessRunnerTest, CaptureIsBoundedAndTheRestDrained) {
    // 1 MB: far more than a pipe holds, so the script would block if not drained.
    const ProcessResult r = run(shell("head -c 1000000 /dev/zero | tr '\\000' x", 30s, 10));
    EXPECT_EQ(r.kind, Kind::exited);
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.output, "xxxxxxxxxx");
}

TEST_F(ProcessRunnerTest, OutputIsDiscardedWithoutACaptureLimit) {
    const ProcessResult r = run(shell("echo out; echo err >&2; head -c 1000000 /dev/zero"));
    EXPECT_EQ(r.kind, Kind::exited);
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.output, "");
}

TEST_F(ProcessRunnerTest, MinimalEnvironment) {
    ProcessSpec spec{{"/usr/bin/env"}, "", 30s, {"SLUICE_STATE=MASTER", "SLUICE_X=a b"}, 4096};
    const ProcessResult r = run(std::move(spec));
    EXPECT_EQ(r.kind, Kind::exited);
    EXPECT_EQ(r.output, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nSLUICE_STATE=MASTER\nSLUICE_X=a b\n");

    const ProcessResult bad = run(ProcessSpec{{"/usr/bin/env"}, "", 30s, {"NOEQUALS"}, 0});
    EXPECT_EQ(bad.kind, Kind::spawn_failed);
}

TEST_F(ProcessRunnerTest, StdinIsDevNullAndNoDescriptorLeaks) {
    EXPECT_EQ(run(ProcessSpec{{"/bin/cat"}, "", 30s, {}, 0}).kind, Kind::exited);

    int fds[2];
    ASSERT_EQ(pipe(fds), 0);  // not close-on-exec
    const ProcessResult r = run(shell("ls /proc/$$/fd", 30s, 4096));
    close(fds[0]);
    close(fds[1]);
    EXPECT_EQ(r.kind, Kind::exited);
    std::set<std::string> listed;
    std::istringstream in(r.output);
    for (std::string fd; in >> fd;) {
        listed.insert(fd);
    }
    EXPECT_EQ(listed, (std::set<std::string>{"0", "1", "2"})) << r.output;
}

TEST_F(ProcessRunnerTest, SignalMaskAndDispositionsAreReset) {
    sigset_t block;
    sigset_t previous_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &block, &previous_mask), 0);
    struct sigaction ignore {};
    struct sigaction previous_action {};
    ignore.sa_handler = SIG_IGN;
    ASSERT_EQ(sigaction(SIGTERM, &ignore, &previous_action), 0);

    const ProcessResult usr1 = run(shell("kill -USR1 $$; exit 3"));
    const ProcessResult term = run(shell("kill -TERM $$; exit 3"));

    sigaction(SIGTERM, &previous_action, nullptr);
    pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
    EXPECT_EQ(usr1.kind, Kind::signalled);
    EXPECT_EQ(usr1.code, SIGUSR1);
    EXPECT_EQ(term.kind, Kind::signalled);
    EXPECT_EQ(term.code, SIGTERM);
}

TEST_F(ProcessRunnerTest, RunsAsAnotherUser) {
    if (geteuid() != 0) {
        GTEST_SKIP() << "needs root to switch users";
    }
    ProcessSpec spec = shell("id -u; id -g; id -G", 30s, 1024);
    spec.user = "nobody";
    const ProcessResult r = run(std::move(spec));
    EXPECT_EQ(r.kind, Kind::exited) << r.error;
    EXPECT_EQ(r.output, "65534\n65534\n65534\n");  // root's groups are gone too
}

TEST_F(ProcessRunnerTest, RunningAsTheDaemonsOwnUserNeedsNoRoot) {
    const passwd* self = getpwuid(geteuid());
    ASSERT_NE(self, nullptr);
    ProcessSpec spec = shell("id -u", 30s, 64);
    spec.user = self->pw_name;
    const ProcessResult r = run(std::move(spec));
    EXPECT_EQ(r.kind, Kind::exited) << r.error;
    EXPECT_EQ(r.output, std::to_string(geteuid()) + "\n");
}

TEST(ResolveUser, KnownAndUnknownUsers) {
    std::string error;
    const auto nobody = resolve_user("nobody", error);
    ASSERT_TRUE(nobody.has_value()) << error;
    EXPECT_EQ(nobody->uid, 65534U);
    EXPECT_EQ(nobody->gid, 65534U);
    EXPECT_EQ(nobody->groups, std::vector<gid_t>{65534});
    EXPECT_FALSE(resolve_user("sluice-no-such-user", error).has_value());
    EXPECT_EQ(error, "unknown user 'sluice-no-such-user'");
}

TEST_F(ProcessRunnerTest, UnknownUserIsASpawnFailureReportedLater) {
    ProcessSpec spec{{"/bin/true"}, "sluice-no-such-user", 30s, {}, 0};
    bool called = false;
    ProcessResult result;
    runner_.run(std::move(spec), [&](const ProcessResult& r) {
        called = true;
        result = r;
    });
    EXPECT_FALSE(called);  // never from within run()
    io_.run_for(kGenerous);
    ASSERT_TRUE(called);
    EXPECT_EQ(result.kind, Kind::spawn_failed);
    EXPECT_EQ(result.error, "unknown user 'sluice-no-such-user'");
}

TEST_F(ProcessRunnerTest, SwitchingUserNeedsRoot) {
    const bool root = geteuid() == 0;
    if (root) {
        ASSERT_EQ(seteuid(65534), 0);  // checked before fork, so nothing runs as nobody
    }
    const ProcessResult r = run(ProcessSpec{{"/bin/true"}, "root", 30s, {}, 0});
    if (root) {
        ASSERT_EQ(seteuid(0), 0);
    }
    EXPECT_EQ(r.kind, Kind::spawn_failed);
    EXPECT_EQ(r.error, "cannot switch to user 'root' without root");
}

TEST_F(ProcessRunnerTest, TwentyConcurrentScripts) {
    std::vector<std::optional<ProcessResult>> results(20);
    std::set<std::uint64_t> ids;
    for (std::size_t i = 0; i < results.size(); ++i) {
        ids.insert(runner_.run(shell("sleep 0.2; exit " + std::to_string(i)),
                               [&results, i](const ProcessResult& r) {
                                   EXPECT_FALSE(results[i].has_value());
                                   results[i] = r;
                               }));
    }
    EXPECT_EQ(ids.size(), results.size());
    EXPECT_EQ(runner_.running(), results.size());
    io_.run_for(kGenerous);
    EXPECT_EQ(runner_.running(), 0U);
    for (std::size_t i = 0; i < results.size(); ++i) {
        ASSERT_TRUE(results[i].has_value()) << i;
        EXPECT_EQ(results[i]->kind, Kind::exited);
        EXPECT_EQ(results[i]->code, static_cast<int>(i));
    }
}

TEST_F(ProcessRunnerTest, EventLoopStaysResponsive) {
    boost::asio::steady_timer tick(io_);
    int ticks = 0;
    bool done = false;
    std::function<void()> arm = [&] {
        tick.expires_after(10ms);
        tick.async_wait([&](const boost::system::error_code& ec) {
            if (!ec && !done) {
                ++ticks;
                arm();
            }
        });
    };
    arm();
    runner_.run(ProcessSpec{{"/bin/sleep", "1"}, "", 30s, {}, 0}, [&](const ProcessResult& r) {
        EXPECT_EQ(r.kind, Kind::exited);
        done = true;
        tick.cancel();
    });
    io_.run_for(kGenerous);
    EXPECT_TRUE(done);
    EXPECT_GE(ticks, 20);
}

TEST_F(ProcessRunnerTest, KillAllReportsEveryScriptOnce) {
    int calls = 0;
    for (int i = 0; i < 3; ++i) {
        runner_.run(shell("sleep 100"), [&](const ProcessResult& r) {
            ++calls;
            EXPECT_EQ(r.kind, Kind::signalled);
            EXPECT_EQ(r.code, SIGKILL);
        });
    }
    runner_.kill_all();
    io_.run_for(kGenerous);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(runner_.running(), 0U);
}

TEST(ProcessRunnerLifetime, DestructorKillsAndReapsWithoutCallbacks) {
    namespace fs = std::filesystem;
    std::string dir = (fs::temp_directory_path() / "sluice-proc-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    const std::string pid_file = dir + "/pid";

    boost::asio::io_context io;
    auto runner = std::make_unique<ProcessRunner>(io);
    bool called = false;
    runner->run(shell("echo $$ > " + pid_file + "; exec sleep 100"),
                [&](const ProcessResult&) { called = true; });
    std::string text;
    for (int i = 0; i < 6000 && text.empty(); ++i) {
        io.run_for(10ms);
        std::ifstream(pid_file) >> text;
    }
    const std::vector<pid_t> pids = pids_in(text);
    ASSERT_EQ(pids.size(), 1U);
    runner.reset();
    EXPECT_NE(kill(pids[0], 0), 0);  // killed and reaped: not even a zombie
    io.restart();
    io.run_for(100ms);
    EXPECT_FALSE(called);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice::process
