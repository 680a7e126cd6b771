#pragma once
// A self-signed certificate made in memory with OpenSSL (EC P-256), for the
// HTTPS checker tests: subjectAltName DNS:<dns_name> and IP:127.0.0.1,
// CA:TRUE so that it is its own trust anchor.

#include <string>

namespace sluice::checks::testing {

struct TestCertificate {
    std::string certificate_pem;
    std::string private_key_pem;
};

TestCertificate make_self_signed_certificate(const std::string& dns_name);

// Writes `contents` to a new file in the temp directory and returns its path;
// the file is removed when the TempFile is destroyed.
class TempFile {
  public:
    explicit TempFile(const std::string& contents);
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace sluice::checks::testing
