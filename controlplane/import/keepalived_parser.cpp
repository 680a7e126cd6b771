#include "controlplane/import/keepalived_parser.h"

namespace sluice::import {
namespace {

class Parser {
  public:
    Parser(const std::vector<Token>& tokens, std::vector<std::string>& errors)
        : tokens_(tokens), errors_(errors) {}

    std::vector<Statement> top() {
        std::vector<Statement> out;
        while (pos_ < tokens_.size()) {
            if (peek(TokenKind::close)) {
                errors_.push_back(tokens_[pos_].where.to_string() + ": '}' without a matching '{'");
                ++pos_;
                continue;
            }
            statement_into(out);
        }
        return out;
    }

  private:
    bool peek(TokenKind kind) const { return pos_ < tokens_.size() && tokens_[pos_].kind == kind; }

    void skip_line_ends() {
        while (peek(TokenKind::end_of_line)) {
            ++pos_;
        }
    }

    // One statement, or nothing at a line end. Leaves `}` for the caller.
    void statement_into(std::vector<Statement>& out) {
        skip_line_ends();
        if (pos_ >= tokens_.size() || peek(TokenKind::close)) {
            return;
        }
        Statement st;
        st.where = tokens_[pos_].where;
        if (peek(TokenKind::open)) {
            errors_.push_back(st.where.to_string() + ": '{' without a keyword before it");
        } else {
            st.keyword = tokens_[pos_++].text;
            while (peek(TokenKind::word)) {
                st.args.push_back(tokens_[pos_++]);
            }
            // A block may open on the next line.
            std::size_t look = pos_;
            while (look < tokens_.size() && tokens_[look].kind == TokenKind::end_of_line) {
                ++look;
            }
            if (look < tokens_.size() && tokens_[look].kind == TokenKind::open) {
                pos_ = look;
            }
        }
        if (peek(TokenKind::open)) {
            const SourceLine opened = tokens_[pos_].where;
            ++pos_;
            st.has_block = true;
            while (true) {
                skip_line_ends();
                if (pos_ >= tokens_.size()) {
                    errors_.push_back(opened.to_string() + ": '{' is never closed");
                    break;
                }
                if (peek(TokenKind::close)) {
                    ++pos_;
                    break;
                }
                statement_into(st.children);
            }
        }
        if (!st.keyword.empty()) {
            out.push_back(std::move(st));
        }
    }

    const std::vector<Token>& tokens_;
    std::vector<std::string>& errors_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string Statement::joined_args(std::size_t from) const {
    std::string out;
    for (std::size_t i = from; i < args.size(); ++i) {
        if (!out.empty()) {
            out += ' ';
        }
        out += args[i].text;
    }
    return out;
}

ParseResult parse_tokens(const TokenizeResult& tokens) {
    ParseResult out;
    out.errors = tokens.errors;
    out.notes = tokens.notes;
    out.statements = Parser(tokens.tokens, out.errors).top();
    return out;
}

ParseResult parse_text(const std::string& text, const std::string& file) {
    return parse_tokens(tokenize_text(text, file));
}

ParseResult parse_file(const std::string& path) {
    return parse_tokens(tokenize_file(path));
}

}  // namespace sluice::import
