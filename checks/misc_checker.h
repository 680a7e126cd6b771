#pragma once
// MISC_CHECK: runs misc.argv through process::ProcessRunner as misc.user with
// misc.timeout (the runner kills the script's process group then). The exit
// maps as keepalived's (misc_result.h): 0 up, 1 down, with misc.dynamic
// 2..255 up with weight code - 2, anything else down. Reasons read "script
// exit 1", "script timed out after 5000 ms", "script signal 9", "script spawn
// failed: ...".
//
// cancel() drops the result; the ProcessRunner has no way to stop one script,
// so a cancelled script runs on until it exits or its timeout kills it.

#include <memory>

#include <boost/asio/io_context.hpp>

#include "checks/check_spec.h"
#include "checks/checker.h"

namespace sluice::process {
class ProcessRunner;
}

namespace sluice::checks {

std::unique_ptr<Checker> make_misc_checker(boost::asio::io_context& io,
                                           process::ProcessRunner& runner, const CheckSpec& spec);

}  // namespace sluice::checks
