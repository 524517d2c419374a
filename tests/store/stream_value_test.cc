// StreamValue against a model (std::map from ID to field-value pairs) with fixed seeds: random
// appends (with repeated and changing field sets, so both entry forms occur), deletions, ranges in
// both directions with counts, and exact and approximate trims; plus the ID parser's rules.
#include "store/stream_value.h"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace store {
namespace {

using Model = std::map<StreamId, std::vector<std::string>>;

std::vector<StreamEntry> ModelRange(const Model& m, StreamId lo, StreamId hi, size_t count,
                                    bool rev) {
  std::vector<StreamEntry> out;
  if (lo > hi) return out;
  auto first = m.lower_bound(lo);
  auto last = m.upper_bound(hi);
  if (!rev) {
    for (auto it = first; it != last && (count == 0 || out.size() < count); ++it) {
      out.push_back({it->first, it->second});
    }
  } else {
    for (auto it = last; it != first && (count == 0 || out.size() < count);) {
      --it;
      out.push_back({it->first, it->second});
    }
  }
  return out;
}

void ExpectSame(const StreamValue& s, const Model& m) {
  ASSERT_EQ(s.length(), m.size());
  EXPECT_EQ(s.Range(StreamId::Min(), StreamId::Max(), 0),
            ModelRange(m, StreamId::Min(), StreamId::Max(), 0, false));
  EXPECT_EQ(s.first_id(), m.empty() ? StreamId::Min() : m.begin()->first);
}

StreamId Id(uint64_t ms, uint64_t seq) { return StreamId{ms, seq}; }

StreamTrim MaxLen(int64_t maxlen, bool approx, int64_t limit = 0) {
  StreamTrim t;
  t.kind = StreamTrimKind::kMaxLen;
  t.maxlen = maxlen;
  t.approx = approx;
  t.limit = limit;
  return t;
}

TEST(StreamId, ParseForms) {
  StreamId id;
  EXPECT_TRUE(ParseStreamId("5-3", {}, &id));
  EXPECT_EQ(id, Id(5, 3));
  EXPECT_TRUE(ParseStreamId("7", {.missing_seq = UINT64_MAX}, &id));
  EXPECT_EQ(id, Id(7, UINT64_MAX));
  EXPECT_TRUE(ParseStreamId("-", {}, &id));
  EXPECT_EQ(id, StreamId::Min());
  EXPECT_TRUE(ParseStreamId("+", {}, &id));
  EXPECT_EQ(id, StreamId::Max());
  EXPECT_FALSE(ParseStreamId("+", {.strict = true}, &id));
  EXPECT_TRUE(ParseStreamId("18446744073709551615-18446744073709551615", {}, &id));
  EXPECT_EQ(id, StreamId::Max());
  EXPECT_FALSE(ParseStreamId("18446744073709551616-0", {}, &id));
  EXPECT_TRUE(ParseStreamId("01-+2", {}, &id));  // as Redis's string2ull falls back to strtoull
  EXPECT_EQ(id, Id(1, 2));
  EXPECT_FALSE(ParseStreamId("-1", {}, &id));
  EXPECT_FALSE(ParseStreamId("1-2-3", {}, &id));
  EXPECT_FALSE(ParseStreamId("", {}, &id));
  EXPECT_FALSE(ParseStreamId("1-", {}, &id));
  EXPECT_FALSE(ParseStreamId("abc", {}, &id));
  EXPECT_FALSE(ParseStreamId("5-*", {}, &id));
  bool seq_given = true;
  EXPECT_TRUE(ParseStreamId("5-*", {.seq_given = &seq_given}, &id));
  EXPECT_FALSE(seq_given);
  EXPECT_EQ(id.ms, 5u);
  EXPECT_FALSE(ParseStreamId(std::string(128, '1'), {}, &id));
}

TEST(StreamId, IncrDecrAtEdges) {
  StreamId id = Id(1, UINT64_MAX);
  EXPECT_TRUE(id.Incr());
  EXPECT_EQ(id, Id(2, 0));
  EXPECT_TRUE(id.Decr());
  EXPECT_EQ(id, Id(1, UINT64_MAX));
  StreamId max = StreamId::Max();
  EXPECT_FALSE(max.Incr());
  StreamId min = StreamId::Min();
  EXPECT_FALSE(min.Decr());
  EXPECT_EQ(Id(3, 4).ToString(), "3-4");
}

TEST(StreamValue, AppendRangeDelete) {
  StreamValue s;
  std::vector<std::string_view> fv = {"f", "v"};
  for (uint64_t i = 1; i <= 250; ++i) s.Append(Id(i, 0), fv);
  EXPECT_EQ(s.length(), 250u);
  EXPECT_EQ(s.block_count(), 3u);  // 100 entries a block, as Redis's default nodes
  EXPECT_EQ(s.last_id(), Id(250, 0));
  EXPECT_EQ(s.entries_added(), 250u);
  std::vector<StreamEntry> r = s.Range(Id(99, 0), Id(102, 0), 0);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].id, Id(99, 0));
  EXPECT_EQ(r[3].fields, (std::vector<std::string>{"f", "v"}));
  EXPECT_TRUE(s.Delete(Id(100, 0)));
  EXPECT_FALSE(s.Delete(Id(100, 0)));
  EXPECT_FALSE(s.Delete(Id(999, 0)));
  EXPECT_EQ(s.max_deleted_id(), Id(100, 0));
  r = s.Range(Id(99, 0), Id(102, 0), 2, /*rev=*/true);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].id, Id(102, 0));
  EXPECT_EQ(r[1].id, Id(101, 0));
}

TEST(StreamValue, HugeIdGapsWithinABlock) {
  StreamValue s;
  std::vector<std::string_view> fv = {"f", "v"};
  const std::vector<StreamId> ids = {Id(0, 1),
                                     Id(0, UINT64_MAX),
                                     Id(1, 0),
                                     Id(uint64_t{1} << 62, 7),
                                     Id(UINT64_MAX - 1, 3),
                                     Id(UINT64_MAX, 0),
                                     StreamId::Max()};
  for (StreamId id : ids) s.Append(id, fv);
  EXPECT_EQ(s.block_count(), 1u);
  std::vector<StreamEntry> all = s.Range(StreamId::Min(), StreamId::Max(), 0);
  ASSERT_EQ(all.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(all[i].id, ids[i]);
  EXPECT_TRUE(s.Delete(Id(uint64_t{1} << 62, 7)));
  EXPECT_EQ(s.Range(Id(2, 0), Id(UINT64_MAX - 1, 3), 0).size(), 1u);
}

TEST(StreamValue, ApproxTrimRemovesWholeBlocksOnly) {
  StreamValue s;
  std::vector<std::string_view> fv = {"f", "v"};
  for (uint64_t i = 1; i <= 300; ++i) s.Append(Id(i, 1), fv);
  // Redis: XTRIM s MAXLEN ~ 0 LIMIT 150 removes one 100-entry node (the next would pass 150).
  EXPECT_EQ(s.Trim(MaxLen(0, true, 150)), 100);
  EXPECT_EQ(s.length(), 200u);
  EXPECT_EQ(s.first_id(), Id(101, 1));
  EXPECT_EQ(s.Trim(MaxLen(150, true)), 0);
  EXPECT_EQ(s.Trim(MaxLen(150, false)), 50);
  EXPECT_EQ(s.length(), 150u);
  EXPECT_EQ(s.first_id(), Id(151, 1));
  // As Redis's XINFO: 2 keys (blocks) in 6 radix-tree nodes.
  EXPECT_EQ(s.block_count(), 2u);
  EXPECT_EQ(s.RadixTreeNodes(), 6u);
}

TEST(StreamValue, BlocksSplitAtRedisNodeBytes) {
  StreamValue s;
  std::string big(1000, 'x');
  std::vector<std::string_view> fv = {"f", big};
  // Redis's 4096-byte node takes four such entries (listpack bytes + new entry >= 4096 splits).
  for (uint64_t i = 1; i <= 7; ++i) s.Append(Id(i, 0), fv);
  EXPECT_EQ(s.block_count(), 2u);
  EXPECT_EQ(s.RadixTreeNodes(), 6u);
  s.Append(Id(8, 0), fv);
  s.Append(Id(9, 0), fv);
  EXPECT_EQ(s.block_count(), 3u);
  EXPECT_EQ(s.RadixTreeNodes(), 8u);
}

TEST(StreamValue, ModelRandomOps) {
  for (uint32_t seed : {1u, 7u, 2024u}) {
    std::mt19937 rng(seed);
    StreamValue s;
    s.set_node_limits(1 + rng() % 12, 4096);
    Model m;
    StreamId next{1, 0};
    const std::vector<std::vector<std::string>> shapes = {
        {"a", "1"}, {"a", "2"}, {"a", "1", "b", "xyz"}, {"b", "1", "a", "2"}, {"f", "12345678901"}};
    for (int step = 0; step < 4000; ++step) {
      const uint32_t op = rng() % 100;
      if (op < 55) {
        next.ms += rng() % 3;
        next.seq = next.ms % 2 == 0 ? rng() % 5 : next.seq + 1 + rng() % 300;
        if (next <= s.last_id()) {
          next = s.last_id();
          ASSERT_TRUE(next.Incr());
        }
        const std::vector<std::string>& shape = shapes[rng() % shapes.size()];
        std::vector<std::string_view> fv(shape.begin(), shape.end());
        s.Append(next, fv);
        m[next] = shape;
      } else if (op < 70 && !m.empty()) {
        auto it = std::next(m.begin(), static_cast<long>(rng() % m.size()));
        StreamId id = rng() % 4 == 0 ? StreamId{it->first.ms, it->first.seq + 1} : it->first;
        const bool in_model = m.erase(id) > 0;
        ASSERT_EQ(s.Delete(id), in_model);
      } else if (op < 85) {
        StreamId lo{rng() % (next.ms + 2), rng() % 400};
        StreamId hi{rng() % (next.ms + 2), rng() % 400};
        if (rng() % 5 == 0) hi = StreamId::Max();
        const size_t count = rng() % 4 == 0 ? 0 : rng() % 20;
        const bool rev = rng() % 2 == 0;
        ASSERT_EQ(s.Range(lo, hi, count, rev), ModelRange(m, lo, hi, count, rev)) << step;
      } else if (op < 92) {
        StreamTrim t;
        t.approx = rng() % 2 == 0;
        if (rng() % 2 == 0) {
          t.kind = StreamTrimKind::kMaxLen;
          t.maxlen = static_cast<int64_t>(rng() % (m.size() + 5));
        } else {
          t.kind = StreamTrimKind::kMinId;
          t.minid = StreamId{rng() % (next.ms + 2), rng() % 400};
        }
        if (t.approx && rng() % 3 == 0) t.limit = 1 + rng() % 30;
        const size_t before = m.size();
        const int64_t deleted = s.Trim(t);
        ASSERT_EQ(static_cast<size_t>(deleted), before - s.length());
        if (!t.approx) {
          if (t.kind == StreamTrimKind::kMaxLen) {
            while (m.size() > static_cast<size_t>(t.maxlen)) m.erase(m.begin());
          } else {
            m.erase(m.begin(), m.lower_bound(t.minid));
          }
        } else {
          // Whole blocks from the front: the model's oldest entries, never past the threshold.
          for (int64_t i = 0; i < deleted; ++i) {
            if (t.kind == StreamTrimKind::kMinId) {
              ASSERT_LT(m.begin()->first, t.minid);
            }
            m.erase(m.begin());
          }
          if (t.kind == StreamTrimKind::kMaxLen) {
            ASSERT_GE(m.size(), std::min(before, static_cast<size_t>(t.maxlen)));
          }
        }
      }
      ASSERT_NO_FATAL_FAILURE(ExpectSame(s, m)) << "seed " << seed << " step " << step;
      std::optional<StreamEntry> last = s.Edge(true);
      ASSERT_EQ(last.has_value(), !m.empty());
      if (last) {
        ASSERT_EQ(last->id, m.rbegin()->first);
      }
    }
    std::unique_ptr<Collection> copy = s.Clone();
    ExpectSame(static_cast<const StreamValue&>(*copy), m);
  }
}

}  // namespace
}  // namespace store
