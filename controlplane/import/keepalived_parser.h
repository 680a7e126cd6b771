#pragma once
// Groups keepalived.conf tokens into statements: a keyword, its arguments on
// the same line, and an optional { block } of child statements (the brace may
// also open on the next line).

#include <string>
#include <vector>

#include "controlplane/import/keepalived_tokenizer.h"

namespace sluice::import {

struct Statement {
    std::string keyword;
    std::vector<Token> args;
    bool has_block = false;
    std::vector<Statement> children;
    SourceLine where;

    // The arguments' texts joined by single spaces ("/bin/notify.sh MASTER").
    std::string joined_args(std::size_t from = 0) const;
};

struct ParseResult {
    std::vector<Statement> statements;  // the top level
    std::vector<std::string> errors;    // "FILE:LINE: message"
    std::vector<std::string> notes;     // from the tokenizer (includes matching nothing)
    bool ok() const { return errors.empty(); }
};

ParseResult parse_tokens(const TokenizeResult& tokens);
ParseResult parse_text(const std::string& text, const std::string& file);
ParseResult parse_file(const std::string& path);

}  // namespace sluice::import
