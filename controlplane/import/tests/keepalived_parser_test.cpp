// Tokenizer and parser: blocks, quotes, comments, includes and their loops.

#include "controlplane/import/keepalived_parser.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace sluice::import {
namespace {

namespace fs = std::filesystem;

class TempDir {
  public:
    TempDir() {
        path_ =
            fs::temp_directory_path() /
            ("sluice-import-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string write(const std::string& name, const std::string& text) const {
        const fs::path p = path_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p.string();
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

TEST(KeepalivedTokenizer, WordsQuotesBracesAndComments) {
    const auto r = tokenize_text(
        "vrrp_script chk { # comment\n  script \"/bin/x \\\"a b\\\"\" ! also a comment\n}\n",
        "k.conf");
    ASSERT_TRUE(r.errors.empty());
    std::vector<std::string> texts;
    for (const auto& t : r.tokens) {
        texts.push_back(t.kind == TokenKind::end_of_line ? "EOL" : t.text);
    }
    EXPECT_EQ(texts, (std::vector<std::string>{"vrrp_script", "chk", "{", "EOL", "script",
                                               "/bin/x \"a b\"", "EOL", "}", "EOL"}));
    EXPECT_TRUE(r.tokens[5].quoted);
    EXPECT_EQ(r.tokens[5].where.line, 2u);
}

TEST(KeepalivedTokenizer, UnterminatedQuoteIsAnError) {
    const auto r = tokenize_text("notify \"/bin/x\n", "k.conf");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0], "k.conf:1: unterminated quoted string");
}

TEST(KeepalivedParser, NestedBlocksAndArguments) {
    const auto r = parse_text(
        "virtual_server 10.0.0.1 80 {\n"
        "  real_server 10.0.1.1 80 {\n"
        "    HTTP_GET {\n"
        "      url { path /health\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n",
        "k.conf");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.statements.size(), 1u);
    const auto& vs = r.statements[0];
    EXPECT_EQ(vs.keyword, "virtual_server");
    EXPECT_EQ(vs.joined_args(), "10.0.0.1 80");
    ASSERT_EQ(vs.children.size(), 1u);
    const auto& check = vs.children[0].children.at(0);
    EXPECT_EQ(check.keyword, "HTTP_GET");
    const auto& url = check.children.at(0);
    EXPECT_TRUE(url.has_block);
    ASSERT_EQ(url.children.size(), 1u);
    EXPECT_EQ(url.children[0].keyword, "path");
    EXPECT_EQ(url.children[0].joined_args(), "/health");
    EXPECT_EQ(url.children[0].where.line, 4u);
}

TEST(KeepalivedParser, BraceOnTheNextLineAndOneLineBlocks) {
    const auto r = parse_text(
        "global_defs\n{\n  router_id lb1\n}\nvrrp_sync_group G { group { A B } }\n", "k.conf");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.statements.size(), 2u);
    EXPECT_EQ(r.statements[0].children.at(0).joined_args(), "lb1");
    const auto& group = r.statements[1].children.at(0);
    EXPECT_EQ(group.keyword, "group");
    ASSERT_EQ(group.children.size(), 1u);
    EXPECT_EQ(group.children[0].keyword, "A");
    EXPECT_EQ(group.children[0].joined_args(), "B");
}

TEST(KeepalivedParser, UnbalancedBracesAreErrorsWithLines) {
    const auto open = parse_text("global_defs {\n  router_id x\n", "a.conf");
    ASSERT_EQ(open.errors.size(), 1u);
    EXPECT_EQ(open.errors[0], "a.conf:1: '{' is never closed");
    const auto close = parse_text("router_id x\n}\n", "b.conf");
    ASSERT_EQ(close.errors.size(), 1u);
    EXPECT_EQ(close.errors[0], "b.conf:2: '}' without a matching '{'");
}

TEST(KeepalivedParser, IncludesAreFollowedRelativeToTheIncludingFile) {
    TempDir dir;
    const auto main = dir.write("keepalived.conf",
                                "global_defs {\n  router_id lb\n}\ninclude conf.d/*.conf\n"
                                "include missing/*.conf\n");
    dir.write("conf.d/b.conf", "vrrp_script B {\n  script /bin/b\n}\n");
    dir.write("conf.d/a.conf", "\n\nvrrp_script A {\n  script /bin/a\n}\n");
    const auto r = parse_file(main);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    ASSERT_EQ(r.statements.size(), 3u);
    EXPECT_EQ(r.statements[1].joined_args(), "A");  // sorted glob order
    EXPECT_EQ(r.statements[1].where.line, 3u);
    EXPECT_EQ(r.statements[1].where.file, (dir.path() / "conf.d/a.conf").string());
    EXPECT_EQ(r.statements[2].joined_args(), "B");
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0], main +
                              ":5: keyword 'include' not translated: 'missing/*.conf' "
                              "matches no file");
}

TEST(KeepalivedParser, IncludeLoopIsAnError) {
    TempDir dir;
    const auto main = dir.write("keepalived.conf", "include sub.conf\n");
    const auto sub = dir.write("sub.conf", "router_id x\ninclude keepalived.conf\n");
    const auto r = parse_file(main);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0], sub + ":2: include loop: '" + (dir.path() / "keepalived.conf").string() +
                               "' is already being read");
}

TEST(KeepalivedParser, UnreadableFileIsAnError) {
    const auto r = parse_file("/nonexistent/keepalived.conf");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0],
              "/nonexistent/keepalived.conf: cannot read '/nonexistent/keepalived.conf'");
}

}  // namespace
}  // namespace sluice::import
