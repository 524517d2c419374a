#include "persistence/aof_loader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "persistence/aof_record.h"

namespace persistence {
namespace {

namespace fs = std::filesystem;

using Argv = std::vector<std::string>;

std::string Record(std::vector<std::string_view> argv) {
  std::string out;
  AppendRecord(argv, &out);
  return out;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class AofLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fickle-aofl-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    options_.dir = tmpl;
    aof_dir_ = JoinPath(tmpl, options_.appenddirname);
    fs::create_directory(aof_dir_);
  }
  void TearDown() override { fs::remove_all(options_.dir); }

  std::string InDir(std::string_view name) const { return JoinPath(aof_dir_, name); }

  // Writes the files (name -> contents) and a manifest listing them: a name with ".base." is the
  // base, the others are incr files in the order given.
  void WriteAof(const std::vector<std::pair<std::string, std::string>>& files) {
    AofManifest m;
    int64_t seq = 0;
    for (const auto& [name, bytes] : files) {
      Spit(InDir(name), bytes);
      if (name.find(".base.") != std::string::npos) {
        m.base = AofFileInfo{name, 1, AofFileType::kBase};
      } else {
        m.incrs.push_back({name, ++seq, AofFileType::kIncr});
      }
    }
    ASSERT_TRUE(WriteAofManifest(aof_dir_, options_.appendfilename, m).ok());
  }

  IoStatus Load() {
    applied_.clear();
    return LoadAof(options_, rdb_, apply_, &result_);
  }

  AofLoadOptions options_;
  std::string aof_dir_;
  std::vector<Argv> applied_;
  std::vector<std::string> rdb_paths_;
  uint64_t rdb_bytes_ = 0;  // what the fake RDB loader claims to have read
  RdbLoadFn rdb_ = [this](const std::string& path) {
    rdb_paths_.push_back(path);
    return RdbLoadResult{IoStatus::Ok(), rdb_bytes_};
  };
  ApplyFn apply_ = [this](const std::vector<std::string_view>& argv) {
    applied_.emplace_back(argv.begin(), argv.end());
    return IoStatus::Ok();
  };
  AofLoadResult result_;
};

TEST_F(AofLoaderTest, NothingThereIsNotFound) {
  ASSERT_TRUE(Load().ok());
  EXPECT_FALSE(result_.found);
  fs::remove(aof_dir_);
  ASSERT_TRUE(Load().ok());
  EXPECT_FALSE(result_.found);
}

TEST_F(AofLoaderTest, LoadsBaseThenIncrFilesInOrder) {
  WriteAof({{"appendonly.aof.1.base.aof", Record({"set", "a", "1"})},
            {"appendonly.aof.1.incr.aof", Record({"set", "b", "2"}) + Record({"del", "a"})},
            {"appendonly.aof.2.incr.aof", ""},
            {"appendonly.aof.3.incr.aof", Record({"set", "c", "3"})}});
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(applied_, (std::vector<Argv>{
                          {"set", "a", "1"}, {"set", "b", "2"}, {"del", "a"}, {"set", "c", "3"}}));
  EXPECT_TRUE(result_.found);
  EXPECT_FALSE(result_.legacy);
  EXPECT_EQ(result_.files, 4u);
  EXPECT_EQ(result_.records, 4u);
  EXPECT_EQ(result_.bytes, 3 * Record({"set", "a", "1"}).size() + Record({"del", "a"}).size());
  EXPECT_EQ(result_.manifest.last_incr_seq(), 3);
  EXPECT_TRUE(result_.warnings.empty());
  EXPECT_TRUE(rdb_paths_.empty());
}

TEST_F(AofLoaderTest, RdbBaseGoesToTheRdbCallback) {
  std::string rdb = "REDIS0009 pretend this is an RDB";
  rdb_bytes_ = rdb.size();
  WriteAof({{"appendonly.aof.1.base.rdb", rdb},
            {"appendonly.aof.1.incr.aof", Record({"set", "b", "2"})}});
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(rdb_paths_, std::vector<std::string>{InDir("appendonly.aof.1.base.rdb")});
  EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "b", "2"}}));
}

TEST_F(AofLoaderTest, RdbPreambleThenRecordsInAnAofBase) {
  std::string rdb = "REDIS0009\xfe\x00\xff" + std::string(8, '\x01');
  rdb_bytes_ = rdb.size();
  WriteAof(
      {{"appendonly.aof.1.base.aof", rdb + Record({"set", "x", "1"}) + Record({"incr", "x"})}});
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(rdb_paths_.size(), 1u);
  EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "x", "1"}, {"incr", "x"}}));
}

TEST_F(AofLoaderTest, RdbFailureOrNoRdbLoaderFails) {
  WriteAof({{"appendonly.aof.1.base.rdb", "REDIS0009..."}});
  rdb_ = [](const std::string&) { return RdbLoadResult{IoStatus::Format("bad checksum"), 0}; };
  IoStatus s = Load();
  EXPECT_EQ(s.message,
            "loading the RDB part of " + InDir("appendonly.aof.1.base.rdb") + ": bad checksum");
  rdb_ = nullptr;
  EXPECT_FALSE(Load().ok());
}

TEST_F(AofLoaderTest, RdbLengthOutsideTheFileFails) {
  WriteAof({{"appendonly.aof.1.base.rdb", "REDIS0009..."}});
  for (uint64_t bytes : {0, 100}) {
    rdb_bytes_ = bytes;
    IoStatus s = Load();
    EXPECT_NE(s.message.find("takes " + std::to_string(bytes) + " bytes, but the file has 12"),
              std::string::npos)
        << s.message;
  }
}

TEST_F(AofLoaderTest, AnnotationsAreSkipped) {
  WriteAof({{"appendonly.aof.1.incr.aof",
             "#TS:1700000000\r\n" + Record({"set", "a", "1"}) + "#TS:1700000001\r\n"}});
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "a", "1"}}));
}

TEST_F(AofLoaderTest, TransactionsArriveWholeWithMultiAndExec) {
  WriteAof({{"appendonly.aof.1.incr.aof", Record({"MULTI"}) + Record({"set", "a", "1"}) +
                                              Record({"incr", "a"}) + Record({"EXEC"}) +
                                              Record({"set", "b", "2"})}});
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(applied_,
            (std::vector<Argv>{
                {"MULTI"}, {"set", "a", "1"}, {"incr", "a"}, {"EXEC"}, {"set", "b", "2"}}));
  EXPECT_EQ(result_.records, 5u);
}

TEST_F(AofLoaderTest, TruncatedTailIsCutOffWithAWarning) {
  std::string good = Record({"set", "a", "1"}) + Record({"set", "b", "2"});
  std::string torn = Record({"set", "c", "3"}).substr(0, 9);
  WriteAof({{"appendonly.aof.1.incr.aof", Record({"set", "z", "0"})},
            {"appendonly.aof.2.incr.aof", good + torn}});
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(applied_.size(), 3u);
  ASSERT_EQ(result_.warnings.size(), 1u);
  EXPECT_EQ(result_.warnings[0], "truncated record at the end of " +
                                     InDir("appendonly.aof.2.incr.aof") + " at byte " +
                                     std::to_string(good.size()) + " (file size " +
                                     std::to_string(good.size() + torn.size()) +
                                     "): cut off and loaded anyway because aof-load-truncated "
                                     "is enabled");
  EXPECT_EQ(Slurp(InDir("appendonly.aof.2.incr.aof")), good);
  EXPECT_EQ(result_.bytes, Record({"set", "z", "0"}).size() + good.size());
  // Loading again finds a clean file.
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(result_.warnings.empty());
  EXPECT_EQ(applied_.size(), 3u);
}

TEST_F(AofLoaderTest, TruncatedTailFailsWithoutLoadTruncated) {
  std::string good = Record({"set", "a", "1"});
  std::string contents = good + "*3\r\n$3\r\nset";
  WriteAof({{"appendonly.aof.1.incr.aof", contents}});
  options_.load_truncated = false;
  IoStatus s = Load();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message.find("truncated record at the end of " + InDir("appendonly.aof.1.incr.aof") +
                           " at byte " + std::to_string(good.size())),
            0u)
      << s.message;
  EXPECT_EQ(Slurp(InDir("appendonly.aof.1.incr.aof")), contents);  // untouched
}

TEST_F(AofLoaderTest, TruncatedFileThatIsNotLastFails) {
  WriteAof({{"appendonly.aof.1.base.aof", Record({"set", "a", "1"}) + "*2\r\n"},
            {"appendonly.aof.1.incr.aof", Record({"set", "b", "2"})}});
  IoStatus s = Load();
  ASSERT_FALSE(s.ok());
  std::string at = " at byte " + std::to_string(Record({"set", "a", "1"}).size());
  EXPECT_NE(s.message.find("appendonly.aof.1.base.aof" + at), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("not the last file"), std::string::npos) << s.message;
}

// As redis-server 7.0 does: a MULTI with no EXEC at the end is a torn tail, and the file is cut
// back to just before the MULTI (checked against 7.0.15, which truncates such a file to 0 bytes).
TEST_F(AofLoaderTest, MultiWithoutExecIsATruncatedTail) {
  std::string before = Record({"set", "a", "1"});
  std::string tx = Record({"multi"}) + Record({"set", "b", "2"});
  WriteAof({{"appendonly.aof.1.incr.aof", before + tx}});
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "a", "1"}}));
  ASSERT_EQ(result_.warnings.size(), 1u);
  EXPECT_EQ(result_.warnings[0].find("MULTI without EXEC at the end of " +
                                     InDir("appendonly.aof.1.incr.aof") + " at byte " +
                                     std::to_string(before.size())),
            0u)
      << result_.warnings[0];
  EXPECT_EQ(Slurp(InDir("appendonly.aof.1.incr.aof")), before);

  Spit(InDir("appendonly.aof.1.incr.aof"), before + tx);
  options_.load_truncated = false;
  EXPECT_FALSE(Load().ok());
}

TEST_F(AofLoaderTest, CorruptionInTheMiddleFailsNamingFileAndOffset) {
  std::string a = Record({"set", "a", "1"});
  std::string b = Record({"set", "b", "2"});
  std::string bad = b;
  bad[5] = 'X';  // "$3" becomes "$X"
  WriteAof({{"appendonly.aof.1.incr.aof", a + bad + a}});
  for (bool load_truncated : {true, false}) {
    options_.load_truncated = load_truncated;
    IoStatus s = Load();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.message.find("bad record in " + InDir("appendonly.aof.1.incr.aof") + " at byte " +
                             std::to_string(a.size()) + ": "),
              0u)
        << s.message;
    EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "a", "1"}}));
  }
}

TEST_F(AofLoaderTest, GarbageAndEmptyCommandsAreCorrupt) {
  for (std::string bytes : {std::string("hello\r\n"), std::string("*0\r\n"),
                            Record({"set", "a", "1"}).replace(10, 2, "xx")}) {
    WriteAof({{"appendonly.aof.1.incr.aof", bytes}});
    IoStatus s = Load();
    EXPECT_FALSE(s.ok()) << bytes;
    EXPECT_NE(s.message.find("bad record"), std::string::npos) << s.message;
  }
}

TEST_F(AofLoaderTest, EveryTruncationPointLoadsTheWholeRecordsBeforeIt) {
  std::vector<std::string> records = {Record({"set", "k", "v"}),
                                      Record({"multi"}),
                                      Record({"incr", "n"}),
                                      Record({"exec"}),
                                      Record({"del", "k"}),
                                      "#TS:1\r\n",
                                      Record({"rpush", "l", "a\r\nb", ""})};
  std::string all;
  std::vector<size_t> ends;  // where a loadable prefix ends (never inside the transaction)
  for (const std::string& r : records) {
    all += r;
    ends.push_back(all.size());
  }
  for (size_t cut = 0; cut <= all.size(); cut++) {
    WriteAof({{"appendonly.aof.1.incr.aof", all.substr(0, cut)}});
    ASSERT_TRUE(Load().ok()) << cut;
    size_t valid = 0;
    for (size_t i = 0; i < ends.size(); i++) {
      if (ends[i] <= cut && (i < 1 || i > 3 || ends[3] <= cut)) valid = ends[i];
    }
    EXPECT_EQ(Slurp(InDir("appendonly.aof.1.incr.aof")), all.substr(0, valid)) << cut;
    EXPECT_EQ(result_.warnings.size(), valid == cut ? 0u : 1u) << cut;
  }
}

TEST_F(AofLoaderTest, RecordsLargerThanTheReadChunk) {
  std::string big(3 << 20, 'v');
  big[12345] = '\n';
  WriteAof({{"appendonly.aof.1.incr.aof",
             Record({"set", "a", "1"}) + Record({"set", "big", big}) + Record({"del", "a"})}});
  ASSERT_TRUE(Load().ok());
  ASSERT_EQ(applied_.size(), 3u);
  EXPECT_EQ(applied_[1][2], big);
}

TEST_F(AofLoaderTest, MissingListedFileFailsBeforeAnythingIsApplied) {
  WriteAof({{"appendonly.aof.1.base.aof", Record({"set", "a", "1"})},
            {"appendonly.aof.1.incr.aof", Record({"set", "b", "2"})}});
  fs::remove(InDir("appendonly.aof.1.incr.aof"));
  IoStatus s = Load();
  EXPECT_EQ(s.message,
            InDir("appendonly.aof.1.incr.aof") + ": listed in the AOF manifest but missing");
  EXPECT_TRUE(applied_.empty());
}

TEST_F(AofLoaderTest, ApplyErrorStopsTheLoad) {
  WriteAof({{"appendonly.aof.1.incr.aof",
             Record({"set", "a", "1"}) + Record({"nosuchcmd"}) + Record({"set", "b", "2"})}});
  apply_ = [this](const std::vector<std::string_view>& argv) {
    if (argv[0] == "nosuchcmd") return IoStatus::Format("Unknown command 'nosuchcmd'");
    applied_.emplace_back(argv.begin(), argv.end());
    return IoStatus::Ok();
  };
  IoStatus s = Load();
  EXPECT_EQ(s.message, "applying the record of " + InDir("appendonly.aof.1.incr.aof") +
                           " at byte " + std::to_string(Record({"set", "a", "1"}).size()) +
                           ": Unknown command 'nosuchcmd'");
  EXPECT_EQ(applied_.size(), 1u);
}

TEST_F(AofLoaderTest, BadManifestFails) {
  Spit(InDir("appendonly.aof.manifest"), "file x seq 1 type q\n");
  IoStatus s = Load();
  EXPECT_NE(s.message.find("line 1: Unknown AOF file type"), std::string::npos) << s.message;
}

TEST_F(AofLoaderTest, LegacyFileLoadsThenUpgrades) {
  std::string legacy = JoinPath(options_.dir, "appendonly.aof");
  Spit(legacy, Record({"set", "old", "1"}));
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(result_.found);
  EXPECT_TRUE(result_.legacy);
  EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "old", "1"}}));

  AofManifest m;
  ASSERT_TRUE(UpgradeLegacyAof(options_, &m).ok());
  EXPECT_EQ(FormatAofManifest(m), "file appendonly.aof seq 1 type b\n");
  EXPECT_FALSE(fs::exists(legacy));
  EXPECT_EQ(Slurp(InDir("appendonly.aof.manifest")), "file appendonly.aof seq 1 type b\n");

  ASSERT_TRUE(Load().ok());
  EXPECT_FALSE(result_.legacy);
  EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "old", "1"}}));
  EXPECT_EQ(result_.manifest, m);
}

TEST_F(AofLoaderTest, InterruptedUpgradeStillLoadsTheLegacyFile) {
  fs::remove(aof_dir_);
  Spit(JoinPath(options_.dir, "appendonly.aof"), Record({"set", "old", "1"}));
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(result_.legacy);
  // The upgrade wrote the manifest but crashed before moving the file.
  fs::create_directory(aof_dir_);
  AofManifest m;
  m.base = AofFileInfo{"appendonly.aof", 1, AofFileType::kBase};
  ASSERT_TRUE(WriteAofManifest(aof_dir_, "appendonly.aof", m).ok());
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(result_.legacy);
  EXPECT_EQ(applied_.size(), 1u);
}

TEST_F(AofLoaderTest, ManifestWinsOverALegacyFile) {
  Spit(JoinPath(options_.dir, "appendonly.aof"), Record({"set", "old", "1"}));
  WriteAof({{"appendonly.aof.1.incr.aof", Record({"set", "new", "1"})}});
  ASSERT_TRUE(Load().ok());
  EXPECT_FALSE(result_.legacy);
  EXPECT_EQ(applied_, (std::vector<Argv>{{"set", "new", "1"}}));
}

}  // namespace
}  // namespace persistence
