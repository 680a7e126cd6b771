#pragma once
// A writer for the Prometheus text exposition format 0.0.4: metric families
// with # HELP and # TYPE lines, their samples grouped under them whatever the
// order they were added in, label values and help texts escaped. Pure.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::controlplane::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A summary here carries quantile samples only (no _sum, no _count).
enum class Type { counter, gauge, summary };

class Exposition {
  public:
    // Declares a family; a family declared twice keeps its first help and type.
    void define(const std::string& name, std::string help, Type type);

    // Adds one sample to a defined family. A value that is not a number or a
    // boolean (absent, null, text) adds nothing, nor does an undefined name.
    void add(const std::string& name, const Labels& labels, const nlohmann::json& value);

    // The families in the order they were defined; those without samples are
    // left out.
    std::string text() const;

  private:
    struct Family {
        std::string name;
        std::string help;
        Type type = Type::gauge;
        std::vector<std::string> samples;  // rendered lines
    };
    std::vector<Family> families_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

// Backslash, double quote and line feed escaped as the format requires.
std::string escape_label_value(std::string_view value);
// Backslash and line feed escaped (HELP text).
std::string escape_help(std::string_view help);
// A sample value: integers exactly, other numbers in their shortest form,
// NaN and +Inf/-Inf as the format spells them; "" when `value` is no number.
std::string format_value(const nlohmann::json& value);

}  // namespace sluice::controlplane::metrics
