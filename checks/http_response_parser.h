#pragma once
// An HTTP/1.x response parser for health checks (pure, incremental, strict and
// bounded). It takes the bytes as they arrive, in pieces of any size, and
// never holds more than its limits whatever the server sends:
//  - at most max_header_bytes for the status line and header fields together,
//    counting every interim (1xx) response and the chunked trailers too;
//  - at most max_body_kept bytes of the body (the first ones; the rest is
//    counted and passed to the body sink, then dropped);
//  - one chunk-size line at most max_chunk_line bytes.
// Strict: lines end in CRLF (a bare LF or CR is an error), no obsolete line
// folding, field names are tokens, values have no control characters, the
// status line is "HTTP/1.x NNN [reason]" with NNN in 100..599,
// Content-Length is digits (repeated only with the same value),
// Transfer-Encoding and Content-Length together are refused (a smuggling
// sign), "chunked" must be the last transfer coding, chunk sizes are hex with
// no overflow and each chunk ends in CRLF. 1xx responses (but 101) are
// skipped; 204 and 304 have no body; without Content-Length or chunked the
// body runs until the server closes (the request says Connection: close).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::checks {

struct HttpLimits {
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_header_fields = 100;
    std::size_t max_chunk_line = 1024;
    std::size_t max_body_kept = 1024 * 1024;
};

struct HttpHeader {
    std::string name;   // as sent
    std::string value;  // without surrounding whitespace
};

class HttpResponseParser {
  public:
    enum class Status { need_more, complete, failed };
    // Receives every body byte in order, after chunked decoding, including
    // the bytes beyond max_body_kept (for a digest over the whole body).
    using BodySink = std::function<void(std::string_view)>;

    explicit HttpResponseParser(HttpLimits limits = {}, BodySink sink = {});

    // Feeds the next bytes received. Once complete, further bytes are ignored;
    // once failed, error() says why and nothing changes any more.
    Status feed(std::string_view data);
    // The server closed the connection: completes a body that runs until the
    // close, fails anything else unfinished.
    Status finish();

    Status status() const;
    const std::string& error() const { return error_; }

    // The final response's status line and header fields are known.
    bool headers_complete() const { return headers_complete_; }
    int status_code() const { return status_code_; }
    const std::string& reason_phrase() const { return reason_; }
    const std::vector<HttpHeader>& headers() const { return headers_; }
    // The first field of that name (case-insensitive).
    std::optional<std::string_view> header(std::string_view name) const;
    bool chunked() const { return framing_ == Framing::chunked; }

    std::string_view body() const { return body_; }  // the first max_body_kept bytes
    bool body_truncated() const { return body_bytes_ > body_.size(); }
    std::uint64_t body_bytes() const { return body_bytes_; }  // all of them

    // Bytes held for an unfinished line (bounded by the limits).
    std::size_t buffered() const { return line_.size(); }

  private:
    enum class Phase {
        status_line,
        header_line,
        body_length,
        body_until_close,
        chunk_size,
        chunk_data,
        chunk_data_end,
        trailer_line,
        done,
        failed,
    };
    enum class Framing { none, length, chunked, until_close };

    std::optional<std::string_view> take_line(std::string_view& data, std::size_t limit,
                                              std::string_view too_long, bool header_budget);
    bool fail(std::string why);
    void on_status_line(std::string_view line);
    void on_header_line(std::string_view line);
    void on_headers_end();
    void on_chunk_size_line(std::string_view line);
    void on_trailer_line(std::string_view line);
    void deliver(std::string_view data);

    HttpLimits limits_;
    BodySink sink_;
    std::string header_too_long_;
    Phase phase_ = Phase::status_line;
    Framing framing_ = Framing::none;
    std::string error_;
    std::string line_;
    std::size_t header_bytes_ = 0;
    bool headers_complete_ = false;
    int status_code_ = 0;
    std::string reason_;
    std::vector<HttpHeader> headers_;
    std::uint64_t remaining_ = 0;  // of the Content-Length body or of the current chunk
    std::string body_;
    std::uint64_t body_bytes_ = 0;
};

}  // namespace sluice::checks
