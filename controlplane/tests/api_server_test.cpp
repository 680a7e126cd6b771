#include "controlplane/api_server.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "controlplane/api_protocol.h"

namespace sluice::controlplane {
namespace {

nlohmann::json echo(const nlohmann::json& r) { return api_ok({{"command", r["command"]}}); }

TEST(ApiRequest, DispatchesAWellFormedRequest) {
    auto out = handle_request_line(R"({"api_version":1,"command":"status"})", echo);
    EXPECT_TRUE(out["ok"].get<bool>());
    EXPECT_EQ(out["result"]["command"], "status");
    EXPECT_EQ(out["api_version"], kApiVersion);
}

TEST(ApiRequest, RejectsMalformedJson) {
    auto out = handle_request_line("{not json", echo);
    EXPECT_FALSE(out["ok"].get<bool>());
    EXPECT_EQ(out["error"]["code"], "bad_request");
}

TEST(ApiRequest, RejectsANonObject) {
    EXPECT_EQ(handle_request_line("[1,2]", echo)["error"]["code"], "bad_request");
}

TEST(ApiRequest, RejectsAMissingCommand) {
    auto out = handle_request_line(R"({"api_version":1})", echo);
    EXPECT_EQ(out["error"]["code"], "bad_request");
    EXPECT_NE(out["error"]["message"].get<std::string>().find("command"), std::string::npos);
}

TEST(ApiRequest, RejectsAnotherApiVersion) {
    EXPECT_EQ(handle_request_line(R"({"api_version":2,"command":"status"})", echo)["error"]["code"],
              "unsupported_api_version");
}

TEST(ApiRequest, AHandlerExceptionBecomesAnInternalError) {
    auto out = handle_request_line(R"({"command":"x"})", [](const nlohmann::json&) -> nlohmann::json {
        throw std::runtime_error("boom");
    });
    EXPECT_EQ(out["error"]["code"], "internal");
    EXPECT_EQ(out["error"]["message"], "boom");
}

}  // namespace
}  // namespace sluice::controlplane

namespace sluice::controlplane {
namespace {

std::string temp_socket_path(const char* name) {
    return "/tmp/sluice-api-test-" + std::to_string(::getpid()) + "-" + name + ".sock";
}

TEST(ApiServer, SocketIsPrivateByDefault) {
    boost::asio::io_context io;
    std::ostringstream sink;
    Logger log(sink, "t");
    const auto path = temp_socket_path("default");
    ApiServer api(io, log, path, [](const nlohmann::json&) { return api_ok({}); });
    std::string error;
    ASSERT_TRUE(api.open(error)) << error;
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    api.close();
}

TEST(ApiServer, GroupOwnershipMakesTheSocketGroupAccessible) {
    if (::geteuid() != 0) GTEST_SKIP() << "chown needs root";
    boost::asio::io_context io;
    std::ostringstream sink;
    Logger log(sink, "t");
    const auto path = temp_socket_path("group");
    ApiServer api(io, log, path, [](const nlohmann::json&) { return api_ok({}); });
    api.set_ownership("nobody", "nogroup");
    std::string error;
    ASSERT_TRUE(api.open(error)) << error;
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0660u);
    EXPECT_EQ(st.st_uid, 65534u);
    api.close();
}

TEST(ApiServer, UnknownOwnerIsAClearError) {
    boost::asio::io_context io;
    std::ostringstream sink;
    Logger log(sink, "t");
    const auto path = temp_socket_path("unknown");
    ApiServer api(io, log, path, [](const nlohmann::json&) { return api_ok({}); });
    api.set_ownership("no-such-user-sluice", "");
    std::string error;
    EXPECT_FALSE(api.open(error));
    EXPECT_EQ(error, "api_socket_owner: no user named 'no-such-user-sluice'");
    EXPECT_FALSE(std::filesystem::exists(path));  // nothing left behind
}

}  // namespace
}  // namespace sluice::controlplane
