#include "store/stream_ops.h"

#include <limits>
#include <memory>
#include <utility>

namespace store {

Result<const StreamValue*> StreamOf(const Entry* e) {
  if (e == nullptr) return static_cast<const StreamValue*>(nullptr);
  if (e->value().type() != ObjType::kStream) return Status::kWrongType;
  return static_cast<const StreamValue*>(e->value().collection());
}

Result<StreamValue*> MutableStreamOf(Entry* e) {
  if (e == nullptr) return static_cast<StreamValue*>(nullptr);
  if (e->value().type() != ObjType::kStream) return Status::kWrongType;
  return static_cast<StreamValue*>(e->value().collection());
}

namespace {

// The ID XADD gives the new entry after `last`, as Redis's streamAppendItem picks it.
StreamAddOutcome::Code NextId(const StreamAddParams& p, StreamId last, uint64_t now_ms,
                              StreamId* id) {
  using Kind = StreamAddParams::IdKind;
  switch (p.id_kind) {
    case Kind::kAuto:
      if (now_ms > last.ms) {
        *id = StreamId{now_ms, 0};
      } else {
        *id = last;
        if (!id->Incr()) return StreamAddOutcome::Code::kExhausted;
      }
      return StreamAddOutcome::Code::kAdded;
    case Kind::kAutoSeq:
      if (p.id.ms == last.ms) {
        if (last.seq == std::numeric_limits<uint64_t>::max()) {
          return StreamAddOutcome::Code::kSeqTooBig;
        }
        *id = StreamId{last.ms, last.seq + 1};
      } else {
        *id = StreamId{p.id.ms, 0};
      }
      break;
    case Kind::kExplicit:
      *id = p.id;
      break;
  }
  return *id > last ? StreamAddOutcome::Code::kAdded : StreamAddOutcome::Code::kIdTooSmall;
}

}  // namespace

Result<StreamAddOutcome> StreamAdd(Db& db, std::string_view key, Entry* e,
                                   const StreamAddParams& params,
                                   std::span<const std::string_view> fields, uint64_t now_ms) {
  Result<StreamValue*> r = MutableStreamOf(e);
  if (!r.ok()) return r.status();
  StreamAddOutcome out;
  StreamValue* s = r.value();
  std::unique_ptr<StreamValue> fresh;
  if (s == nullptr) {
    if (params.nomkstream) {
      out.code = StreamAddOutcome::Code::kNoStream;
      return out;
    }
    fresh = std::make_unique<StreamValue>();
    s = fresh.get();
  }
  s->set_node_limits(params.node_max_entries, params.node_max_bytes);
  if (s->last_id() == StreamId::Max()) {
    out.code = StreamAddOutcome::Code::kExhausted;
    return out;
  }
  out.code = NextId(params, s->last_id(), now_ms, &out.id);
  if (out.code != StreamAddOutcome::Code::kAdded) return out;
  s->Append(out.id, fields);
  if (params.trim) out.trimmed = s->Trim(*params.trim);
  if (fresh != nullptr) {
    db.Insert(key, Value::Of(std::move(fresh)));
  } else {
    db.Touched(key);
  }
  return out;
}

Result<int64_t> StreamDelete(Db& db, std::string_view key, Entry* e,
                             std::span<const StreamId> ids) {
  Result<StreamValue*> r = MutableStreamOf(e);
  if (!r.ok()) return r.status();
  if (r.value() == nullptr) return int64_t{0};
  int64_t deleted = 0;
  for (StreamId id : ids) deleted += r.value()->Delete(id) ? 1 : 0;
  if (deleted > 0) db.Touched(key);
  return deleted;
}

Result<int64_t> StreamTrimKey(Db& db, std::string_view key, Entry* e, const StreamTrim& trim) {
  Result<StreamValue*> r = MutableStreamOf(e);
  if (!r.ok()) return r.status();
  if (r.value() == nullptr) return int64_t{0};
  const int64_t deleted = r.value()->Trim(trim);
  if (deleted > 0) db.Touched(key);
  return deleted;
}

}  // namespace store
