#pragma once
// OpenSSL client contexts for HTTPS checks, one per (verify, CA file): loading
// a CA file reads the disk, so it is done once per setting, not per attempt.
// Owned by the caller (the health manager); clear() after a reload so that
// changed CA files are read again. Checkers keep the context they got alive.
//
// A context is TLS client, default OpenSSL protocol versions and ciphers.
// verify: SSL_VERIFY_PEER against ca_file (PEM), or the system's default CA
// paths when ca_file is empty. No verify: any certificate is accepted.

#include <map>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/ssl/context.hpp>

namespace sluice::checks {

// nullptr with `error` when the CA file cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(bool verify, const std::string& ca_file,
                                                            std::string& error);

class TlsContextCache {
  public:
    // Failures are not cached: the next call tries again.
    std::shared_ptr<boost::asio::ssl::context> get(bool verify, const std::string& ca_file,
                                                   std::string& error);
    void clear() { contexts_.clear(); }
    std::size_t size() const { return contexts_.size(); }

  private:
    std::map<std::pair<bool, std::string>, std::shared_ptr<boost::asio::ssl::context>> contexts_;
};

}  // namespace sluice::checks
