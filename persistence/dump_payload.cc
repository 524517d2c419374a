#include "persistence/dump_payload.h"

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"

namespace persistence {
namespace {

constexpr size_t kFooter = 10;  // version (2) + CRC (8)

void AppendFooter(std::string* out) {
  out->push_back(static_cast<char>(rdb::kVersion & 0xff));
  out->push_back(static_cast<char>((rdb::kVersion >> 8) & 0xff));
  const uint64_t crc = Crc64(0, *out);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
}

// True iff payload ends in a footer whose version we read and whose CRC matches.
bool FooterOk(std::string_view payload) {
  if (payload.size() < kFooter) return false;
  const size_t footer = payload.size() - kFooter;
  const auto byte = [&](size_t i) {
    return static_cast<uint64_t>(static_cast<uint8_t>(payload[i]));
  };
  const uint64_t version = byte(footer) | (byte(footer + 1) << 8);
  if (version > static_cast<uint64_t>(rdb::kMaxVersion)) return false;
  uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = (stored << 8) | byte(footer + 2 + static_cast<size_t>(i));
  return Crc64(0, payload.substr(0, footer + 2)) == stored;
}

}  // namespace

std::string DumpFunctions(const std::vector<std::string>& libraries, bool compression) {
  std::string out;
  for (const std::string& code : libraries) {
    out.push_back(static_cast<char>(rdb::kOpFunction2));
    rdb::AppendString(code, compression, &out);
  }
  AppendFooter(&out);
  return out;
}

FunctionPayloadError ParseFunctionsPayload(std::string_view payload,
                                           std::vector<std::string>* libraries, const char** what) {
  libraries->clear();
  if (!FooterOk(payload)) return FunctionPayloadError::kVersionOrChecksum;
  rdb::Cursor in(payload.substr(0, payload.size() - kFooter));
  while (in.remaining() > 0) {
    uint8_t type = 0;
    if (!in.ReadByte(&type)) break;
    std::string code;
    if (type == rdb::kOpFunction) {
      if (!rdb::ReadPreGaFunction(in, &code, what)) return FunctionPayloadError::kTruncated;
    } else if (type != rdb::kOpFunction2) {
      return FunctionPayloadError::kNotFunction;
    } else if (!in.ReadString(&code)) {
      *what = "library payload";
      return FunctionPayloadError::kTruncated;
    }
    libraries->push_back(std::move(code));
  }
  return FunctionPayloadError::kNone;
}

std::string DumpValue(const store::Value& v, const EncodeOptions& opts) {
  std::string out;
  out.push_back('\0');
  out[0] = static_cast<char>(rdb::AppendValue(v, opts, &out));
  out.push_back(static_cast<char>(rdb::kVersion & 0xff));
  out.push_back(static_cast<char>((rdb::kVersion >> 8) & 0xff));
  const uint64_t crc = Crc64(0, out);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  return out;
}

RdbResult<store::Value> ParseDumpPayload(std::string_view payload, const LoadLimits& limits) {
  if (payload.size() < kFooter + 1) return RdbStatus::Error(0, "DUMP payload too short");
  const size_t footer = payload.size() - kFooter;
  const auto byte = [&](size_t i) {
    return static_cast<uint64_t>(static_cast<uint8_t>(payload[i]));
  };
  const uint64_t version = byte(footer) | (byte(footer + 1) << 8);
  if (version > static_cast<uint64_t>(rdb::kMaxVersion)) {
    return RdbStatus::Error(footer, "DUMP payload version " + std::to_string(version) +
                                        " is newer than this server reads");
  }
  uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = (stored << 8) | byte(footer + 2 + static_cast<size_t>(i));
  if (Crc64(0, payload.substr(0, footer + 2)) != stored) {
    return RdbStatus::Error(footer + 2, "DUMP payload checksum mismatch");
  }
  rdb::Cursor in(payload.substr(0, footer));
  uint8_t type = 0;
  store::Value v;
  bool empty = false;
  if (!in.ReadByte(&type) || !rdb::ReadValue(in, type, limits, &v, &empty)) return in.status();
  if (empty) return RdbStatus::Error(1, "DUMP payload holds an empty collection");
  if (in.remaining() != 0) {
    return RdbStatus::Error(in.offset(), "bytes left after the value in a DUMP payload");
  }
  return RdbResult<store::Value>(std::move(v));
}

}  // namespace persistence
