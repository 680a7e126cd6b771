#include "dataplane/sched/hash.h"

#include <gtest/gtest.h>

#include "dataplane/sched/algorithm.h"
#include "dataplane/sched/maglev_permutation.h"

namespace sluice::dataplane::sched {
namespace {

// Pinned values: the hashes decide which backend a flow reaches, on every
// appliance and across upgrades. Changing them is a flag day.
TEST(Hash, PinnedValues) {
    EXPECT_EQ(mix64(0), 0u);
    EXPECT_EQ(mix64(1), 6238072747940578789u);
    EXPECT_EQ(flow_hash(FlowKey{0xc612'0064, 0xc612'0001, 40000, 80, 6}), 1342901993u);
    EXPECT_EQ(source_hash(0xc612'0064, 0), 1220367684u);
    const MaglevPermutation p = maglev_permutation(0x0a01'0000'0050ULL, 65537);
    EXPECT_EQ(p.offset, 35024u);
    EXPECT_EQ(p.skip, 46753u);
}

TEST(Hash, FlowHashUsesEveryField) {
    const FlowKey base{1, 2, 3, 4, 6};
    const std::uint32_t h = flow_hash(base);
    FlowKey k = base;
    k.src_ip ^= 1;
    EXPECT_NE(flow_hash(k), h);
    k = base;
    k.dst_ip ^= 1;
    EXPECT_NE(flow_hash(k), h);
    k = base;
    k.src_port ^= 1;
    EXPECT_NE(flow_hash(k), h);
    k = base;
    k.dst_port ^= 1;
    EXPECT_NE(flow_hash(k), h);
    k = base;
    k.proto = 17;
    EXPECT_NE(flow_hash(k), h);
}

TEST(Hash, ReduceStaysInRangeAndCoversIt) {
    EXPECT_EQ(reduce(0, 65537), 0u);
    EXPECT_EQ(reduce(0xffff'ffff, 65537), 65536u);
    EXPECT_EQ(reduce(0x8000'0000, 10), 5u);
    EXPECT_EQ(reduce(12345, 1), 0u);
}

TEST(Algorithm, NamesRoundTrip) {
    for (const auto a :
         {Algorithm::kRoundRobin, Algorithm::kWeightedRoundRobin, Algorithm::kLeastConnection,
          Algorithm::kWeightedLeastConnection, Algorithm::kSourceHash, Algorithm::kMaglev}) {
        EXPECT_EQ(parse_algorithm(algorithm_name(a)), a);
    }
    EXPECT_EQ(algorithm_name(Algorithm::kWeightedLeastConnection), "wlc");
    EXPECT_EQ(algorithm_name(Algorithm::kMaglev), "mh");
    EXPECT_FALSE(parse_algorithm("lblc"));
    EXPECT_FALSE(parse_algorithm("RR"));
}

}  // namespace
}  // namespace sluice::dataplane::sched
