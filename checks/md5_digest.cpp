#include "checks/md5_digest.h"

#include <array>
#include <cctype>
#include <stdexcept>

#include <openssl/evp.h>

namespace sluice::checks {

struct Md5Digest::Context {
    EVP_MD_CTX* ctx = nullptr;
    bool finished = false;

    Context() : ctx(EVP_MD_CTX_new()) {
        if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) != 1) {
            EVP_MD_CTX_free(ctx);
            throw std::runtime_error("cannot initialise an MD5 digest");
        }
    }
    ~Context() { EVP_MD_CTX_free(ctx); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
};

Md5Digest::Md5Digest() : context_(std::make_unique<Context>()) {}
Md5Digest::~Md5Digest() = default;
Md5Digest::Md5Digest(Md5Digest&&) noexcept = default;
Md5Digest& Md5Digest::operator=(Md5Digest&&) noexcept = default;

void Md5Digest::update(std::string_view data) {
    if (context_->finished || data.empty()) {
        return;
    }
    EVP_DigestUpdate(context_->ctx, data.data(), data.size());
}

std::string Md5Digest::finish_hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> raw{};
    unsigned int length = 0;
    if (!context_->finished) {
        EVP_DigestFinal_ex(context_->ctx, raw.data(), &length);
        context_->finished = true;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        hex.push_back(kHex[raw[i] >> 4]);
        hex.push_back(kHex[raw[i] & 0x0f]);
    }
    return hex;
}

std::string md5_hex(std::string_view data) {
    Md5Digest digest;
    digest.update(data);
    return digest.finish_hex();
}

bool digest_equals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace sluice::checks
