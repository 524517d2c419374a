#include "store/pair_table.h"

#include <cstring>

namespace store {
namespace {

char* NewPair(std::string_view field, std::string_view value) {
  char* p = new char[PackedPairs::PairBytes(field.size(), value.size())];
  PackedPairs::WritePair(p, field, value);
  return p;
}

}  // namespace

PairTable::~PairTable() {
  table_.ForEach([](const char* p) { delete[] p; });
}

PairTable::PairTable(const PairTable& other) {
  Reserve(other.size());
  other.ForEach([this](std::string_view f, std::string_view v) { Set(f, v); });
}

bool PairTable::Set(std::string_view field, std::string_view value) {
  const char** slot = table_.FindSlot(field);
  if (slot != nullptr) {
    const auto [f, old] = Read(*slot);
    if (old.size() == value.size()) {
      // memmove: value may be these very bytes.
      if (!value.empty()) std::memmove(const_cast<char*>(old.data()), value.data(), value.size());
      return false;
    }
    // The old pair stays alive until the new one is written, so value may point into it.
    const char* fresh = NewPair(f, value);
    delete[] * slot;
    *slot = fresh;
    return false;
  }
  table_.Insert(NewPair(field, value));
  return true;
}

bool PairTable::Erase(std::string_view field) {
  const char* p = table_.Erase(field);
  if (p == nullptr) return false;
  delete[] p;
  return true;
}

}  // namespace store
