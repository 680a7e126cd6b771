#pragma once
// `sluicectl import-keepalived FILE [-o OUT] [--address IFACE=IP/LEN ...]`:
// converts a keepalived.conf locally (no daemon involved).

#include <ostream>
#include <string>
#include <vector>

namespace sluice::cli {

// Exit codes: 0 translated (untranslated keywords are listed on `err`),
// 1 the input cannot be parsed or OUT cannot be written, 2 usage.
int run_import_keepalived(const std::vector<std::string>& files, const std::string& output,
                          const std::vector<std::string>& addresses, std::ostream& out,
                          std::ostream& err);

}  // namespace sluice::cli
