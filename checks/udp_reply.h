#pragma once
// Whether a UDP check's reply is acceptable (pure). An empty `required` takes
// any reply, even an empty datagram; otherwise the reply must begin with the
// required bytes (a longer reply is fine: servers often append data). The
// comparison is byte for byte, no case folding, NUL bytes included.

#include <string_view>

namespace sluice::checks {

bool reply_matches(std::string_view reply, std::string_view required);

}  // namespace sluice::checks
