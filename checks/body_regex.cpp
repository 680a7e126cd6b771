#include "checks/body_regex.h"

#include <array>
#include <limits>
#include <regex.h>

namespace sluice::checks {

struct BodyRegex::Compiled {
    regex_t regex{};
    bool compiled = false;  // regcomp() frees what it allocated when it fails
    Compiled() = default;
    Compiled(const Compiled&) = delete;
    Compiled& operator=(const Compiled&) = delete;
    ~Compiled() {
        if (compiled) {
            regfree(&regex);
        }
    }
};

BodyRegex::BodyRegex(const std::string& pattern) {
    auto compiled = std::make_unique<Compiled>();
    const int rc = regcomp(&compiled->regex, pattern.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        std::array<char, 256> message{};
        regerror(rc, &compiled->regex, message.data(), message.size());
        error_ = message.data();
        return;
    }
    compiled->compiled = true;
    compiled_ = std::move(compiled);
}

BodyRegex::~BodyRegex() = default;

bool BodyRegex::search(std::string_view body) const {
    if (!compiled_ ||
        body.size() > static_cast<std::size_t>(std::numeric_limits<regoff_t>::max())) {
        return false;
    }
    // REG_STARTEND: the subject is [rm_so, rm_eo) of the pointer, NULs included,
    // and need not be NUL-terminated.
    regmatch_t range{};
    range.rm_so = 0;
    range.rm_eo = static_cast<regoff_t>(body.size());
    static constexpr char kEmpty[] = "";
    const char* subject = body.empty() ? kEmpty : body.data();
    return regexec(&compiled_->regex, subject, 1, &range, REG_STARTEND) == 0;
}

}  // namespace sluice::checks
