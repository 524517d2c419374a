// Streams in RDB files, as Redis 7.0 writes them (STREAM_LISTPACKS_2, type 19) and as Redis 5-6
// (STREAM_LISTPACKS, 15) and 7.2 (STREAM_LISTPACKS_3, 21) wrote them:
//
//   stream    := <len: nodes> (<str: master ID, 16 bytes: ms BE, seq BE> <str: listpack>){nodes}
//                <len: length> <len: last_id.ms> <len: last_id.seq>
//                [<len: first_id.ms> <len: first_id.seq>                    (19, 21)
//                 <len: max_deleted.ms> <len: max_deleted.seq> <len: entries_added>]
//                <len: groups> group{groups}
//   group     := <str: name> <len: last_id.ms> <len: last_id.seq>
//                [<len: entries_read, 2^64-1 = unknown>]                      (19, 21)
//                <len: n> (<16 raw bytes: ID> <u64 LE: delivery ms> <len: deliveries>){n}
//                <len: consumers> consumer{consumers}
//   consumer  := <str: name> <u64 LE: seen ms> [<u64 LE: active ms>]          (21)
//                <len: n> <16 raw bytes: ID>{n}
//
//   A node's listpack (integers as listpack integers):
//     <live count> <deleted count> <master field count> <master field>* 0
//     entry* where entry := <flags> <ms - master.ms> <seq - master.seq>
//                           (<value>* if flags & SAMEFIELDS(2) | <field count> (<field> <value>)*)
//                           <number of listpack elements of the entry before this one>
//     flags: DELETED(1), SAMEFIELDS(2) (the fields are the master fields, names not repeated).
//
// Type 15 has no read counters: a group's entries_read is estimated from its last ID, as Redis
// migrates it. Type 21's consumer active time is read and dropped (7.0 has no such field).
#pragma once

#include <cstdint>
#include <string>

#include "persistence/rdb_format.h"
#include "persistence/rdb_reader.h"
#include "store/stream_value.h"
#include "store/value.h"

namespace persistence::rdb {

// Appends the stream's <value> (type 19) to *out; `compression` as rdbcompression.
TypeCode AppendStream(const store::StreamValue& s, bool compression, std::string* out);

// Reads a stream <value> of type 15, 19 or 21. False (the error in the cursor) on failure.
bool ReadStream(Cursor& in, uint8_t type, store::Value* out);

}  // namespace persistence::rdb
