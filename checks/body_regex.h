#pragma once
// keepalived's url { regex }: a POSIX extended regular expression searched for
// anywhere in the response body (regcomp(3) with REG_EXTENDED | REG_NOSUB, the
// dialect config validation accepts; docs/config.md). The body it sees is the
// part the HTTP parser keeps, its first HttpLimits::max_body_kept bytes (1 MiB
// by default): a match after that is not seen.
//
// Why not std::regex: libstdc++'s matcher recurses once per input character
// for patterns as plain as "a*OK" and overflows the stack on a body of about
// 100 KB, so a backend could crash the daemon. glibc's regexec keeps its state
// on the heap. Embedded NUL bytes are searched like any byte (REG_STARTEND).
//
// The cost of a search is the regex engine's: linear in the body for ordinary
// patterns, but a pathological pattern such as "(a|aa)*c" over a hostile body
// is quadratic. The pattern is the operator's, not the backend's.

#include <memory>
#include <string>
#include <string_view>

namespace sluice::checks {

class BodyRegex {
  public:
    // Compiles `pattern`; valid() tells whether that worked, error() why not.
    explicit BodyRegex(const std::string& pattern);
    ~BodyRegex();
    BodyRegex(const BodyRegex&) = delete;
    BodyRegex& operator=(const BodyRegex&) = delete;

    bool valid() const { return compiled_ != nullptr; }
    const std::string& error() const { return error_; }

    // Whether the pattern matches somewhere in `body` (false when invalid).
    bool search(std::string_view body) const;

  private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
    std::string error_;
};

}  // namespace sluice::checks
