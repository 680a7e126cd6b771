#include "checks/tls_context_cache.h"

#include <boost/system/system_error.hpp>
#include <openssl/err.h>

namespace sluice::checks {

std::shared_ptr<boost::asio::ssl::context> make_tls_context(bool verify, const std::string& ca_file,
                                                            std::string& error) {
    namespace ssl = boost::asio::ssl;
    try {
        auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
        context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3);
        if (verify) {
            context->set_verify_mode(ssl::verify_peer);
            if (ca_file.empty()) {
                context->set_default_verify_paths();
            } else {
                context->load_verify_file(ca_file);
            }
        } else {
            context->set_verify_mode(ssl::verify_none);
        }
        return context;
    } catch (const boost::system::system_error& e) {
        ERR_clear_error();
        error = ca_file.empty() ? std::string("TLS context: ") + e.what()
                                : "CA file " + ca_file + ": " + e.code().message();
        return nullptr;
    }
}

std::shared_ptr<boost::asio::ssl::context> TlsContextCache::get(bool verify,
                                                                const std::string& ca_file,
                                                                std::string& error) {
    const std::string key_file = verify ? ca_file : std::string();
    auto key = std::make_pair(verify, key_file);
    if (auto it = contexts_.find(key); it != contexts_.end()) {
        return it->second;
    }
    auto context = make_tls_context(verify, key_file, error);
    if (context) {
        contexts_.emplace(std::move(key), context);
    }
    return context;
}

}  // namespace sluice::checks
