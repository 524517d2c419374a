// The manifest of Redis 7's multi-part AOF: a text file `<appendfilename>.manifest` inside
// `appenddirname` that lists the files making up the log. Grammar (as redis-server 7.0 writes and
// reads it):
//
//   manifest := { line }+                  at least one line; every line ends in '\n'
//   line     := comment | entry
//   comment  := '#' <anything> '\n'
//   entry    := pair { ' ' pair } '\n'      an even number (>= 6) of words, split like redis-cli
//   pair     := key ' ' value               keys are case-insensitive
//   key      := "file" | "seq" | "type" | <other>   other keys are ignored (forward compatibility)
//   file     := a bare name (no '/'); written in "double quotes" with \" \\ \n \r \t \a
//               \b \xHH escapes iff it contains a space, a quote (" or '), a backslash or a byte
//               that is not printable ASCII (Redis leaves ' bare, which its reader then rejects)
//   seq      := a positive decimal integer
//   type     := 'b' (base) | 'h' (history) | 'i' (incr); only the first character is looked at
//
// e.g.
//   file appendonly.aof.2.base.rdb seq 2 type b
//   file appendonly.aof.1.incr.aof seq 1 type h
//   file appendonly.aof.2.incr.aof seq 2 type i
//
// At most one base; incr seqs strictly increase in file order; a line is at most 1024 bytes. The
// log's contents are the base followed by each incr file in order; history files are leftovers of
// an AOF rewrite, waiting to be deleted. Files are named `<appendfilename>.<seq>.base.rdb` (or
// `.base.aof` without the RDB preamble) and `<appendfilename>.<seq>.incr.aof`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/durable_file.h"

namespace persistence {

// On-disk type codes: these characters are in manifests, so they never change.
enum class AofFileType : char { kBase = 'b', kHistory = 'h', kIncr = 'i' };

struct AofFileInfo {
  std::string name;  // a bare file name inside appenddirname
  int64_t seq = 0;
  AofFileType type = AofFileType::kIncr;

  bool operator==(const AofFileInfo&) const = default;
};

struct AofManifest {
  std::optional<AofFileInfo> base;
  std::vector<AofFileInfo> history;  // in file order
  std::vector<AofFileInfo> incrs;    // ascending seq: the order in which they are replayed

  bool empty() const { return !base && incrs.empty() && history.empty(); }
  // The seq of the base, or 0 if there is none.
  int64_t base_seq() const { return base ? base->seq : 0; }
  // The seq of the newest incr file, or 0 if there is none.
  int64_t last_incr_seq() const { return incrs.empty() ? 0 : incrs.back().seq; }

  bool operator==(const AofManifest&) const = default;
};

// Limits and file names, as in Redis.
inline constexpr size_t kAofManifestMaxLine = 1024;
std::string AofManifestName(std::string_view appendfilename);  // "<f>.manifest"
std::string AofBaseName(std::string_view appendfilename, int64_t seq, bool rdb);
std::string AofIncrName(std::string_view appendfilename, int64_t seq);

// Parses manifest text. On error the message is Redis's ("Invalid AOF manifest file format",
// "Found a non-monotonic sequence number", ...) prefixed with "line N: " when a line is at fault.
IoStatus ParseAofManifest(std::string_view text, AofManifest* out);

// The manifest text Redis would write: base first, then history, then incr files.
std::string FormatAofManifest(const AofManifest& m);

// Quotes a file name for a manifest when Redis would (see the grammar above); else returns it as
// is.
std::string QuoteAofFileName(std::string_view name);

// Adds the incr file that follows the newest one (seq + 1) and returns it; the caller then
// creates the file and writes the manifest. Used when AOF starts and when a rewrite begins.
AofFileInfo AddNextIncr(AofManifest* m, std::string_view appendfilename);

// Installs a new base (seq + 1) as an AOF rewrite finishes: the old base and every incr file but
// the newest (the one opened when the rewrite started, whose writes the new base lacks) become
// history. Returns the new base; the caller renames the rewritten file to its name, writes the
// manifest, then calls DropAofHistory.
AofFileInfo FinishRewrite(AofManifest* m, std::string_view appendfilename, bool rdb);

// Forgets the history files: writes the manifest without them first (so a crash never leaves a
// manifest naming deleted files), then unlinks each from `dir`. A file already gone is fine.
// Redis does this after every rewrite and at startup. On error m->history is left as it was iff
// the manifest could not be written.
IoStatus DropAofHistory(const std::string& dir, std::string_view appendfilename, AofManifest* m);

// Reads `<dir>/<appendfilename>.manifest`. A missing file is not an error: *found is set to
// false and *out is left empty.
IoStatus ReadAofManifest(const std::string& dir, std::string_view appendfilename, AofManifest* out,
                         bool* found);

// Writes the manifest durably (temp file, fsync, rename, fsync of dir).
IoStatus WriteAofManifest(const std::string& dir, std::string_view appendfilename,
                          const AofManifest& m);

}  // namespace persistence
