#include "controlplane/process/script_security.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace sluice::process {
namespace {

// Who may be writing: nullopt when only root or the daemon's own user can.
std::optional<std::string> untrusted_writer(const struct stat& st) {
    const uid_t self = geteuid();
    const gid_t self_group = getegid();
    if (st.st_uid != 0 && st.st_uid != self) {
        return "owned by uid " + std::to_string(st.st_uid);
    }
    const bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0;
    if (sticky_dir) {
        return std::nullopt;
    }
    if ((st.st_mode & S_IWGRP) != 0 && st.st_gid != 0 && st.st_gid != self_group) {
        return "writable by group gid " + std::to_string(st.st_gid);
    }
    if ((st.st_mode & S_IWOTH) != 0) {
        return std::string("world-writable");
    }
    return std::nullopt;
}

std::optional<std::string> check_entry(const std::string& script, const std::string& entry,
                                       const char* kind) {
    struct stat st {};
    if (stat(entry.c_str(), &st) != 0) {
        return "'" + script + "': " + kind + " '" + entry +
               "': " + std::system_category().message(errno);
    }
    if (auto why = untrusted_writer(st)) {
        return "'" + script + "': " + kind + " '" + entry + "' is " + *why;
    }
    return std::nullopt;
}

// Every directory above `path` (which is absolute), from / down.
std::optional<std::string> check_ancestors(const std::string& script,
                                           const std::filesystem::path& path) {
    std::filesystem::path dir;
    const std::filesystem::path parent = path.parent_path();
    for (const auto& part : parent) {
        dir /= part;
        if (auto problem = check_entry(script, dir.string(), "directory")) {
            return problem;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> script_security_problem(const std::string& path) {
    if (path.empty() || path.front() != '/') {
        return "'" + path + "' is not an absolute path";
    }
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::canonical(path, ec);
    if (ec) {
        return "'" + path + "': " + ec.message();
    }
    struct stat st {};
    if (stat(real.c_str(), &st) != 0) {
        return "'" + path + "': " + std::system_category().message(errno);
    }
    if (!S_ISREG(st.st_mode)) {
        return "'" + path + "' is not a regular file";
    }
    if ((st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0) {
        return "'" + path + "' is not executable";
    }
    if (auto problem = check_ancestors(path, std::filesystem::path(path))) {
        return problem;
    }
    if (auto problem = check_ancestors(path, real)) {
        return problem;
    }
    return check_entry(path, real.string(), "file");
}

}  // namespace sluice::process
