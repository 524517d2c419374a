// The hash type: a map from field to value, both binary-safe strings.
//
// Two encodings, as Redis 7.0 names them in OBJECT ENCODING:
//   - "listpack": a PackedPairs (store/packed_pairs.h), every (field, value) pair packed into one
//     buffer in insertion order. Lookups are linear, which is cheap because the caller keeps the
//     table small.
//   - "hashtable": a std::unordered_set of entries, each one allocation holding its field and value
//     in PackedPairs' pair grammar, for hashes past the configured limits. The set hashes and
//     compares only the field (transparently, so lookups by string_view build nothing). Its hasher
//     is noexcept and cheap, so libstdc++ caches no hash in the node: a node is a next pointer and
//     the entry's pointer, 16 bytes, and an entry of a 10-byte field and a 12-byte value is 24.
//     The price is a rehash of the field where the table needs a bucket index (rehashing, bucket
//     walks in find, ScanStep and RandomEntry).
// The object holds only the current encoding's state (a variant of the packed pairs and a pointer
// to the map), so a small hash is 32 bytes and carries no empty map beside it.
// Invariants: fields are unique. Conversion is one-way (listpack -> hashtable), as in Redis: a hash
// never shrinks back. Deleting fields keeps the listpack order of the remaining ones, so replies on
// small hashes come out in the same order Redis gives.
// Not thread-safe: owned by the loop thread through its Value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>

#include "store/bucket_scan.h"
#include "store/packed_pairs.h"
#include "store/value.h"

namespace store {

// The configured thresholds (hash-max-listpack-entries / -value), read at each write.
struct HashLimits {
  int64_t max_listpack_entries = 512;
  int64_t max_listpack_value = 64;
};

class HashValue : public Collection {
 public:
  HashValue() = default;

  ObjType type() const override { return ObjType::kHash; }
  std::string_view encoding() const override { return is_listpack() ? "listpack" : "hashtable"; }
  std::unique_ptr<Collection> Clone() const override;

  bool is_listpack() const { return std::holds_alternative<PackedPairs>(rep_); }
  size_t size() const { return is_listpack() ? small().size() : big().size(); }

  // The value of field, or nullopt. The view is valid until the next modification.
  std::optional<std::string_view> Get(std::string_view field) const;
  // Sets field to value; returns true iff the field is new. Converts to "hashtable" first if field
  // or value is longer than limits.max_listpack_value (or the packed buffer would pass its size
  // cap), and after the insert if the hash has more than limits.max_listpack_entries fields.
  bool Set(std::string_view field, std::string_view value, const HashLimits& limits);
  // Removes field; returns whether it was present.
  bool Erase(std::string_view field);

  // Calls fn(field, value) for every entry: insertion order for listpack, unspecified otherwise.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (is_listpack()) {
      small().ForEach(fn);
    } else {
      for (const BigEntry& e : big()) {
        const auto [f, v] = e.pair();
        fn(f, v);
      }
    }
  }

  // The entry at position i of ForEach's order. REQUIRES: i < size(); O(i) (callers needing many
  // random picks from a hashtable should snapshot with ForEach).
  std::pair<std::string_view, std::string_view> At(size_t i) const;

  // A random entry drawn from `rng` (uniform for listpack; for hashtable, a random non-empty
  // bucket then a random entry in it, as Redis's dictGetFairRandomKey is roughly fair too).
  // REQUIRES: size() > 0. O(1) expected for hashtable while the table is not much sparser than
  // its buckets; O(size()) for listpack, which is small.
  std::pair<std::string_view, std::string_view> RandomEntry(uint64_t (*next)(void*),
                                                            void* rng) const;

  // One step of a cursor walk (HSCAN): a listpack is visited whole and returns 0; the hashtable
  // is walked `buckets` buckets at a time as store/bucket_scan.h describes.
  template <typename Fn>
  uint64_t ScanStep(uint64_t cursor, size_t buckets, Fn&& fn) const {
    if (is_listpack()) {
      ForEach(fn);
      return 0;
    }
    return BucketScanStep(big(), cursor, buckets, [&](const BigEntry& e) {
      const auto [f, v] = e.pair();
      fn(f, v);
    });
  }

  // Switches to the hashtable encoding (no-op if already there).
  void ConvertToHashtable();

 private:
  // One hashtable entry: a single pair in PackedPairs' grammar, in an allocation of its own.
  // The table hashes and compares only the field, which never changes while the entry is in the
  // table, so the value may be rewritten through the set's const element: hence `mutable`.
  struct BigEntry {
    BigEntry(std::string_view field, std::string_view value);
    BigEntry(const BigEntry& other);  // a deep copy, for Clone
    BigEntry(BigEntry&&) noexcept = default;
    BigEntry& operator=(const BigEntry&) = delete;
    BigEntry& operator=(BigEntry&&) noexcept = default;

    std::pair<std::string_view, std::string_view> pair() const {
      return PackedPairs::ReadPair(bytes.get());
    }
    std::string_view field() const { return pair().first; }
    void SetValue(std::string_view value) const;

    mutable std::unique_ptr<char[]> bytes;
  };
  struct Hasher {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>()(s);
    }
    size_t operator()(const BigEntry& e) const noexcept { return (*this)(e.field()); }
  };
  struct Equal {
    using is_transparent = void;
    static std::string_view Key(std::string_view s) { return s; }
    static std::string_view Key(const BigEntry& e) { return e.field(); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Key(a) == Key(b);
    }
  };
  using Map = std::unordered_set<BigEntry, Hasher, Equal>;

  const PackedPairs& small() const { return *std::get_if<PackedPairs>(&rep_); }
  PackedPairs& small() { return *std::get_if<PackedPairs>(&rep_); }
  const Map& big() const { return **std::get_if<std::unique_ptr<Map>>(&rep_); }
  Map& big() { return **std::get_if<std::unique_ptr<Map>>(&rep_); }

  // The map is never null while it is the alternative held.
  std::variant<PackedPairs, std::unique_ptr<Map>> rep_;
};

}  // namespace store
