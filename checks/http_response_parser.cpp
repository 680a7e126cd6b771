#include "checks/http_response_parser.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace sluice::checks {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// RFC 9110 tchar.
bool is_token_char(char c) {
    if (is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Field values and the reason phrase: HTAB, SP, VCHAR, obs-text.
bool is_text_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_ows(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               const auto lower = [](char c) {
                   return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
               };
               return lower(x) == lower(y);
           });
}

// Splits a comma-separated list, trimming each element and skipping empty ones.
std::vector<std::string_view> split_list(std::string_view s) {
    std::vector<std::string_view> parts;
    while (true) {
        const std::size_t comma = s.find(',');
        const std::string_view part = trim_ows(s.substr(0, comma));
        if (!part.empty()) {
            parts.push_back(part);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        s.remove_prefix(comma + 1);
    }
    return parts;
}

std::optional<std::uint64_t> parse_decimal(std::string_view s) {
    if (s.empty() || s.size() > 19) {  // 19 digits always fit in 64 bits
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (char c : s) {
        if (!is_digit(c)) {
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

int hex_value(char c) {
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

HttpResponseParser::HttpResponseParser(HttpLimits limits, BodySink sink)
    : limits_(limits),
      sink_(std::move(sink)),
      header_too_long_("header section larger than " + std::to_string(limits.max_header_bytes) +
                       " bytes") {}

HttpResponseParser::Status HttpResponseParser::status() const {
    switch (phase_) {
        case Phase::done:
            return Status::complete;
        case Phase::failed:
            return Status::failed;
        default:
            return Status::need_more;
    }
}

std::optional<std::string_view> HttpResponseParser::header(std::string_view name) const {
    for (const HttpHeader& h : headers_) {
        if (iequals(h.name, name)) {
            return std::string_view(h.value);
        }
    }
    return std::nullopt;
}

bool HttpResponseParser::fail(std::string why) {
    if (phase_ != Phase::failed) {
        phase_ = Phase::failed;
        error_ = std::move(why);
    }
    line_.clear();
    line_.shrink_to_fit();
    return false;
}

// Moves bytes from `data` into line_ up to and including the first LF. Returns
// the line without its CRLF once complete; nullopt when more bytes are needed
// or on failure (phase_ is then failed). `limit` bounds the whole line.
std::optional<std::string_view> HttpResponseParser::take_line(std::string_view& data,
                                                              std::size_t limit,
                                                              std::string_view too_long,
                                                              bool header_budget) {
    const std::size_t lf = data.find('\n');
    const std::size_t n = lf == std::string_view::npos ? data.size() : lf + 1;
    if (line_.size() + n > limit) {
        fail(std::string(too_long));
        return std::nullopt;
    }
    line_.append(data.substr(0, n));
    data.remove_prefix(n);
    if (header_budget) {
        header_bytes_ += n;
    }
    if (lf == std::string_view::npos) {
        return std::nullopt;
    }
    if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
        fail("line ends in a bare LF");
        return std::nullopt;
    }
    const std::string_view line = std::string_view(line_).substr(0, line_.size() - 2);
    if (line.find('\r') != std::string_view::npos) {
        fail("bare CR in a line");
        return std::nullopt;
    }
    return line;
}

HttpResponseParser::Status HttpResponseParser::feed(std::string_view data) {
    while (!data.empty() && phase_ != Phase::done && phase_ != Phase::failed) {
        const std::size_t header_left =
            limits_.max_header_bytes - std::min(header_bytes_, limits_.max_header_bytes);
        switch (phase_) {
            case Phase::status_line: {
                const auto line =
                    take_line(data, line_.size() + header_left, header_too_long_, true);
                if (line) {
                    on_status_line(*line);
                    line_.clear();
                } else if (phase_ != Phase::failed) {
                    // Garbage need not wait for a line end to be recognised.
                    const std::string_view prefix("HTTP/");
                    const std::size_t n = std::min(prefix.size(), line_.size());
                    if (std::string_view(line_).substr(0, n) != prefix.substr(0, n)) {
                        fail("not an HTTP/1.x status line");
                    }
                }
                break;
            }
            case Phase::header_line:
            case Phase::trailer_line: {
                const auto line =
                    take_line(data, line_.size() + header_left, header_too_long_, true);
                if (line) {
                    if (phase_ == Phase::header_line) {
                        on_header_line(*line);
                    } else {
                        on_trailer_line(*line);
                    }
                    line_.clear();
                }
                break;
            }
            case Phase::body_length:
            case Phase::chunk_data: {
                const std::size_t n =
                    static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
                deliver(data.substr(0, n));
                data.remove_prefix(n);
                remaining_ -= n;
                if (remaining_ == 0) {
                    phase_ = phase_ == Phase::body_length ? Phase::done : Phase::chunk_data_end;
                }
                break;
            }
            case Phase::body_until_close:
                deliver(data);
                data = {};
                break;
            case Phase::chunk_size: {
                const auto line =
                    take_line(data, limits_.max_chunk_line, "chunk-size line too long", false);
                if (line) {
                    on_chunk_size_line(*line);
                    line_.clear();
                }
                break;
            }
            case Phase::chunk_data_end: {
                const auto line = take_line(data, 2, "no CRLF after chunk data", false);
                if (line) {
                    if (!line->empty()) {
                        fail("no CRLF after chunk data");
                    } else {
                        line_.clear();
                        phase_ = Phase::chunk_size;
                    }
                }
                break;
            }
            case Phase::done:
            case Phase::failed:
                break;
        }
    }
    return status();
}

HttpResponseParser::Status HttpResponseParser::finish() {
    switch (phase_) {
        case Phase::done:
        case Phase::failed:
            break;
        case Phase::body_until_close:
            phase_ = Phase::done;
            break;
        case Phase::status_line:
            fail(line_.empty() && header_bytes_ == 0 ? "connection closed without a response"
                                                     : "connection closed in the status line");
            break;
        case Phase::header_line:
            fail("connection closed in the header section");
            break;
        case Phase::body_length:
            fail("connection closed after " + std::to_string(body_bytes_) + " of " +
                 std::to_string(body_bytes_ + remaining_) + " body bytes");
            break;
        case Phase::chunk_size:
        case Phase::chunk_data:
        case Phase::chunk_data_end:
        case Phase::trailer_line:
            fail("connection closed in the chunked body");
            break;
    }
    return status();
}

void HttpResponseParser::on_status_line(std::string_view line) {
    // HTTP-version SP status-code [SP reason-phrase]
    if (line.size() < 12 || line.substr(0, 5) != "HTTP/" || !is_digit(line[5]) || line[6] != '.' ||
        !is_digit(line[7]) || line[8] != ' ') {
        fail("not an HTTP/1.x status line");
        return;
    }
    if (line[5] != '1') {
        fail("unsupported HTTP version " + std::string(line.substr(5, 3)));
        return;
    }
    const std::string_view code = line.substr(9, 3);
    if (!std::all_of(code.begin(), code.end(), is_digit) || (line.size() > 12 && line[12] != ' ')) {
        fail("bad status code");
        return;
    }
    const int value = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    if (value < 100 || value > 599) {
        fail("bad status code " + std::string(code));
        return;
    }
    const std::string_view reason = line.size() > 13 ? line.substr(13) : std::string_view();
    if (!std::all_of(reason.begin(), reason.end(), is_text_char)) {
        fail("bad character in the reason phrase");
        return;
    }
    status_code_ = value;
    reason_ = std::string(reason);
    headers_.clear();
    phase_ = Phase::header_line;
}

void HttpResponseParser::on_header_line(std::string_view line) {
    if (line.empty()) {
        on_headers_end();
        return;
    }
    if (is_ows(line.front())) {
        fail("obsolete line folding");
        return;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        fail("malformed header field");
        return;
    }
    const std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), is_token_char)) {
        fail("malformed header field name");
        return;
    }
    const std::string_view value = trim_ows(line.substr(colon + 1));
    if (!std::all_of(value.begin(), value.end(), is_text_char)) {
        fail("bad character in header field " + std::string(name));
        return;
    }
    if (headers_.size() >= limits_.max_header_fields) {
        fail("more than " + std::to_string(limits_.max_header_fields) + " header fields");
        return;
    }
    headers_.push_back(HttpHeader{std::string(name), std::string(value)});
}

void HttpResponseParser::on_headers_end() {
    if (status_code_ == 101) {
        fail("unexpected 101 Switching Protocols");
        return;
    }
    if (status_code_ < 200) {  // interim response: the final one follows
        headers_.clear();
        phase_ = Phase::status_line;
        return;
    }
    std::vector<std::string_view> codings;
    std::optional<std::uint64_t> length;
    bool has_length = false;
    for (const HttpHeader& h : headers_) {
        if (iequals(h.name, "Transfer-Encoding")) {
            const auto parts = split_list(h.value);
            codings.insert(codings.end(), parts.begin(), parts.end());
            if (parts.empty()) {
                fail("empty Transfer-Encoding");
                return;
            }
        } else if (iequals(h.name, "Content-Length")) {
            const auto parts = split_list(h.value);
            if (parts.empty()) {
                fail("bad Content-Length");
                return;
            }
            for (std::string_view part : parts) {
                const auto value = parse_decimal(part);
                if (!value) {
                    fail("bad Content-Length");
                    return;
                }
                if (has_length && length != value) {
                    fail("conflicting Content-Length");
                    return;
                }
                length = value;
                has_length = true;
            }
        }
    }
    if (!codings.empty() && has_length) {
        fail("both Transfer-Encoding and Content-Length");
        return;
    }
    headers_complete_ = true;
    if (status_code_ == 204 || status_code_ == 304) {
        framing_ = Framing::none;
        phase_ = Phase::done;
        return;
    }
    if (!codings.empty()) {
        for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
            if (iequals(codings[i], "chunked")) {
                fail("chunked is not the final transfer coding");
                return;
            }
        }
        if (iequals(codings.back(), "chunked")) {
            framing_ = Framing::chunked;
            phase_ = Phase::chunk_size;
        } else {
            framing_ = Framing::until_close;
            phase_ = Phase::body_until_close;
        }
        return;
    }
    if (has_length) {
        framing_ = Framing::length;
        remaining_ = *length;
        phase_ = remaining_ == 0 ? Phase::done : Phase::body_length;
        return;
    }
    framing_ = Framing::until_close;
    phase_ = Phase::body_until_close;
}

void HttpResponseParser::on_chunk_size_line(std::string_view line) {
    std::uint64_t size = 0;
    std::size_t i = 0;
    for (; i < line.size(); ++i) {
        const int digit = hex_value(line[i]);
        if (digit < 0) {
            break;
        }
        if (size > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
            fail("chunk size too large");
            return;
        }
        size = (size << 4) | static_cast<std::uint64_t>(digit);
    }
    if (i == 0) {
        fail("bad chunk size");
        return;
    }
    // Optional chunk extensions: BWS ";" ...; only checked for stray bytes.
    const std::string_view rest = trim_ows(line.substr(i));
    if (!rest.empty() && rest.front() != ';') {
        fail("bad chunk size");
        return;
    }
    if (!std::all_of(rest.begin(), rest.end(), is_text_char)) {
        fail("bad character in a chunk extension");
        return;
    }
    if (size == 0) {
        phase_ = Phase::trailer_line;
        return;
    }
    remaining_ = size;
    phase_ = Phase::chunk_data;
}

void HttpResponseParser::on_trailer_line(std::string_view line) {
    if (line.empty()) {
        phase_ = Phase::done;
        return;
    }
    const std::size_t colon = line.find(':');
    if (is_ows(line.front()) || colon == std::string_view::npos || colon == 0 ||
        !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                     is_token_char) ||
        !std::all_of(line.begin() + static_cast<std::ptrdiff_t>(colon) + 1, line.end(),
                     is_text_char)) {
        fail("malformed trailer field");
    }
}

void HttpResponseParser::deliver(std::string_view data) {
    if (data.empty()) {
        return;
    }
    body_bytes_ += data.size();
    const std::size_t room = limits_.max_body_kept - std::min(limits_.max_body_kept, body_.size());
    body_.append(data.substr(0, room));
    if (sink_) {
        sink_(data);
    }
}

}  // namespace sluice::checks
