#include "server/snapshot.h"

#include <sys/stat.h>

#include <memory>
#include <sstream>
#include <vector>

#include "persistence/durable_file.h"
#include "server/background_snapshot.h"
#include "server/eviction.h"
#include "server/log.h"
#include "server/scripting/functions.h"
#include "server/server.h"
#include "store/persist_api.h"

namespace server {
namespace {

std::vector<const store::Db*> ConstDbs(Server& s) {
  std::vector<const store::Db*> dbs;
  for (int i = 0; i < s.db_count(); ++i) dbs.push_back(&s.db(i));
  return dbs;
}

std::string RdbPath(const Server& s) {
  return persistence::JoinPath(s.config().dir, s.config().dbfilename);
}

// A save succeeded: the changes it captured no longer count as unsaved.
void NoteSaved(Server& s, uint64_t dirty_at_start) {
  SnapshotStats& st = s.snapshots();
  st.last_save_s = NowMs() / 1000;
  s.stats().dirty -= std::min(s.stats().dirty, dirty_at_start);
  ++st.saves;
}

}  // namespace

persistence::LoadLimits LoadLimitsFrom(const Server& s) {
  const Config& c = s.config();
  persistence::LoadLimits l;
  l.hash = {c.hash_max_listpack_entries, c.hash_max_listpack_value};
  l.list_fill = c.list_max_listpack_size;
  l.set_max_intset_entries = static_cast<size_t>(c.set_max_intset_entries);
  l.zset_max_listpack_entries = c.zset_max_listpack_entries;
  l.zset_max_listpack_value = c.zset_max_listpack_value;
  return l;
}

persistence::RdbWriteOptions WriteOptionsFrom(const Server& s) {
  const Config& c = s.config();
  persistence::RdbWriteOptions o;
  o.encode.compression = c.rdbcompression;
  o.encode.list_fill = c.list_max_listpack_size;
  o.checksum = c.rdbchecksum;
  // The function libraries go in every snapshot (FUNCTION2 items before the databases), as of
  // now: a background save writes the libraries that existed when it started.
  o.functions = s.functions().Codes();
  return o;
}

persistence::RdbStatus LoadRdbInto(Server& s, const std::string& path, uint64_t* bytes) {
  std::vector<store::Db*> dbs;
  for (int i = 0; i < s.db_count(); ++i) dbs.push_back(&s.db(i));
  store::DbSink sink(dbs);
  persistence::RdbLoadInfo info;
  persistence::RdbStatus st = persistence::LoadRdbFile(path, LoadLimitsFrom(s), &sink, &info);
  *bytes = info.bytes;
  // The libraries are registered as FUNCTION RESTORE REPLACE would: one that does not load is
  // an error of the whole file, as in Redis.
  if (st.ok() && !info.functions.empty()) {
    std::string error;
    if (!s.functions().Restore(info.functions, scripting::RestorePolicy::kReplace, &error)) {
      return persistence::RdbStatus::Error(0, "Failed loading library: " + error);
    }
  }
  s.snapshots().last_load_keys_loaded = sink.loaded();
  s.snapshots().last_load_keys_expired = sink.skipped_expired();
  // The store stamps loaded keys with the LRU clock; an LFU policy wants its own stamp, as
  // Server::OnKeyCreated gives keys created by commands.
  if (s.lfu_tracking()) {
    for (int i = 0; i < s.db_count(); ++i) {
      for (store::Entry* e = s.db(i).First(); e != nullptr; e = e->next(0)) {
        InitAccess(true, s.clock().now_ms, e);
      }
    }
  }
  return st;
}

bool LoadRdbAtStartup(Server& s, std::string* error) {
  const std::string path = RdbPath(s);
  struct stat sb;
  if (stat(path.c_str(), &sb) != 0) return true;  // no file: start empty
  s.UpdateClock();
  uint64_t bytes = 0;
  persistence::RdbStatus st = LoadRdbInto(s, path, &bytes);
  if (!st.ok()) {
    *error = "Failed loading the RDB file " + path + ": " + st.ToString();
    return false;
  }
  LogNotice("DB loaded from disk: " + std::to_string(s.snapshots().last_load_keys_loaded) +
            " keys (" + std::to_string(s.snapshots().last_load_keys_expired) +
            " already expired, not loaded)");
  return true;
}

bool SaveRdbNow(Server& s, std::string* error) {
  const uint64_t dirty = s.stats().dirty;
  std::vector<const store::Db*> dbs = ConstDbs(s);
  if (!persistence::SaveSnapshotFile(store::SnapshotView(dbs), WriteOptionsFrom(s), RdbPath(s),
                                     error)) {
    LogWarning("Error saving DB on disk: " + *error);
    return false;
  }
  NoteSaved(s, dirty);
  LogNotice("DB saved on disk");
  return true;
}

bool StartBackgroundSave(Server& s, std::string* error) {
  SnapshotStats& st = s.snapshots();
  if (st.bgsave_in_progress) {
    *error = "Background save already in progress";
    return false;
  }
  // Before Start: without incremental stepping the job may be done before Start returns.
  st.bgsave_in_progress = true;
  st.bgsave_started_ms = NowMs();
  const uint64_t dirty = s.stats().dirty;
  LogNotice("Background saving started");
  auto job = BackgroundSnapshot::Start(s, RdbPath(s), WriteOptionsFrom(s),
                                       [&s, dirty](const BackgroundSnapshot::Outcome& out) {
                                         SnapshotStats& done = s.snapshots();
                                         done.bgsave_in_progress = false;
                                         done.last_bgsave_ms = NowMs() - done.bgsave_started_ms;
                                         done.last_bgsave_ok = out.error.empty();
                                         done.last_cow_bytes = out.cow_bytes;
                                         if (out.error.empty()) {
                                           NoteSaved(s, dirty);
                                           LogNotice("Background saving terminated with success");
                                         } else {
                                           LogWarning("Background saving error: " + out.error);
                                         }
                                       });
  s.AddSnapshotJob(std::move(job));
  return true;
}

bool SavePointDue(const Server& s) {
  const SnapshotStats& st = s.snapshots();
  if (st.bgsave_in_progress) return false;
  const int64_t now_s = NowMs() / 1000;
  // After a failed save, Redis waits 5 s before a save point may try again.
  if (!st.last_bgsave_ok && now_s - st.last_save_s < 5) return false;
  std::istringstream in(s.config().save);
  int64_t seconds, changes;
  while (in >> seconds >> changes) {
    if (s.stats().dirty >= static_cast<uint64_t>(changes) && now_s - st.last_save_s >= seconds) {
      return true;
    }
  }
  return false;
}

}  // namespace server
