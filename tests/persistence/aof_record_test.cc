#include "persistence/aof_record.h"

#include <gtest/gtest.h>

namespace persistence {
namespace {

using Argv = std::vector<std::string>;

std::vector<Argv> ReadAll(std::string_view data, ReadResult* r) {
  std::vector<Argv> out;
  *r = ReadRecords(data, [&](const std::vector<std::string_view>& argv) {
    out.emplace_back(argv.begin(), argv.end());
  });
  return out;
}

TEST(AofRecordTest, RoundTripsBinaryArguments) {
  std::string log;
  AppendRecord({"set", "k\r\n", std::string_view("\0x", 2)}, &log);
  AppendRecord({"del", ""}, &log);
  ReadResult r;
  EXPECT_EQ(ReadAll(log, &r),
            (std::vector<Argv>{{"set", "k\r\n", std::string("\0x", 2)}, {"del", ""}}));
  EXPECT_EQ(r.status, ReadResult::Status::kOk);
  EXPECT_EQ(r.valid_bytes, log.size());
}

TEST(AofRecordTest, AnnotationsAreSkippedAndATornOneIsTruncation) {
  std::string rec;
  AppendRecord({"ping"}, &rec);
  ReadResult r;
  EXPECT_EQ(ReadAll("#TS:1700000000\r\n" + rec, &r), (std::vector<Argv>{{"ping"}}));
  EXPECT_EQ(r.status, ReadResult::Status::kOk);
  EXPECT_EQ(ReadAll(rec + "#TS:17", &r).size(), 1u);
  EXPECT_EQ(r.status, ReadResult::Status::kTruncated);
  EXPECT_EQ(r.valid_bytes, rec.size());
}

}  // namespace
}  // namespace persistence
