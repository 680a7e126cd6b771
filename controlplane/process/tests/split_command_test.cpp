#include "controlplane/process/split_command.h"

#include <gtest/gtest.h>

namespace sluice::process {
namespace {

using Words = std::vector<std::string>;

Words split_ok(std::string_view command) {
    std::string error;
    Words words = split_command(command, error);
    EXPECT_EQ(error, "") << command;
    return words;
}

std::string split_error(std::string_view command) {
    std::string error;
    EXPECT_TRUE(split_command(command, error).empty()) << command;
    return error;
}

TEST(SplitCommand, PlainWords) {
    EXPECT_EQ(split_ok("/usr/bin/check"), Words{"/usr/bin/check"});
    EXPECT_EQ(split_ok("  /bin/x  a\tb \n"), (Words{"/bin/x", "a", "b"}));
}

TEST(SplitCommand, QuotedWords) {
    EXPECT_EQ(split_ok("/etc/notify.sh 'quoted arg' \"x y\" last"),
              (Words{"/etc/notify.sh", "quoted arg", "x y", "last"}));
    EXPECT_EQ(split_ok("x a'b c'd"), (Words{"x", "ab cd"}));
    EXPECT_EQ(split_ok("x '' \"\""), (Words{"x", "", ""}));
    EXPECT_EQ(split_ok("x \"it's\" 'say \"hi\"'"), (Words{"x", "it's", "say \"hi\""}));
}

TEST(SplitCommand, Backslashes) {
    EXPECT_EQ(split_ok("x a\\ b"), (Words{"x", "a b"}));
    EXPECT_EQ(split_ok("x \"a\\\"b\\\\c\\n\""), (Words{"x", "a\"b\\c\\n"}));
    EXPECT_EQ(split_ok("x 'a\\b'"), (Words{"x", "a\\b"}));
}

TEST(SplitCommand, Errors) {
    EXPECT_EQ(split_error("x 'abc"), "unbalanced ' quote");
    EXPECT_EQ(split_error("x \"abc"), "unbalanced \" quote");
    EXPECT_EQ(split_error("x \"abc\\\""), "unbalanced \" quote");
    EXPECT_EQ(split_error("x \\"), "trailing backslash");
    EXPECT_EQ(split_error(""), "empty command");
    EXPECT_EQ(split_error(" \t "), "empty command");
}

}  // namespace
}  // namespace sluice::process
