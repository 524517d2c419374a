#include "server/errors.h"

#include <algorithm>
#include <cctype>

namespace server {

ErrorReply StatusError(store::Status s) {
  using store::Status;
  switch (s) {
    case Status::kWrongType:
      return err::kWrongType;
    case Status::kNotInteger:
      return err::kNotInteger;
    case Status::kNotFloat:
      return err::kNotFloat;
    case Status::kOverflow:
      return err::kOverflow;
    case Status::kNanOrInf:
      return err::kIncrNanOrInf;
    case Status::kOutOfRange:
      return err::kOutOfRange;
    case Status::kTooBig:
      return err::kTooBig;
    case Status::kNotFound:
      return err::kNoSuchKey;
    case Status::kSyntax:
    case Status::kExists:
    case Status::kOk:
      break;
  }
  return err::kSyntax;
}

std::string WrongArityMessage(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "wrong number of arguments for '" + lower + "' command";
}

namespace {
// Redis quotes arguments in this message with at most 128 bytes each (sdscatlen of the raw bytes).
std::string Truncated(std::string_view s) {
  return std::string(s.substr(0, std::min<size_t>(s.size(), 128)));
}
}  // namespace

std::string UnknownCommandMessage(std::string_view name, const std::string_view* args, size_t n) {
  // Redis stops adding arguments once the list reaches 128 bytes and cuts the last one to fit.
  std::string list;
  for (size_t i = 0; i < n && list.size() < 128; ++i) {
    list += "'" + std::string(args[i].substr(0, 128 - list.size())) + "' ";
  }
  return "unknown command '" + Truncated(name) + "', with args beginning with: " + list;
}

namespace {
std::string Upper(std::string_view s) {
  std::string upper(s);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper;
}
}  // namespace

std::string UnknownSubcommandMessage(std::string_view sub, std::string_view container) {
  return "unknown subcommand '" + Truncated(sub) + "'. Try " + Upper(container) + " HELP.";
}

std::string SubcommandSyntaxMessage(std::string_view sub, std::string_view container) {
  return "unknown subcommand or wrong number of arguments for '" + Truncated(sub) + "'. Try " +
         Upper(container) + " HELP.";
}

}  // namespace server
