// RDB snapshots as the server uses them: loading dump.rdb at startup, SAVE, BGSAVE, save points,
// and RDB bases inside the AOF. The file format is persistence/rdb_*; this file decides when and
// where, and keeps INFO persistence's figures.
//
// BGSAVE without fork(): server/background_snapshot.h walks the keyspace in slices between
// commands, keeping it point in time by serializing a key's old value before a write changes it,
// and writes the file off the loop.
#pragma once

#include <cstdint>
#include <string>

#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"

namespace server {

class Server;

struct SnapshotStats {
  int64_t last_save_s = 0;     // LASTSAVE
  bool last_bgsave_ok = true;  // rdb_last_bgsave_status
  bool bgsave_in_progress = false;
  int64_t bgsave_started_ms = 0;
  int64_t last_bgsave_ms = -1;  // rdb_last_bgsave_time_sec * 1000
  uint64_t saves = 0;           // rdb_saves
  uint64_t dirty_at_save_start = 0;
  uint64_t last_cow_bytes = 0;           // rdb_last_cow_size: old values kept by copy-before-write
  bool aof_rewrite_without_aof = false;  // BGREWRITEAOF with appendonly no is running
  uint64_t last_load_keys_loaded = 0;
  uint64_t last_load_keys_expired = 0;
};

persistence::LoadLimits LoadLimitsFrom(const Server& s);
persistence::RdbWriteOptions WriteOptionsFrom(const Server& s);

// Loads <dir>/<dbfilename> into the (empty) dbs if it exists. False with *error if it exists
// but cannot be loaded (Redis refuses to start then, rather than run without the data).
bool LoadRdbAtStartup(Server& s, std::string* error);

// Loads an RDB at the start of the file at path into the dbs; returns the bytes it took.
persistence::RdbStatus LoadRdbInto(Server& s, const std::string& path, uint64_t* bytes);

// SAVE: writes <dir>/<dbfilename> now, on the loop. False with *error on failure.
bool SaveRdbNow(Server& s, std::string* error);

// BGSAVE: serializes now and writes in the background. False with *error if one is running.
bool StartBackgroundSave(Server& s, std::string* error);

// Save points ("save 3600 1 300 100 ..."): whether one is due now.
bool SavePointDue(const Server& s);

}  // namespace server
