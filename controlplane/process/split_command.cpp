#include "controlplane/process/split_command.h"

namespace sluice::process {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::vector<std::string> split_command(std::string_view command, std::string& error) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;  // also true for a word that is still empty: ''
    std::size_t i = 0;
    while (i < command.size()) {
        const char c = command[i];
        if (is_blank(c)) {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            ++i;
            continue;
        }
        in_word = true;
        if (c == '\\') {
            if (i + 1 == command.size()) {
                error = "trailing backslash";
                return {};
            }
            word += command[i + 1];
            i += 2;
        } else if (c == '\'') {
            const std::size_t end = command.find('\'', i + 1);
            if (end == std::string_view::npos) {
                error = "unbalanced ' quote";
                return {};
            }
            word.append(command.substr(i + 1, end - i - 1));
            i = end + 1;
        } else if (c == '"') {
            ++i;
            while (i < command.size() && command[i] != '"') {
                if (command[i] == '\\' && i + 1 < command.size() &&
                    (command[i + 1] == '"' || command[i + 1] == '\\')) {
                    ++i;
                }
                word += command[i];
                ++i;
            }
            if (i == command.size()) {
                error = "unbalanced \" quote";
                return {};
            }
            ++i;
        } else {
            word += c;
            ++i;
        }
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    if (words.empty()) {
        error = "empty command";
    }
    return words;
}

}  // namespace sluice::process
