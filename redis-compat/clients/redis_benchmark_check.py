#!/usr/bin/env python3
"""redis-benchmark against Fickle over a real socket: `redis-benchmark -p N -q -t TESTS -n 20000`
must complete without error and print a result line per test. No timing is asserted.

  redis_benchmark_check.py [--fickle PATH] [--server PATH] [-n N] [-t set,get,incr,mset]

Tests whose command Fickle does not know yet are left out and listed (redis-benchmark stops at
the first error reply). Exit status: 0 pass, 1 fail, 77 redis-benchmark missing.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import compat  # noqa: E402

# redis-benchmark test name -> the command it sends.
TEST_COMMANDS = {"set": "set", "get": "get", "incr": "incr", "mset": "mset", "ping_mbulk": "ping",
                 "lpush": "lpush", "sadd": "sadd", "hset": "hset"}


def known_commands(port, names):
    """The names the server knows, probed inside MULTI (an unknown command is rejected at once)."""
    c = compat.RespConn(port)
    known = set()
    try:
        for name in names:
            c.call(["MULTI"])
            if not c.call([name]).startswith(b"-ERR unknown command"):
                known.add(name)
            c.call(["DISCARD"])
    finally:
        c.close()
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--server", help="run against this binary instead (e.g. redis-server)")
    ap.add_argument("-n", type=int, default=20000)
    ap.add_argument("-t", default="set,get,incr,mset")
    opts = ap.parse_args()
    if not shutil.which("redis-benchmark"):
        print("SKIP: redis-benchmark is not installed (Debian: apt-get install redis-tools)")
        return compat.SKIP_EXIT_CODE
    binary = opts.server and shutil.which(opts.server) or compat.find_fickle(opts.fickle)
    if not binary:
        print("ERROR: server binary not found")
        return 2
    tests = opts.t.split(",")
    server = compat.fickle_process(binary)
    failures = 0
    try:
        server.start()
        known = known_commands(server.port, {TEST_COMMANDS.get(t, t) for t in tests})
        run = [t for t in tests if TEST_COMMANDS.get(t, t) in known]
        left_out = [t for t in tests if t not in run]
        if left_out:
            print("left out (server does not know the command yet): %s" % ", ".join(left_out))
        if run:
            cmd = ["redis-benchmark", "-p", str(server.port), "-q", "-t", ",".join(run),
                   "-n", str(opts.n)]
            print("running: " + " ".join(cmd))
            out = subprocess.run(cmd, capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
            text = out.stdout.decode(errors="replace")
            # -q prints progress lines ending in \r and one final line per test.
            results = [line.strip() for line in re.split(r"[\r\n]", text)
                       if "requests per second" in line]
            for line in results:
                print("  " + line)
            errors = [line for line in (text + out.stderr.decode(errors="replace")).splitlines()
                      if re.search(r"error|ERR", line, re.IGNORECASE)]
            names = {line.split(":")[0].strip().lower() for line in results}
            missing = [t for t in run if t.split("_")[0] not in
                       {n.split(" ")[0] for n in names}]
            if out.returncode != 0 or errors or missing:
                failures += 1
                print("FAIL  exit %d, errors %r, tests without a result line %r\n%s" %
                      (out.returncode, errors, missing, text[-2000:]))
    finally:
        code = server.stop()
        if code != 0:
            failures += 1
            print("FAIL  server exit status %r after SIGTERM\n%s" % (code, server.log()[-3000:]))
        server.cleanup()
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
