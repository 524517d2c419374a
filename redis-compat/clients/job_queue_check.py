#!/usr/bin/env python3
"""A job queue through Fickle with redis-py, as Sidekiq/RQ-style workers use it: producers LPUSH
jobs, consumers BRPOP them with a timeout, several clients of each. Every job must be consumed
exactly once: none lost, none duplicated. Also checks that a blocked BRPOP times out with None.

  job_queue_check.py [--fickle PATH] [--jobs 10000] [--producers 4] [--consumers 4]

Exit status: 0 pass, 1 fail, 77 python3-redis missing.
"""
import argparse
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import compat  # noqa: E402

try:
    import redis
except ImportError:
    compat.reexec_or_skip("the redis module is not installed (Debian: apt-get install python3-redis)")


def run(port, jobs, producers, consumers):
    got = []
    lock = threading.Lock()

    def produce(i):
        r = redis.Redis(port=port)
        for j in range(i, jobs, producers):
            r.lpush("jobs", "job%d" % j)

    def consume():
        r = redis.Redis(port=port)
        while True:
            item = r.brpop("jobs", timeout=2)
            if item is None:
                return
            with lock:
                got.append(item[1])

    threads = [threading.Thread(target=consume) for _ in range(consumers)]
    threads += [threading.Thread(target=produce, args=(i,)) for i in range(producers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost = jobs - len(set(got))
    dup = len(got) - len(set(got))
    print("jobs %d consumed %d lost %d duplicated %d" % (jobs, len(got), lost, dup))
    failures = int(lost != 0) + int(dup != 0)
    r = redis.Redis(port=port)
    start = time.monotonic()
    if r.brpop("empty", timeout=0.2) is not None or time.monotonic() - start < 0.15:
        print("FAIL: BRPOP on an empty list did not time out with None after ~0.2 s")
        failures += 1
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--jobs", type=int, default=10000)
    ap.add_argument("--producers", type=int, default=4)
    ap.add_argument("--consumers", type=int, default=4)
    args = ap.parse_args()
    server = compat.fickle_process(compat.find_fickle(args.fickle))
    server.start()
    try:
        failures = run(server.port, args.jobs, args.producers, args.consumers)
    finally:
        code = server.stop()
        server.cleanup()
    if code != 0:
        print("FAIL: fickle-server exited with %r after SIGTERM" % code)
        failures += 1
    print("%d passed, %d failed" % (1 if failures == 0 else 0, 1 if failures else 0))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
