// The bucketed index on its own: probing past full buckets, overflow counts
// undone on erase, and a randomised comparison with std::unordered_map.

#include "dataplane/conn/flow_index.h"

#include <cstdint>
#include <random>
#include <unordered_map>

#include <gtest/gtest.h>

namespace sluice::dataplane::conn {
namespace {

// Hashes are chosen by the test: low bits pick the bucket, high bits are the
// signature. Refs double as identities.
std::uint64_t hash_for(std::uint32_t bucket, std::uint32_t sig) {
    return (static_cast<std::uint64_t>(sig) << 32) | bucket;
}

std::uint32_t find(const FlowIndex& index, std::uint64_t hash, std::uint32_t ref) {
    return index.find(hash, [ref](std::uint32_t r) { return r == ref; });
}

TEST(FlowIndex, KeysSpillIntoFollowingBucketsAndAreFound) {
    FlowIndex index(4);
    // 20 keys all homed in bucket 1: fills buckets 1, 2 and part of 3.
    for (std::uint32_t k = 0; k < 20; ++k) {
        ASSERT_TRUE(index.insert(hash_for(1, 100 + k), k));
    }
    EXPECT_EQ(index.size(), 20u);
    EXPECT_EQ(index.max_displacement(), 2u);
    for (std::uint32_t k = 0; k < 20; ++k) {
        EXPECT_EQ(find(index, hash_for(1, 100 + k), k), k);
    }
    EXPECT_EQ(find(index, hash_for(1, 999), 5), FlowIndex::kNoRef);
    EXPECT_EQ(find(index, hash_for(0, 100), 0), FlowIndex::kNoRef);
}

TEST(FlowIndex, EraseUndoesOverflowSoLookupsStillReachSpilledKeys) {
    FlowIndex index(4);
    for (std::uint32_t k = 0; k < 20; ++k) {
        ASSERT_TRUE(index.insert(hash_for(3, 100 + k), k));  // wraps to buckets 0 and 1
    }
    // Remove from the home bucket first: spilled keys must stay reachable.
    for (std::uint32_t k = 0; k < 7; ++k) {
        ASSERT_TRUE(index.erase(hash_for(3, 100 + k), k));
    }
    for (std::uint32_t k = 7; k < 20; ++k) {
        EXPECT_EQ(find(index, hash_for(3, 100 + k), k), k) << k;
    }
    for (std::uint32_t k = 7; k < 20; ++k) {
        ASSERT_TRUE(index.erase(hash_for(3, 100 + k), k));
    }
    EXPECT_EQ(index.size(), 0u);
    EXPECT_FALSE(index.erase(hash_for(3, 100), 0));
    // All overflow counts are back to zero: a miss stops at the home bucket,
    // and the index can be filled completely again.
    for (std::uint32_t k = 0; k < 28; ++k) {
        ASSERT_TRUE(index.insert(hash_for(k % 4, 500 + k), k));
    }
    EXPECT_FALSE(index.insert(hash_for(0, 1), 99));  // every slot taken
}

TEST(FlowIndex, SameSignatureDifferentRecordsAreTellApart) {
    FlowIndex index(2);
    ASSERT_TRUE(index.insert(hash_for(0, 7), 10));
    ASSERT_TRUE(index.insert(hash_for(0, 7), 11));
    EXPECT_EQ(find(index, hash_for(0, 7), 11), 11u);
    EXPECT_TRUE(index.erase(hash_for(0, 7), 10));
    EXPECT_EQ(find(index, hash_for(0, 7), 10), FlowIndex::kNoRef);
    EXPECT_EQ(find(index, hash_for(0, 7), 11), 11u);
}

TEST(FlowIndex, ZeroSignatureIsNotMistakenForEmpty) {
    FlowIndex index(2);
    ASSERT_TRUE(index.insert(hash_for(1, 0), 5));
    EXPECT_EQ(find(index, hash_for(1, 0), 5), 5u);
}

TEST(FlowIndex, MatchesAModelUnderRandomChurn) {
    // A tiny index under heavy collision: 16 buckets, up to 100 keys.
    FlowIndex index(16);
    std::unordered_map<std::uint32_t, std::uint64_t> model;  // ref -> hash
    std::mt19937 engine(7);
    auto rng = [&engine] { return static_cast<std::uint32_t>(engine()); };
    for (int step = 0; step < 200'000; ++step) {
        const std::uint32_t ref = rng() % 150;
        const auto it = model.find(ref);
        if (it != model.end()) {
            if (rng() % 2 == 0) {
                ASSERT_TRUE(index.erase(it->second, ref));
                model.erase(it);
            } else {
                ASSERT_EQ(find(index, it->second, ref), ref);
            }
        } else if (model.size() < 100) {
            const std::uint64_t h = hash_for(rng() % 16, rng() % 8);
            ASSERT_TRUE(index.insert(h, ref));
            model.emplace(ref, h);
        } else {
            ASSERT_EQ(find(index, hash_for(rng() % 16, rng() % 8), ref), FlowIndex::kNoRef);
        }
        ASSERT_EQ(index.size(), model.size());
    }
    for (const auto& [ref, h] : model) {
        ASSERT_EQ(find(index, h, ref), ref);
    }
}

TEST(FlowIndex, RefEncodingKeepsDirection) {
    const std::uint32_t ref = FlowIndex::make_ref(123456, Direction::server_to_client);
    EXPECT_EQ(FlowIndex::record_of(ref), 123456u);
    EXPECT_EQ(FlowIndex::direction_of(ref), Direction::server_to_client);
}

}  // namespace
}  // namespace sluice::dataplane::conn
