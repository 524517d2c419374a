#!/usr/bin/env python3
"""Files move between Fickle and Redis 7.0 with nothing changed: dump.rdb both ways, the AOF
directory both ways, BGSAVE, and a restart from each. Function libraries travel too (FUNCTION2
items in RDB files and AOF bases, FUNCTION LOAD records in the AOF).

Each check fills one server with every type and encoding (small and large collections, streams,
integers, binary strings, TTLs) in two dbs, makes it write its files, starts the other server on a copy of
the directory, and compares the whole keyspace (type, value, and whether a TTL is set and roughly
equal). Exit status 0 iff every check passed; 77 if a server binary is missing.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile
import time

import compat


def conn(port):
    return compat.RespConn(port)


def call(c, *args):
    reply = c.call([a if isinstance(a, (bytes, str)) else str(a) for a in args])
    if reply.startswith(b"-"):
        raise AssertionError("%r -> %r" % (args, reply))
    return reply


def items(reply):
    parts = compat.split_reply(reply)
    if parts is None:
        raise AssertionError("not an array: %r" % reply[:80])
    out = []
    for raw in parts[1]:
        head, _, rest = raw.partition(b"\r\n")
        out.append(rest[:int(head[1:])] if head.startswith(b"$") else head)
    return out


# Function libraries: one function each, so FUNCTION LIST's reply has one order on both servers.
LIBRARIES = {
    "libget": "#!lua name=libget\nredis.register_function{function_name='fget', callback="
              "function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, "
              "description='reads a string'}",
    "libcount": "#!lua name=libcount\nredis.register_function('fcount', function(keys, args) "
                "return redis.call('hlen', keys[1]) + #args end)",
    "libafter": "#!lua name=libafter\nredis.register_function('fafter', function() "
                "return 'after' end)",
}


def fill(port):
    """Writes the same data set into any server."""
    c = conn(port)
    call(c, "FUNCTION", "LOAD", LIBRARIES["libget"])
    call(c, "FUNCTION", "LOAD", LIBRARIES["libcount"])
    for db in (0, 3):
        call(c, "SELECT", db)
        call(c, "SET", "str", "hello")
        call(c, "SET", "int", "12345")
        call(c, "SET", "neg", "-9000000000")
        call(c, "SET", "bin", b"\x00\xff\r\nbinary")
        call(c, "SET", "long", "x" * 5000)  # compressible: LZF when rdbcompression is on
        call(c, "SET", "ttl", "v", "PX", "3600000")
        call(c, "RPUSH", "list:small", "a", "b", "c", "1", "2")
        call(c, "RPUSH", "list:big", *["item-%d" % i for i in range(3000)])
        call(c, "HSET", "hash:small", "f1", "v1", "f2", "2")
        call(c, "HSET", "hash:big", *sum([["f%d" % i, "v%d" % i] for i in range(1000)], []))
        call(c, "SADD", "set:ints", *range(100))
        call(c, "SADD", "set:strs", *["m%d" % i for i in range(1000)])
        call(c, "ZADD", "zset:small", "1", "a", "2.5", "b", "-inf", "c")
        call(c, "ZADD", "zset:big", *sum([[str(i / 7.0), "m%d" % i] for i in range(500)], []))
        call(c, "HSET", "hash:ttl", "f", "v")
        call(c, "PEXPIRE", "hash:ttl", "7200000")
        call(c, "XADD", "stream:small", "1-1", "a", "1", "b", "2")
        call(c, "XADD", "stream:small", "1-2", "a", "3", "b", "4")
        call(c, "XADD", "stream:small", "2-0", "c", b"\x00bin")
        call(c, "XDEL", "stream:small", "1-2")
        for i in range(1, 1200):
            fields = ["f", str(i)] if i % 3 else ["g", "x" * (i % 50), "h", str(-i)]
            call(c, "XADD", "stream:big", "MAXLEN", "~", "700", "%d-%d" % (i * 10, i % 4), *fields)
        call(c, "XDEL", "stream:big", "11000-0", "11010-1", "11500-0")
        call(c, "XADD", "stream:empty", "5-5", "f", "v")
        call(c, "XDEL", "stream:empty", "5-5")
        call(c, "XSETID", "stream:empty", "9-9", "ENTRIESADDED", "42", "MAXDELETEDID", "7-7")
        call(c, "XGROUP", "CREATE", "stream:big", "readers", "0")
        call(c, "XREADGROUP", "GROUP", "readers", "alice", "COUNT", "50", "STREAMS", "stream:big",
             ">")
        call(c, "XREADGROUP", "GROUP", "readers", "bob", "COUNT", "5", "STREAMS", "stream:big", ">")
        call(c, "XACK", "stream:big", "readers", "5000-0", "5010-1")
        call(c, "XGROUP", "CREATE", "stream:small", "idle", "$")
        call(c, "XGROUP", "CREATECONSUMER", "stream:small", "idle", "carol")
        call(c, "XGROUP", "CREATE", "stream:made", "g", "$", "MKSTREAM")
    c.close()


def snapshot(port):
    """The whole keyspace of dbs 0..15 as comparable data."""
    c = conn(port)
    out = {}
    for db in range(16):
        call(c, "SELECT", db)
        for key in items(call(c, "KEYS", "*")):
            t = call(c, "TYPE", key).strip()[1:]
            if t == b"string":
                v = call(c, "GET", key)
            elif t == b"list":
                v = items(call(c, "LRANGE", key, 0, -1))
            elif t == b"hash":
                v = sorted(zip(*[iter(items(call(c, "HGETALL", key)))] * 2))
            elif t == b"set":
                v = sorted(items(call(c, "SMEMBERS", key)))
            elif t == b"zset":
                v = items(call(c, "ZRANGE", key, 0, -1, "WITHSCORES"))
            elif t == b"stream":
                # Entries, IDs, counters and the node layout (radix-tree-keys/nodes).
                v = call(c, "XINFO", "STREAM", key, "FULL", "COUNT", "0")
                # A consumer's seen-time is when a replayed AOF re-created it.
                v = re.sub(rb"(\$9\r\nseen-time\r\n):\d+", rb"\1:<seen>", v)
            else:
                v = t
            pttl = int(call(c, "PTTL", key)[1:].strip())
            # A TTL survives as a TTL within a minute of the original.
            out[(db, key)] = (t, v, -1 if pttl < 0 else pttl // 60000)
    # The libraries (as db -1): their listing with code, and that their functions run.
    call(c, "SELECT", 0)
    for name in LIBRARIES:
        out[(-1, name.encode())] = call(c, "FUNCTION", "LIST", "LIBRARYNAME", name, "WITHCODE")
    # (A deleted library's function answers "Function not found" on both sides.)
    out[(-1, b"fget")] = c.call(["FCALL_RO", "fget", "1", "str"])
    out[(-1, b"fcount")] = c.call(["FCALL", "fcount", "1", "hash:small", "x", "y"])
    c.close()
    return out


def wait_info(port, done, ok):
    """Waits until INFO persistence shows `done`, then requires `ok` in it."""
    c = conn(port)
    for _ in range(2000):
        info = call(c, "INFO", "persistence")
        if done in info:
            c.close()
            if ok not in info:
                raise AssertionError("background job failed: %r" % info)
            return
        time.sleep(0.01)
    raise AssertionError("background job never finished")


def copy_dir(src):
    dst = tempfile.mkdtemp(prefix="fickle-persist-")
    for name in os.listdir(src):
        p = os.path.join(src, name)
        if name.endswith(".rdb") or os.path.isdir(p):
            (shutil.copytree if os.path.isdir(p) else shutil.copy)(p, os.path.join(dst, name))
    return dst


def server(kind, binary, data_dir, extra=()):
    argv = [binary, "--dir", data_dir, "--bind", "127.0.0.1", *extra]
    p = compat.ServerProcess(kind, lambda port: argv + ["--port", str(port)])
    p.start()
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fickle")
    ap.add_argument("--redis-server", default="redis-server")
    args = ap.parse_args()
    fickle = compat.find_fickle(args.fickle)
    if fickle is None or shutil.which(args.redis_server) is None:
        print("fickle-server or redis-server not found; skipping")
        return 77
    binaries = {"fickle": fickle, "redis": args.redis_server}
    aof = ["--appendonly", "yes", "--save", ""]
    rdb = ["--appendonly", "no", "--save", ""]
    # (writer, reader, how the writer saves, writer options, reader options)
    checks = [
        ("fickle", "redis", "SAVE", rdb, rdb),
        ("redis", "fickle", "SAVE", rdb, rdb),
        ("fickle", "fickle", "BGSAVE", rdb, rdb),
        ("fickle", "redis", "AOF", aof, aof),
        ("redis", "fickle", "AOF", aof, aof),
        ("fickle", "fickle", "AOF", aof, aof),
        ("fickle", "redis", "AOF-REWRITE", aof, aof),
        ("fickle", "fickle", "AOF-REWRITE", aof, aof),
    ]
    failures = []
    for writer, reader, how, wopts, ropts in checks:
        label = "%s -> %s via %s" % (writer, reader, how)
        wdir = tempfile.mkdtemp(prefix="fickle-persist-")
        rdir = None
        w = r = None
        try:
            w = server(writer, binaries[writer], wdir, wopts)
            fill(w.port)
            c = conn(w.port)
            if how == "AOF-REWRITE":
                # The base holds what came before; the new incr file what comes after.
                call(c, "BGREWRITEAOF")
                wait_info(w.port, b"aof_rewrite_in_progress:0", b"aof_last_bgrewrite_status:ok")
                call(c, "SET", "after:rewrite", "1")
                call(c, "DEL", "list:small")
                call(c, "HSET", "hash:big", "f1", "changed")
                call(c, "FUNCTION", "LOAD", LIBRARIES["libafter"])
                call(c, "FUNCTION", "DELETE", "libget")
            expected = snapshot(w.port)
            if how == "SAVE":
                call(c, "SAVE")
            elif how == "BGSAVE":
                call(c, "BGSAVE")
                wait_info(w.port, b"rdb_bgsave_in_progress:0", b"rdb_last_bgsave_status:ok")
            c.close()
            w.stop()
            w = None
            rdir = copy_dir(wdir)
            r = server(reader, binaries[reader], rdir, ropts)
            got = snapshot(r.port)
            if got != expected:
                diff = sorted(k for k in set(got) | set(expected) if got.get(k) != expected.get(k))
                failures.append("%s: %d keys differ, e.g. %r: %r vs %r" % (
                    label, len(diff), diff[0], expected.get(diff[0]), got.get(diff[0])))
            else:
                print("ok: %s (%d keys)" % (label, len(got)))
        except (AssertionError, RuntimeError, OSError, compat.ConnectionClosed) as e:
            failures.append("%s: %s" % (label, e))
        finally:
            for p in (w, r):
                if p is not None:
                    p.stop()
                    p.cleanup()
            shutil.rmtree(wdir, ignore_errors=True)
            if rdir:
                shutil.rmtree(rdir, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
