// The RDB snapshot format: opcodes, value type codes and encodings, as Redis 7.0 writes them
// (version 10) and as far back as version 1 reads them. These codes are fixed because they are on
// disk; they are not store::ObjType and must never be derived from it.
//
// Grammar (integers little-endian unless marked BE; <len> and <str> as below):
//
//   file      := "REDIS" <4 ascii digits: version> item* EOF <checksum: u64, v5+>
//   item      := AUX <str: name> <str: value>
//              | SELECTDB <len: db>
//              | RESIZEDB <len: keys> <len: keys with expiry>
//              | FUNCTION2 <str: library source>                        (v10+)
//              | MODULE_AUX ...                                         (refused)
//              | [EXPIRETIME <u32: s> | EXPIRETIME_MS <u64: ms>]
//                [IDLE <len: s>] [FREQ <u8>] <type> <str: key> <value>
//   checksum  := CRC-64/Jones of every byte before it, or 0 when the writer disabled checksums.
//
//   <len>     := 00xxxxxx                      6-bit length
//              | 01xxxxxx yyyyyyyy             14-bit length (BE)
//              | 0x80 <u32 BE> | 0x81 <u64 BE> 32- or 64-bit length
//              | 11xxxxxx                      a special string encoding, where a string goes:
//   <str>     := <len: n> <n bytes>
//              | 0xC0 <i8> | 0xC1 <i16> | 0xC2 <i32>   an integer, stored in binary
//              | 0xC3 <len: compressed> <len: original> <LZF data>
//
//   <value> by <type>:
//     STRING           <str>
//     LIST, SET        <len: n> <str>{n}
//     ZSET             <len: n> (<str: member> <dbl: score as text>){n}
//     ZSET_2           <len: n> (<str: member> <f64: score>){n}     (Redis writes high to low)
//     HASH             <len: n> (<str: field> <str: value>){n}
//     HASH_ZIPMAP, LIST_ZIPLIST, SET_INTSET, ZSET_ZIPLIST, HASH_ZIPLIST, HASH_LISTPACK,
//     ZSET_LISTPACK, SET_LISTPACK       <str: the packed blob> (see rdb_packed.h)
//     LIST_QUICKLIST   <len: n> <str: ziplist>{n}
//     LIST_QUICKLIST_2 <len: n> (<len: container> <str: listpack or plain element>){n}
//   <dbl>     := <u8: n> <n ascii bytes> | 253 (NaN) | 254 (+inf) | 255 (-inf)
//
// A DUMP payload is one <type> <value> followed by the RDB version (u16) and the CRC-64 (u64) of
// everything before it.
#pragma once

#include <cstdint>

namespace persistence::rdb {

inline constexpr int kVersion = 10;     // what we write: Redis 7.0's version
inline constexpr int kMaxVersion = 11;  // the newest we read: Redis 7.2 / Valkey 8

enum Opcode : uint8_t {
  kOpFunction2 = 245,  // a function library (v10)
  kOpFunction = 246,   // the pre-release form of FUNCTION2 (7.0 release candidates)
  kOpModuleAux = 247,  // module auxiliary data
  kOpIdle = 248,       // LRU idle time of the next key, seconds
  kOpFreq = 249,       // LFU counter of the next key
  kOpAux = 250,        // a name/value pair of metadata
  kOpResizeDb = 251,   // size hints for the current db
  kOpExpireTimeMs = 252,
  kOpExpireTime = 253,  // seconds; versions before 3
  kOpSelectDb = 254,
  kOpEof = 255,
};

enum TypeCode : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZSet = 3,
  kTypeHash = 4,
  kTypeZSet2 = 5,
  kTypeModulePreGa = 6,
  kTypeModule2 = 7,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZSetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZSetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
  kTypeSetListpack = 20,
  kTypeStreamListpacks3 = 21,
};

// <len>: the top two bits of the first byte.
inline constexpr uint8_t kLen6 = 0;
inline constexpr uint8_t kLen14 = 1;
inline constexpr uint8_t kLen32 = 0x80;
inline constexpr uint8_t kLen64 = 0x81;
inline constexpr uint8_t kLenEncoded = 3;  // 11xxxxxx: the low six bits are a kEnc* code

enum StringEncoding : uint8_t { kEncInt8 = 0, kEncInt16 = 1, kEncInt32 = 2, kEncLzf = 3 };

// The special lengths of a ZSET's text score.
inline constexpr uint8_t kDoubleNan = 253;
inline constexpr uint8_t kDoublePosInf = 254;
inline constexpr uint8_t kDoubleNegInf = 255;

// QUICKLIST_2 node containers.
inline constexpr uint64_t kQuicklistPlain = 1;
inline constexpr uint64_t kQuicklistPacked = 2;

}  // namespace persistence::rdb
