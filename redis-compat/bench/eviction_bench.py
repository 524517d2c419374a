#!/usr/bin/env python3
"""maxmemory beside redis-server (issue #6): how well each eviction policy keeps a hot set hot,
and how far a write flood takes used_memory past the limit.

Cache workload, per policy and server: 200,000 keys of 200-byte values (about 60 MB of data in
either server) behind maxmemory 16mb, so roughly a fifth fits. Requests follow a skewed
distribution (80% of them go to 20% of the keys, each part uniform inside). A request is GET;
on a miss the client SETs the key, as a cache does. After a warm-up of 200,000 requests, the hit
ratio over the next 400,000 is reported. Seeded, so both servers see the same request stream.

Write flood: 100,000 SETs of 500-byte values into maxmemory 20mb (allkeys-lru), pipelined by
1,000; used_memory is read after every batch and its peak over the limit is reported.

Usage: eviction_bench.py [--fickle PATH] [--policies allkeys-lru,allkeys-lfu,allkeys-random]
"""
import argparse
import os
import random
import socket
import subprocess
import sys

import benchlib

KEYS = 200_000
VALUE = b"v" * 200
WARMUP, MEASURE = 200_000, 400_000
BATCH = 500


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.s.recv(1 << 16)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self._line()
        if line[:1] == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.s.recv(1 << 16)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        return line

    def pipeline(self, commands):
        self.s.sendall(b"".join(commands))
        return [self.reply() for _ in commands]


def info(conn, section, field):
    text = conn.pipeline([resp("INFO", section)])[0].decode()
    for line in text.split("\r\n"):
        if line.startswith(field + ":"):
            return int(line.split(":", 1)[1])
    return -1


def start(argv, port, extra):
    return subprocess.Popen(argv + ["--port", str(port), "--save", "", "--appendonly", "no"] + extra,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cache_run(argv, policy):
    port = benchlib.free_port()
    proc = start(argv, port, ["--maxmemory", "16mb", "--maxmemory-policy", policy])
    try:
        benchlib.wait_ready(port)
        c = Conn(port)
        rng = random.Random(7)
        hot = KEYS // 5

        def key():
            k = rng.randrange(hot) if rng.random() < 0.8 else hot + rng.randrange(KEYS - hot)
            return b"key:%d" % k

        hits = total = 0
        done = 0
        while done < WARMUP + MEASURE:
            keys = [key() for _ in range(BATCH)]
            replies = c.pipeline([resp("GET", k) for k in keys])
            misses = [k for k, r in zip(keys, replies) if r is None]
            if misses:
                c.pipeline([resp("SET", k, VALUE) for k in misses])
            if done >= WARMUP:
                total += len(keys)
                hits += len(keys) - len(misses)
            done += len(keys)
        return hits / total, info(c, "stats", "evicted_keys")
    finally:
        proc.kill()
        proc.wait()


def flood_run(argv):
    port = benchlib.free_port()
    limit = 20 << 20
    proc = start(argv, port, ["--maxmemory", "20mb", "--maxmemory-policy", "allkeys-lru"])
    try:
        benchlib.wait_ready(port)
        c = Conn(port)
        peak = 0
        value = b"v" * 500
        for b in range(100):
            c.pipeline([resp("SET", "key:%d" % (b * 1000 + i), value) for i in range(1000)])
            peak = max(peak, info(c, "memory", "used_memory"))
        return (peak - limit) / limit * 100, c.pipeline([resp("DBSIZE")])[0].decode()[1:]
    finally:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fickle", default=os.path.join(benchlib.ROOT, "build/server/fickle-server"))
    ap.add_argument("--policies", default="allkeys-lru,allkeys-lfu,allkeys-random")
    args = ap.parse_args()
    servers = {"fickle": [os.path.abspath(args.fickle)], "redis": ["redis-server"]}
    print("| policy | Fickle hit ratio | Redis hit ratio | Fickle evicted | Redis evicted |")
    print("|---|---:|---:|---:|---:|")
    for policy in args.policies.split(","):
        res = {n: cache_run(argv, policy) for n, argv in servers.items()}
        print("| %s | %.3f | %.3f | %d | %d |" % (policy, res["fickle"][0], res["redis"][0],
                                                 res["fickle"][1], res["redis"][1]))
        sys.stdout.flush()
    print()
    print("| write flood (100k x 500 B into 20 MB) | Fickle | Redis |")
    print("|---|---:|---:|")
    f, r = flood_run(servers["fickle"][0:1]), flood_run(servers["redis"][0:1])
    print("| used_memory peak over maxmemory, %% | %.2f | %.2f |" % (f[0], r[0]))
    print("| keys kept | %s | %s |" % (f[1], r[1]))


if __name__ == "__main__":
    main()
