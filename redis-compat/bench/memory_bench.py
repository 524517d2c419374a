#!/usr/bin/env python3
"""Memory per element of collections: Fickle beside Debian's redis-server in the same run.

For every dataset and round, a fresh fickle-server and a fresh redis-server are started (no
snapshots, no AOF, ports 17200-17299). The same seeded data is loaded into each over one socket as
pipelined raw RESP, every reply is checked not to be an error, and the load connection is closed.
Per server the benchmark records VmRSS before and after the load (/proc/PID/status), INFO memory
used_memory before and after, and VmRSS once more after MEMORY PURGE. Bytes per element is
(RSS after - RSS before) / elements. After loading, both servers must give the same answers to a
few sample reads (HLEN, ZCARD, LLEN, a ZRANGE slice, OBJECT ENCODING ...), so the benchmark cannot
silently measure an empty or differently encoded server.

Datasets (elements are fields, members or list entries; for "e" they are keys):
  a   1,000 hashes x 1,000 fields ("field:NNNN" -> 12-byte value): hashtable encoding
  b   one sorted set of 1M members ("member:NNNNNNN", seeded random scores): skiplist
  c   one list of 1M 12-byte elements: quicklist
  d1  100k hashes x 10 fields: listpack
  d2  100k sets x 10 integers below 1e9: intset
  d3  100k sorted sets x 10 members: listpack
  e   baseline: 1M string keys (SET key:NNNNNNN <12-byte value>)
  f   1,000 sets x 1,000 distinct "member:NNNNNNN" members: hashtable
  k   issue #6's strings: 1M keys "key:%09d" -> 16-byte values
  kt  the same with a TTL on every key (SET ... EX 1000000)
  i   1M keys "key:%09d" -> integers (stored as integers by both servers)
  s   one stream of 1M entries (XADD stream <ms>-<seq> event <12-byte value>), ten IDs a ms
  "d" selects d1, d2 and d3.

  python3 redis-compat/bench/memory_bench.py [--rounds 3] [--datasets a,b,c,d,e] [--json]
                                             [--fickle build/server/fickle-server]
"""
import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import ROOT, rss_bytes, wait_ready  # noqa: E402

PORTS = range(17200, 17300)
BATCH_BYTES = 256 * 1024  # pipelined RESP sent before reading the replies it produced
SETTLE_S = 1.0            # pause after the load connection closes, before reading RSS


# ---- RESP -----------------------------------------------------------------------------------

def encode(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(parts)


class RespError(Exception):
    pass


class Conn:
    """A blocking RESP2 client over one socket; errors come back as RespError values."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.buf = bytearray()
        self.pos = 0

    def close(self):
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("server closed the connection")
        if self.pos > (1 << 20):
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += chunk

    def _line(self):
        while True:
            end = self.buf.find(b"\r\n", self.pos)
            if end >= 0:
                line = bytes(self.buf[self.pos:end])
                self.pos = end + 2
                return line
            self._fill()

    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RespError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) - self.pos < n + 2:
                self._fill()
            data = bytes(self.buf[self.pos:self.pos + n])
            self.pos += n + 2
            return data
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError(f"unexpected reply line {line!r}")

    def call(self, *args):
        self.sock.sendall(encode(*args))
        return self.read()

    def pipeline(self, payload, count):
        """Sends `payload` (count commands) and reads the count replies; raises on any error."""
        self.sock.sendall(payload)
        for _ in range(count):
            r = self.read()
            if isinstance(r, RespError):
                raise RuntimeError(f"error reply while loading: {r}")


# ---- datasets ---------------------------------------------------------------------------------

def batches(commands):
    """Groups encoded commands into (payload, count) pipelines of about BATCH_BYTES."""
    out, cur, size = [], [], 0
    for c in commands:
        cur.append(c)
        size += len(c)
        if size >= BATCH_BYTES:
            out.append((b"".join(cur), len(cur)))
            cur, size = [], 0
    if cur:
        out.append((b"".join(cur), len(cur)))
    return out


def value12(rng):
    return b"val:%08x" % rng.getrandbits(32)


def score(rng):
    # repr() is the shortest round-trip form, so both servers parse the very same double.
    return repr(rng.uniform(0, 1e6)).encode()


def gen_a(rng):
    def cmds():
        for h in range(1000):
            key = b"hash:%04d" % h
            for start in range(0, 1000, 100):
                args = [b"HSET", key]
                for f in range(start, start + 100):
                    args += [b"field:%04d" % f, value12(rng)]
                yield encode(*args)
    checks = [("HLEN", "hash:0000"), ("HLEN", "hash:0999"), ("HGET", "hash:0500", "field:0123"),
              ("OBJECT", "ENCODING", "hash:0000"), ("DBSIZE",)]
    return cmds(), 1000 * 1000, checks


def gen_b(rng):
    ids = list(range(1_000_000))
    rng.shuffle(ids)

    def cmds():
        for start in range(0, len(ids), 100):
            args = [b"ZADD", b"zset"]
            for i in ids[start:start + 100]:
                args += [score(rng), b"member:%07d" % i]
            yield encode(*args)
    checks = [("ZCARD", "zset"), ("ZRANGE", "zset", "0", "9", "WITHSCORES"),
              ("ZRANGE", "zset", "500000", "500004", "WITHSCORES"),
              ("ZSCORE", "zset", "member:0123456"), ("ZRANK", "zset", "member:0765432"),
              ("OBJECT", "ENCODING", "zset")]
    return cmds(), 1_000_000, checks


def gen_c(rng):
    def cmds():
        for start in range(0, 1_000_000, 1000):
            yield encode(b"RPUSH", b"list", *[b"item:%07d" % i for i in range(start, start + 1000)])
    del rng
    checks = [("LLEN", "list"), ("LRANGE", "list", "0", "4"), ("LRANGE", "list", "-5", "-1"),
              ("LINDEX", "list", "500000"), ("OBJECT", "ENCODING", "list")]
    return cmds(), 1_000_000, checks


def gen_d1(rng):
    def cmds():
        for k in range(100_000):
            args = [b"HSET", b"sh:%06d" % k]
            for f in range(10):
                args += [b"field:%04d" % f, value12(rng)]
            yield encode(*args)
    checks = [("DBSIZE",), ("HLEN", "sh:000000"), ("HGETALL", "sh:054321"),
              ("OBJECT", "ENCODING", "sh:099999")]
    return cmds(), 1_000_000, checks


def gen_d2(rng):
    def cmds():
        for k in range(100_000):
            members = set()
            while len(members) < 10:
                members.add(rng.randrange(1_000_000_000))
            yield encode(b"SADD", b"ss:%06d" % k, *[b"%d" % m for m in members])
    checks = [("DBSIZE",), ("SCARD", "ss:000000"), ("SMEMBERS", "ss:054321"),
              ("OBJECT", "ENCODING", "ss:099999")]
    return cmds(), 1_000_000, checks


def gen_f(rng):
    def cmds():
        for k in range(1000):
            key = b"set:%04d" % k
            members = rng.sample(range(10_000_000), 1000)  # distinct, so 1,000 a set
            for start in range(0, 1000, 100):
                yield encode(b"SADD", key, *[b"member:%07d" % m for m in members[start:start + 100]])
    checks = [("DBSIZE",), ("SCARD", "set:0000"), ("SCARD", "set:0999"),
              ("SISMEMBER", "set:0500", "member:0000000"), ("OBJECT", "ENCODING", "set:0000")]
    return cmds(), 1000 * 1000, checks


def gen_d3(rng):
    def cmds():
        for k in range(100_000):
            args = [b"ZADD", b"sz:%06d" % k]
            for _ in range(10):
                args += [score(rng), b"member:%07d" % rng.randrange(10_000_000)]
            yield encode(*args)
    checks = [("DBSIZE",), ("ZCARD", "sz:000000"), ("ZRANGE", "sz:054321", "0", "-1", "WITHSCORES"),
              ("OBJECT", "ENCODING", "sz:099999")]
    return cmds(), None, checks  # member draws may collide: count with ZCARD after loading


def gen_e(rng):
    def cmds():
        for k in range(1_000_000):
            yield encode(b"SET", b"key:%07d" % k, value12(rng))
    checks = [("DBSIZE",), ("GET", "key:0000000"), ("GET", "key:0999999"),
              ("OBJECT", "ENCODING", "key:0500000")]
    return cmds(), 1_000_000, checks


def value16(rng):
    return b"value:%010d" % rng.getrandbits(32)


def gen_keys(value, ttl):
    def gen(rng):
        def cmds():
            for k in range(1_000_000):
                extra = (b"EX", b"1000000") if ttl else ()
                yield encode(b"SET", b"key:%09d" % k, value(rng, k), *extra)
        checks = [("DBSIZE",), ("GET", "key:000000000"), ("STRLEN", "key:000999999"),
                  ("OBJECT", "ENCODING", "key:000500000")]
        return cmds(), 1_000_000, checks
    return gen


def gen_s(rng):
    # Explicit IDs (ten a millisecond, as a busy event log) so both servers hold the same stream.
    def cmds():
        for k in range(1_000_000):
            yield encode(b"XADD", b"stream", b"%d-%d" % (1700000000000 + k // 10, k % 10),
                         b"event", value12(rng))
    checks = [("XLEN", "stream"), ("XRANGE", "stream", "-", "+", "COUNT", "3"),
              ("XREVRANGE", "stream", "+", "-", "COUNT", "3"), ("XINFO", "STREAM", "stream"),
              ("OBJECT", "ENCODING", "stream")]
    return cmds(), 1_000_000, checks


DATASETS = {
    "k": ("1M keys key:%09d -> 16-byte strings", gen_keys(lambda rng, k: value16(rng), False)),
    "kt": ("the same, each with a TTL", gen_keys(lambda rng, k: value16(rng), True)),
    "i": ("1M keys key:%09d -> integers", gen_keys(lambda rng, k: b"%d" % (k * 7919), False)),
    "a": ("1,000 hashes x 1,000 fields", gen_a),
    "b": ("sorted set, 1M members", gen_b),
    "c": ("list, 1M elements", gen_c),
    "d1": ("100k hashes x 10 fields", gen_d1),
    "d2": ("100k sets x 10 ints", gen_d2),
    "d3": ("100k zsets x 10 members", gen_d3),
    "e": ("1M string keys", gen_e),
    "f": ("1,000 sets x 1,000 string members (hashtable)", gen_f),
    "s": ("stream, 1M entries (one small field)", gen_s),
}


def build(name, seed):
    """The dataset's pipelines, element count (None: count after loading) and sample reads."""
    cmds, elements, checks = DATASETS[name][1](random.Random(seed))
    return batches(cmds), elements, checks


def count_d3(conn):
    total, cursor = 0, b"0"
    while True:
        cursor, keys = conn.call("SCAN", cursor, "COUNT", "1000")
        for k in keys:
            total += conn.call("ZCARD", k)
        if cursor == b"0":
            return total


# ---- servers ----------------------------------------------------------------------------------

def pick_port(taken):
    for p in PORTS:
        if p in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
        taken.add(p)
        return p
    raise RuntimeError("no free port in 17200-17299")


class Proc:
    def __init__(self, name, argv, port, workdir):
        self.name, self.port = name, port
        self.proc = subprocess.Popen([*argv, "--port", str(port), "--save", "",
                                      "--appendonly", "no"], cwd=workdir,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(port)

    def stop(self):
        benchlib.stop(self.proc, timeout=30)


def used_memory(conn):
    info = conn.call("INFO", "memory")
    if isinstance(info, RespError) or info is None:
        return None
    for line in info.decode().splitlines():
        if line.startswith("used_memory:"):
            return int(line.split(":", 1)[1])
    return None


def normalise(reply):
    """Scores print differently across versions; compare any float-looking bulk as a float."""
    if isinstance(reply, list):
        return [normalise(r) for r in reply]
    if isinstance(reply, bytes):
        try:
            return float(reply)
        except ValueError:
            return reply
    if isinstance(reply, RespError):
        return ("error", str(reply))
    return reply


def measure(srv, pipelines):
    pid = srv.proc.pid
    time.sleep(0.3)
    with_conn = Conn(srv.port)
    used_before = used_memory(with_conn)
    with_conn.close()
    rss_before = rss_bytes(pid)
    start = time.monotonic()
    conn = Conn(srv.port)
    for payload, count in pipelines:
        conn.pipeline(payload, count)
    conn.close()
    load_s = time.monotonic() - start
    time.sleep(SETTLE_S)
    rss_after = rss_bytes(pid)
    conn = Conn(srv.port)
    used_after = used_memory(conn)
    purge = conn.call("MEMORY", "PURGE")
    time.sleep(0.2)
    rss_purged = rss_bytes(pid) if not isinstance(purge, RespError) else None
    conn.close()
    return {"rss_before": rss_before, "rss_after": rss_after, "rss_after_purge": rss_purged,
            "used_before": used_before, "used_after": used_after, "load_s": round(load_s, 2)}


def run_dataset(name, args, rnd, workdir):
    pipelines, elements, checks = build(name, seed=1000 + rnd)
    taken = set()
    argv = {"fickle": [args.fickle], "redis": ["redis-server"]}
    order = ["fickle", "redis"] if rnd % 2 == 0 else ["redis", "fickle"]
    result, servers = {}, {}
    try:
        for srv_name in order:
            servers[srv_name] = Proc(srv_name, argv[srv_name], pick_port(taken), workdir)
            result[srv_name] = measure(servers[srv_name], pipelines)
        answers = {}
        for srv_name, srv in servers.items():
            conn = Conn(srv.port)
            answers[srv_name] = [normalise(conn.call(*c)) for c in checks]
            if elements is None:
                result[srv_name]["elements"] = count_d3(conn)
            conn.close()
        if answers["fickle"] != answers["redis"]:
            for c, f, r in zip(checks, answers["fickle"], answers["redis"]):
                if f != r:
                    print(f"MISMATCH {' '.join(c)}: fickle {f!r} redis {r!r}", file=sys.stderr)
            raise SystemExit(f"dataset {name}: the servers disagree after loading")
        if elements is None:
            if result["fickle"]["elements"] != result["redis"]["elements"]:
                raise SystemExit(f"dataset {name}: element counts differ")
            elements = result["fickle"]["elements"]
        first = answers["fickle"][0]
        if not first:  # HLEN/ZCARD/LLEN/DBSIZE of 0 means nothing was loaded
            raise SystemExit(f"dataset {name}: first sample read is {first!r}; nothing loaded?")
    finally:
        for srv in servers.values():
            srv.stop()
    for srv_name in result:
        r = result[srv_name]
        r["elements"] = elements
        r["bytes_per_element"] = (r["rss_after"] - r["rss_before"]) / elements
        if r["used_before"] is not None and r["used_after"] is not None:
            r["used_per_element"] = (r["used_after"] - r["used_before"]) / elements
        if r["rss_after_purge"] is not None:
            r["purged_per_element"] = (r["rss_after_purge"] - r["rss_before"]) / elements
    result["samples"] = [[" ".join(c), repr(a)] for c, a in zip(checks, answers["fickle"])]
    return result


def median_of(rounds, server, field):
    vals = [r[server][field] for r in rounds if r[server].get(field) is not None]
    return statistics.median(vals) if vals else None


def meta(fickle):
    m = benchlib.machine()
    return {"fickle": fickle, "repo_commit": m["commit"], "redis": m["redis"],
            "kernel": m["kernel"], "cpu": m["cpu"], "cores": m["cores"],
            "python": platform.python_version()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--datasets", default="a,b,c,d,e")
    ap.add_argument("--fickle", default=os.path.join(ROOT, "build/server/fickle-server"))
    ap.add_argument("--json", action="store_true", help="print one JSON document instead")
    args = ap.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("redis-server is not installed")
    if not os.access(args.fickle, os.X_OK):
        sys.exit(f"no fickle-server at {args.fickle} (build it, or pass --fickle)")
    names = []
    for d in args.datasets.split(","):
        d = d.strip()
        expanded = ["d1", "d2", "d3"] if d == "d" else [d]
        for n in expanded:
            if n not in DATASETS:
                sys.exit(f"unknown dataset {n!r}; choose from a,b,c,d,d1,d2,d3,e")
            names.append(n)

    info = meta(args.fickle)
    report = {"meta": info, "rounds": args.rounds, "datasets": {}}
    if not args.json:
        print(f"fickle {info['fickle']} (repo {info['repo_commit']}); {info['redis']}")
        print(f"{info['cpu']}, {info['cores']} cores, kernel {info['kernel']}; "
              f"{args.rounds} rounds, medians")
    with tempfile.TemporaryDirectory(prefix="memory_bench.") as workdir:
        for name in names:
            rounds = []
            for rnd in range(args.rounds):
                rounds.append(run_dataset(name, args, rnd, workdir))
                if not args.json:
                    f, r = rounds[-1]["fickle"], rounds[-1]["redis"]
                    print(f"  {name} round {rnd + 1}: fickle {f['bytes_per_element']:.1f} B/el "
                          f"(load {f['load_s']} s), redis {r['bytes_per_element']:.1f} B/el "
                          f"(load {r['load_s']} s)", file=sys.stderr)
            med = {s: {k: median_of(rounds, s, k) for k in
                       ("bytes_per_element", "used_per_element", "purged_per_element",
                        "rss_before", "rss_after")}
                   for s in ("fickle", "redis")}
            fb, rb = med["fickle"]["bytes_per_element"], med["redis"]["bytes_per_element"]
            med["ratio"] = fb / rb if rb else None
            report["datasets"][name] = {"title": DATASETS[name][0],
                                        "elements": rounds[0]["fickle"]["elements"],
                                        "median": med, "rounds": rounds,
                                        "samples": rounds[0]["samples"]}
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
        return
    print()
    print("| dataset | elements | Fickle B/el | Redis B/el | Fickle/Redis | "
          "Fickle B/el after PURGE | Redis B/el after PURGE | Fickle used_memory B/el | "
          "Redis used_memory B/el |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, d in report["datasets"].items():
        m = d["median"]

        def fmt(v):
            return "-" if v is None else f"{v:.1f}"
        print(f"| {name}: {d['title']} | {d['elements']:,} | {fmt(m['fickle']['bytes_per_element'])}"
              f" | {fmt(m['redis']['bytes_per_element'])} | {m['ratio']:.2f} | "
              f"{fmt(m['fickle']['purged_per_element'])} | {fmt(m['redis']['purged_per_element'])}"
              f" | {fmt(m['fickle']['used_per_element'])} | {fmt(m['redis']['used_per_element'])} |")
    print()
    print("Sample reads (the same on both servers, round 1):")
    for name, d in report["datasets"].items():
        shown = "; ".join(f"{cmd} -> {ans[:48]}" for cmd, ans in d["samples"])
        print(f"  {name}: {shown}")
    print()
    print("RSS before/after load (MB, median): " + "; ".join(
        f"{n} fickle {d['median']['fickle']['rss_before'] / 1e6:.1f}/"
        f"{d['median']['fickle']['rss_after'] / 1e6:.1f}, redis "
        f"{d['median']['redis']['rss_before'] / 1e6:.1f}/{d['median']['redis']['rss_after'] / 1e6:.1f}"
        for n, d in report["datasets"].items()))


if __name__ == "__main__":
    main()
