#include "controlplane/process/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <string_view>
#include <system_error>

namespace sluice::process {
namespace {

enum class Step : int { setsid = 1, setgroups, setgid, setuid, stdio, exec };

struct Report {
    int step = 0;
    int err = 0;
};

// What the child reads between fork and exec; all of it owned by the parent.
struct ChildPlan {
    const char* path = nullptr;
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    const Credentials* user = nullptr;
    int stdin_fd = -1;
    int output_fd = -1;
    int report_fd = -1;
    int max_fd = 0;
};

std::string errno_text(int err) {
    return std::system_category().message(err);
}

[[noreturn]] void child_fail(int report_fd, Step step) {
    const Report report{static_cast<int>(step), errno};
    const ssize_t written = write(report_fd, &report, sizeof report);
    static_cast<void>(written);  // nothing more to do: the exit status says 127
    _exit(127);
}

// Closes [first, last] (inclusive); a loop up to max_fd before Linux 5.9.
void close_fds(int first, int last, int max_fd) {
    if (first > last) {
        return;
    }
    if (close_range(static_cast<unsigned>(first), static_cast<unsigned>(last), 0) == 0) {
        return;
    }
    for (int fd = first; fd <= std::min(last, max_fd); ++fd) {
        close(fd);
    }
}

[[noreturn]] void run_child(const ChildPlan& plan) {
    if (setsid() < 0) {
        child_fail(plan.report_fd, Step::setsid);
    }
    if (plan.user != nullptr) {
        // Raw system calls: they change only this (now the only) thread, and
        // glibc's wrappers would signal threads that no longer exist here.
        const Credentials& user = *plan.user;
        if (syscall(SYS_setgroups, user.groups.size(), user.groups.data()) != 0) {
            child_fail(plan.report_fd, Step::setgroups);
        }
        if (syscall(SYS_setresgid, user.gid, user.gid, user.gid) != 0) {
            child_fail(plan.report_fd, Step::setgid);
        }
        if (syscall(SYS_setresuid, user.uid, user.uid, user.uid) != 0) {
            child_fail(plan.report_fd, Step::setuid);
        }
    }
    if (dup2(plan.stdin_fd, STDIN_FILENO) < 0 || dup2(plan.output_fd, STDOUT_FILENO) < 0 ||
        dup2(plan.output_fd, STDERR_FILENO) < 0) {
        child_fail(plan.report_fd, Step::stdio);
    }
    // report_fd (>= 3, close-on-exec) stays open to tell the parent about a failure.
    close_fds(3, plan.report_fd - 1, plan.max_fd);
    close_fds(plan.report_fd + 1, INT_MAX, plan.max_fd);

    // Signals were blocked in the parent across fork: no handler of the daemon
    // can run here. Reset every disposition, then unblock.
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signo = 1; signo < NSIG; ++signo) {
        if (signo != SIGKILL && signo != SIGSTOP) {
            sigaction(signo, &default_action, nullptr);
        }
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);

    execve(plan.path, plan.argv, plan.envp);
    child_fail(plan.report_fd, Step::exec);
}

std::optional<std::string> find_executable(const std::string& name, std::string& error) {
    std::string_view dirs = kScriptPath;
    while (!dirs.empty()) {
        const std::size_t colon = dirs.find(':');
        const std::string candidate = std::string(dirs.substr(0, colon)) + "/" + name;
        struct stat st {};
        if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    }
    error = "'" + name + "' not found in " + kScriptPath;
    return std::nullopt;
}

// Descriptors 0-2 are the child's stdio: keep ours above them even when the
// daemon was started with some of them closed.
bool above_stdio(UniqueFd& fd, std::string& error) {
    if (fd && fd.get() <= STDERR_FILENO) {
        fd.reset(fcntl(fd.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1));
    }
    if (!fd) {
        error = "cannot set up descriptors: " + errno_text(errno);
        return false;
    }
    return true;
}

bool make_pipe(UniqueFd& read_end, UniqueFd& write_end, std::string& error) {
    int fds[2] = {-1, -1};
    if (pipe2(fds, O_CLOEXEC) != 0) {
        error = "pipe: " + errno_text(errno);
        return false;
    }
    read_end.reset(fds[0]);
    write_end.reset(fds[1]);
    return above_stdio(read_end, error) && above_stdio(write_end, error);
}

bool build_environment(const std::vector<std::string>& extra, std::vector<std::string>& env,
                       std::string& error) {
    bool has_path = false;
    for (const std::string& entry : extra) {
        const std::size_t eq = entry.find('=');
        if (eq == std::string::npos || eq == 0) {
            error = "bad environment entry '" + entry + "'";
            return false;
        }
        has_path = has_path || entry.starts_with("PATH=");
        env.push_back(entry);
    }
    if (!has_path) {
        env.insert(env.begin(), std::string("PATH=") + kScriptPath);
    }
    return true;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (std::string& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

void reap_now(pid_t pid) {
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace

bool spawn(const SpawnRequest& request, Spawned& out, std::string& error) {
    if (request.argv.empty() || request.argv.front().empty()) {
        error = "empty command";
        return false;
    }
    std::string path = request.argv.front();
    if (path.find('/') == std::string::npos) {
        auto found = find_executable(path, error);
        if (!found) {
            return false;
        }
        path = std::move(*found);
    }
    std::vector<std::string> args = request.argv;
    std::vector<std::string> env;
    if (!build_environment(request.extra_env, env, error)) {
        return false;
    }
    std::vector<char*> argv = pointers(args);
    std::vector<char*> envp = pointers(env);

    UniqueFd devnull(open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!devnull) {
        error = "/dev/null: " + errno_text(errno);
        return false;
    }
    UniqueFd report_read;
    UniqueFd report_write;
    UniqueFd output_read;
    UniqueFd output_write;
    if (!above_stdio(devnull, error) || !make_pipe(report_read, report_write, error) ||
        (request.capture && !make_pipe(output_read, output_write, error))) {
        return false;
    }
    if (fcntl(report_read.get(), F_SETFL, O_NONBLOCK) != 0) {
        error = "fcntl: " + errno_text(errno);
        return false;
    }

    const long open_max = sysconf(_SC_OPEN_MAX);
    ChildPlan plan;
    plan.path = path.c_str();
    plan.argv = argv.data();
    plan.envp = envp.data();
    plan.user = request.user;
    plan.stdin_fd = devnull.get();
    plan.output_fd = request.capture ? output_write.get() : devnull.get();
    plan.report_fd = report_write.get();
    plan.max_fd = open_max > 0 && open_max < INT_MAX ? static_cast<int>(open_max) : 65536;

    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    const pid_t pid = fork();
    if (pid == 0) {
        run_child(plan);
    }
    const int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (pid < 0) {
        error = "fork: " + errno_text(fork_errno);
        return false;
    }

    // Linux >= 5.3. The child is not reaped until we wait for it, so its pid
    // cannot have been reused in between.
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        error = "pidfd_open: " + errno_text(errno);
        kill(pid, SIGKILL);
        reap_now(pid);
        return false;
    }
    out.pid = pid;
    out.pidfd.reset(pidfd);
    out.output = std::move(output_read);
    out.report = std::move(report_read);
    return true;
}

std::optional<std::string> exec_failure(const UniqueFd& report, const std::string& program) {
    Report got;
    ssize_t n = -1;
    do {
        n = read(report.get(), &got, sizeof got);
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof got)) {
        return std::nullopt;
    }
    const std::string why = errno_text(got.err);
    switch (static_cast<Step>(got.step)) {
        case Step::setsid:
            return "setsid: " + why;
        case Step::setgroups:
            return "cannot set supplementary groups: " + why;
        case Step::setgid:
            return "cannot switch group: " + why;
        case Step::setuid:
            return "cannot switch user: " + why;
        case Step::stdio:
            return "cannot set up stdin/stdout/stderr: " + why;
        case Step::exec:
            break;
    }
    return "cannot execute '" + program + "': " + why;
}

}  // namespace sluice::process
