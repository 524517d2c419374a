#!/usr/bin/env python3
"""Issue #4's "done means": a 1M-key dataset moves Redis -> Fickle -> Redis through dump.rdb and
through the AOF directory with nothing changed.

The dataset is persistence_bench's (1,000,000 strings + 1,000 hashes of 1,000 fields), plus keys
with TTLs. After each hop the whole keyspace is read back (pipelined: TYPE, value, PTTL > 0) and
hashed; every hop must give the same digest. Usage: roundtrip_1m.py [--fickle PATH]
Exit status 0 iff all digests match.
"""
import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import benchlib
import persistence_bench as pb


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.s.recv(1 << 20)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            self.buf += self.s.recv(1 << 20)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def reply(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        if t == b":":
            return int(rest)
        if t == b"-":
            raise RuntimeError(rest.decode())
        return rest

    def pipeline(self, cmds):
        self.s.sendall(b"".join(pb.resp(*c) for c in cmds))
        return [self.reply() for _ in cmds]


def digest(port):
    c = Conn(port)
    keys = sorted(c.pipeline([["KEYS", "*"]])[0])
    h = hashlib.sha256()
    for i in range(0, len(keys), 2000):
        chunk = keys[i:i + 2000]
        types = c.pipeline([["TYPE", k] for k in chunk])
        reads = []
        for k, t in zip(chunk, types):
            reads.append({b"string": ["GET", k], b"hash": ["HGETALL", k],
                          b"list": ["LRANGE", k, 0, -1], b"set": ["SMEMBERS", k],
                          b"zset": ["ZRANGE", k, 0, -1, "WITHSCORES"]}[t])
        values = c.pipeline(reads)
        ttls = c.pipeline([["PTTL", k] for k in chunk])
        for k, t, v, ttl in zip(chunk, types, values, ttls):
            if t == b"hash":
                v = sorted(zip(v[0::2], v[1::2]))
            elif t == b"set":
                v = sorted(v)
            h.update(repr((k, t, v, ttl > 0)).encode())
    return len(keys), h.hexdigest()


def start(argv, data_dir, aof):
    port = benchlib.free_port()
    proc = subprocess.Popen([*argv, "--port", str(port), "--dir", data_dir, "--save", "",
                             "--appendonly", "yes" if aof else "no", "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(6000):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(64).startswith(b"+PONG"):
                    return proc, port
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError("server did not start")


def stop(proc, port):
    benchlib.cli(port, "SHUTDOWN", "NOSAVE")
    proc.wait(timeout=120)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fickle", default=os.path.join(benchlib.ROOT, "build/server/fickle-server"))
    args = ap.parse_args()
    servers = {"redis": ["redis-server"], "fickle": [os.path.abspath(args.fickle)]}
    ok = True
    for mode in ("rdb", "aof"):
        aof = mode == "aof"
        dirs = []
        digests = []
        try:
            d = tempfile.mkdtemp(prefix="fickle-rt-")
            dirs.append(d)
            proc, port = start(servers["redis"], d, aof)
            pb.load(port)
            benchlib.cli(port, "SET", "ttl:a", "1", "EX", "100000")
            benchlib.cli(port, "HSET", "ttl:h", "f", "v")
            benchlib.cli(port, "PEXPIRE", "ttl:h", "100000000")
            digests.append(("redis (original)",) + digest(port))
            if not aof:
                benchlib.cli(port, "SAVE")
            stop(proc, port)
            for name in ("fickle", "redis"):
                nd = tempfile.mkdtemp(prefix="fickle-rt-")
                dirs.append(nd)
                for entry in os.listdir(dirs[-2]):
                    src = os.path.join(dirs[-2], entry)
                    if os.path.isdir(src):
                        shutil.copytree(src, os.path.join(nd, entry))
                    elif entry.endswith(".rdb"):
                        shutil.copy(src, nd)
                t0 = time.monotonic()
                proc, port = start(servers[name], nd, aof)
                load_s = time.monotonic() - t0
                digests.append(("%s (loaded in %.2f s)" % (name, load_s),) + digest(port))
                if name == "fickle":
                    # Fickle writes its own files for the next hop: a fresh dump.rdb, or an AOF
                    # rewritten by Fickle (its RDB-preamble base) that Redis then loads.
                    if aof:
                        benchlib.cli(port, "BGREWRITEAOF")
                        while "aof_rewrite_in_progress:1" in benchlib.cli(port, "INFO",
                                                                           "persistence"):
                            time.sleep(0.05)
                    else:
                        benchlib.cli(port, "SAVE")
                stop(proc, port)
        finally:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
        same = len({(n, h) for _, n, h in digests}) == 1
        ok = ok and same
        print("%s: %s" % (mode, "same" if same else "DIFFERENT"))
        for label, n, h in digests:
            print("  %-28s %d keys, sha256 %s" % (label, n, h[:16]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
