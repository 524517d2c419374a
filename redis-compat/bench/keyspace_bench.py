#!/usr/bin/env python3
"""Keyspace-size benchmark: GET and SET server CPU per operation at 1M and 10M keys, Fickle beside
Debian's redis-server in the same run.

Each server runs pinned to one core (taskset), redis-benchmark to the other. The figure that
separates servers on a 2-core machine is the server's CPU time per request (utime+stime from
/proc/PID/stat around each test, divided by requests), not requests/s, which the loopback round
trip and the single benchmark core cap. Rounds alternate the servers (A B A B ...) so drift
cancels; medians are reported.

  python3 redis-compat/bench/keyspace_bench.py [--sizes 1000000,10000000] [--rounds 3]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

from benchlib import ROOT, Server, cli, cpu_seconds, rss_bytes


def bench(port, test, n, keyspace, pipeline, bench_core):
    out = subprocess.run(["taskset", "-c", str(bench_core), "redis-benchmark", "-p", str(port),
                          "-t", test, "-n", str(n), "-r", str(keyspace), "-P", str(pipeline),
                          "-c", "50", "-q", "--csv"], capture_output=True, text=True).stdout
    line = [l for l in out.splitlines() if l.startswith('"' + test.upper())]
    return float(line[0].split(",")[1].strip('"')) if line else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=2000000)
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--fickle", default=os.path.join(ROOT, "build/server/fickle-server"))
    args = ap.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("redis-server is not installed")
    servers = {"fickle": [args.fickle], "redis": ["redis-server"]}
    print(f"redis-server: {subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.strip()}")
    for size in [int(s) for s in args.sizes.split(",")]:
        results = {name: {"get": [], "set": []} for name in servers}
        mem = {}
        for rnd in range(args.rounds):
            order = list(servers) if rnd % 2 == 0 else list(reversed(servers))
            for name in order:
                srv = Server(name, servers[name], core=0)
                try:
                    base_rss = rss_bytes(srv.proc.pid)
                    # Preload: SETs spread over the key space (covers ~86% of it at 2x size).
                    bench(srv.port, "set", 2 * size, size, 64, 1)
                    keys = int(cli(srv.port, "dbsize") or 0)
                    mem[name] = (keys, rss_bytes(srv.proc.pid) - base_rss)
                    for test in ("get", "set"):
                        before = cpu_seconds(srv.proc.pid)
                        bench(srv.port, test, args.requests, size, args.pipeline, 1)
                        used = cpu_seconds(srv.proc.pid) - before
                        results[name][test].append(used * 1e6 / args.requests)
                finally:
                    srv.stop()
        print(f"\n== {size:,} key space, -P {args.pipeline}, {args.rounds} rounds (median server CPU us/op)")
        for test in ("get", "set"):
            f = statistics.median(results["fickle"][test])
            r = statistics.median(results["redis"][test])
            print(f"{test.upper():4} fickle {f:6.3f}  redis {r:6.3f}  ratio {f / r:5.2f}")
        for name, (keys, rss) in mem.items():
            print(f"{name:6} keys {keys:,}  RSS growth {rss / 1e6:8.1f} MB  {rss / max(keys, 1):6.1f} B/key")


if __name__ == "__main__":
    main()
