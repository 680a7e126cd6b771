#pragma once
// MD5 of an HTTP body, streamed (OpenSSL EVP), for keepalived's url { digest }:
// the lowercase hex MD5 of the whole response body (after chunked decoding),
// as keepalived's genhash prints it. MD5 is not used for security here, only
// to recognise a page.

#include <memory>
#include <string>
#include <string_view>

namespace sluice::checks {

class Md5Digest {
  public:
    Md5Digest();
    ~Md5Digest();
    Md5Digest(const Md5Digest&) = delete;
    Md5Digest& operator=(const Md5Digest&) = delete;
    Md5Digest(Md5Digest&&) noexcept;
    Md5Digest& operator=(Md5Digest&&) noexcept;

    void update(std::string_view data);
    // 32 lowercase hex digits; the digest cannot be updated afterwards.
    std::string finish_hex();

  private:
    struct Context;
    std::unique_ptr<Context> context_;
};

std::string md5_hex(std::string_view data);

// Compares hex digests ignoring case ("D41D8CD9..." equals "d41d8cd9...").
bool digest_equals(std::string_view a, std::string_view b);

}  // namespace sluice::checks
