#include "dataplane/eal_args.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace sluice::dataplane {
namespace {

bool has(const std::vector<std::string>& args, const std::string& a) {
    return std::find(args.begin(), args.end(), a) != args.end();
}

std::string after(const std::vector<std::string>& args, const std::string& a) {
    auto it = std::find(args.begin(), args.end(), a);
    return it == args.end() || it + 1 == args.end() ? "" : *(it + 1);
}

DataplaneSettings two_vdevs() {
    DataplaneSettings s;
    s.node_name = "lb1";
    s.main_lcore = 0;
    s.worker_lcores = {1};
    s.memory_mb = 256;
    s.ports = {{"front", "net_af_packet0,iface=front0"}, {"back", "net_af_packet1,iface=back0"}};
    return s;
}

const HugepageInfo kHuge{512, 2048, true, "/dev/hugepages"};
const HugepageInfo kNoHuge{0, 2048, true, "/dev/hugepages"};

TEST(EalArgs, UniquePrefixLcoresAndVdevs) {
    auto plan = build_eal_args(two_vdevs(), kHuge, 4242);
    EXPECT_EQ(plan.file_prefix, "sluice-lb1-4242");
    EXPECT_EQ(after(plan.args, "--file-prefix"), "sluice-lb1-4242");
    EXPECT_EQ(after(plan.args, "-l"), "0,1");
    EXPECT_EQ(after(plan.args, "--main-lcore"), "0");
    EXPECT_TRUE(has(plan.args, "net_af_packet0,iface=front0,qpairs=1"));
    EXPECT_TRUE(has(plan.args, "net_af_packet1,iface=back0,qpairs=1"));
    EXPECT_TRUE(has(plan.args, "--no-pci"));
    EXPECT_TRUE(has(plan.args, "--in-memory"));
    EXPECT_TRUE(plan.use_hugepages);
    EXPECT_FALSE(has(plan.args, "--no-huge"));
    EXPECT_TRUE(plan.warnings.empty());
    EXPECT_TRUE(plan.error.empty());
}

TEST(EalArgs, AutoFallsBackToNoHugeWithWarning) {
    auto plan = build_eal_args(two_vdevs(), kNoHuge, 1);
    EXPECT_FALSE(plan.use_hugepages);
    EXPECT_TRUE(has(plan.args, "--no-huge"));
    EXPECT_EQ(after(plan.args, "-m"), "256");
    EXPECT_TRUE(has(plan.args, "--no-shconf"));
    EXPECT_FALSE(has(plan.args, "--in-memory"));  // the EAL rejects it together with --no-huge
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_NE(plan.warnings[0].find("--no-huge"), std::string::npos);
}

TEST(EalArgs, AutoFallsBackWhenHugetlbfsIsNotMounted) {
    auto plan = build_eal_args(two_vdevs(), HugepageInfo{512, 2048, false, ""}, 1);
    EXPECT_FALSE(plan.use_hugepages);
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_NE(plan.warnings[0].find("not mounted"), std::string::npos);
}

TEST(EalArgs, RequiredHugepagesMissingIsAnError) {
    auto s = two_vdevs();
    s.hugepages = HugepageMode::required;
    auto plan = build_eal_args(s, kNoHuge, 1);
    EXPECT_NE(plan.error.find("hugepages = \"on\""), std::string::npos);
}

TEST(EalArgs, DisabledNeverUsesHugepages) {
    auto s = two_vdevs();
    s.hugepages = HugepageMode::disabled;
    auto plan = build_eal_args(s, kHuge, 1);
    EXPECT_FALSE(plan.use_hugepages);
    EXPECT_TRUE(has(plan.args, "--no-huge"));
    EXPECT_TRUE(plan.warnings.empty());
}

TEST(EalArgs, PciPortsAreAllowListedAndExtraArgsComeLast) {
    auto s = two_vdevs();
    s.worker_lcores = {1, 2};
    s.ports = {{"front", "0000:01:00.0"}, {"back", "net_af_packet1,iface=back0,qpairs=4"}};
    s.eal_args = {"--log-level=pmd.net.af_packet:debug"};
    auto plan = build_eal_args(s, kHuge, 1);
    EXPECT_EQ(after(plan.args, "-a"), "0000:01:00.0");
    EXPECT_FALSE(has(plan.args, "--no-pci"));
    EXPECT_TRUE(has(plan.args, "net_af_packet1,iface=back0,qpairs=4"));  // operator's qpairs kept
    EXPECT_EQ(after(plan.args, "-l"), "0,1,2");
    EXPECT_EQ(plan.args.back(), "--log-level=pmd.net.af_packet:debug");
}

TEST(EalArgs, LcoresBeyondTheCpusAreMappedWithAWarning) {
    auto s = two_vdevs();
    s.worker_lcores = {1, 2};
    auto plan = build_eal_args(s, kHuge, 1, 2);
    EXPECT_EQ(after(plan.args, "--lcores"), "0@0,1@1,2@0");
    EXPECT_FALSE(has(plan.args, "-l"));
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_NE(plan.warnings[0].find("exceed the 2 CPUs"), std::string::npos);
    EXPECT_EQ(after(build_eal_args(s, kHuge, 1, 4).args, "-l"), "0,1,2");
}

TEST(EalArgs, ExceptionPathAddsATapPerPort) {
    auto s = two_vdevs();
    s.ports[1].exception_path = true;
    auto plan = build_eal_args(s, kHuge, 1);
    EXPECT_TRUE(has(plan.args, "net_tap_sl1,iface=sl-back"));
    EXPECT_EQ(exception_interface("a-very-long-port-name"), "sl-a-very-long-");
}

TEST(EalArgs, DeviceNames) {
    EXPECT_EQ(device_name("net_af_packet0,iface=front0"), "net_af_packet0");
    EXPECT_EQ(device_name("net_null0"), "net_null0");
    EXPECT_TRUE(is_pci_address("0000:01:00.0"));
    EXPECT_TRUE(is_pci_address("01:00.1"));
    EXPECT_TRUE(is_pci_address("0000:af:00.7,rxq_cqe_comp_en=0"));
    EXPECT_FALSE(is_pci_address("net_tap0"));
    EXPECT_FALSE(is_pci_address("0000:01:00.8"));
    EXPECT_FALSE(is_pci_address("0000:01:00"));
    EXPECT_EQ(device_args_for_workers("net_af_packet0", 2), "net_af_packet0,qpairs=2");
    EXPECT_EQ(device_args_for_workers("net_tap0,iface=x", 2), "net_tap0,iface=x");
}

}  // namespace
}  // namespace sluice::dataplane
