#!/usr/bin/env python3
"""`make bench`: Fickle beside Debian's redis-server, every figure of docs/performance.md.

Runs the throughput tests (side_by_side.py), the keyspace sweep (keyspace_bench.py) and the
many-connections test (connections_bench.py), prints the tables, saves the results as JSON, and
rewrites the generated section of the report (between its markers; prose outside stays) and the
chart (gnuplot). Server pinned to core 0, redis-benchmark to core 1, servers alternating round by
round. The figure to trust on a shared machine is server CPU per request; ops/s and latency
move with whatever else runs on the client core.

  python3 redis-compat/bench/bench.py                 # full run (~15 min), writes docs/
  python3 redis-compat/bench/bench.py --quick         # seconds; writes build/bench-quick/
  python3 redis-compat/bench/bench.py --from-json F   # redo report and chart from saved results

--quick (ctest's bench_quick) runs one round of a few tests with few requests and exits non-zero
iff a test produced no numbers for either server. It never judges the numbers.
"""
import argparse
import datetime
import json
import os
import shutil
import sys
import time

import benchlib
import connections_bench
import keyspace_bench
import report
import side_by_side


def check(data):
    """Names of the tests that yielded no result for a server (a broken run)."""
    missing = []

    def walk(prefix, node):
        if (isinstance(node, dict) and set(node) >= {"fickle", "redis"}
                and all(v is None or isinstance(v, dict) for v in node.values())):
            for s in ("fickle", "redis"):
                if not node[s] or any(v is None for v in node[s].values()):
                    missing.append(f"{prefix} {s}")
            return
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("rss_per_key", "rss_per_conn", "used_per_conn"):
                    continue  # memory figures: None where a server has no such field
                walk(f"{prefix} {k}".strip(), v)
    for part in ("throughput", "keyspace", "connections"):
        walk(part, data.get(part, {}))
    return missing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI-sized: 1 round, few requests")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--parts", default="throughput,keyspace,connections")
    ap.add_argument("--fickle", default=benchlib.FICKLE)
    ap.add_argument("--out-dir", help="where the report, chart and JSON go (default docs/, "
                    "or build/bench-quick/ with --quick)")
    ap.add_argument("--from-json", help="skip the run; report the results saved in this file")
    args = ap.parse_args()
    quick = args.quick
    out_dir = args.out_dir or os.path.join(benchlib.ROOT, "build/bench-quick" if quick else "docs")
    os.makedirs(out_dir, exist_ok=True)
    doc, png = os.path.join(out_dir, "performance.md"), os.path.join(out_dir, "performance.png")
    saved = os.path.join(out_dir, "performance.json")

    if args.from_json:
        data = json.load(open(args.from_json))
    else:
        for tool in ("redis-server", "redis-benchmark", "redis-cli", "taskset"):
            if not shutil.which(tool):
                print(f"{tool} is not installed (make bench installs it)")
                sys.exit(77)
        if not os.access(args.fickle, os.X_OK):
            sys.exit(f"no fickle-server at {args.fickle} (make build, or pass --fickle)")
        rounds = args.rounds or (1 if quick else 3)
        parts = args.parts.split(",")
        meta = benchlib.machine()
        meta["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        cmd = "make bench-quick" if quick else "make bench"
        if args.rounds or args.parts != ap.get_default("parts"):
            cmd = "python3 redis-compat/bench/bench.py " + " ".join(sys.argv[1:])
        data = {"meta": meta, "command": cmd, "quick": quick, "rounds": rounds}
        print(f"{meta['cpu']}, {meta['cores']} cores, kernel {meta['kernel']}; {meta['redis']}; "
              f"load {' '.join(meta['loadavg'])}", flush=True)
        start = time.monotonic()

        def log(msg):
            print(f"[{time.monotonic() - start:6.0f} s] {msg}", flush=True)
        if "throughput" in parts:
            tests = ["PING_MBULK", "SET", "GET", "LRANGE_100"] if quick else side_by_side.TESTS
            n = 2000 if quick else 100000
            res, _ = side_by_side.run(args.fickle, rounds, n, [1, 16], tests, log)
            data["throughput"] = res
            data["requests"] = {1: n, 16: 10 * n}
        if "keyspace" in parts:
            n = 20000 if quick else 1000000
            sizes = [10000] if quick else keyspace_bench.SIZES
            data["keyspace"] = keyspace_bench.run(args.fickle, rounds, n, sizes, 16, log)
            data["keyspace_requests"] = n
        if "connections" in parts:
            n = 2000 if quick else 100000
            idle = [0, 200] if quick else connections_bench.IDLE
            data["connections"] = connections_bench.run(args.fickle, rounds, n, idle, log)
            data["connections_requests"] = n
        data["seconds"] = time.monotonic() - start
        data["meta"]["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
        data = json.loads(json.dumps(data))  # keys as strings, the same as --from-json gives
        with open(saved, "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")

    text = report.section(data, os.path.basename(png))
    print(text.split("\n", 1)[1].rsplit(report.END, 1)[0])
    report.write_doc(doc, data, os.path.basename(png))
    if shutil.which("gnuplot"):
        report.write_chart(png, data)
        print(f"wrote {doc}, {png} and {saved}")
    else:
        print(f"wrote {doc} and {saved}; no gnuplot, so no chart (make bench installs gnuplot-nox)")
    missing = check(data)
    if missing:
        print("no numbers for: " + ", ".join(missing))
        sys.exit(1)


if __name__ == "__main__":
    main()
