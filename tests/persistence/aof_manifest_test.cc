#include "persistence/aof_manifest.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace persistence {
namespace {

namespace fs = std::filesystem;

AofManifest Parse(std::string_view text) {
  AofManifest m;
  IoStatus s = ParseAofManifest(text, &m);
  EXPECT_TRUE(s.ok()) << s.message;
  return m;
}

std::string ParseError(std::string_view text) {
  AofManifest m;
  IoStatus s = ParseAofManifest(text, &m);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.err, 0);
  return s.message;
}

TEST(AofManifestTest, ParsesWhatRedisWrites) {
  AofManifest m = Parse(
      "file appendonly.aof.2.base.rdb seq 2 type b\n"
      "file appendonly.aof.1.incr.aof seq 1 type h\n"
      "file appendonly.aof.2.incr.aof seq 2 type i\n"
      "file appendonly.aof.3.incr.aof seq 3 type i\n");
  ASSERT_TRUE(m.base);
  EXPECT_EQ(*m.base, (AofFileInfo{"appendonly.aof.2.base.rdb", 2, AofFileType::kBase}));
  ASSERT_EQ(m.history.size(), 1u);
  EXPECT_EQ(m.history[0], (AofFileInfo{"appendonly.aof.1.incr.aof", 1, AofFileType::kHistory}));
  ASSERT_EQ(m.incrs.size(), 2u);
  EXPECT_EQ(m.incrs[1].name, "appendonly.aof.3.incr.aof");
  EXPECT_EQ(m.base_seq(), 2);
  EXPECT_EQ(m.last_incr_seq(), 3);
}

TEST(AofManifestTest, FormatIsRedisOrderAndRoundTrips) {
  AofManifest m;
  m.incrs.push_back({"a.5.incr.aof", 5, AofFileType::kIncr});
  m.history.push_back({"a.1.base.rdb", 1, AofFileType::kHistory});
  m.base = AofFileInfo{"a.2.base.aof", 2, AofFileType::kBase};
  std::string text = FormatAofManifest(m);
  EXPECT_EQ(text,
            "file a.2.base.aof seq 2 type b\n"
            "file a.1.base.rdb seq 1 type h\n"
            "file a.5.incr.aof seq 5 type i\n");
  EXPECT_EQ(Parse(text), m);
}

// Observed from redis-server 7.0.15 started with --appendfilename 'a b"é.aof'.
TEST(AofManifestTest, QuotesOddNamesAsRedisDoes) {
  EXPECT_EQ(QuoteAofFileName("appendonly.aof.1.base.rdb"), "appendonly.aof.1.base.rdb");
  EXPECT_EQ(QuoteAofFileName("a b\"\xc3\xa9.aof.1.base.rdb"),
            "\"a b\\\"\\xc3\\xa9.aof.1.base.rdb\"");
  EXPECT_EQ(QuoteAofFileName("t\tn\nr\rb\\a\a\b\x7f"), "\"t\\tn\\nr\\rb\\\\a\\a\\b\\x7f\"");
  // Unlike Redis (see NeedsQuoting): a bare x'y would not parse, in Redis or here.
  EXPECT_EQ(QuoteAofFileName("x'y"), "\"x'y\"");
  AofManifest m = Parse("file \"a b\\\"\\xc3\\xa9.aof.1.base.rdb\" seq 1 type b\n");
  EXPECT_EQ(m.base->name, "a b\"\xc3\xa9.aof.1.base.rdb");
}

TEST(AofManifestTest, EveryByteInANameRoundTrips) {
  for (int c = 1; c < 256; c++) {
    if (c == '/') continue;
    std::string name = "x" + std::string(1, static_cast<char>(c)) + "y";
    AofManifest m;
    m.incrs.push_back({name, 1, AofFileType::kIncr});
    EXPECT_EQ(Parse(FormatAofManifest(m)), m) << "byte " << c;
  }
}

TEST(AofManifestTest, KeysAreCaseInsensitiveUnknownKeysIgnoredCommentsSkipped) {
  AofManifest m = Parse(
      "# written by hand\n"
      "FILE x.1.incr.aof SEQ 1 TYPE i future-key future-value\n"
      "file x.2.incr.aof seq 2 type iota\n");
  ASSERT_EQ(m.incrs.size(), 2u);
  EXPECT_EQ(m.incrs[0].name, "x.1.incr.aof");
  EXPECT_EQ(m.incrs[1].type, AofFileType::kIncr);
}

// Each message and line number matches what redis-server 7.0.15 logs for the same manifest.
TEST(AofManifestTest, ErrorsAsRedisNameTheLine) {
  EXPECT_EQ(ParseError(""), "Found an empty AOF manifest");
  EXPECT_EQ(ParseError("file x.1.incr.aof seq 1 type z\n"), "line 1: Unknown AOF file type");
  EXPECT_EQ(ParseError("file x.1.incr.aof seq 1\n"), "line 1: Invalid AOF manifest file format");
  EXPECT_EQ(ParseError("file x.1.incr.aof seq 1 type i foo\n"),
            "line 1: Invalid AOF manifest file format");
  EXPECT_EQ(ParseError("# c\nfile x.1.incr.aof seq 1 type i\n\n"),
            "line 3: Invalid AOF manifest file format");
  EXPECT_EQ(ParseError("file x.1.incr.aof seq abc type i\n"),
            "line 1: Invalid AOF manifest file format");
  EXPECT_EQ(ParseError("file x.1.incr.aof seq 2 type i\nfile x.2.incr.aof seq 2 type i\n"),
            "line 2: Found a non-monotonic sequence number");
  EXPECT_EQ(ParseError("file x.1.incr.aof seq -1 type i\n"),
            "line 1: Found a non-monotonic sequence number");
  EXPECT_EQ(ParseError("file d/x.1.incr.aof seq 1 type i\n"),
            "line 1: File can't be a path, just a filename");
  EXPECT_EQ(ParseError("file x.1.incr.aof seq 1 type i"),
            "line 1: The AOF manifest file contains too long line");
  EXPECT_EQ(ParseError("file a seq 1 type b\nfile b seq 2 type b\n"),
            "line 2: Found duplicate base file information");
  EXPECT_EQ(ParseError("file \"x.1.incr.aof seq 1 type i\n"),
            "line 1: Invalid AOF manifest file format");
}

TEST(AofManifestTest, LineLimitIs1024BytesWithTheNewline) {
  std::string prefix = "file ";
  std::string suffix = " seq 1 type i";
  std::string fits(kAofManifestMaxLine - 1 - prefix.size() - suffix.size(), 'n');
  EXPECT_EQ(Parse(prefix + fits + suffix + "\n").incrs[0].name, fits);
  EXPECT_EQ(ParseError(prefix + fits + "n" + suffix + "\n"),
            "line 1: The AOF manifest file contains too long line");
}

TEST(AofManifestTest, NamesFollowRedis) {
  EXPECT_EQ(AofManifestName("appendonly.aof"), "appendonly.aof.manifest");
  EXPECT_EQ(AofBaseName("appendonly.aof", 3, true), "appendonly.aof.3.base.rdb");
  EXPECT_EQ(AofBaseName("appendonly.aof", 3, false), "appendonly.aof.3.base.aof");
  EXPECT_EQ(AofIncrName("appendonly.aof", 12), "appendonly.aof.12.incr.aof");
}

TEST(AofManifestTest, RewriteLifecycle) {
  AofManifest m;
  EXPECT_EQ(FinishRewrite(&m, "a", true), (AofFileInfo{"a.1.base.rdb", 1, AofFileType::kBase}));
  EXPECT_EQ(AddNextIncr(&m, "a"), (AofFileInfo{"a.1.incr.aof", 1, AofFileType::kIncr}));
  // BGREWRITEAOF starts: writes go to a new incr file while the child writes the new base.
  EXPECT_EQ(AddNextIncr(&m, "a").name, "a.2.incr.aof");
  EXPECT_EQ(FinishRewrite(&m, "a", false).name, "a.2.base.aof");
  EXPECT_EQ(FormatAofManifest(m),
            "file a.2.base.aof seq 2 type b\n"
            "file a.1.base.rdb seq 1 type h\n"
            "file a.1.incr.aof seq 1 type h\n"
            "file a.2.incr.aof seq 2 type i\n");
}

TEST(AofManifestTest, WriteThenReadFromDisk) {
  std::string tmpl = (fs::temp_directory_path() / "fickle-manifest-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  AofManifest m, read;
  bool found = true;
  ASSERT_TRUE(ReadAofManifest(tmpl, "my aof", &read, &found).ok());
  EXPECT_FALSE(found);
  FinishRewrite(&m, "my aof", true);
  AddNextIncr(&m, "my aof");
  ASSERT_TRUE(WriteAofManifest(tmpl, "my aof", m).ok());
  ASSERT_TRUE(ReadAofManifest(tmpl, "my aof", &read, &found).ok());
  EXPECT_TRUE(found);
  EXPECT_EQ(read, m);
  EXPECT_EQ(std::distance(fs::directory_iterator(tmpl), fs::directory_iterator()), 1);

  std::ofstream(JoinPath(tmpl, "my aof.manifest")) << "file x seq 1 type q\n";
  IoStatus s = ReadAofManifest(tmpl, "my aof", &read, &found);
  EXPECT_EQ(s.message, JoinPath(tmpl, "my aof.manifest") + ": line 1: Unknown AOF file type");
  fs::remove_all(tmpl);
}

TEST(AofManifestTest, DropHistoryRewritesTheManifestThenDeletesTheFiles) {
  std::string tmpl = (fs::temp_directory_path() / "fickle-manifest-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  AofManifest m;
  FinishRewrite(&m, "a", true);
  AddNextIncr(&m, "a");
  AddNextIncr(&m, "a");
  FinishRewrite(&m, "a", true);  // history: a.1.base.rdb, a.1.incr.aof
  for (const char* name : {"a.1.base.rdb", "a.1.incr.aof", "a.2.base.rdb", "a.2.incr.aof"}) {
    std::ofstream(JoinPath(tmpl, name)) << "x";
  }
  fs::remove(JoinPath(tmpl, "a.1.incr.aof"));  // already gone: not an error
  ASSERT_TRUE(WriteAofManifest(tmpl, "a", m).ok());
  ASSERT_TRUE(DropAofHistory(tmpl, "a", &m).ok());
  EXPECT_TRUE(m.history.empty());
  EXPECT_FALSE(fs::exists(JoinPath(tmpl, "a.1.base.rdb")));
  EXPECT_TRUE(fs::exists(JoinPath(tmpl, "a.2.base.rdb")));
  AofManifest read;
  bool found;
  ASSERT_TRUE(ReadAofManifest(tmpl, "a", &read, &found).ok());
  EXPECT_EQ(read, m);
  EXPECT_EQ(FormatAofManifest(read),
            "file a.2.base.rdb seq 2 type b\n"
            "file a.2.incr.aof seq 2 type i\n");
  fs::remove_all(tmpl);
}

}  // namespace
}  // namespace persistence
