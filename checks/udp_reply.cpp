#include "checks/udp_reply.h"

namespace sluice::checks {

bool reply_matches(std::string_view reply, std::string_view required) {
    return reply.substr(0, required.size()) == required;
}

}  // namespace sluice::checks
