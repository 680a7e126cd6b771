#include "checks/http_checker.h"

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "checks/attempt.h"
#include "checks/body_regex.h"
#include "checks/http_request.h"
#include "checks/http_response_parser.h"
#include "checks/md5_digest.h"

namespace sluice::checks {
namespace {

namespace ssl = boost::asio::ssl;
using boost::asio::ip::tcp;

constexpr std::size_t kReadBuffer = 16 * 1024;

// What every attempt of one checker shares, fixed when the checker is made.
struct HttpSettings {
    CheckSpec spec;
    CheckTarget target;
    bool tls = false;
    std::string request;
    std::string setup_error;  // non-empty: every attempt fails with it
    std::optional<BodyRegex> regex;
    std::shared_ptr<ssl::context> tls_context;
    std::string tls_name;  // SNI and the verified name; empty: none
    bool tls_name_is_ip = false;

    bool reads_body() const { return regex.has_value() || !spec.http.digest.empty(); }
};

std::string_view without_port(std::string_view host) {
    const std::size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(':') == colon) {
        return host.substr(0, colon);
    }
    return host;
}

class HttpAttempt final : public Attempt {
  public:
    HttpAttempt(boost::asio::io_context& io, std::shared_ptr<const HttpSettings> settings,
                Checker::Done done)
        : Attempt(io, settings->spec.connect_timeout, std::move(done)),
          s_(std::move(settings)),
          parser_(limits_for(*s_), [this](std::string_view data) {
              if (!s_->spec.http.digest.empty()) {
                  md5_.update(data);
              }
          }) {
        if (s_->tls) {
            tls_.emplace(io, *s_->tls_context);
        } else {
            plain_.emplace(io);
        }
    }

  private:
    enum class Stage { connecting, handshake, sending, waiting, body };

    static HttpLimits limits_for(const HttpSettings& s) {
        HttpLimits limits;
        if (!s.regex) {
            limits.max_body_kept = 0;  // the digest streams; nothing else reads the body
        }
        return limits;
    }

    tcp::socket& socket() { return tls_ ? tls_->next_layer() : *plain_; }

    template <class F>
    void with_stream(F&& f) {
        if (tls_) {
            f(*tls_);
        } else {
            f(*plain_);
        }
    }

    void run() override {
        if (const auto error = open_socket(socket(), s_->target.bindto)) {
            finish(false, *error);
            return;
        }
        stage_ = Stage::connecting;
        socket().async_connect(tcp::endpoint(to_asio(s_->target.address), s_->target.port),
                               [self = self<HttpAttempt>()](const boost::system::error_code& ec) {
                                   if (self->over()) {
                                       return;
                                   }
                                   if (ec) {
                                       self->finish(false, describe_error(ec));
                                   } else if (self->tls_) {
                                       self->handshake();
                                   } else {
                                       self->send();
                                   }
                               });
    }

    void handshake() {
        stage_ = Stage::handshake;
        SSL* ssl = tls_->native_handle();
        if (!s_->tls_name.empty()) {
            if (!s_->tls_name_is_ip) {
                // SSL_set_tlsext_host_name() without its C-style cast.
                SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                         const_cast<char*>(s_->tls_name.c_str()));
            }
            if (s_->spec.tls.verify) {
                if (s_->tls_name_is_ip) {
                    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), s_->tls_name.c_str());
                } else {
                    SSL_set1_host(ssl, s_->tls_name.c_str());
                }
            }
        }
        tls_->async_handshake(ssl::stream_base::client,
                              [self = self<HttpAttempt>()](const boost::system::error_code& ec) {
                                  if (self->over()) {
                                      return;
                                  }
                                  if (ec) {
                                      self->finish(false, self->handshake_failure(ec));
                                  } else {
                                      self->send();
                                  }
                              });
    }

    std::string handshake_failure(const boost::system::error_code& ec) {
        const std::string prefix = "TLS handshake: ";
        if (s_->spec.tls.verify) {
            const long verdict = SSL_get_verify_result(tls_->native_handle());
            if (verdict != X509_V_OK) {
                return prefix +
                       "certificate verify failed: " + X509_verify_cert_error_string(verdict);
            }
        }
        if (ec.category() == boost::asio::error::get_ssl_category()) {
            const char* reason = ERR_reason_error_string(
                static_cast<unsigned long>(static_cast<unsigned>(ec.value())));
            if (reason != nullptr) {
                return prefix + reason;
            }
        }
        return prefix + describe_error(ec);
    }

    void send() {
        stage_ = Stage::sending;
        with_stream([this](auto& stream) {
            boost::asio::async_write(
                stream, boost::asio::buffer(s_->request),
                [self = self<HttpAttempt>()](const boost::system::error_code& ec, std::size_t) {
                    if (self->over()) {
                        return;
                    }
                    if (ec) {
                        self->finish(false, "sending the request: " + describe_error(ec));
                    } else {
                        self->read();
                    }
                });
        });
    }

    void read() {
        stage_ = parser_.headers_complete() ? Stage::body : Stage::waiting;
        with_stream([this](auto& stream) {
            stream.async_read_some(
                boost::asio::buffer(buffer_),
                [self = self<HttpAttempt>()](const boost::system::error_code& ec, std::size_t n) {
                    self->on_read(ec, n);
                });
        });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        if (over()) {
            return;
        }
        if (n > 0) {
            parser_.feed(std::string_view(buffer_.data(), n));
            if (evaluate()) {
                return;
            }
        }
        if (ec == boost::asio::error::eof || ec == ssl::error::stream_truncated) {
            parser_.finish();
            if (!evaluate()) {
                finish(false, "bad response: incomplete");  // not reached: finish() decides
            }
            return;
        }
        if (ec) {
            finish(false, describe_error(ec));
            return;
        }
        read();
    }

    // Finishes the attempt when the response so far decides it.
    bool evaluate() {
        if (parser_.status() == HttpResponseParser::Status::failed) {
            finish(false, "bad response: " + parser_.error());
            return true;
        }
        if (!parser_.headers_complete()) {
            return false;
        }
        const std::string status = "status " + std::to_string(parser_.status_code());
        if (!status_matches(s_->spec.http.status_codes, parser_.status_code())) {
            finish(false, status);
            return true;
        }
        if (!s_->reads_body()) {
            finish(true, status);
            return true;
        }
        if (parser_.status() != HttpResponseParser::Status::complete) {
            return false;
        }
        if (!s_->spec.http.digest.empty()) {
            const std::string got = md5_.finish_hex();
            if (!digest_equals(got, s_->spec.http.digest)) {
                finish(false, "digest does not match: got " + got);
                return true;
            }
        }
        if (s_->regex && !s_->regex->search(parser_.body())) {
            finish(false, "body does not match");
            return true;
        }
        finish(true, status);
        return true;
    }

    void close() override {
        boost::system::error_code ignored;
        socket().close(ignored);
    }

    std::string timeout_reason() const override {
        static constexpr std::array<const char*, 5> kStages{
            "connecting", "TLS handshake", "sending the request", "waiting for the response",
            "reading the body"};
        return "timeout after " + format_ms(timeout()) + " (" +
               kStages[static_cast<std::size_t>(stage_)] + ")";
    }

    std::shared_ptr<const HttpSettings> s_;
    std::optional<tcp::socket> plain_;
    std::optional<ssl::stream<tcp::socket>> tls_;
    Stage stage_ = Stage::connecting;
    Md5Digest md5_;
    HttpResponseParser parser_;
    std::array<char, kReadBuffer> buffer_{};
};

}  // namespace

std::unique_ptr<Checker> make_http_checker(boost::asio::io_context& io, const CheckSpec& spec,
                                           const CheckTarget& target,
                                           std::shared_ptr<ssl::context> tls_context,
                                           std::string tls_error) {
    auto s = std::make_shared<HttpSettings>();
    s->spec = spec;
    s->target = target;
    s->tls = spec.type == CheckType::https;
    const std::string host = spec.http.virtualhost.empty()
                                 ? default_host(target.address.to_string(), target.port, s->tls)
                                 : spec.http.virtualhost;
    std::string error;
    if (auto request = build_http_get(spec.http.path, host, error)) {
        s->request = std::move(*request);
    } else {
        s->setup_error = error;
    }
    if (!spec.http.body_regex.empty()) {
        s->regex.emplace(spec.http.body_regex);
        if (!s->regex->valid()) {
            s->setup_error = "invalid body_regex: " + s->regex->error();
        }
    }
    if (s->tls) {
        s->tls_context = std::move(tls_context);
        if (!s->tls_context) {
            s->setup_error = tls_error.empty() ? "no TLS context" : tls_error;
        }
        s->tls_name = std::string(spec.tls.sni.empty() ? without_port(spec.http.virtualhost)
                                                       : std::string_view(spec.tls.sni));
        s->tls_name_is_ip = common::Ipv4Addr::parse(s->tls_name).has_value();
    }
    std::shared_ptr<const HttpSettings> settings = std::move(s);
    return std::make_unique<AttemptChecker>(
        [&io, settings](Checker::Done done) -> std::shared_ptr<Attempt> {
            if (!settings->setup_error.empty()) {
                return make_failed_attempt(io, settings->setup_error, std::move(done));
            }
            return std::make_shared<HttpAttempt>(io, settings, std::move(done));
        });
}

}  // namespace sluice::checks
