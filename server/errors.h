// Every error text the server replies with, byte-exact to Redis 7.0, and the one mapping from
// store::Status to a reply. An error is a {prefix, message} pair; the writer adds '-' and CRLF.
#pragma once

#include <string>
#include <string_view>

#include "store/status.h"

namespace server {

struct ErrorReply {
  std::string_view prefix;
  std::string_view message;
};

namespace err {
inline constexpr ErrorReply kSyntax{"ERR", "syntax error"};
inline constexpr ErrorReply kMisconfBgsave{
    "MISCONF",
    "Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
    "Commands that may modify the data set are disabled, because this instance is configured to "
    "report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
    "Please check the Redis logs for details about the RDB error."};
inline constexpr ErrorReply kOom{"OOM", "command not allowed when used memory > 'maxmemory'."};
inline constexpr ErrorReply kWrongType{"WRONGTYPE",
                                       "Operation against a key holding the wrong kind of value"};
inline constexpr ErrorReply kNotInteger{"ERR", "value is not an integer or out of range"};
inline constexpr ErrorReply kNotFloat{"ERR", "value is not a valid float"};
inline constexpr ErrorReply kOverflow{"ERR", "increment or decrement would overflow"};
inline constexpr ErrorReply kIncrNanOrInf{"ERR", "increment would produce NaN or Infinity"};
inline constexpr ErrorReply kNoSuchKey{"ERR", "no such key"};
inline constexpr ErrorReply kOutOfRange{"ERR", "index out of range"};
inline constexpr ErrorReply kTooBig{"ERR",
                                    "string exceeds maximum allowed size (proto-max-bulk-len)"};
inline constexpr ErrorReply kDbIndexOutOfRange{"ERR", "DB index is out of range"};
inline constexpr ErrorReply kInvalidDbIndex{"ERR", "invalid DB index"};
inline constexpr ErrorReply kInvalidExpire{"ERR", "invalid expire time in 'set' command"};
inline constexpr ErrorReply kInvalidExpireSetex{"ERR", "invalid expire time in 'setex' command"};
inline constexpr ErrorReply kInvalidExpirePsetex{"ERR", "invalid expire time in 'psetex' command"};
inline constexpr ErrorReply kInvalidExpireGetex{"ERR", "invalid expire time in 'getex' command"};
inline constexpr ErrorReply kDecrOverflow{"ERR", "decrement would overflow"};
inline constexpr ErrorReply kOffsetOutOfRange{"ERR", "offset is out of range"};
inline constexpr ErrorReply kBitArgument{"ERR", "The bit argument must be 1 or 0."};
inline constexpr ErrorReply kBitfieldType{
    "ERR",
    "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."};
inline constexpr ErrorReply kBitfieldOverflowType{"ERR", "Invalid OVERFLOW type specified"};
inline constexpr ErrorReply kBitfieldRoWrite{"ERR", "BITFIELD_RO only supports the GET subcommand"};
inline constexpr ErrorReply kBitopNotArgs{"ERR",
                                          "BITOP NOT must be called with a single source key."};
inline constexpr ErrorReply kLcsWrongType{"ERR", "The specified keys must contain string values"};
inline constexpr ErrorReply kLcsIdxAndLen{
    "ERR", "If you want both the length and indexes, please just use IDX."};
// Redis 7.0 would try to allocate the table regardless; this is the text later versions use.
inline constexpr ErrorReply kLcsTooBig{
    "ERR", "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"};
inline constexpr ErrorReply kNoAuth{"NOAUTH", "Authentication required."};
inline constexpr ErrorReply kWrongPass{"WRONGPASS",
                                       "invalid username-password pair or user is disabled."};
inline constexpr ErrorReply kAuthNotSet{
    "ERR",
    "AUTH <password> called without any password configured for the default user. Are you sure "
    "your configuration is correct?"};
inline constexpr ErrorReply kMultiNested{"ERR", "MULTI calls can not be nested"};
inline constexpr ErrorReply kExecWithoutMulti{"ERR", "EXEC without MULTI"};
inline constexpr ErrorReply kDiscardWithoutMulti{"ERR", "DISCARD without MULTI"};
inline constexpr ErrorReply kWatchInMulti{"ERR", "WATCH inside MULTI is not allowed"};
inline constexpr ErrorReply kExecAbort{"EXECABORT",
                                       "Transaction discarded because of previous errors."};
inline constexpr ErrorReply kSameObject{"ERR", "source and destination objects are the same"};
inline constexpr ErrorReply kBitOffset{"ERR", "bit offset is not an integer or out of range"};
inline constexpr ErrorReply kBitValue{"ERR", "bit is not an integer or out of range"};
inline constexpr ErrorReply kTimeout{"ERR", "timeout is not an integer or out of range"};
inline constexpr ErrorReply kNoProto{"NOPROTO", "unsupported protocol version"};
// Generic key commands (keys_family.cc, scan_family.cc).
inline constexpr ErrorReply kExpireNxConflict{
    "ERR", "NX and XX, GT or LT options at the same time are not compatible"};
inline constexpr ErrorReply kExpireGtLtConflict{
    "ERR", "GT and LT options at the same time are not compatible"};
inline constexpr ErrorReply kInvalidCursor{"ERR", "invalid cursor"};
inline constexpr ErrorReply kNotInt32{
    "ERR", "value is out of range, value must between -2147483648 and 2147483647"};
inline constexpr ErrorReply kLexRange{"ERR", "min or max not valid string range item"};
inline constexpr ErrorReply kFreqNotTracked{
    "ERR",
    "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust."};
inline constexpr ErrorReply kIdleTimeNotTracked{
    "ERR",
    "An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching "
    "between policies at runtime LRU and LFU data will take some time to adjust."};
// List commands (list_family.cc).
inline constexpr ErrorReply kMustBePositive{"ERR", "value is out of range, must be positive"};
inline constexpr ErrorReply kNumKeysPositive{"ERR", "numkeys should be greater than 0"};
inline constexpr ErrorReply kCountPositive{"ERR", "count should be greater than 0"};
inline constexpr ErrorReply kTimeoutNotFloat{"ERR", "timeout is not a float or out of range"};
inline constexpr ErrorReply kTimeoutNegative{"ERR", "timeout is negative"};
inline constexpr ErrorReply kLposRankZero{
    "ERR",
    "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list"};
inline constexpr ErrorReply kLposCountNegative{"ERR", "COUNT can't be negative"};
inline constexpr ErrorReply kLposMaxlenNegative{"ERR", "MAXLEN can't be negative"};
// Hash commands (hash_family.cc).
inline constexpr ErrorReply kHashNotInteger{"ERR", "hash value is not an integer"};
inline constexpr ErrorReply kHashNotFloat{"ERR", "hash value is not a float"};
inline constexpr ErrorReply kNanOrInfinity{"ERR", "value is NaN or Infinity"};
inline constexpr ErrorReply kValueOutOfRange{"ERR", "value is out of range"};
inline constexpr ErrorReply kCountOutOfLongRange{
    "ERR",
    "value is out of range, value must between -9223372036854775807 and 9223372036854775807"};
// Sorted set commands (zset_family.cc, zset_setops_family.cc).
inline constexpr ErrorReply kZMinMaxNotFloat{"ERR", "min or max is not a float"};
inline constexpr ErrorReply kZAddXxNx{"ERR",
                                      "XX and NX options at the same time are not compatible"};
inline constexpr ErrorReply kZAddGtLtNx{
    "ERR", "GT, LT, and/or NX options at the same time are not compatible"};
inline constexpr ErrorReply kZAddIncrPairs{"ERR",
                                           "INCR option supports a single increment-element pair"};
inline constexpr ErrorReply kZScoreNan{"ERR", "resulting score is not a number (NaN)"};
inline constexpr ErrorReply kZRangeLimit{
    "ERR", "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"};
inline constexpr ErrorReply kZRangeWithScoresLex{
    "ERR", "syntax error, WITHSCORES not supported in combination with BYLEX"};
inline constexpr ErrorReply kZNotPositive{"ERR", "value is out of range, must be positive"};
inline constexpr ErrorReply kZWeightNotFloat{"ERR", "weight value is not a float"};
inline constexpr ErrorReply kZLimitNegative{"ERR", "LIMIT can't be negative"};
inline constexpr ErrorReply kZOutOfRange{"ERR", "value is out of range"};
inline constexpr ErrorReply kZRandCountRange{
    "ERR",
    "value is out of range, value must between -9223372036854775807 and 9223372036854775807"};
// Set commands (set_family.cc).
inline constexpr ErrorReply kSetMustBePositive{"ERR", "value is out of range, must be positive"};
inline constexpr ErrorReply kSetRandCountRange{
    "ERR",
    "value is out of range, value must between -9223372036854775807 and 9223372036854775807"};
inline constexpr ErrorReply kSetTooManyKeys{"ERR",
                                            "Number of keys can't be greater than number of args"};
inline constexpr ErrorReply kSetLimitNegative{"ERR", "LIMIT can't be negative"};
// Scripting (server/commands/scripting_family.cc).
inline constexpr ErrorReply kNoScript{"NOSCRIPT", "No matching script. Please use EVAL."};
inline constexpr ErrorReply kNotBusy{"NOTBUSY", "No scripts in execution right now."};
// Refusals while a script is busy (past busy-reply-threshold), by the kind of script running.
inline constexpr ErrorReply kBusyEval{
    "BUSY", "Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."};
inline constexpr ErrorReply kBusyFunction{
    "BUSY", "Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."};
inline constexpr ErrorReply kUnkillable{
    "UNKILLABLE",
    "Sorry the script already executed write commands against the dataset. You can either wait "
    "the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."};
}  // namespace err

// The reply for a failed store operation. REQUIRES: s != kOk and s != kNotFound.
ErrorReply StatusError(store::Status s);

// "wrong number of arguments for 'get' command" (the name lowercased, with '|' for subcommands).
std::string WrongArityMessage(std::string_view name);
// "unknown command 'foo', with args beginning with: 'a' 'b' " (trailing space as Redis).
std::string UnknownCommandMessage(std::string_view name, const std::string_view* args, size_t n);
// "unknown subcommand 'foo'. Try CONFIG HELP."
std::string UnknownSubcommandMessage(std::string_view sub, std::string_view container);
// "unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP." (the
// subcommand as the client typed it): a subcommand given more arguments than it takes.
std::string SubcommandSyntaxMessage(std::string_view sub, std::string_view container);

}  // namespace server
