#include "controlplane/process/process_runner.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "controlplane/process/spawn.h"

namespace sluice::process {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

struct ProcessRunner::Child {
    explicit Child(asio::io_context& io) : pidfd(io), output(io), timer(io), retry(io) {}

    // Takes the descriptors from `spawned`, which keeps them on failure.
    bool adopt(Spawned& spawned, error_code& ec) {
        pidfd.assign(spawned.pidfd.get(), ec);
        if (!ec && spawned.output) {
            output.assign(spawned.output.get(), ec);
        }
        if (ec) {
            pidfd.release();
            output.release();
            return false;
        }
        pid = spawned.pid;
        spawned.pidfd.release();
        output_open = spawned.output.release() >= 0;
        report = std::move(spawned.report);
        return true;
    }

    std::uint64_t id = 0;
    pid_t pid = -1;
    std::string program;
    Done done;
    Clock::time_point started;
    asio::posix::stream_descriptor pidfd;
    asio::posix::stream_descriptor output;
    UniqueFd report;
    asio::steady_timer timer;  // the timeout
    asio::steady_timer retry;  // polls waitid should the pidfd wake us early
    std::size_t capture_limit = 0;
    std::string captured;
    std::array<char, 4096> buffer{};
    int how = 0;               // waitid's si_code: CLD_EXITED, CLD_KILLED, ...
    int status = 0;            // exit status or signal
    bool status_lost = false;  // waitid failed: someone else reaped the child
    bool exited = false;       // reaped: pid no longer ours
    bool output_open = false;
    bool timed_out = false;
    bool finished = false;  // reported, or the runner is gone: handlers do nothing
};

namespace {

constexpr int kMaxDrainReads = 256;
constexpr auto kReapRetry = std::chrono::milliseconds(10);

// Safe while the child is not reaped: its pid, and so its group id, cannot be
// reused. Before the child's setsid() the group does not exist yet; the second
// kill() covers that.
void kill_group(pid_t pid) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

// Only for a child not yet reaped. May block briefly: SIGKILL cannot be caught.
void kill_and_reap(pid_t pid) {
    kill_group(pid);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

void keep(std::string& captured, std::size_t limit, const char* data, std::size_t n) {
    const std::size_t room = limit - std::min(limit, captured.size());
    captured.append(data, std::min(n, room));
}

}  // namespace

std::string describe(const ProcessResult& result) {
    switch (result.kind) {
        case ProcessResult::Kind::exited:
            return "exited with status " + std::to_string(result.code);
        case ProcessResult::Kind::signalled: {
            const char* name = sigabbrev_np(result.code);
            return "killed by signal " + std::to_string(result.code) +
                   (name != nullptr ? std::string(" (") + name + ")" : std::string());
        }
        case ProcessResult::Kind::timed_out:
            return "timed out and was killed";
        case ProcessResult::Kind::spawn_failed:
            break;
    }
    return "could not be started: " + result.error;
}

ProcessRunner::ProcessRunner(asio::io_context& io) : io_(io) {}

ProcessRunner::~ProcessRunner() {
    *alive_ = false;
    for (auto& [id, child] : children_) {
        child->finished = true;
        error_code ignored;
        child->timer.cancel();
        child->retry.cancel();
        child->output.close(ignored);
        child->pidfd.close(ignored);
        if (!child->exited) {
            kill_and_reap(child->pid);
        }
    }
}

std::uint64_t ProcessRunner::run(ProcessSpec spec, Done done) {
    const std::uint64_t id = next_id_++;
    const Clock::time_point started = Clock::now();
    std::string error;
    const Credentials* user = nullptr;
    if (!spec.user.empty() && !credentials_for(spec.user, user, error)) {
        fail_later(std::move(done), std::move(error));
        return id;
    }
    Spawned spawned;
    const SpawnRequest request{spec.argv, spec.extra_env, user, spec.capture_limit > 0};
    if (!spawn(request, spawned, error)) {
        fail_later(std::move(done), std::move(error));
        return id;
    }

    auto child = std::make_shared<Child>(io_);
    error_code ec;
    if (!child->adopt(spawned, ec)) {  // the reactor would not take the descriptors
        kill_and_reap(spawned.pid);
        fail_later(std::move(done), "cannot watch the script: " + ec.message());
        return id;
    }
    child->id = id;
    child->program = spec.argv.front();
    child->done = std::move(done);
    child->started = started;
    child->capture_limit = spec.capture_limit;
    children_.emplace(id, child);

    wait_exit(child);
    if (child->output_open) {
        read_output(child);
    }
    if (spec.timeout.count() > 0) {
        start_timeout(child, spec.timeout);
    }
    return id;
}

void ProcessRunner::start_timeout(const ChildPtr& child, std::chrono::milliseconds timeout) {
    child->timer.expires_after(timeout);
    child->timer.async_wait([child](const error_code& ec) {
        if (ec || child->finished || child->exited) {
            return;
        }
        kill_group(child->pid);
        child->timed_out = true;
    });
}

void ProcessRunner::kill_all() {
    for (auto& [id, child] : children_) {
        if (!child->exited) {
            child->timer.cancel();
            kill_group(child->pid);
        }
    }
}

bool ProcessRunner::credentials_for(const std::string& user, const Credentials*& out,
                                    std::string& error) {
    auto it = users_.find(user);
    if (it == users_.end()) {
        auto resolved = resolve_user(user, error);
        if (!resolved) {
            return false;
        }
        it = users_.emplace(user, std::move(*resolved)).first;
    }
    const uid_t self = geteuid();
    if (self != 0 && it->second.uid == self) {
        out = nullptr;  // already that user; without root there is nothing to switch
        return true;
    }
    if (self != 0) {
        error = "cannot switch to user '" + user + "' without root";
        return false;
    }
    out = &it->second;
    return true;
}

void ProcessRunner::fail_later(Done done, std::string error) {
    ProcessResult result;
    result.kind = ProcessResult::Kind::spawn_failed;
    result.error = std::move(error);
    asio::post(io_, [alive = alive_, done = std::move(done), result = std::move(result)] {
        if (*alive) {
            done(result);
        }
    });
}

void ProcessRunner::wait_exit(const ChildPtr& child) {
    child->pidfd.async_wait(asio::posix::stream_descriptor::wait_read,
                            [this, child](const error_code& ec) {
                                if (child->finished || ec == asio::error::operation_aborted) {
                                    return;
                                }
                                on_exit(child);
                            });
}

void ProcessRunner::on_exit(const ChildPtr& child) {
    siginfo_t info{};
    int rc = 0;
    do {
        rc = waitid(P_PID, static_cast<id_t>(child->pid), &info, WEXITED | WNOHANG);
    } while (rc < 0 && errno == EINTR);
    if (rc == 0 && info.si_pid == 0) {
        // Not reapable yet. Asio's epoll registration is edge-triggered, so a
        // new async_wait on a pidfd that is already readable might never
        // complete: poll instead.
        child->retry.expires_after(kReapRetry);
        child->retry.async_wait([this, child](const error_code& ec) {
            if (!ec && !child->finished) {
                on_exit(child);
            }
        });
        return;
    }
    child->exited = true;
    child->how = info.si_code;
    child->status = info.si_status;
    child->status_lost = rc < 0;
    child->timer.cancel();
    if (child->output_open) {
        error_code ignored;
        child->output.cancel(ignored);  // read_output's handler drains and finishes
        return;
    }
    finish(child);
}

void ProcessRunner::read_output(const ChildPtr& child) {
    child->output.async_read_some(asio::buffer(child->buffer),
                                  [this, child](const error_code& ec, std::size_t n) {
                                      if (!child->finished) {
                                          on_output(child, ec, n);
                                      }
                                  });
}

void ProcessRunner::on_output(const ChildPtr& child, const error_code& ec, std::size_t n) {
    Child& c = *child;
    keep(c.captured, c.capture_limit, c.buffer.data(), n);
    if (!ec && !c.exited) {
        read_output(child);
        return;
    }
    // The pipe is closed, or the child is gone and a grandchild may hold the
    // pipe open forever: take what is buffered now, without waiting for EOF.
    if (c.exited && ec != asio::error::eof) {
        error_code drain_ec;
        c.output.non_blocking(true, drain_ec);
        for (int i = 0; i < kMaxDrainReads && !drain_ec; ++i) {
            const std::size_t got = c.output.read_some(asio::buffer(c.buffer), drain_ec);
            keep(c.captured, c.capture_limit, c.buffer.data(), got);
        }
    }
    error_code ignored;
    c.output.close(ignored);
    c.output_open = false;
    finish(child);
}

ProcessResult ProcessRunner::result_of(Child& child) {
    ProcessResult result;
    result.elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - child.started);
    result.output = std::move(child.captured);
    if (auto failure = exec_failure(child.report, child.program)) {
        result.kind = ProcessResult::Kind::spawn_failed;
        result.error = std::move(*failure);
    } else if (child.status_lost) {
        result.kind = ProcessResult::Kind::exited;
        result.code = -1;
        result.error = "exit status lost (is SIGCHLD ignored?)";
    } else if (child.how == CLD_EXITED) {
        result.kind = ProcessResult::Kind::exited;
        result.code = child.status;
    } else {
        // A script that exited on its own just before the timer fired is not
        // reported as timed out.
        const bool ours = child.timed_out && child.status == SIGKILL;
        result.kind = ours ? ProcessResult::Kind::timed_out : ProcessResult::Kind::signalled;
        result.code = child.status;
    }
    return result;
}

void ProcessRunner::finish(const ChildPtr& child) {
    if (!child->exited || child->output_open || child->finished) {
        return;
    }
    child->finished = true;
    const ProcessResult result = result_of(*child);
    error_code ignored;
    child->pidfd.close(ignored);
    child->report.reset();
    Done done = std::move(child->done);
    children_.erase(child->id);
    done(result);  // may run() again or even destroy this runner: touch nothing after
}

}  // namespace sluice::process
