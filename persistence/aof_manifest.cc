#include "persistence/aof_manifest.h"

#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>

#include "resp/parser.h"

namespace persistence {

std::string AofManifestName(std::string_view appendfilename) {
  return std::string(appendfilename) + ".manifest";
}

std::string AofBaseName(std::string_view appendfilename, int64_t seq, bool rdb) {
  return std::string(appendfilename) + "." + std::to_string(seq) +
         (rdb ? ".base.rdb" : ".base.aof");
}

std::string AofIncrName(std::string_view appendfilename, int64_t seq) {
  return std::string(appendfilename) + "." + std::to_string(seq) + ".incr.aof";
}

namespace {

// Redis quotes exactly the names with a space, '"', '\\' or a byte that is not printable ASCII.
// We also quote names with a "'": Redis leaves them bare, and then its own reader takes the "'"
// for an opening quote and rejects the manifest. Redis reads the quoted form correctly.
bool NeedsQuoting(std::string_view name) {
  for (unsigned char c : name) {
    if (c == '\\' || c == '"' || c == '\'' || c <= ' ' || c >= 0x7f) return true;
  }
  return false;
}

// atoll's reading of a seq: optional blanks and sign, then digits; anything else ends it.
int64_t ParseSeq(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) i++;
  bool neg = false;
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) neg = v[i++] == '-';
  int64_t n = 0;
  for (; i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])); i++) {
    if (n > (INT64_MAX - 9) / 10) break;  // atoll's overflow is undefined; we stop instead
    n = n * 10 + (v[i] - '0');
  }
  return neg ? -n : n;
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n";
  size_t b = s.find_first_not_of(kBlank);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kBlank) - b + 1);
}

IoStatus LineError(size_t lineno, std::string_view msg) {
  return IoStatus::Format("line " + std::to_string(lineno) + ": " + std::string(msg));
}

}  // namespace

std::string QuoteAofFileName(std::string_view name) {
  if (!NeedsQuoting(name)) return std::string(name);
  std::string out = "\"";
  for (unsigned char c : name) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (c >= ' ' && c < 0x7f) {
          out.push_back(static_cast<char>(c));
        } else {
          char hex[5];
          std::snprintf(hex, sizeof(hex), "\\x%02x", c);
          out += hex;
        }
    }
  }
  out.push_back('"');
  return out;
}

IoStatus ParseAofManifest(std::string_view text, AofManifest* out) {
  *out = AofManifest{};
  if (text.empty()) return IoStatus::Format("Found an empty AOF manifest");
  size_t lineno = 0;
  int64_t max_incr_seq = 0;
  std::vector<std::string> words;
  while (!text.empty()) {
    lineno++;
    size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl == std::string_view::npos ? text.size() : nl + 1);
    text.remove_prefix(raw.size());
    if (raw[0] == '#') continue;
    // Redis reads lines into a 1024-byte buffer, so a longer line, or a last line without its
    // newline, both look like a line it could not read whole.
    if (nl == std::string_view::npos || raw.size() > kAofManifestMaxLine) {
      return LineError(lineno, "The AOF manifest file contains too long line");
    }
    std::string_view line = Trim(raw);
    words.clear();
    if (line.empty() || !resp::SplitInlineArgs(line, &words) || words.size() < 6 ||
        words.size() % 2 != 0) {
      return LineError(lineno, "Invalid AOF manifest file format");
    }
    AofFileInfo info;
    bool has_name = false;
    char type = 0;
    for (size_t i = 0; i < words.size(); i += 2) {
      const std::string& key = words[i];
      const std::string& value = words[i + 1];
      if (strcasecmp(key.c_str(), "file") == 0) {
        if (value.find('/') != std::string::npos) {
          return LineError(lineno, "File can't be a path, just a filename");
        }
        info.name = value;
        has_name = true;
      } else if (strcasecmp(key.c_str(), "seq") == 0) {
        info.seq = ParseSeq(value);
      } else if (strcasecmp(key.c_str(), "type") == 0) {
        type = value.empty() ? 0 : value[0];
      }
    }
    if (!has_name || info.seq == 0 || type == 0) {
      return LineError(lineno, "Invalid AOF manifest file format");
    }
    switch (type) {
      case static_cast<char>(AofFileType::kBase):
        if (out->base) return LineError(lineno, "Found duplicate base file information");
        info.type = AofFileType::kBase;
        out->base = std::move(info);
        break;
      case static_cast<char>(AofFileType::kHistory):
        info.type = AofFileType::kHistory;
        out->history.push_back(std::move(info));
        break;
      case static_cast<char>(AofFileType::kIncr):
        if (info.seq <= max_incr_seq) {
          return LineError(lineno, "Found a non-monotonic sequence number");
        }
        max_incr_seq = info.seq;
        info.type = AofFileType::kIncr;
        out->incrs.push_back(std::move(info));
        break;
      default:
        return LineError(lineno, "Unknown AOF file type");
    }
  }
  return IoStatus::Ok();
}

std::string FormatAofManifest(const AofManifest& m) {
  std::string out;
  auto line = [&](const AofFileInfo& f, AofFileType type) {
    out += "file " + QuoteAofFileName(f.name) + " seq " + std::to_string(f.seq) + " type ";
    out.push_back(static_cast<char>(type));
    out.push_back('\n');
  };
  if (m.base) line(*m.base, AofFileType::kBase);
  for (const AofFileInfo& f : m.history) line(f, AofFileType::kHistory);
  for (const AofFileInfo& f : m.incrs) line(f, AofFileType::kIncr);
  return out;
}

AofFileInfo AddNextIncr(AofManifest* m, std::string_view appendfilename) {
  int64_t seq = m->last_incr_seq() + 1;
  m->incrs.push_back({AofIncrName(appendfilename, seq), seq, AofFileType::kIncr});
  return m->incrs.back();
}

AofFileInfo FinishRewrite(AofManifest* m, std::string_view appendfilename, bool rdb) {
  int64_t seq = m->base_seq() + 1;
  if (m->base) {
    m->base->type = AofFileType::kHistory;
    m->history.push_back(std::move(*m->base));
  }
  for (size_t i = 0; i + 1 < m->incrs.size(); i++) {
    m->incrs[i].type = AofFileType::kHistory;
    m->history.push_back(std::move(m->incrs[i]));
  }
  if (!m->incrs.empty()) m->incrs.erase(m->incrs.begin(), m->incrs.end() - 1);
  m->base = AofFileInfo{AofBaseName(appendfilename, seq, rdb), seq, AofFileType::kBase};
  return *m->base;
}

IoStatus ReadAofManifest(const std::string& dir, std::string_view appendfilename, AofManifest* out,
                         bool* found) {
  *out = AofManifest{};
  *found = false;
  std::string path = JoinPath(dir, AofManifestName(appendfilename));
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return IoStatus::Ok();
    return IoStatus::Errno(errno, "open " + path);
  }
  *found = true;
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      return IoStatus::Errno(e, "read " + path);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  IoStatus s = ParseAofManifest(text, out);
  if (!s.ok()) s.message = path + ": " + s.message;
  return s;
}

IoStatus WriteAofManifest(const std::string& dir, std::string_view appendfilename,
                          const AofManifest& m) {
  return WriteFileDurably(JoinPath(dir, AofManifestName(appendfilename)), FormatAofManifest(m));
}

IoStatus DropAofHistory(const std::string& dir, std::string_view appendfilename, AofManifest* m) {
  if (m->history.empty()) return IoStatus::Ok();
  AofManifest without = *m;
  without.history.clear();
  if (IoStatus s = WriteAofManifest(dir, appendfilename, without); !s.ok()) return s;
  std::vector<AofFileInfo> history = std::move(m->history);
  m->history.clear();
  for (const AofFileInfo& f : history) {
    std::string path = JoinPath(dir, f.name);
    if (unlink(path.c_str()) != 0 && errno != ENOENT)
      return IoStatus::Errno(errno, "unlink " + path);
  }
  return IoStatus::Ok();
}

}  // namespace persistence
