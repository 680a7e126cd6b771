#pragma once
// The words config.toml uses for each enum of the model, in one table per
// enum: the loader parses with them, diagnostics list them, and the CLI and
// logs print them.

#include <span>
#include <string_view>

#include "controlplane/config/model.h"

namespace sluice::config {

template <class E>
struct EnumName {
    std::string_view name;
    E value;
};

// Specialised for LogLevel, LogFormat, Hugepages, IdleMode, PortRole, Protocol,
// Scheduler, ForwardMethod, CheckType, VrrpState and AuthType.
template <class E>
std::span<const EnumName<E>> enum_names();

template <>
std::span<const EnumName<LogLevel>> enum_names<LogLevel>();
template <>
std::span<const EnumName<LogFormat>> enum_names<LogFormat>();
template <>
std::span<const EnumName<Hugepages>> enum_names<Hugepages>();
template <>
std::span<const EnumName<IdleMode>> enum_names<IdleMode>();
template <>
std::span<const EnumName<PortRole>> enum_names<PortRole>();
template <>
std::span<const EnumName<Protocol>> enum_names<Protocol>();
template <>
std::span<const EnumName<Scheduler>> enum_names<Scheduler>();
template <>
std::span<const EnumName<ForwardMethod>> enum_names<ForwardMethod>();
template <>
std::span<const EnumName<CheckType>> enum_names<CheckType>();
template <>
std::span<const EnumName<VrrpState>> enum_names<VrrpState>();
template <>
std::span<const EnumName<AuthType>> enum_names<AuthType>();

// The config word for `value`, e.g. to_string(Scheduler::wrr) == "wrr".
template <class E>
std::string_view to_string(E value) {
    for (const EnumName<E>& entry : enum_names<E>()) {
        if (entry.value == value) {
            return entry.name;
        }
    }
    return "?";
}

}  // namespace sluice::config
