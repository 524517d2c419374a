"""The seeded random command generator of the differential run.

TEMPLATES is the table to extend: one line per command shape, written as in a case file, with
placeholders that the generator fills from small pools so that commands collide on the same few
keys. The first word is the command name; a template whose command the Fickle binary does not
know yet is skipped (see difftest.py), so commands still being implemented can be listed here
already.

A template may also be a (template, feature) pair: it runs only if Fickle passes that feature's
probe in FEATURES, i.e. answers the probe command exactly as Redis does. This gates options of a
command Fickle already knows (SET exists before its NX/XX/EX options do); once the option lands,
the probe passes and the templates run without any edit here.

Placeholders:
  {key}     one of a few string keys          {keys}   one to three of them
  {kv}      one to three "key value" pairs    {value}  a small value (also binary, numeric)
  {int}     an integer (edge cases included)  {float}  a float increment
  {offset}  a small (possibly negative) index {ttl}    a large TTL in seconds (no expiry mid-run)
  {pttl}    a large TTL in milliseconds       {db}     a database index (sometimes invalid)
  {msg}     a message for PING/ECHO          {unixtime} now + a large TTL, in seconds
  {bit}     a bit offset (some invalid)       {bitval} 0, 1 or an invalid bit
  {member}  a collection member ({members}: 1-4) {fv}    field value pairs
  {sm}      score member pairs                {score}  a score bound  {count} a count
  {sid}     a stream ID or range bound         {xid}    an XADD ID ("ms-*" or explicit)
  {group}   a consumer group name              {consumer} a consumer name
  {skey}    a stream key (s1, s2; sometimes k1, shared with the other templates)
A template may end with "  # unordered" or "  # unordered-pairs", as a case-file line.
Blocking commands use short timeouts: the generator's single client never waits on another.
"""

import random
import time

TEMPLATES = [
    # Strings
    "GET {key}",
    "SET {key} {value}",
    ("SET {key} {value} NX", "set-options"),
    ("SET {key} {value} XX", "set-options"),
    ("SET {key} {value} GET", "set-options"),
    ("SET {key} {value} EX {ttl}", "set-options"),
    ("SET {key} {value} PX {pttl}", "set-options"),
    ("SET {key} {value} KEEPTTL", "set-options"),
    ("SET {key} {value} EX 0", "set-options"),
    ("SET {key} {value} NX XX", "set-options"),
    "SETNX {key} {value}",
    "SETEX {key} {ttl} {value}",
    "PSETEX {key} {pttl} {value}",
    "GETSET {key} {value}",
    "GETDEL {key}",
    "GETEX {key} EX {ttl}",
    "GETEX {key} PERSIST",
    "MGET {keys}",
    "MSET {kv}",
    "MSETNX {kv}",
    "APPEND {key} {value}",
    "STRLEN {key}",
    "INCR {key}",
    "DECR {key}",
    "INCRBY {key} {int}",
    "DECRBY {key} {int}",
    "INCRBYFLOAT {key} {float}",
    "GETRANGE {key} {offset} {offset}",
    "SETRANGE {key} {offset} {value}",
    "SETRANGE {key} 536870912 x",
    "SUBSTR {key} {offset} {offset}",
    "LCS {key} {key}",
    "GETEX {key}",
    "GETEX {key} PX {pttl}",
    # Bitmaps
    "SETBIT {key} {bit} {bitval}",
    "GETBIT {key} {bit}",
    "BITCOUNT {key}",
    "BITCOUNT {key} {offset} {offset}",
    "BITPOS {key} {bitval}",
    # Keys
    "DEL {keys}",
    "UNLINK {keys}",
    "EXISTS {keys}",
    "TYPE {key}",
    "RENAME {key} {key}",
    "RENAMENX {key} {key}",
    "COPY {key} {key}",
    "EXPIRE {key} {ttl}",
    "PEXPIRE {key} {pttl}",
    "EXPIRE {key} {ttl} NX",
    "EXPIRE {key} {ttl} GT",
    "TTL {key}",
    "PTTL {key}",
    "PERSIST {key}",
    "EXPIREAT {key} {unixtime}",
    "PEXPIREAT {key} {unixtime}000",
    "EXPIRETIME {key}",
    "PEXPIRETIME {key}",
    "TOUCH {keys}",
    "MOVE {key} {db}",
    "SWAPDB 0 1",
    "FLUSHDB",
    "DBSIZE",
    # Transactions
    "MULTI",
    "EXEC",
    "DISCARD",
    "WATCH {keys}",
    "UNWATCH",
    # Hashes
    "HSET {key} {fv}",
    "HSETNX {key} {member} {value}",
    "HGET {key} {member}",
    "HMGET {key} {members}",
    "HDEL {key} {members}",
    "HEXISTS {key} {member}",
    "HLEN {key}",
    "HSTRLEN {key} {member}",
    "HINCRBY {key} {member} {int}",
    "HINCRBYFLOAT {key} {member} {float}",
    "HGETALL {key}  # unordered-pairs",
    "HKEYS {key}  # unordered",
    "HVALS {key}  # unordered",
    # Lists
    "LPUSH {key} {members}",
    "RPUSH {key} {members}",
    "LPUSHX {key} {member}",
    "RPUSHX {key} {member}",
    "LPOP {key}",
    "RPOP {key} {count}",
    "LLEN {key}",
    "LINDEX {key} {offset}",
    "LRANGE {key} {offset} {offset}",
    "LSET {key} {offset} {member}",
    "LREM {key} {offset} {member}",
    "LTRIM {key} {offset} {offset}",
    "LINSERT {key} BEFORE {member} {member}",
    "LPOS {key} {member}",
    "LMOVE {key} {key} LEFT RIGHT",
    "RPOPLPUSH {key} {key}",
    "LMPOP 2 {key} {key} LEFT COUNT {count}",
    "BLPOP {key} {key} 0.01",
    "BRPOP {key} 0.01",
    # Sets
    "SADD {key} {members}",
    "SREM {key} {members}",
    "SCARD {key}",
    "SISMEMBER {key} {member}",
    "SMISMEMBER {key} {members}",
    "SMEMBERS {key}  # unordered",
    "SUNION {keys}  # unordered",
    "SINTER {keys}  # unordered",
    "SDIFF {keys}  # unordered",
    "SUNIONSTORE {key} {keys}",
    "SINTERSTORE {key} {keys}",
    "SDIFFSTORE {key} {keys}",
    "SINTERCARD 2 {key} {key}",
    "SMOVE {key} {key} {member}",
    # Sorted sets
    "ZADD {key} {sm}",
    "ZADD {key} XX CH {sm}",
    "ZADD {key} NX {sm}",
    "ZADD {key} GT CH {sm}",
    "ZINCRBY {key} {float} {member}",
    "ZREM {key} {members}",
    "ZCARD {key}",
    "ZSCORE {key} {member}",
    "ZMSCORE {key} {members}",
    "ZRANK {key} {member}",
    "ZREVRANK {key} {member}",
    "ZCOUNT {key} -inf +inf",
    "ZCOUNT {key} ({score} {score}",
    "ZRANGE {key} {offset} {offset} WITHSCORES",
    "ZRANGE {key} {score} {score} BYSCORE",
    "ZRANGE {key} - + BYLEX",
    "ZRANGEBYSCORE {key} -inf {score} WITHSCORES LIMIT 0 3",
    "ZREVRANGE {key} {offset} {offset}",
    "ZLEXCOUNT {key} - +",
    "ZPOPMIN {key}",
    "ZPOPMAX {key} {count}",
    "ZREMRANGEBYRANK {key} {offset} {offset}",
    "ZREMRANGEBYSCORE {key} -inf {score}",
    "ZUNIONSTORE {key} 2 {key} {key}",
    "ZINTERSTORE {key} 2 {key} {key} WEIGHTS 2 3",
    "ZUNION 2 {key} {key} WITHSCORES",
    "ZDIFF 2 {key} {key}",
    "BZPOPMIN {key} 0.01",
    # SORT. A hashtable set iterates in hash order, so BY nosort appears only with STORE, which
    # sorts a set anyway (an "unordered" reply would still be compared in order inside EXEC).
    # ALPHA with a BY pattern is left out: its ties keep the load order, which for sets and sorted
    # sets is hash order on Redis. Numeric ties are broken by the element, so numeric BY is exact.
    "SORT {key}",
    "SORT {key} DESC",
    "SORT {key} ALPHA",
    "SORT {key} ALPHA DESC LIMIT {offset} {count}",
    "SORT {key} LIMIT {offset} {count}",
    "SORT {key} BY k* GET # GET k*",
    "SORT {key} BY k* DESC LIMIT {offset} {count}",
    "SORT {key} BY k*->{member} GET k*->{member} GET #",
    "SORT {key} BY nosort GET # GET k* STORE {key}",
    "SORT {key} BY nosort DESC STORE {key}",
    "SORT {key} BY nosort LIMIT {offset} {count} STORE {key}",
    "SORT {key} ALPHA GET k* STORE {key}",
    "SORT_RO {key} ALPHA DESC",
    "SORT_RO {key} BY k* LIMIT {offset} {count}",
    "SORT_RO {key} STORE {key}",
    # Streams, on their own keys ({skey}: two streams, sometimes a key of another type). IDs are
    # explicit ("*" reads the clock, which differs between the servers); "ms-*" takes the next
    # sequence number, so most XADDs succeed.
    "XADD {skey} {xid} {fv}",
    "XADD {skey} {xid} {fv}",
    "XADD {skey} NOMKSTREAM {xid} {fv}",
    "XADD {skey} MAXLEN {count} {xid} {fv}",
    "XADD {skey} MAXLEN ~ {count} {xid} {fv}",
    "XADD {skey} MINID {sid} {xid} {fv}",
    "XADD {skey} MINID ~ {sid} LIMIT {count} {xid} {fv}",
    "XRANGE {skey} {sid} {sid}",
    "XRANGE {skey} - + COUNT {count}",
    "XREVRANGE {skey} {sid} {sid} COUNT {count}",
    "XREVRANGE {skey} + -",
    "XLEN {skey}",
    "XDEL {skey} {sid} {sid}",
    "XTRIM {skey} MAXLEN {count}",
    "XTRIM {skey} MAXLEN ~ {count}",
    "XTRIM {skey} MINID {sid}",
    "XSETID {skey} {sid}",
    "XREAD STREAMS {skey} {sid}",
    "XREAD COUNT {count} STREAMS {skey} {skey} {sid} {sid}",
    "XREAD BLOCK 1 STREAMS {skey} $",
    "XINFO STREAM {skey}",
    "XINFO STREAM {skey} FULL COUNT {count}",
    "XGROUP CREATE {skey} {group} {sid} MKSTREAM",
    "XGROUP CREATE {skey} {group} $",
    "XGROUP SETID {skey} {group} {sid}",
    "XGROUP DESTROY {skey} {group}",
    "XGROUP CREATECONSUMER {skey} {group} {consumer}",
    "XGROUP DELCONSUMER {skey} {group} {consumer}",
    "XREADGROUP GROUP {group} {consumer} STREAMS {skey} >",
    "XREADGROUP GROUP {group} {consumer} COUNT {count} STREAMS {skey} >",
    "XREADGROUP GROUP {group} {consumer} NOACK STREAMS {skey} >",
    "XREADGROUP GROUP {group} {consumer} STREAMS {skey} {sid}",
    "XREADGROUP GROUP {group} {consumer} BLOCK 1 STREAMS {skey} >",
    "XACK {skey} {group} {sid} {sid}",
    "XPENDING {skey} {group}",
    "XPENDING {skey} {group} - + {count}",
    "XPENDING {skey} {group} {sid} {sid} {count} {consumer}",
    "XCLAIM {skey} {group} {consumer} 0 {sid} {sid}",
    "XCLAIM {skey} {group} {consumer} 0 {sid} FORCE JUSTID",
    "XAUTOCLAIM {skey} {group} {consumer} 0 {sid} COUNT {count}",
    "XINFO GROUPS {skey}",
    "XINFO CONSUMERS {skey} {group}",
    # Connection
    "PING",
    "PING {msg}",
    "ECHO {msg}",
    "SELECT {db}",
    # Scripting: commands run from a script, their replies and errors converted both ways. The
    # generator splits templates on spaces, so the scripts are written without any.
    "EVAL return(redis.call('get',KEYS[1])) 1 {key}",
    "EVAL return(redis.call('set',KEYS[1],ARGV[1])) 1 {key} {value}",
    "EVAL return(redis.pcall('incrby',KEYS[1],ARGV[1])) 1 {key} {int}",
    "EVAL return(redis.pcall('lrange',KEYS[1],0,-1)) 1 {key}",
    "EVAL return{redis.pcall('append',KEYS[1],ARGV[1]),redis.pcall('strlen',KEYS[1])} 1 {key} {value}",
    "EVAL_RO return(redis.pcall('del',KEYS[1])) 1 {key}",
]

# feature -> (probe command, what it checks). A probe must not change data on Redis (it is sent to
# both servers; the harness deletes the probe key afterwards on both anyway).
PROBE_KEY = "__compat_probe__"
FEATURES = {
    "set-options": (["SET", PROBE_KEY, "v", "NX", "XX"], "SET parses NX/XX/GET/EX/PX/KEEPTTL"),
}

# Relative weights; a template not listed has weight 1. EXEC and DISCARD are likelier than MULTI, so
# a transaction queues about 20 commands and most commands run outside MULTI.
WEIGHTS = {
    "GET {key}": 3,
    "SET {key} {value}": 4,
    "MULTI": 1,
    "EXEC": 3,
    "DISCARD": 1,
    "SELECT {db}": 0.5,
    "SWAPDB 0 1": 0.2,
    "FLUSHDB": 0.1,
}

KEYS = ["k1", "k2", "k3", "num", "{tag}x", "empty"]
VALUES = ["", "v", "hello world", "0", "1", "-7", "10", "3.5", "9223372036854775807",
          "-9223372036854775808", "abc", b"bin\x00\xff\r\n", "1e3", " 5", "x" * 100]
INTS = ["0", "1", "-1", "5", "100", "-100", "9223372036854775807", "-9223372036854775808",
        "abc", "1.5", ""]
FLOATS = ["0", "1.5", "-0.25", "10", "1e2", "abc", "inf", "0.1"]
OFFSETS = ["0", "1", "2", "5", "-1", "-3", "10", "100", "-100"]
MEMBERS = ["a", "b", "c", "d", "1", "2", "-5", "x" * 70]
SCORES = ["0", "1", "1.5", "-2", "10", "inf", "-inf", "abc"]
COUNTS = ["1", "2", "5", "0", "-1"]
MESSAGES = ["hello", "", "a b c", b"\x00\x01"]
BITS = ["0", "1", "7", "8", "63", "100", "-1", "abc", "4294967296"]
BITVALS = ["0", "1", "1", "2"]
DBS = ["0", "0", "1", "2", "15", "16", "-1", "x"]
STREAM_IDS = ["-", "+", "0", "0-1", "1-1", "3", "5-2", "8", "12-1", "20", "(3-0", "(8",
              "18446744073709551615-18446744073709551615", "x", "(-"]


def template_text(entry):
    return entry if isinstance(entry, str) else entry[0]


def template_feature(entry):
    return None if isinstance(entry, str) else entry[1]


def command_name(entry):
    return template_text(entry).split()[0].lower()


class Generator:
    """Yields random commands (lists of bytes) from the enabled templates, reproducibly per seed."""

    def __init__(self, seed, templates):
        self.rng = random.Random(seed)
        self.templates = [template_text(t) for t in templates]
        self.weights = [WEIGHTS.get(t, 1) for t in self.templates]

    def _pick(self, pool):
        v = self.rng.choice(pool)
        return v if isinstance(v, bytes) else v.encode()

    def _fill(self, word):
        r = self.rng
        if word == "{key}":
            return [self._pick(KEYS)]
        if word == "{keys}":
            return [self._pick(KEYS) for _ in range(r.randint(1, 3))]
        if word == "{kv}":
            out = []
            for _ in range(r.randint(1, 3)):
                out += [self._pick(KEYS), self._pick(VALUES)]
            return out
        if word == "{value}":
            return [self._pick(VALUES)]
        if word == "{int}":
            return [self._pick(INTS)]
        if word == "{float}":
            return [self._pick(FLOATS)]
        if word == "{offset}":
            return [self._pick(OFFSETS)]
        if word == "{ttl}":
            return [str(r.randint(100000, 900000)).encode()]
        if word == "{pttl}":
            return [str(r.randint(100000000, 900000000)).encode()]
        if word == "{db}":
            return [self._pick(DBS)]
        if word == "{member}":
            return [self._pick(MEMBERS)]
        if word == "{members}":
            return [self._pick(MEMBERS) for _ in range(r.randint(1, 4))]
        if word == "{fv}":
            out = []
            for _ in range(r.randint(1, 3)):
                out += [self._pick(MEMBERS), self._pick(VALUES)]
            return out
        if word == "{sm}":
            out = []
            for _ in range(r.randint(1, 3)):
                out += [self._pick(SCORES), self._pick(MEMBERS)]
            return out
        if word == "{score}":
            return [self._pick(SCORES)]
        if word == "{count}":
            return [self._pick(COUNTS)]
        if word == "{msg}":
            return [self._pick(MESSAGES)]
        if word == "{bit}":
            return [self._pick(BITS)]
        if word == "{sid}":
            return [self._pick(STREAM_IDS)]
        if word == "{skey}":
            return [r.choice([b"s1", b"s1", b"s2", b"s2", b"k1"])]
        if word == "{group}":
            return [r.choice([b"g1", b"g2"])]
        if word == "{consumer}":
            return [r.choice([b"c1", b"c2", b"c3"])]
        if word == "{xid}":
            ms = r.randint(0, 25)
            if r.random() < 0.7:
                return [("%d-*" % ms).encode()]
            return [("%d-%d" % (ms, r.randint(0, 3))).encode()]
        if word == "{bitval}":
            return [self._pick(BITVALS)]
        if word.startswith("{unixtime}"):
            # Absolute times far ahead, so nothing expires during a run.
            t = int(time.time()) + r.randint(100000, 900000)
            return [(str(t) + word[len("{unixtime}"):]).encode()]
        return [word.encode()]

    def next(self):
        """The next command; self.annotation says how to compare its reply ("" = byte for byte)."""
        template = self.rng.choices(self.templates, weights=self.weights)[0]
        template, _, note = template.partition("  # ")
        self.annotation = note.strip()
        args = []
        for word in template.split():
            args += self._fill(word)
        return args
