// The packed blobs RDB stores as strings: listpack (v10+), ziplist (v2..v9), intset and zipmap
// (v1..v3 hashes). Writers for the two Redis 7.0 still writes (listpack, intset); readers for all
// four. Each reader validates the whole blob against its own header and never reads outside it.
//
// listpack := <u32: total bytes> <u16: entry count, 65535 = unknown> entry* 0xFF
//   entry  := <encoding + data> <backlen: size of encoding + data, 1..5 bytes, see below>
//     0xxxxxxx                    7-bit unsigned int
//     10xxxxxx <bytes>            string of up to 63 bytes
//     110xxxxx yyyyyyyy           13-bit signed int (x are the high bits)
//     1110xxxx yyyyyyyy <bytes>   string of up to 4095 bytes (x high bits of the length)
//     0xF0 <u32> <bytes>          long string
//     0xF1 <i16> | 0xF2 <i24> | 0xF3 <i32> | 0xF4 <i64>
//   backlen: 7 bits a byte, most significant group first; every byte but the first has bit 7 set,
//   so it can be decoded right to left from the entry's end.
//
// ziplist := <u32: total bytes> <u32: offset of last entry> <u16: count> entry* 0xFF
//   entry  := <prevlen: u8 < 254 | 0xFE <u32>> <encoding> <data>
//     00xxxxxx | 01xxxxxx yyyyyyyy (BE) | 0x80 <u32 BE>   strings of 6/14/32-bit length
//     0xC0 <i16> | 0xD0 <i32> | 0xE0 <i64> | 0xF0 <i24> | 0xFE <i8> | 0xF1..0xFD (value 0..12)
//
// intset  := <u32: width 2|4|8> <u32: count> <count sorted integers of that width>
// zipmap  := <u8: count, 254+ = unknown> (<zlen> key <zlen> <u8: free> value <free bytes>)* 0xFF
//   zlen   := <u8 < 254> | 254 <u32>
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace persistence::rdb {

// Builds a listpack as Redis's lpAppend does: an element that is a canonical integer of at most
// 20 characters is stored as the smallest integer encoding, anything else as a string.
class ListpackBuilder {
 public:
  ListpackBuilder();
  void Append(std::string_view element);
  void AppendInt(int64_t v);
  void AppendString(std::string_view s);
  size_t count() const { return count_; }
  // Size the finished listpack would have.
  size_t bytes() const { return buf_.size() + 1; }
  // The finished listpack; the builder is reset to empty.
  std::string Finish();

 private:
  void AppendBacklen(size_t entry_len);
  std::string buf_;
  size_t count_ = 0;
};

// The intset of `sorted` (ascending, unique), in the narrowest width that holds every value.
std::string BuildIntset(std::span<const int64_t> sorted);

// Readers. Each returns true and fills `out` iff the blob is well formed; otherwise returns false
// with a description in *error. Integers come out as their decimal text.
bool ParseListpack(std::string_view blob, std::vector<std::string>* out, std::string* error);
bool ParseZiplist(std::string_view blob, std::vector<std::string>* out, std::string* error);
bool ParseIntset(std::string_view blob, std::vector<int64_t>* out, std::string* error);
// Key/value pairs flattened: out = {k1, v1, k2, v2, ...}.
bool ParseZipmap(std::string_view blob, std::vector<std::string>* out, std::string* error);

}  // namespace persistence::rdb
