#pragma once
// keepalived-style script lines ("/path arg 'quoted arg' \"x y\"") -> argv.

#include <string>
#include <string_view>
#include <vector>

namespace sluice::process {

// Words are separated by blanks outside quotes. '...' is literal; inside "..."
// a backslash escapes only " and \; outside quotes a backslash escapes the next
// character. Quoted and unquoted parts next to each other form one word, and
// '' is an empty word. No variable expansion, no globbing, no shell.
// Empty on error, with `error` set: unbalanced quotes, a trailing backslash or
// a line with no words.
std::vector<std::string> split_command(std::string_view command, std::string& error);

}  // namespace sluice::process
