#include "checks/dns_message.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sluice::checks {
namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kMaxNameWire = 255;
constexpr std::uint16_t kClassIn = 1;

constexpr std::array<std::pair<std::uint16_t, std::string_view>, 8> kTypeNames{{
    {dns_type::a, "A"},
    {dns_type::ns, "NS"},
    {dns_type::cname, "CNAME"},
    {dns_type::soa, "SOA"},
    {dns_type::ptr, "PTR"},
    {dns_type::mx, "MX"},
    {dns_type::txt, "TXT"},
    {dns_type::aaaa, "AAAA"},
}};

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view without_root_dot(std::string_view name) {
    if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);
    }
    return name;
}

std::uint8_t byte_at(std::string_view m, std::size_t i) {
    return static_cast<std::uint8_t>(m[i]);
}

std::uint16_t u16_at(std::string_view m, std::size_t i) {
    return static_cast<std::uint16_t>((byte_at(m, i) << 8) | byte_at(m, i + 1));
}

std::uint32_t u32_at(std::string_view m, std::size_t i) {
    return (std::uint32_t{u16_at(m, i)} << 16) | u16_at(m, i + 2);
}

void put_u16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xff));
}

}  // namespace

std::optional<std::uint16_t> parse_dns_type(std::string_view name) {
    for (const auto& [code, text] : kTypeNames) {
        if (iequals(name, text)) {
            return code;
        }
    }
    if (name.size() > 4 && name.size() <= 9 && iequals(name.substr(0, 4), "TYPE")) {
        std::uint32_t value = 0;
        for (char c : name.substr(4)) {
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            value = value * 10 + static_cast<std::uint32_t>(c - '0');
        }
        if (value <= 0xffff) {
            return static_cast<std::uint16_t>(value);
        }
    }
    return std::nullopt;
}

std::string dns_type_name(std::uint16_t type) {
    for (const auto& [code, text] : kTypeNames) {
        if (code == type) {
            return std::string(text);
        }
    }
    return "TYPE" + std::to_string(type);
}

std::string dns_rcode_name(unsigned rcode) {
    static constexpr std::array<std::string_view, 6> kNames{"NOERROR",  "FORMERR", "SERVFAIL",
                                                            "NXDOMAIN", "NOTIMP",  "REFUSED"};
    if (rcode < kNames.size()) {
        return std::string(kNames[rcode]);
    }
    return "RCODE" + std::to_string(rcode);
}

std::optional<std::string> build_dns_query(std::uint16_t id, std::string_view name,
                                           std::uint16_t type, std::string& error) {
    name = without_root_dot(name);
    std::string query;
    query.reserve(kHeaderSize + name.size() + 6);
    put_u16(query, id);
    put_u16(query, 0x0100);  // standard query, RD
    put_u16(query, 1);       // QDCOUNT
    put_u16(query, 0);
    put_u16(query, 0);
    put_u16(query, 0);
    std::size_t wire = 1;  // the root label
    while (!name.empty()) {
        const std::size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > 63) {
            error = label.empty() ? "empty label in '" : "label longer than 63 bytes in '";
            error += std::string(name) + "'";
            return std::nullopt;
        }
        wire += label.size() + 1;
        if (wire > kMaxNameWire) {
            error = "name longer than 255 bytes";
            return std::nullopt;
        }
        query.push_back(static_cast<char>(label.size()));
        query += label;
        if (dot == std::string_view::npos) {
            break;
        }
        name.remove_prefix(dot + 1);
        if (name.empty()) {
            error = "empty label";
            return std::nullopt;
        }
    }
    query.push_back('\0');
    put_u16(query, type);
    put_u16(query, kClassIn);
    return query;
}

std::optional<std::string> read_dns_name(std::string_view message, std::size_t& offset,
                                         std::string& error) {
    std::string name;
    std::size_t pos = offset;
    std::size_t wire = 0;
    std::size_t pointers = 0;
    bool jumped = false;
    while (true) {
        if (pos >= message.size()) {
            error = "name runs past the end of the message";
            return std::nullopt;
        }
        const std::uint8_t len = byte_at(message, pos);
        if ((len & 0xc0) == 0xc0) {
            if (pos + 1 >= message.size()) {
                error = "name runs past the end of the message";
                return std::nullopt;
            }
            if (++pointers > kMaxCompressionPointers) {
                error = "compression pointer loop";
                return std::nullopt;
            }
            const std::size_t target = u16_at(message, pos) & 0x3fffU;
            if (!jumped) {
                offset = pos + 2;
                jumped = true;
            }
            if (target >= message.size()) {
                error = "compression pointer out of range";
                return std::nullopt;
            }
            pos = target;
            continue;
        }
        if ((len & 0xc0) != 0) {
            error = "unsupported label type";
            return std::nullopt;
        }
        wire += std::size_t{len} + 1;
        if (wire > kMaxNameWire) {
            error = "name longer than 255 bytes";
            return std::nullopt;
        }
        if (len == 0) {
            if (!jumped) {
                offset = pos + 1;
            }
            return name;
        }
        if (pos + 1 + len > message.size()) {
            error = "name runs past the end of the message";
            return std::nullopt;
        }
        if (!name.empty()) {
            name.push_back('.');
        }
        name.append(message.substr(pos + 1, len));
        pos += 1 + std::size_t{len};
    }
}

std::optional<DnsResponse> parse_dns_response(std::string_view message, std::uint16_t id,
                                              std::string_view name, std::uint16_t type,
                                              std::string& error) {
    if (message.size() < kHeaderSize) {
        error = "message shorter than a DNS header";
        return std::nullopt;
    }
    DnsResponse r;
    r.id = u16_at(message, 0);
    const std::uint16_t flags = u16_at(message, 2);
    const std::uint16_t qdcount = u16_at(message, 4);
    const std::uint16_t ancount = u16_at(message, 6);
    if (r.id != id) {
        error = "reply to another query (id " + std::to_string(r.id) + ")";
        return std::nullopt;
    }
    if ((flags & 0x8000U) == 0) {
        error = "not a response";
        return std::nullopt;
    }
    if (((flags >> 11) & 0xfU) != 0) {
        error = "not a standard query response";
        return std::nullopt;
    }
    r.authoritative = (flags & 0x0400U) != 0;
    r.truncated = (flags & 0x0200U) != 0;
    r.rcode = flags & 0xfU;
    std::size_t pos = kHeaderSize;
    if (qdcount > 1 || (qdcount == 0 && r.rcode == 0)) {
        error = "reply has " + std::to_string(qdcount) + " questions";
        return std::nullopt;
    }
    if (qdcount == 1) {
        const auto qname = read_dns_name(message, pos, error);
        if (!qname) {
            return std::nullopt;
        }
        if (pos + 4 > message.size()) {
            error = "question runs past the end of the message";
            return std::nullopt;
        }
        if (!iequals(*qname, without_root_dot(name)) || u16_at(message, pos) != type ||
            u16_at(message, pos + 2) != kClassIn) {
            error = "reply to another question";
            return std::nullopt;
        }
        pos += 4;
    }
    for (std::uint16_t i = 0; i < ancount; ++i) {
        if (pos >= message.size() && r.truncated) {
            break;  // the rest did not fit
        }
        DnsRecord record;
        auto owner = read_dns_name(message, pos, error);
        if (!owner) {
            return std::nullopt;
        }
        if (pos + 10 > message.size()) {
            error = "answer runs past the end of the message";
            return std::nullopt;
        }
        record.name = std::move(*owner);
        record.type = u16_at(message, pos);
        record.rclass = u16_at(message, pos + 2);
        record.ttl = u32_at(message, pos + 4);
        const std::size_t rdlength = u16_at(message, pos + 8);
        pos += 10;
        if (pos + rdlength > message.size()) {
            error = "answer runs past the end of the message";
            return std::nullopt;
        }
        record.rdata = std::string(message.substr(pos, rdlength));
        pos += rdlength;
        r.answers.push_back(std::move(record));
    }
    return r;
}

}  // namespace sluice::checks
