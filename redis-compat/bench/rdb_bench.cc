// Throughput of the RDB writer and reader (not a test; nothing here asserts a time).
//
// Keyspace: 1,000,000 small strings ("key:<n>" -> 16-byte value, every tenth with a TTL) and
// 1,000 hashes of 1,000 fields each (hashtable encoding). Writes the snapshot to memory (and, if a
// path is given, to that file with fsync), then loads it back into fresh Dbs, printing MB/s and
// keys/s for each phase (and the parse alone, into a sink that drops every value) and checking that
// the key counts round-trip.
//
// Build (from the repository root, after a Release build in build/):
//   g++ -O2 -std=c++20 -Ibuild/include/persistence -Ibuild/include/store \
//       redis-compat/bench/rdb_bench.cc build/persistence/libfickle_persistence.a \
//       build/store/libfickle_store.a -o build/rdb_bench
// Run: build/rdb_bench [/path/to/file.rdb]
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"
#include "store/db.h"
#include "store/hash_value.h"
#include "store/persist_api.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct Keyspace {
  store::Clock clock{1'700'000'000'000};
  std::vector<std::unique_ptr<store::Db>> dbs;
  std::vector<const store::Db*> views;
  std::vector<store::Db*> ptrs;
  Keyspace() {
    for (int i = 0; i < 16; ++i) {
      dbs.push_back(std::make_unique<store::Db>(i, &clock));
      views.push_back(dbs.back().get());
      ptrs.push_back(dbs.back().get());
    }
  }
};

void Fill(Keyspace& ks) {
  store::Db& db = *ks.dbs[0];
  for (int i = 0; i < 1'000'000; ++i) {
    store::Entry* e =
        db.Insert("key:" + std::to_string(i),
                  store::Value::String("value-" + std::to_string(i % 1000) + "-abcdefg"));
    if (i % 10 == 0) e = db.SetExpire(e, ks.clock.now_ms + 86'400'000);
  }
  for (int h = 0; h < 1000; ++h) {
    auto hash = std::make_unique<store::HashValue>();
    for (int f = 0; f < 1000; ++f) {
      (void)hash->Set("field:" + std::to_string(f), "v" + std::to_string(f * h),
                      store::HashLimits());
    }
    db.Insert("hash:" + std::to_string(h), store::Value::Of(std::move(hash)));
  }
}

// Keeps nothing: separates the codec's cost from the store's insertion cost.
class NullSink : public store::SnapshotSink {
 public:
  store::Status Put(int, std::string_view, store::Value, int64_t) override {
    return store::Status::kOk;
  }
};

}  // namespace

int main(int argc, char** argv) {
  Keyspace src;
  auto t = std::chrono::steady_clock::now();
  Fill(src);
  std::printf("fill: %.2f s, %zu keys\n", Seconds(t), src.dbs[0]->size());

  for (bool compression : {true, false}) {
    persistence::RdbWriteOptions opts;
    opts.encode.compression = compression;
    persistence::StringSink sink;
    std::string err;
    t = std::chrono::steady_clock::now();
    if (!persistence::SaveSnapshot(store::SnapshotView(src.views), opts, &sink, &err)) {
      std::fprintf(stderr, "save failed: %s\n", err.c_str());
      return 1;
    }
    const double ws = Seconds(t);
    const std::string file = sink.Take();
    const double mb = static_cast<double>(file.size()) / 1e6;
    std::printf("write (compression %s): %.1f MB in %.2f s = %.0f MB/s, %.0f keys/s\n",
                compression ? "on" : "off", mb, ws, mb / ws, 1'001'000 / ws);

    Keyspace dst;
    store::DbSink load_sink(dst.ptrs);
    persistence::RdbLoadInfo info;
    t = std::chrono::steady_clock::now();
    const persistence::RdbStatus st =
        persistence::LoadRdb(file, persistence::LoadLimits(), &load_sink, &info);
    const double rs = Seconds(t);
    if (!st.ok() || dst.dbs[0]->size() != src.dbs[0]->size()) {
      std::fprintf(stderr, "load failed: %s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("read  (compression %s): %.1f MB in %.2f s = %.0f MB/s, %.0f keys/s\n",
                compression ? "on" : "off", mb, rs, mb / rs, 1'001'000 / rs);
    NullSink null_sink;
    t = std::chrono::steady_clock::now();
    if (!persistence::LoadRdb(file, persistence::LoadLimits(), &null_sink, &info).ok()) return 1;
    const double ps = Seconds(t);
    std::printf("parse only, values discarded: %.2f s = %.0f MB/s\n", ps, mb / ps);
  }
  if (argc > 1) {
    std::string err;
    t = std::chrono::steady_clock::now();
    if (!persistence::SaveSnapshotFile(store::SnapshotView(src.views),
                                       persistence::RdbWriteOptions(), argv[1], &err)) {
      std::fprintf(stderr, "save to %s failed: %s\n", argv[1], err.c_str());
      return 1;
    }
    std::printf("file save with fsync + rename: %.2f s\n", Seconds(t));
  }
  return 0;
}
