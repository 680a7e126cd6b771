#pragma once
// Runs external scripts (VRRP notify and track scripts, MISC_CHECK) for the
// control plane without ever blocking its Boost.Asio event loop: each child is
// watched through a pidfd, its output read asynchronously and its timeout kept
// by a steady_timer. No SIGCHLD handler: the daemon must leave SIGCHLD at its
// default disposition (not SIG_IGN, which would reap children behind our back).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "controlplane/process/credentials.h"

namespace sluice::process {

struct ProcessSpec {
    // argv[0]: a path (scripts should be absolute) or a bare name looked up in
    // /usr/sbin:/usr/bin:/sbin:/bin. See split_command() for config lines.
    std::vector<std::string> argv;
    std::string user;                      // empty: run as the daemon's user
    std::chrono::milliseconds timeout{0};  // <= 0: no timeout
    std::vector<std::string> extra_env;    // "NAME=value", besides PATH
    std::size_t capture_limit = 0;         // stdout+stderr bytes kept; 0: /dev/null
};

struct ProcessResult {
    enum class Kind { exited, signalled, timed_out, spawn_failed };
    Kind kind = Kind::spawn_failed;
    int code = 0;        // exit status, or the signal (timed_out: SIGKILL)
    std::string error;   // spawn_failed: why
    std::string output;  // at most capture_limit bytes
    std::chrono::microseconds elapsed{0};

    bool succeeded() const { return kind == Kind::exited && code == 0; }
};

// "exited with status 1", "killed by signal 15 (TERM)", "timed out", ...
std::string describe(const ProcessResult& result);

class ProcessRunner {
public:
    using Done = std::function<void(const ProcessResult&)>;

    explicit ProcessRunner(boost::asio::io_context& io);
    // Kills (SIGKILL to the process group) and reaps every child still running;
    // their callbacks are never called.
    ~ProcessRunner();
    ProcessRunner(const ProcessRunner&) = delete;
    ProcessRunner& operator=(const ProcessRunner&) = delete;

    // Starts a script. `done` is called exactly once, from the io_context's
    // thread and never from within run() (a spawn failure is posted). On
    // timeout the script's whole process group is killed. Call from the
    // io_context's thread only. Returns an id unique to this runner.
    std::uint64_t run(ProcessSpec spec, Done done);

    // Scripts started and not yet reported.
    std::size_t running() const { return children_.size(); }

    // SIGKILL to every script's process group (shutdown). Each callback still
    // fires once (kind signalled) as the event loop reaps the children.
    void kill_all();

    // Users are resolved once and cached; a configuration reload calls this so
    // that changed accounts are looked up again.
    void forget_users() { users_.clear(); }

private:
    struct Child;
    using ChildPtr = std::shared_ptr<Child>;

    bool credentials_for(const std::string& user, const Credentials*& out, std::string& error);
    void fail_later(Done done, std::string error);
    static void start_timeout(const ChildPtr& child, std::chrono::milliseconds timeout);
    void wait_exit(const ChildPtr& child);
    void on_exit(const ChildPtr& child);
    void read_output(const ChildPtr& child);
    void on_output(const ChildPtr& child, const boost::system::error_code& ec, std::size_t n);
    void finish(const ChildPtr& child);
    static ProcessResult result_of(Child& child);

    boost::asio::io_context& io_;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, ChildPtr> children_;
    std::map<std::string, Credentials> users_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posted failures
};

}  // namespace sluice::process
