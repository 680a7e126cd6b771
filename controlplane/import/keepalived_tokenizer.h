#pragma once
// Splits a keepalived.conf into tokens: words, double-quoted strings, braces
// and line ends. Comments start at '#' or '!' outside quotes. `include PATTERN`
// lines are expanded in place: the pattern is a glob relative to the directory
// of the including file; matches are read in sorted order, and a file that is
// already being included (a loop) is an error.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::import {

struct SourceLine {
    std::string file;
    std::uint32_t line = 0;  // 1-based

    std::string to_string() const { return file + ":" + std::to_string(line); }
};

enum class TokenKind { word, open, close, end_of_line };

struct Token {
    TokenKind kind = TokenKind::word;
    std::string text;     // the word, without quotes for a quoted string
    bool quoted = false;  // written as "..."
    SourceLine where;
};

struct TokenizeResult {
    std::vector<Token> tokens;
    std::vector<std::string> errors;  // "FILE:LINE: message": the input cannot be used
    std::vector<std::string> notes;   // "FILE:LINE: ...": harmless (an include matching nothing)
};

// Tokenizes one file's text; `file` names it in positions. Include patterns
// are resolved relative to the directory of `file`.
TokenizeResult tokenize_text(const std::string& text, const std::string& file);

// Reads and tokenizes `path`; an unreadable file is one error.
TokenizeResult tokenize_file(const std::string& path);

}  // namespace sluice::import
