#include "controlplane/process/script_security.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace sluice::process {
namespace {

namespace fs = std::filesystem;

class ScriptSecurity : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "sluice-sec-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        script_ = (dir_ / "check.sh").string();
        std::ofstream(script_) << "#!/bin/sh\nexit 0\n";
        ASSERT_EQ(chmod(script_.c_str(), 0755), 0);
        ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    fs::path dir_;
    std::string script_;
};

TEST_F(ScriptSecurity, SystemBinaryIsFine) {
    EXPECT_EQ(script_security_problem("/bin/true"), std::nullopt);
}

TEST_F(ScriptSecurity, ScriptInATrustedDirectoryIsFine) {
    // The temporary directory sits in /tmp: world-writable, but sticky.
    EXPECT_EQ(script_security_problem(script_), std::nullopt);
}

TEST_F(ScriptSecurity, RelativeMissingAndNonExecutablePathsAreRefused) {
    EXPECT_NE(script_security_problem("true").value_or(""), "");
    EXPECT_NE(script_security_problem("").value_or(""), "");
    EXPECT_NE(script_security_problem("/nonexistent/sluice/check").value_or(""), "");
    EXPECT_NE(script_security_problem("/usr/bin").value_or(""), "");
    ASSERT_EQ(chmod(script_.c_str(), 0644), 0);
    EXPECT_NE(script_security_problem(script_).value_or("").find("not executable"),
              std::string::npos);
}

TEST_F(ScriptSecurity, WorldWritableDirectoryIsRefused) {
    ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
    const auto problem = script_security_problem(script_);
    ASSERT_TRUE(problem.has_value());
    EXPECT_NE(problem->find(dir_.string()), std::string::npos) << *problem;
    EXPECT_NE(problem->find("world-writable"), std::string::npos) << *problem;
}

TEST_F(ScriptSecurity, WorldWritableScriptIsRefused) {
    ASSERT_EQ(chmod(script_.c_str(), 0757), 0);
    EXPECT_NE(script_security_problem(script_).value_or("").find("world-writable"),
              std::string::npos);
}

TEST_F(ScriptSecurity, SymlinkIntoAnUnsafeDirectoryIsRefused) {
    const fs::path unsafe = dir_ / "unsafe";
    fs::create_directory(unsafe);
    ASSERT_EQ(chmod(unsafe.c_str(), 0777), 0);
    fs::rename(script_, unsafe / "real.sh");
    fs::create_symlink(unsafe / "real.sh", script_);
    EXPECT_NE(script_security_problem(script_).value_or("").find("unsafe"), std::string::npos);
}

TEST_F(ScriptSecurity, FileOfAnotherUserOrGroupIsRefused) {
    if (geteuid() != 0) {
        GTEST_SKIP() << "needs root to chown";
    }
    ASSERT_EQ(chown(script_.c_str(), 65534, 0), 0);
    EXPECT_NE(script_security_problem(script_).value_or("").find("owned by uid 65534"),
              std::string::npos);

    ASSERT_EQ(chown(script_.c_str(), 0, 0), 0);
    ASSERT_EQ(chmod(script_.c_str(), 0775), 0);
    EXPECT_EQ(script_security_problem(script_), std::nullopt);  // group root may write
    ASSERT_EQ(chown(script_.c_str(), 0, 65534), 0);
    EXPECT_NE(script_security_problem(script_).value_or("").find("group gid 65534"),
              std::string::npos);
}

}  // namespace
}  // namespace sluice::process
