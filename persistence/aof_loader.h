// Loading a multi-part AOF at startup: the manifest, then the base, then each incr file in order.
//
// Layout (Redis 7): `<dir>/<appenddirname>/<appendfilename>.manifest` lists the files (see
// aof_manifest.h). A Redis 6 style single file `<dir>/<appendfilename>` is still loaded when the
// AOF directory has no usable manifest; the server should then call UpgradeLegacyAof so the next
// start finds a manifest, as Redis 7 does.
//
// Any file may start with an RDB ("REDIS" magic): a `.base.rdb` file is all RDB, and an AOF base
// written with aof-use-rdb-preamble has an RDB followed by records. The RDB part goes to the
// caller's RdbLoadFn (persistence/ does not depend on the RDB reader); the records after it are
// read here and handed to ApplyFn.
//
// Damage policy (aof-load-truncated, as Redis 7.0):
//   - a last file whose tail is cut short (EOF inside a record or annotation, or a MULTI with no
//     EXEC) is truncated to the end of its last whole record or transaction and loading succeeds
//     with a warning, if load_truncated; otherwise loading fails;
//   - a cut-short file that is not the last, a malformed record anywhere, a file named in the
//     manifest that is missing, or an error from the callbacks fails the load.
// Every error names the file and the byte offset.
//
// Transactions: records between MULTI and EXEC reach ApplyFn only once the EXEC has been read,
// MULTI and EXEC included, so a torn transaction is never half applied.
//
// Thread: runs on the calling thread (the server loads before it starts serving); it blocks on
// disk reads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/aof_manifest.h"
#include "persistence/durable_file.h"

namespace persistence {

struct AofLoadOptions {
  std::string dir = ".";                        // the server's `dir`
  std::string appenddirname = "appendonlydir";  // relative to dir
  std::string appendfilename = "appendonly.aof";
  bool load_truncated = true;  // aof-load-truncated
};

// Loads the RDB at the start of the file at `path`. Returns the number of bytes the RDB took
// (through its checksum), so records that follow it can be read; or an error.
struct RdbLoadResult {
  IoStatus status;
  uint64_t bytes = 0;
};
using RdbLoadFn = std::function<RdbLoadResult(const std::string& path)>;

// Applies one command. argv is valid only during the call. A non-ok status stops the load (Redis
// stops on an unknown command, for instance); the loader adds the file and offset to the message.
using ApplyFn = std::function<IoStatus(const std::vector<std::string_view>& argv)>;

struct AofLoadResult {
  bool found = false;    // an AOF existed (false: start empty and create one)
  bool legacy = false;   // it was the single pre-7.0 file; call UpgradeLegacyAof
  AofManifest manifest;  // as read (empty when !found or legacy); the server appends after it
  uint64_t files = 0;    // files read, empty ones included
  uint64_t records = 0;  // records applied (MULTI/EXEC included), RDB contents not counted
  uint64_t bytes = 0;    // bytes of all files read, after any truncation
  std::vector<std::string> warnings;  // e.g. a truncated tail that was cut off
};

// Loads the AOF described above. `rdb` may be empty if no file can start with an RDB; such a file
// then fails the load.
IoStatus LoadAof(const AofLoadOptions& options, const RdbLoadFn& rdb, const ApplyFn& apply,
                 AofLoadResult* result);

// Moves a legacy `<dir>/<appendfilename>` into the AOF directory as the base (seq 1) of a new
// manifest, which is written durably first: a crash in between leaves a state LoadAof still
// reads as legacy, so the upgrade simply runs again. *out receives the new manifest.
IoStatus UpgradeLegacyAof(const AofLoadOptions& options, AofManifest* out);

}  // namespace persistence
