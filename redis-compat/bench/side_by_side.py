#!/usr/bin/env python3
"""Side-by-side benchmark: Fickle and Debian's redis-server (no persistence), each pinned to core 0
with taskset, redis-benchmark pinned to core 1, servers alternating round by round (A B A B ...) so
drift cancels. Per test it prints the median server CPU microseconds per request (utime+stime
from /proc around the test, divided by requests) for each server and their ratio, the median
requests/s, and Fickle's p50/p99/p99.9 latency beside Redis's.

  python3 redis-compat/bench/side_by_side.py [--rounds 3] [--requests 200000] [--tests SET,GET]

Tests a server does not support (Fickle before issue #3 lands a type) are reported as such.
LRANGE_* tests include redis-benchmark's own LPUSH that fills the list first.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

from benchlib import ROOT, Server, cpu_seconds

TESTS = ["PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET",
         "SPOP", "ZADD", "ZPOPMIN", "LRANGE_100", "LRANGE_600", "MSET"]


def run_test(port, test, requests, pipeline):
    """Runs one redis-benchmark test; returns (rps, {percentile: ms}) or None on a server error."""
    proc = subprocess.run(["taskset", "-c", "1", "redis-benchmark", "-p", str(port), "-c", "50",
                           "-n", str(requests), "-P", str(pipeline), "-r", "100000",
                           "-t", test.lower()], capture_output=True, text=True)
    out = proc.stdout.replace("\r", "\n")
    if "Error from server" in out or proc.returncode != 0:
        return None
    # The last section is the requested test (LRANGE_* runs its LPUSH fill first).
    section = out.rsplit("======", 1)[-1]
    pct = {}
    for m in re.finditer(r"([0-9.]+)% <= ([0-9.]+) milliseconds", section):
        pct[float(m.group(1))] = float(m.group(2))
    rps = re.search(r"([0-9.]+) requests per second", section)
    return (float(rps.group(1)) if rps else 0.0), pct


def percentile(pct, p):
    """The smallest latency bucket whose cumulative share reaches p."""
    for share in sorted(pct):
        if share >= p:
            return pct[share]
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--pipelines", default="1,16")
    ap.add_argument("--tests", default=",".join(TESTS))
    ap.add_argument("--fickle", default=os.path.join(ROOT, "build/server/fickle-server"))
    args = ap.parse_args()
    if not shutil.which("redis-server") or not shutil.which("taskset"):
        sys.exit("needs redis-server (redis-tools) and taskset")
    version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    print(f"reference: {version.stdout.strip()}")
    servers = {"fickle": [args.fickle], "redis": ["redis-server"]}
    tests = [t.strip().upper() for t in args.tests.split(",") if t.strip()]
    for pipeline in [int(p) for p in args.pipelines.split(",")]:
        cpu = {n: {t: [] for t in tests} for n in servers}
        rps = {n: {t: [] for t in tests} for n in servers}
        lat = {n: {t: [] for t in tests} for n in servers}
        for rnd in range(args.rounds):
            order = list(servers) if rnd % 2 == 0 else list(reversed(list(servers)))
            for name in order:
                srv = Server(name, servers[name], core=0)
                try:
                    for test in tests:
                        before = cpu_seconds(srv.proc.pid)
                        r = run_test(srv.port, test, args.requests, pipeline)
                        used = cpu_seconds(srv.proc.pid) - before
                        if r is None:
                            continue
                        cpu[name][test].append(used * 1e6 / args.requests)
                        rps[name][test].append(r[0])
                        lat[name][test].append(r[1])
                finally:
                    srv.stop()
        print(f"\n== -c 50 -P {pipeline}, {args.requests} requests, {args.rounds} rounds, medians")
        print(f"{'test':12} {'fickle us/op':>12} {'redis us/op':>11} {'ratio':>6} "
              f"{'fickle rps':>11} {'redis rps':>10}  p50/p99/p99.9 ms fickle | redis")
        for test in tests:
            if not cpu["fickle"][test]:
                print(f"{test:12} not supported by Fickle yet")
                continue
            f, r = statistics.median(cpu["fickle"][test]), statistics.median(cpu["redis"][test])
            lats = []
            for n in servers:
                ps = [statistics.median(percentile(p, q) for p in lat[n][test])
                      for q in (50, 99, 99.9)]
                lats.append("/".join(f"{x:.3f}" for x in ps))
            print(f"{test:12} {f:12.3f} {r:11.3f} {f / r:6.2f} "
                  f"{statistics.median(rps['fickle'][test]):11.0f} "
                  f"{statistics.median(rps['redis'][test]):10.0f}  {lats[0]} | {lats[1]}")


if __name__ == "__main__":
    main()
