// Writer -> reader round trips of every type and encoding against the data we put in, and the
// reader's behaviour on truncated, corrupted and hand-built files.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"
#include "rdb_test_util.h"

namespace persistence {
namespace {

using testing::AddCollection;
using testing::AddString;
using testing::Fill;
using testing::Keyspace;

std::string Save(const Keyspace& ks, const RdbWriteOptions& opts = RdbWriteOptions()) {
  StringSink sink;
  std::string err;
  EXPECT_TRUE(SaveSnapshot(ks.View(), opts, &sink, &err)) << err;
  return sink.Take();
}

TEST(RdbRoundTrip, EveryTypeAndEncoding) {
  Keyspace src;
  Fill(src);
  const std::string file = Save(src);
  ASSERT_EQ(file.substr(0, 9), "REDIS0010");
  Keyspace dst;
  store::DbSink sink = dst.Sink();
  RdbLoadInfo info;
  const RdbStatus st = LoadRdb(file, LoadLimits(), &sink, &info);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(info.version, 10);
  EXPECT_TRUE(info.checksum_verified);
  EXPECT_EQ(info.keys, sink.loaded());
  EXPECT_EQ(src.Dump(), dst.Dump());
  // Spot-check that encodings survived (Dump compares them too; this says it plainly).
  EXPECT_EQ(dst.dbs[0]->Peek("h:listpack")->value().Encoding(), "listpack");
  EXPECT_EQ(dst.dbs[0]->Peek("h:table")->value().Encoding(), "hashtable");
  EXPECT_EQ(dst.dbs[0]->Peek("set:intset")->value().Encoding(), "intset");
  EXPECT_EQ(dst.dbs[0]->Peek("set:manyints")->value().Encoding(), "hashtable");
  EXPECT_EQ(dst.dbs[0]->Peek("z:listpack")->value().Encoding(), "listpack");
  EXPECT_EQ(dst.dbs[0]->Peek("z:skiplist")->value().Encoding(), "skiplist");
  EXPECT_EQ(dst.dbs[0]->Peek("s:int64")->value().Encoding(), "int");
  std::vector<std::string> names;
  for (const auto& [n, v] : info.aux) names.push_back(n);
  EXPECT_EQ(names,
            (std::vector<std::string>{"redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"}));
}

TEST(RdbRoundTrip, WithoutCompressionOrChecksum) {
  Keyspace src;
  Fill(src);
  RdbWriteOptions opts;
  opts.encode.compression = false;
  opts.checksum = false;
  const std::string file = Save(src, opts);
  EXPECT_EQ(file.substr(file.size() - 8), std::string(8, '\0'));
  EXPECT_GT(file.size(), Save(src).size());  // compression saved something
  Keyspace dst;
  store::DbSink sink = dst.Sink();
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(file, LoadLimits(), &sink, &info).ok());
  EXPECT_FALSE(info.checksum_verified);
  EXPECT_EQ(src.Dump(), dst.Dump());
}

TEST(RdbRoundTrip, LoadAppliesConfiguredLimits) {
  Keyspace src;
  Fill(src);
  const std::string file = Save(src);
  LoadLimits small;
  small.hash.max_listpack_entries = 4;
  small.set_max_intset_entries = 2;
  small.zset_max_listpack_entries = 4;
  Keyspace dst;
  store::DbSink sink = dst.Sink();
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(file, small, &sink, &info).ok());
  EXPECT_EQ(dst.dbs[0]->Peek("h:listpack")->value().Encoding(), "hashtable");
  EXPECT_EQ(dst.dbs[0]->Peek("set:intset")->value().Encoding(), "hashtable");
  EXPECT_EQ(dst.dbs[0]->Peek("z:listpack")->value().Encoding(), "skiplist");
  EXPECT_EQ(testing::Canonical(dst.dbs[0]->Peek("h:listpack")->value()),
            testing::Canonical(src.dbs[0]->Peek("h:listpack")->value()));
}

TEST(RdbRoundTrip, ExpiredKeysAreSavedButNotLoaded) {
  Keyspace src;
  AddString(*src.dbs[0], "gone", "x", src.clock.now_ms - 1);
  AddString(*src.dbs[0], "kept", "y", src.clock.now_ms + 1000);
  const std::string file = Save(src);
  Keyspace dst;
  store::DbSink sink = dst.Sink();
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(file, LoadLimits(), &sink, &info).ok());
  EXPECT_EQ(sink.loaded(), 1u);
  EXPECT_EQ(sink.skipped_expired(), 1u);
  EXPECT_EQ(dst.dbs[0]->Peek("gone"), nullptr);
  ASSERT_NE(dst.dbs[0]->Peek("kept"), nullptr);
  EXPECT_EQ(dst.dbs[0]->Peek("kept")->expire_at(), src.clock.now_ms + 1000);
}

TEST(RdbRoundTrip, ExpiredKeysAreKeptWhenTheSinkSaysSo) {
  Keyspace src;
  AddString(*src.dbs[0], "gone", "x", src.clock.now_ms - 1);
  const std::string file = Save(src);
  Keyspace dst;
  std::vector<store::Db*> dbs;
  for (const auto& d : dst.dbs) dbs.push_back(d.get());
  store::DbSink sink(dbs, /*drop_expired=*/false);
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(file, LoadLimits(), &sink, &info).ok());
  EXPECT_EQ(sink.skipped_expired(), 0u);
  ASSERT_NE(dst.dbs[0]->Peek("gone"), nullptr);
  EXPECT_EQ(dst.dbs[0]->Peek("gone")->expire_at(), src.clock.now_ms - 1);
}

TEST(RdbRoundTrip, EmptyKeyspaceIsHeaderAuxEofChecksum) {
  Keyspace src;
  const std::string file = Save(src);
  EXPECT_EQ(static_cast<uint8_t>(file[file.size() - 9]), rdb::kOpEof);
  uint64_t stored = 0;
  for (int i = 7; i >= 0; --i)
    stored = (stored << 8) | static_cast<uint8_t>(file[file.size() - 8 + i]);
  EXPECT_EQ(stored, Crc64(0, std::string_view(file).substr(0, file.size() - 8)));
  Keyspace dst;
  store::DbSink sink = dst.Sink();
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(file, LoadLimits(), &sink, &info).ok());
  EXPECT_EQ(info.keys, 0u);
}

TEST(RdbRoundTrip, ReportsItsLengthWhenRecordsFollow) {
  // An AOF base with an RDB preamble: the records start where the RDB's checksum ends.
  Keyspace src;
  Fill(src);
  const std::string rdb = Save(src);
  const std::string aof = rdb + "*1\r\n$4\r\nPING\r\n";
  Keyspace dst;
  store::DbSink sink = dst.Sink();
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(aof, LoadLimits(), &sink, &info).ok());
  EXPECT_EQ(info.bytes, rdb.size());
  EXPECT_EQ(src.Dump(), dst.Dump());
}

TEST(RdbRoundTrip, FileHelperWritesAndRenames) {
  Keyspace src;
  Fill(src);
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/fickle-rdb-roundtrip.rdb";
  std::string err;
  ASSERT_TRUE(SaveSnapshotFile(src.View(), RdbWriteOptions(), path, &err)) << err;
  Keyspace dst;
  store::DbSink sink = dst.Sink();
  RdbLoadInfo info;
  const RdbStatus st = LoadRdbFile(path, LoadLimits(), &sink, &info);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(src.Dump(), dst.Dump());
  std::remove(path.c_str());
  EXPECT_FALSE(SaveSnapshotFile(src.View(), RdbWriteOptions(), "/nonexistent-dir/x.rdb", &err));
  EXPECT_NE(err.find("/nonexistent-dir"), std::string::npos) << err;
}

// Discards keys: for tests that only care whether a load succeeds.
class NullSink : public store::SnapshotSink {
 public:
  store::Status Put(int, std::string_view, store::Value, int64_t) override {
    ++puts;
    return store::Status::kOk;
  }
  size_t puts = 0;
};

RdbStatus LoadToNull(std::string_view data) {
  NullSink sink;
  RdbLoadInfo info;
  return LoadRdb(data, LoadLimits(), &sink, &info);
}

// A small file with a key of each kind, for the byte-by-byte tests.
std::string SmallFile() {
  Keyspace ks;
  store::Db& d = *ks.dbs[0];
  AddString(d, "s", std::string(40, 'c') + "compressible" + std::string(40, 'c'),
            1'800'000'000'000);
  AddString(d, "i", "123456");
  auto l = std::make_unique<store::ListValue>();
  for (const char* e : {"x", "42", "yy"}) l->Push(store::ListEnd::kTail, e);
  AddCollection(d, "l", std::move(l));
  auto h = std::make_unique<store::HashValue>();
  (void)h->Set("a", "1", store::HashLimits());
  AddCollection(d, "h", std::move(h));
  auto s = std::make_unique<store::SetValue>();
  (void)s->Add("5", 512);
  AddCollection(d, "set", std::move(s));
  auto z = std::make_unique<store::ZSetValue>(false);
  (void)z->Set("m", 2.5, 128, 64);
  AddCollection(d, "z", std::move(z));
  return Save(ks);
}

TEST(RdbCorruption, EveryPrefixFailsCleanly) {
  const std::string file = SmallFile();
  ASSERT_TRUE(LoadToNull(file).ok());
  for (size_t cut = 0; cut < file.size(); ++cut) {
    const RdbStatus st = LoadToNull(std::string_view(file).substr(0, cut));
    EXPECT_FALSE(st.ok()) << "prefix of " << cut << " bytes loaded";
    EXPECT_LE(st.offset(), cut);
  }
}

TEST(RdbCorruption, EveryFlippedByteIsDetected) {
  const std::string file = SmallFile();
  for (size_t i = 0; i < file.size(); ++i) {
    for (int bit : {0, 7}) {
      std::string bad = file;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      EXPECT_FALSE(LoadToNull(bad).ok()) << "flip of bit " << bit << " at byte " << i;
    }
  }
}

TEST(RdbCorruption, RandomGarbageAfterHeaderNeverCrashes) {
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 3000; ++i) {
    std::string f = "REDIS0010";
    const size_t n = rng() % 64;
    for (size_t k = 0; k < n; ++k) f.push_back(static_cast<char>(rng()));
    (void)LoadToNull(f);
  }
}

TEST(RdbCorruption, RandomMutationsWithoutChecksumNeverCrash) {
  // No checksum, so a mutation is caught (or not) by the parser alone: this drives the decoders
  // through corrupt lengths, encodings and blobs. Any result is fine except a crash or an ASan
  // report.
  Keyspace ks;
  Fill(ks);
  RdbWriteOptions opts;
  opts.checksum = false;
  const std::string file = Save(ks, opts);
  std::mt19937_64 rng(77);
  size_t failures = 0;
  for (int i = 0; i < 300; ++i) {
    std::string bad = file;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < flips; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    failures += LoadToNull(bad).ok() ? 0 : 1;
  }
  EXPECT_GT(failures, 0u);
}

TEST(RdbCorruption, EmptyAndForeignFiles) {
  EXPECT_FALSE(LoadToNull("").ok());
  EXPECT_FALSE(LoadToNull("REDIS").ok());
  EXPECT_NE(LoadToNull("NOTREDIS0010\xff").message().find("magic"), std::string::npos);
  const RdbStatus newer = LoadToNull("REDIS0012\xff");
  EXPECT_FALSE(newer.ok());
  EXPECT_NE(newer.message().find("version 12"), std::string::npos) << newer.message();
  EXPECT_FALSE(LoadToNull("REDIS0000\xff").ok());
  EXPECT_FALSE(LoadToNull("REDISab10\xff").ok());
}

TEST(RdbCorruption, ChecksumMismatchNamesOffset) {
  std::string file = SmallFile();
  file[file.size() - 1] ^= 1;
  const RdbStatus st = LoadToNull(file);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("checksum"), std::string::npos);
  EXPECT_EQ(st.offset(), file.size() - 8);
}

}  // namespace
}  // namespace persistence
