// Streams in RDB form (persistence/rdb_stream.h): our round trips (entries, deleted entries, the
// node layout, every counter and consumer groups), the Redis 5/6 type-15 form, corrupt bytes
// refused without crashing, and DUMP payloads byte for byte with redis-server 7.0.
#include "persistence/rdb_stream.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "persistence/crc64.h"
#include "persistence/dump_payload.h"
#include "redis_harness.h"
#include "store/stream_value.h"

namespace persistence {
namespace {

using store::StreamId;
using store::StreamValue;

// Everything observable about a stream, for equality.
std::string Canonical(const store::Value& v) {
  if (v.type() != store::ObjType::kStream) return "not a stream";
  const auto& s = static_cast<const StreamValue&>(*v.collection());
  std::string out =
      "len=" + std::to_string(s.length()) + " last=" + s.last_id().ToString() +
      " first=" + s.first_id().ToString() + " maxdel=" + s.max_deleted_id().ToString() +
      " added=" + std::to_string(s.entries_added()) + " blocks=" + std::to_string(s.block_count()) +
      " rax=" + std::to_string(s.RadixTreeNodes()) + " |";
  for (const store::StreamEntry& e : s.Range(StreamId::Min(), StreamId::Max(), 0)) {
    out += " " + e.id.ToString() + ":";
    for (const std::string& f : e.fields) out += f + ",";
  }
  // Groups without their times (delivery and seen times are the clock's).
  for (const auto& [name, g] : s.groups()) {
    out += " | group " + name + " last=" + g.last_id.ToString() +
           " read=" + std::to_string(g.entries_read) + " pel:";
    for (const auto& [id, nack] : g.pel) {
      out += " " + id.ToString() + "@" + nack.consumer + "x" + std::to_string(nack.delivery_count);
    }
    for (const auto& [cname, c] : g.consumers) {
      out += " consumer " + cname + ":";
      for (StreamId id : c.pel) out += " " + id.ToString();
    }
  }
  return out;
}

struct Built {
  std::vector<std::vector<std::string>> commands;  // the same stream, built in redis
  std::unique_ptr<StreamValue> ours = std::make_unique<StreamValue>();
  bool byte_exact = true;  // false once groups hold times (delivery, seen) of each server's clock

  // XGROUP CREATE s name id, then XREADGROUP GROUP name consumer COUNT count STREAMS s >.
  void Group(const std::string& name, StreamId id, const std::string& consumer, size_t count) {
    commands.push_back({"XGROUP", "CREATE", "s", name, id.ToString()});
    store::StreamGroup* g = ours->CreateGroup(name, id, store::kInvalidEntriesRead);
    if (consumer.empty()) return;
    commands.push_back({"XREADGROUP", "GROUP", name, consumer, "COUNT", std::to_string(count),
                        "STREAMS", "s", ">"});
    g->Consumer(consumer, 1000);
    store::ReadGroupNew(*ours, *g, consumer, count, false, 1000);
    byte_exact = false;
  }

  void Add(StreamId id, std::vector<std::string> fv) {
    std::vector<std::string> cmd = {"XADD", "s", id.ToString()};
    cmd.insert(cmd.end(), fv.begin(), fv.end());
    commands.push_back(cmd);
    std::vector<std::string_view> views(fv.begin(), fv.end());
    ours->Append(id, views);
  }
  void Del(StreamId id) {
    commands.push_back({"XDEL", "s", id.ToString()});
    ours->Delete(id);
  }
};

std::vector<Built> Streams() {
  std::vector<Built> v;
  {
    Built b;  // fields that repeat, that change, integers, binary
    b.Add({1, 1}, {"a", "1", "b", "2"});
    b.Add({1, 2}, {"a", "3", "b", "-70000"});
    b.Add({2, 0}, {"c", std::string("\x00\xff bin", 6)});
    b.Add({2, 7}, {"a", "9223372036854775807", "b", "x"});
    b.Del({1, 2});
    v.push_back(std::move(b));
  }
  {
    Built b;  // several nodes, some entries deleted, first node partly deleted
    for (uint64_t i = 1; i <= 450; ++i) {
      if (i % 4 == 0) {
        b.Add({i * 1000, i % 3}, {"g", std::string(i % 70, 'y'), "h", std::to_string(-int(i))});
      } else {
        b.Add({i * 1000, i % 3}, {"f", std::to_string(i)});
      }
    }
    for (uint64_t i = 1; i <= 450; i += 7) b.Del({i * 1000, i % 3});
    v.push_back(std::move(b));
  }
  {
    Built b;  // consumer groups: pending entries, several consumers, an idle group
    for (uint64_t i = 1; i <= 20; ++i) b.Add({i, 0}, {"f", std::to_string(i)});
    b.Group("readers", {0, 0}, "alice", 5);
    b.Group("12", {3, 0}, "bob", 2);  // a name that RDB stores as an integer
    b.Group("idle", {20, 0}, "", 0);
    b.Del({2, 0});
    v.push_back(std::move(b));
  }
  {
    Built b;  // empty, with counters that only XSETID sets
    b.Add({5, 5}, {"f", "v"});
    b.Del({5, 5});
    b.commands.push_back({"XSETID", "s", "9-9", "ENTRIESADDED", "42", "MAXDELETEDID", "7-7"});
    b.ours->set_last_id({9, 9});
    b.ours->set_entries_added(42);
    b.ours->set_max_deleted_id({7, 7});
    v.push_back(std::move(b));
  }
  return v;
}

TEST(RdbStream, DumpRoundTripKeepsEntriesLayoutAndCounters) {
  for (Built& b : Streams()) {
    store::Value v = store::Value::Of(std::move(b.ours));
    for (bool compress : {true, false}) {
      EncodeOptions opts;
      opts.compression = compress;
      RdbResult<store::Value> back = ParseDumpPayload(DumpValue(v, opts));
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(Canonical(back.value()), Canonical(v));
    }
  }
}

// A DUMP payload around value bytes of a type, with a valid footer.
std::string Payload(uint8_t type, const std::string& value) {
  std::string p(1, static_cast<char>(type));
  p += value;
  p += std::string("\x0a\x00", 2);
  const uint64_t crc = Crc64(0, p);
  for (int i = 0; i < 8; ++i) p.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  return p;
}

TEST(RdbStream, ReadsRedis6TypeFifteen) {
  auto s = std::make_unique<StreamValue>();
  std::vector<std::string_view> fv = {"f", "v"};
  s->Append({3, 1}, fv);
  s->Append({4, 1}, fv);
  s->Delete({3, 1});
  std::string v19;
  ASSERT_EQ(rdb::AppendStream(*s, false, &v19), rdb::kTypeStreamListpacks2);
  // Type 19 ends with 9 one-byte lengths: length, last (2), first (2), max deleted (2),
  // entries added, groups. Type 15 has only length, last and groups.
  const std::string v15 = v19.substr(0, v19.size() - 6) + std::string(1, '\0');
  RdbResult<store::Value> r = ParseDumpPayload(Payload(rdb::kTypeStreamListpacks, v15));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& back = static_cast<const StreamValue&>(*r.value().collection());
  EXPECT_EQ(back.length(), 1u);
  EXPECT_EQ(back.last_id(), (StreamId{4, 1}));
  EXPECT_EQ(back.first_id(), (StreamId{4, 1}));
  EXPECT_EQ(back.entries_added(), 1u);  // Redis sets it to the length
  EXPECT_EQ(back.max_deleted_id(), StreamId::Min());
}

TEST(RdbStream, CorruptBytesAreRefusedNotTrusted) {
  Built b = std::move(Streams()[0]);
  std::string value;
  rdb::AppendStream(*b.ours, false, &value);
  ASSERT_TRUE(ParseDumpPayload(Payload(rdb::kTypeStreamListpacks2, value)).ok());
  for (size_t cut = 0; cut < value.size(); ++cut) {
    EXPECT_FALSE(ParseDumpPayload(Payload(rdb::kTypeStreamListpacks2, value.substr(0, cut))).ok())
        << cut;
  }
  // Each byte flipped: either refused or read as some valid stream, never a crash (ASan builds).
  for (size_t i = 0; i < value.size(); ++i) {
    for (char x : {'\x01', '\x40', '\xff'}) {
      std::string bad = value;
      bad[i] = static_cast<char>(bad[i] ^ x);
      RdbResult<store::Value> r = ParseDumpPayload(Payload(rdb::kTypeStreamListpacks2, bad));
      if (r.ok()) {
        EXPECT_EQ(r.value().type(), store::ObjType::kStream);
      }
    }
  }
}

TEST(RdbStream, CorruptGroupsAreRefusedNotTrusted) {
  Built b = std::move(Streams()[2]);
  std::string value;
  rdb::AppendStream(*b.ours, false, &value);
  ASSERT_TRUE(ParseDumpPayload(Payload(rdb::kTypeStreamListpacks2, value)).ok());
  for (size_t cut = 0; cut < value.size(); cut += 3) {
    EXPECT_FALSE(ParseDumpPayload(Payload(rdb::kTypeStreamListpacks2, value.substr(0, cut))).ok())
        << cut;
  }
  for (size_t i = value.size() / 2; i < value.size(); ++i) {
    std::string bad = value;
    bad[i] = static_cast<char>(bad[i] ^ 0x11);
    RdbResult<store::Value> r = ParseDumpPayload(Payload(rdb::kTypeStreamListpacks2, bad));
    if (r.ok()) {
      EXPECT_EQ(r.value().type(), store::ObjType::kStream);
    }
  }
}

TEST(RdbStreamRedis, DumpByteForByteAndEachReadsTheOther) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  testing::RedisServer redis({"--rdbcompression", "no"});
  ASSERT_TRUE(redis.ok());
  EncodeOptions plain;
  plain.compression = false;
  int n = 0;
  for (Built& b : Streams()) {
    SCOPED_TRACE(n++);
    redis.Cmd({"DEL", "s"});
    for (const auto& cmd : b.commands) ASSERT_NE(redis.Cmd(cmd).type, '-');
    store::Value ours = store::Value::Of(std::move(b.ours));
    const std::string theirs = redis.Cmd({"DUMP", "s"}).str;
    if (b.byte_exact) {
      EXPECT_EQ(DumpValue(ours, plain), theirs);
    }
    RdbResult<store::Value> parsed = ParseDumpPayload(theirs);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(Canonical(parsed.value()), Canonical(ours));
    ASSERT_EQ(redis.Cmd({"RESTORE", "copy", "0", DumpValue(ours), "REPLACE"}).str, "OK");
    // Redis restores our compressed bytes to the same stream.
    RdbResult<store::Value> copy = ParseDumpPayload(redis.Cmd({"DUMP", "copy"}).str);
    ASSERT_TRUE(copy.ok()) << copy.status().ToString();
    EXPECT_EQ(Canonical(copy.value()), Canonical(ours));
    if (b.byte_exact) {
      EXPECT_EQ(redis.Cmd({"DUMP", "copy"}).str, theirs);
    }
  }
}

}  // namespace
}  // namespace persistence
