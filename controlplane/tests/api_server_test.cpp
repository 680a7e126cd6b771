#include "controlplane/api_server.h"

#include <gtest/gtest.h>

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
