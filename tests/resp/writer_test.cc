#include "resp/writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace resp {
namespace {

TEST(Writer, Resp2Shapes) {
  std::string o;
  Writer w(&o, 2);
  w.Null();
  w.NullArray();
  w.MapHeader(2);
  w.SetHeader(1);
  w.Double(1.5);
  w.Bool(true);
  w.Verbatim("txt", "hi");
  w.Error("ERR", "bad\r\nthing");
  EXPECT_EQ(o, "$-1\r\n*-1\r\n*4\r\n*1\r\n$3\r\n1.5\r\n:1\r\n$2\r\nhi\r\n-ERR bad  thing\r\n");
}

TEST(Writer, Resp3Shapes) {
  std::string o;
  Writer w(&o, 3);
  w.Null();
  w.NullArray();
  w.MapHeader(2);
  w.SetHeader(1);
  w.Double(-INFINITY);
  w.Bool(false);
  w.Verbatim("txt", "hi");
  w.PushHeader(3);
  EXPECT_EQ(o, "_\r\n_\r\n%2\r\n~1\r\n,-inf\r\n#f\r\n=6\r\ntxt:hi\r\n>3\r\n");
}

TEST(Writer, Scalars) {
  std::string o;
  Writer w(&o, 2);
  w.Integer(-42);
  w.Bulk("");
  w.BulkInt(7);
  w.SimpleString("OK");
  EXPECT_EQ(o, ":-42\r\n$0\r\n\r\n$1\r\n7\r\n+OK\r\n");
  EXPECT_EQ(FormatDouble(0.1), "0.10000000000000001");
  EXPECT_EQ(FormatDouble(3), "3");
}

}  // namespace
}  // namespace resp
