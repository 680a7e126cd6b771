#include "controlplane/config/enum_names.h"

#include <array>

namespace sluice::config {
namespace {

constexpr std::array kLogLevels{
    EnumName<LogLevel>{"trace", LogLevel::trace},
    EnumName<LogLevel>{"debug", LogLevel::debug},
    EnumName<LogLevel>{"info", LogLevel::info},
    EnumName<LogLevel>{"notice", LogLevel::notice},
    EnumName<LogLevel>{"warning", LogLevel::warning},
    EnumName<LogLevel>{"error", LogLevel::error},
};
constexpr std::array kLogFormats{
    EnumName<LogFormat>{"text", LogFormat::text},
    EnumName<LogFormat>{"json", LogFormat::json},
};
constexpr std::array kHugepages{
    EnumName<Hugepages>{"auto", Hugepages::auto_},
    EnumName<Hugepages>{"on", Hugepages::on},
    EnumName<Hugepages>{"off", Hugepages::off},
};
constexpr std::array kIdleModes{
    EnumName<IdleMode>{"busy", IdleMode::busy},
    EnumName<IdleMode>{"adaptive", IdleMode::adaptive},
};
constexpr std::array kPortRoles{
    EnumName<PortRole>{"front", PortRole::front},
    EnumName<PortRole>{"back", PortRole::back},
    EnumName<PortRole>{"both", PortRole::both},
};
constexpr std::array kProtocols{
    EnumName<Protocol>{"tcp", Protocol::tcp},
    EnumName<Protocol>{"udp", Protocol::udp},
};
constexpr std::array kSchedulers{
    EnumName<Scheduler>{"rr", Scheduler::rr}, EnumName<Scheduler>{"wrr", Scheduler::wrr},
    EnumName<Scheduler>{"lc", Scheduler::lc}, EnumName<Scheduler>{"wlc", Scheduler::wlc},
    EnumName<Scheduler>{"sh", Scheduler::sh}, EnumName<Scheduler>{"mh", Scheduler::mh},
};
constexpr std::array kForwardMethods{
    EnumName<ForwardMethod>{"nat", ForwardMethod::nat},
    EnumName<ForwardMethod>{"dr", ForwardMethod::dr},
    EnumName<ForwardMethod>{"tun", ForwardMethod::tun},
};
constexpr std::array kCheckTypes{
    EnumName<CheckType>{"tcp", CheckType::tcp},     EnumName<CheckType>{"http", CheckType::http},
    EnumName<CheckType>{"https", CheckType::https}, EnumName<CheckType>{"misc", CheckType::misc},
    EnumName<CheckType>{"udp", CheckType::udp},     EnumName<CheckType>{"dns", CheckType::dns},
};
constexpr std::array kVrrpStates{
    EnumName<VrrpState>{"backup", VrrpState::backup},
    EnumName<VrrpState>{"master", VrrpState::master},
};
constexpr std::array kAuthTypes{
    EnumName<AuthType>{"none", AuthType::none},
    EnumName<AuthType>{"pass", AuthType::pass},
};

}  // namespace

template <>
std::span<const EnumName<LogLevel>> enum_names<LogLevel>() {
    return kLogLevels;
}
template <>
std::span<const EnumName<LogFormat>> enum_names<LogFormat>() {
    return kLogFormats;
}
template <>
std::span<const EnumName<Hugepages>> enum_names<Hugepages>() {
    return kHugepages;
}
template <>
std::span<const EnumName<IdleMode>> enum_names<IdleMode>() {
    return kIdleModes;
}
template <>
std::span<const EnumName<PortRole>> enum_names<PortRole>() {
    return kPortRoles;
}
template <>
std::span<const EnumName<Protocol>> enum_names<Protocol>() {
    return kProtocols;
}
template <>
std::span<const EnumName<Scheduler>> enum_names<Scheduler>() {
    return kSchedulers;
}
template <>
std::span<const EnumName<ForwardMethod>> enum_names<ForwardMethod>() {
    return kForwardMethods;
}
template <>
std::span<const EnumName<CheckType>> enum_names<CheckType>() {
    return kCheckTypes;
}
template <>
std::span<const EnumName<VrrpState>> enum_names<VrrpState>() {
    return kVrrpStates;
}
template <>
std::span<const EnumName<AuthType>> enum_names<AuthType>() {
    return kAuthTypes;
}

}  // namespace sluice::config
