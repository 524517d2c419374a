#!/usr/bin/env python3
"""Side-by-side throughput tests: Fickle and Debian's redis-server (no persistence), each pinned to
core 0 with taskset, redis-benchmark pinned to core 1, the servers alternating round by round
(A B A B ...) so drift cancels. Per test: the median server CPU microseconds per request
(utime+stime from /proc around the test, divided by requests) of each server and their ratio,
the median requests/s, and p50/p99/p99.9 latency.

  python3 redis-compat/bench/side_by_side.py [--rounds 3] [--requests 100000] [--tests SET,GET]

bench.py runs this with the keyspace and connection tests and writes docs/performance.md.
Each round starts a fresh server per pipeline depth and runs the tests in the order listed, so
both servers see the same state (SPOP and ZPOPMIN empty what SADD and ZADD filled and then pop
nothing, as in redis-benchmark's own sequence). LRANGE_100/600 run as custom commands on a list
of 600 elements filled before the measurement, so their CPU figure is LRANGE alone (redis-benchmark's
-t lrange_* would count its LPUSH fill too).
"""
import argparse
import sys

import benchlib

TESTS = ["PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET",
         "SPOP", "ZADD", "ZPOPMIN", "LRANGE_100", "LRANGE_600", "MSET"]
# Slower tests run fewer requests so a round stays short; CPU per op divides by what ran.
DIVISOR = {"LRANGE_100": 2, "LRANGE_600": 4, "MSET": 2}
KEYSPACE = 100000
LRANGE_KEY = "bench:lrange"


def command(test):
    if test.startswith("LRANGE_"):
        return ["LRANGE", LRANGE_KEY, "0", str(int(test.split("_")[1]) - 1)]
    return ["-t", test.lower()]


def prepare(port):
    """The list the LRANGE tests read: 600 three-byte elements, like redis-benchmark's data."""
    benchlib.cli(port, "DEL", LRANGE_KEY)
    benchlib.cli(port, "RPUSH", LRANGE_KEY, *(["xxx"] * 600))


def run(fickle, rounds, requests, pipelines, tests, log=print):
    """Returns {pipeline: {test: {server: median result or None}}} and the requests per test."""
    names = benchlib.servers(fickle)
    results, counts = {}, {}
    for pipeline in pipelines:
        n_base = requests * (10 if pipeline > 1 else 1)
        raw = {t: {s: [] for s in names} for t in tests}
        for name, srv in benchlib.alternating(names, rounds, log, f"-P {pipeline}"):
            prepare(srv.port)
            for test in tests:
                n = max(1000, n_base // DIVISOR.get(test, 1))
                counts[(pipeline, test)] = n
                raw[test][name].append(benchlib.measured(
                    srv, n, lambda: benchlib.redis_benchmark(
                        srv.port, command(test), n, pipeline, keyspace=KEYSPACE)))
        results[pipeline] = {t: {s: benchlib.median_result(raw[t][s]) for s in names}
                             for t in tests}
    return results, counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=100000,
                    help="requests per test at -P 1; 10x that at -P 16")
    ap.add_argument("--pipelines", default="1,16")
    ap.add_argument("--tests", default=",".join(TESTS))
    ap.add_argument("--fickle", default=benchlib.FICKLE)
    args = ap.parse_args()
    import report
    tests = [t.strip().upper() for t in args.tests.split(",") if t.strip()]
    res, counts = run(args.fickle, args.rounds, args.requests,
                      [int(p) for p in args.pipelines.split(",")], tests,
                      log=lambda m: print(m, file=sys.stderr))
    print(report.throughput_table(res))


if __name__ == "__main__":
    main()
