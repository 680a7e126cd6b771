#include "controlplane/import/keepalived_tokenizer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <glob.h>
#include <sstream>

namespace sluice::import {
namespace {

constexpr std::size_t kMaxIncludeDepth = 32;

class Tokenizer {
  public:
    explicit Tokenizer(TokenizeResult& out) : out_(out) {}

    void run_file(const std::string& path, const SourceLine* included_from) {
        std::error_code ec;
        auto canonical = std::filesystem::weakly_canonical(path, ec);
        const std::string key = ec ? path : canonical.string();
        if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
            out_.errors.push_back(where(included_from, path) + ": include loop: '" + path +
                                  "' is already being read");
            return;
        }
        if (stack_.size() >= kMaxIncludeDepth) {
            out_.errors.push_back(where(included_from, path) + ": includes nested deeper than " +
                                  std::to_string(kMaxIncludeDepth));
            return;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            out_.errors.push_back(where(included_from, path) + ": cannot read '" + path + "'");
            return;
        }
        std::ostringstream text;
        text << in.rdbuf();
        run_text(text.str(), path);
    }

    // Reads `text` as the contents of `file`, which is on the include stack meanwhile.
    void run_text(const std::string& text, const std::string& file) {
        std::error_code ec;
        auto canonical = std::filesystem::weakly_canonical(file, ec);
        stack_.push_back(ec ? file : canonical.string());
        run_lines(text, file);
        stack_.pop_back();
    }

  private:
    void run_lines(const std::string& text, const std::string& file) {
        std::uint32_t line_no = 0;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) {
                end = text.size();
            }
            ++line_no;
            run_line(std::string_view(text).substr(start, end - start), SourceLine{file, line_no});
            start = end + 1;
        }
    }

    static std::string where(const SourceLine* from, const std::string& path) {
        return from != nullptr ? from->to_string() : path;
    }

    void run_line(std::string_view line, const SourceLine& at) {
        std::vector<Token> tokens;
        std::size_t i = 0;
        while (i < line.size()) {
            const char c = line[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                ++i;
            } else if (c == '#' || c == '!') {
                break;
            } else if (c == '{' || c == '}') {
                tokens.push_back(Token{c == '{' ? TokenKind::open : TokenKind::close,
                                       std::string(1, c), false, at});
                ++i;
            } else if (c == '"') {
                std::string word;
                ++i;
                bool closed = false;
                while (i < line.size()) {
                    if (line[i] == '\\' && i + 1 < line.size()) {
                        word += line[i + 1];
                        i += 2;
                    } else if (line[i] == '"') {
                        closed = true;
                        ++i;
                        break;
                    } else {
                        word += line[i++];
                    }
                }
                if (!closed) {
                    out_.errors.push_back(at.to_string() + ": unterminated quoted string");
                }
                tokens.push_back(Token{TokenKind::word, std::move(word), true, at});
            } else {
                const std::size_t begin = i;
                while (i < line.size() && std::string_view(" \t\r\f\v{}\"#!").find(line[i]) ==
                                              std::string_view::npos) {
                    ++i;
                }
                tokens.push_back(
                    Token{TokenKind::word, std::string(line.substr(begin, i - begin)), false, at});
            }
        }
        if (tokens.empty()) {
            return;
        }
        if (tokens.front().kind == TokenKind::word && !tokens.front().quoted &&
            tokens.front().text == "include") {
            include(tokens, at);
            return;
        }
        for (auto& t : tokens) {
            out_.tokens.push_back(std::move(t));
        }
        out_.tokens.push_back(Token{TokenKind::end_of_line, "", false, at});
    }

    void include(const std::vector<Token>& tokens, const SourceLine& at) {
        if (tokens.size() != 2 || tokens[1].kind != TokenKind::word) {
            out_.errors.push_back(at.to_string() + ": 'include' takes exactly one file pattern");
            return;
        }
        std::filesystem::path pattern(tokens[1].text);
        if (pattern.is_relative()) {
            pattern = std::filesystem::path(at.file).parent_path() / pattern;
        }
        glob_t matches{};
        const int rc = ::glob(pattern.c_str(), 0, nullptr, &matches);
        std::vector<std::string> files;
        if (rc == 0) {
            for (std::size_t k = 0; k < matches.gl_pathc; ++k) {
                files.emplace_back(matches.gl_pathv[k]);
            }
        }
        ::globfree(&matches);
        if (rc != 0 && rc != GLOB_NOMATCH) {
            out_.errors.push_back(at.to_string() + ": cannot expand include pattern '" +
                                  tokens[1].text + "'");
            return;
        }
        if (files.empty()) {
            out_.notes.push_back(at.to_string() + ": keyword 'include' not translated: '" +
                                 tokens[1].text + "' matches no file");
            return;
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            run_file(f, &at);
        }
    }

    TokenizeResult& out_;
    std::vector<std::string> stack_;  // canonical paths of the files being read
};

}  // namespace

TokenizeResult tokenize_text(const std::string& text, const std::string& file) {
    TokenizeResult out;
    Tokenizer(out).run_text(text, file);
    return out;
}

TokenizeResult tokenize_file(const std::string& path) {
    TokenizeResult out;
    Tokenizer(out).run_file(path, nullptr);
    return out;
}

}  // namespace sluice::import
