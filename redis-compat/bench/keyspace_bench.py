#!/usr/bin/env python3
"""Keyspace sweep: GET and SET server CPU per operation, throughput and latency with 10K, 1M and
10M keys loaded, Fickle beside Debian's redis-server in the same run.

Each round starts a fresh server per size and loads exactly the keys redis-benchmark's -r draws
from (key:000000000000 .. key:<size-1>, 12 digits, value "xxx"), so every GET hits and every SET
overwrites. DEBUG POPULATE would load faster, and both servers implement it alike, but it names
its keys key:0, key:1 ... which redis-benchmark never asks for. The load is RESP generated here
and streamed through `redis-cli --pipe` on the client core; it is not measured. Then GET and SET
run with -r <size> at -P 16 (where per-request overhead is small and key lookup cost shows).

  python3 redis-compat/bench/keyspace_bench.py [--sizes 10000,1000000,10000000] [--rounds 3]
"""
import argparse
import subprocess
import sys
import time

import benchlib

SIZES = [10_000, 1_000_000, 10_000_000]
CHUNK = 100_000


def load(port, size):
    """SETs key:%012d = xxx for 0 <= i < size through redis-cli --pipe; returns DBSIZE."""
    proc = subprocess.Popen(["taskset", "-c", str(benchlib.CLIENT_CORE), "redis-cli", "-p",
                             str(port), "--pipe"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    cmd = b"*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$3\r\nxxx\r\n"
    for start in range(0, size, CHUNK):
        proc.stdin.write(b"".join(cmd % i for i in range(start, min(size, start + CHUNK))))
    proc.stdin.close()
    out = proc.stdout.read().decode(errors="replace")
    if proc.wait() != 0 or "errors: 0" not in out:
        raise RuntimeError(f"load of {size} keys failed: {out.strip()}")
    return int(benchlib.cli(port, "DBSIZE") or 0)


def run(fickle, rounds, requests, sizes, pipeline=16, log=print):
    """Returns {size: {"GET"|"SET": {server: median result}}, "rss_per_key": {server: bytes}}."""
    names = benchlib.servers(fickle)
    results = {}
    for size in sizes:
        raw = {t: {s: [] for s in names} for t in ("GET", "SET")}
        per_key = {s: [] for s in names}
        for name, srv in benchlib.alternating(names, rounds, log, f"{size:,} keys"):
            base = benchlib.rss_bytes(srv.proc.pid)
            keys = load(srv.port, size)
            if keys != size:
                raise RuntimeError(f"{name}: DBSIZE {keys} after loading {size} keys")
            time.sleep(0.2)
            per_key[name].append((benchlib.rss_bytes(srv.proc.pid) - base) / size)
            for test in ("GET", "SET"):
                raw[test][name].append(benchlib.measured(
                    srv, requests, lambda: benchlib.redis_benchmark(
                        srv.port, ["-t", test.lower()], requests, pipeline, keyspace=size)))
        results[size] = {t: {s: benchlib.median_result(raw[t][s]) for s in names}
                         for t in raw}
        results[size]["rss_per_key"] = {s: sorted(v)[len(v) // 2] for s, v in per_key.items()}
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=1000000)
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--fickle", default=benchlib.FICKLE)
    args = ap.parse_args()
    import report
    res = run(args.fickle, args.rounds, args.requests,
              [int(s) for s in args.sizes.split(",")], args.pipeline,
              log=lambda m: print(m, file=sys.stderr))
    print(report.keyspace_table(res, args.pipeline))


if __name__ == "__main__":
    main()
