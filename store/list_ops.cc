#include "store/list_ops.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <tuple>
#include <utility>

namespace store {
namespace {

// The list held by e for editing, or kWrongType. REQUIRES: e != nullptr.
Result<ListValue*> MutableList(Entry* e) {
  if (e->value().type() != ObjType::kList) return Status::kWrongType;
  return static_cast<ListValue*>(e->value().collection());
}

// Reports an in-place edit, or deletes the key if the edit left the list empty.
void Finish(Db& db, std::string_view key, const ListValue& list) {
  if (list.empty()) {
    db.Erase(key);
  } else {
    db.Touched(key);
  }
}

// LRANGE's clamping: the half-open [first, first + count) slice of a list of `size` elements.
std::pair<size_t, size_t> ClampRange(int64_t start, int64_t stop, size_t size) {
  const auto n = static_cast<int64_t>(size);
  if (start < 0) start = std::max<int64_t>(n + start, 0);
  if (stop < 0) stop = n + stop;  // may stay negative: an empty range
  if (start > stop || start >= n) return {0, 0};
  if (stop >= n) stop = n - 1;
  return {static_cast<size_t>(start), static_cast<size_t>(stop - start + 1)};
}

}  // namespace

Result<const ListValue*> ReadList(const Entry* e) {
  if (e == nullptr) return static_cast<const ListValue*>(nullptr);
  if (e->value().type() != ObjType::kList) return Status::kWrongType;
  return static_cast<const ListValue*>(e->value().collection());
}

Result<int64_t> Push(Db& db, std::string_view key, Entry* e, ListEnd end,
                     std::span<const std::string_view> elems, bool only_if_exists, int64_t fill) {
  if (e == nullptr) {
    if (only_if_exists) return int64_t{0};
    auto list = std::make_unique<ListValue>(fill);
    for (std::string_view elem : elems) list->Push(end, elem);
    const auto n = static_cast<int64_t>(list->size());
    db.Insert(key, Value::Of(std::move(list)));
    return n;
  }
  Result<ListValue*> list = MutableList(e);
  if (!list.ok()) return list.status();
  list.value()->set_fill(fill);
  for (std::string_view elem : elems) list.value()->Push(end, elem);
  db.Touched(key);
  return static_cast<int64_t>(list.value()->size());
}

Result<std::vector<std::string>> PopElements(Db& db, std::string_view key, Entry* e, ListEnd end,
                                             int64_t count) {
  if (e == nullptr) return Status::kNotFound;
  Result<ListValue*> list = MutableList(e);
  if (!list.ok()) return list.status();
  ListValue& l = *list.value();
  std::vector<std::string> out;
  const auto n = static_cast<size_t>(std::min<int64_t>(count, static_cast<int64_t>(l.size())));
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(l.Pop(end));
  if (n > 0) Finish(db, key, l);
  return out;
}

Result<std::optional<std::string>> Index(const Entry* e, int64_t index) {
  Result<const ListValue*> list = ReadList(e);
  if (!list.ok()) return list.status();
  std::optional<std::string> out;
  size_t i = 0;
  if (list.value() != nullptr && ListIndex(index, list.value()->size(), &i)) {
    out = list.value()->At(i);
  }
  return out;
}

Status SetIndex(Db& db, std::string_view key, Entry* e, int64_t index, std::string_view elem,
                int64_t fill) {
  if (e == nullptr) return Status::kNotFound;
  Result<ListValue*> list = MutableList(e);
  if (!list.ok()) return list.status();
  size_t i = 0;
  if (!ListIndex(index, list.value()->size(), &i)) return Status::kOutOfRange;
  list.value()->set_fill(fill);
  list.value()->SetAt(i, elem);
  db.Touched(key);
  return Status::kOk;
}

Result<int64_t> InsertAround(Db& db, std::string_view key, Entry* e, bool before,
                             std::string_view pivot, std::string_view elem, int64_t fill) {
  if (e == nullptr) return int64_t{0};
  Result<ListValue*> list = MutableList(e);
  if (!list.ok()) return list.status();
  ListValue& l = *list.value();
  bool found = false;
  size_t at = 0;
  l.Visit(0, l.size(), false, [&](size_t i, std::string_view s) {
    if (s != pivot) return true;
    found = true;
    at = i;
    return false;
  });
  if (!found) return int64_t{-1};
  l.set_fill(fill);
  l.InsertAt(before ? at : at + 1, elem);
  db.Touched(key);
  return static_cast<int64_t>(l.size());
}

Result<ListSlice> RangeSlice(const Entry* e, int64_t start, int64_t stop) {
  Result<const ListValue*> list = ReadList(e);
  if (!list.ok()) return list.status();
  ListSlice slice;
  if (list.value() == nullptr) return slice;
  slice.list = list.value();
  std::tie(slice.first, slice.count) = ClampRange(start, stop, slice.list->size());
  return slice;
}

Status Trim(Db& db, std::string_view key, Entry* e, int64_t start, int64_t stop) {
  if (e == nullptr) return Status::kOk;
  Result<ListValue*> list = MutableList(e);
  if (!list.ok()) return list.status();
  ListValue& l = *list.value();
  auto [first, count] = ClampRange(start, stop, l.size());
  l.Keep(first, count);
  Finish(db, key, l);
  return Status::kOk;
}

Result<int64_t> RemoveElements(Db& db, std::string_view key, Entry* e, int64_t count,
                               std::string_view elem) {
  if (e == nullptr) return int64_t{0};
  Result<ListValue*> list = MutableList(e);
  if (!list.ok()) return list.status();
  // |INT64_MIN| does not fit in int64; any limit at least the list's size means "all of them".
  const uint64_t magnitude =
      count < 0 ? uint64_t{0} - static_cast<uint64_t>(count) : static_cast<uint64_t>(count);
  const size_t limit = static_cast<size_t>(std::min<uint64_t>(magnitude, list.value()->size()));
  const size_t removed = list.value()->Remove(elem, count == 0 ? 0 : limit, count >= 0);
  if (removed > 0) Finish(db, key, *list.value());
  return static_cast<int64_t>(removed);
}

Result<std::optional<std::string>> Move(Db& db, std::string_view src, Entry* src_e,
                                        std::string_view dst, Entry* dst_e, ListEnd from,
                                        ListEnd to, int64_t fill) {
  if (src_e == nullptr) return std::optional<std::string>();
  Result<ListValue*> src_list = MutableList(src_e);
  if (!src_list.ok()) return src_list.status();
  ListValue* dst_list = nullptr;
  if (dst_e != nullptr) {
    Result<ListValue*> d = MutableList(dst_e);
    if (!d.ok()) return d.status();
    dst_list = d.value();
  }
  std::string elem = src_list.value()->Pop(from);
  // Push before deleting an emptied source, so src == dst with one element keeps its key.
  if (dst_list != nullptr) {
    dst_list->set_fill(fill);
    dst_list->Push(to, elem);
    db.Touched(dst);
  } else {
    auto created = std::make_unique<ListValue>(fill);
    created->Push(to, elem);
    db.Insert(dst, Value::Of(std::move(created)));
  }
  if (src_list.value() != dst_list) Finish(db, src, *src_list.value());
  return std::optional<std::string>(std::move(elem));
}

Result<std::vector<int64_t>> Positions(const Entry* e, std::string_view elem,
                                       const PosParams& params) {
  Result<const ListValue*> list = ReadList(e);
  if (!list.ok()) return list.status();
  std::vector<int64_t> out;
  if (list.value() == nullptr) return out;
  const ListValue& l = *list.value();
  const auto n = static_cast<int64_t>(l.size());
  const bool from_tail = params.rank < 0;
  // Redis negates INT64_MIN into itself, which then skips no match: the same as rank -1.
  const int64_t skip = params.rank == std::numeric_limits<int64_t>::min()
                           ? 0
                           : (from_tail ? -params.rank : params.rank) - 1;
  const int64_t want = params.count == -1 ? 1 : params.count;
  const int64_t limit = params.maxlen == 0 ? n : std::min(params.maxlen, n);
  int64_t matches = 0;
  l.Visit(static_cast<size_t>(from_tail ? n - limit : 0), static_cast<size_t>(limit), from_tail,
          [&](size_t i, std::string_view s) {
            if (s != elem || matches++ < skip) return true;
            out.push_back(static_cast<int64_t>(i));
            return want == 0 || static_cast<int64_t>(out.size()) < want;
          });
  return out;
}

}  // namespace store
