#!/usr/bin/env python3
"""Instructions per request, Fickle beside redis-server, counted by valgrind's callgrind.

Unlike CPU time, an instruction count repeats to within a fraction of a percent on a noisy
machine, so it shows what a change does to the user-space work of a command. It counts no system
call time (the kernel is not simulated): for that, see bench.py's CPU per request.

For each server and command: the server runs under `valgrind --tool=callgrind` from startup to
SHUTDOWN NOSAVE, once with `redis-benchmark -n N -P 16 -c 10 -t CMD` in between and once with
nothing (the baseline: startup, one PING, shutdown). Instructions per request = (run - baseline)
/ N. redis-benchmark's key is the literal `key:__rand_int__` (no -r); it is SET (one request)
before a GET run, so every GET hits, as in a cache.

    python3 redis-compat/bench/callgrind_bench.py [--requests 100000] [--tests get,set,incr]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import benchlib


def total_instructions(out_file):
    with open(out_file) as f:
        for line in f:
            m = re.match(r"(summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(2))
    raise RuntimeError("no instruction total in " + out_file)


def run(server_argv, port, test, requests, workdir):
    out = os.path.join(workdir, "callgrind.%s.%s.%d" % (os.path.basename(server_argv[0]), test,
                                                        requests))
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                             *server_argv, "--port", str(port), "--save", "",
                             "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    cli = ["redis-cli", "-p", str(port)]
    for _ in range(600):  # valgrind starts slowly
        if subprocess.run(cli + ["PING"], capture_output=True, text=True).stdout.strip() == "PONG":
            break
        time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("server did not start under valgrind: " + " ".join(server_argv))
    if test == "get":
        # The key and value redis-benchmark's own SET test writes (its -d 3 payload is "xxx").
        subprocess.run(cli + ["SET", "key:__rand_int__", "x" * 3], capture_output=True)
    if requests:
        subprocess.run(["redis-benchmark", "-p", str(port), "-n", str(requests), "-P", "16",
                        "-c", "10", "-t", test, "-q"], stdout=subprocess.DEVNULL, check=True)
    subprocess.run(cli + ["SHUTDOWN", "NOSAVE"], capture_output=True)
    proc.wait(timeout=120)
    return total_instructions(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=100000)
    ap.add_argument("--tests", default="get,set,incr")
    ap.add_argument("--fickle", default=benchlib.FICKLE)
    args = ap.parse_args()
    servers = [("Fickle", [args.fickle]), ("Redis", ["redis-server"])]
    print("| command | Fickle instr/request | Redis instr/request | Fickle/Redis |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as workdir:
        base = {name: run(argv, 17390 + i, "ping", 0, workdir)
                for i, (name, argv) in enumerate(servers)}
        for test in args.tests.split(","):
            per = {}
            for i, (name, argv) in enumerate(servers):
                total = run(argv, 17390 + i, test, args.requests, workdir)
                per[name] = (total - base[name]) / args.requests
            print("| %s | %.0f | %.0f | %.2f |" % (test.upper(), per["Fickle"], per["Redis"],
                                                   per["Fickle"] / per["Redis"]))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
