// The CLI's client against the daemon's real API server on a temporary socket.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "controlplane/api_protocol.h"
#include "controlplane/api_server.h"
#include "controlplane/cli/api_client.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class ApiRoundtrip : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("sluice-api-test-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        path_ = (dir_ / "sub" / "api.sock").string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path dir_;
    std::string path_;
    std::ostringstream log_out_;
    controlplane::Logger log_{log_out_, "test"};
};

TEST_F(ApiRoundtrip, StatusAnswerAndSocketMode) {
    boost::asio::io_context io;
    controlplane::ApiServer server(io, log_, path_, [](const nlohmann::json& r) {
        if (r["command"] == "status") {
            return controlplane::api_ok({{"node_name", "lb1"}});
        }
        return controlplane::api_error("unknown_command", "no");
    });
    std::string error;
    ASSERT_TRUE(server.open(error)) << error;
    struct stat st {};
    ASSERT_EQ(::stat(path_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));

    std::thread loop([&] { io.run_for(std::chrono::seconds(10)); });
    auto res = cli::call_api(path_, "status", nlohmann::json::object(), std::chrono::seconds(5));
    auto bad = cli::call_api(path_, "nope", nlohmann::json::object(), std::chrono::seconds(5));
    io.stop();
    loop.join();

    ASSERT_EQ(res.status, cli::CallStatus::ok) << res.error;
    EXPECT_TRUE(res.response["ok"].get<bool>());
    EXPECT_EQ(res.response["result"]["node_name"], "lb1");
    ASSERT_EQ(bad.status, cli::CallStatus::ok) << bad.error;
    EXPECT_FALSE(bad.response["ok"].get<bool>());
    EXPECT_EQ(bad.response["error"]["code"], "unknown_command");

    server.close();
    EXPECT_FALSE(fs::exists(path_));
}

TEST_F(ApiRoundtrip, NoDaemonMeansNotRunning) {
    auto res = cli::call_api(path_, "status", nlohmann::json::object(), std::chrono::seconds(1));
    EXPECT_EQ(res.status, cli::CallStatus::not_running);
    EXPECT_NE(res.error.find("not running"), std::string::npos);
}

TEST_F(ApiRoundtrip, AStaleSocketIsReplacedButALiveOneIsNot) {
    boost::asio::io_context io;
    auto handler = [](const nlohmann::json&) { return controlplane::api_ok({}); };
    {
        controlplane::ApiServer first(io, log_, path_, handler);
        std::string error;
        ASSERT_TRUE(first.open(error)) << error;
        controlplane::ApiServer second(io, log_, path_, handler);
        EXPECT_FALSE(second.open(error));
        EXPECT_NE(error.find("already serving"), std::string::npos) << error;
    }
    // Simulate a crash: a socket file nobody listens on.
    {
        boost::asio::local::stream_protocol::acceptor a(io);
        a.open();
        a.bind(boost::asio::local::stream_protocol::endpoint(path_));
    }
    ASSERT_TRUE(fs::exists(path_));
    controlplane::ApiServer third(io, log_, path_, handler);
    std::string error;
    EXPECT_TRUE(third.open(error)) << error;
}

TEST_F(ApiRoundtrip, RefusesToReplaceARegularFile) {
    fs::create_directories(fs::path(path_).parent_path());
    { std::ofstream(path_) << "precious"; }
    boost::asio::io_context io;
    controlplane::ApiServer server(io, log_, path_, [](const nlohmann::json&) { return controlplane::api_ok({}); });
    std::string error;
    EXPECT_FALSE(server.open(error));
    EXPECT_NE(error.find("not a socket"), std::string::npos);
    EXPECT_TRUE(fs::exists(path_));
}

}  // namespace
}  // namespace sluice
