#!/usr/bin/env python3
"""RQ (Debian's python3-rq 1.13) against Fickle: a real `rq` worker process runs enqueued jobs
(each exactly once, results stored), and is then shut down through RQ's pub/sub worker control
(`send_shutdown_command` publishes on `rq:pubsub:<worker>`, which the worker's subscriber thread
receives). RQ 1.13 stores job results in streams (XADD); against a server without XADD the job
half is skipped and only the pub/sub control is checked.

  rq_check.py [--fickle PATH] [--server PATH] [--jobs 30]

--server runs the checks against another binary (e.g. redis-server) to validate them.
Exit status: 0 pass, 1 fail, 77 python3-rq or python3-redis missing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import compat  # noqa: E402

try:
    import redis
    import rq
    from rq.command import send_shutdown_command
except ImportError:
    compat.reexec_or_skip("python3-rq or python3-redis is not installed")

DEADLINE_S = 60.0  # safety net; nothing asserts timing

JOBS_MODULE = '''
import os

def add(a, b):
    return a + b

def record(path, i):
    with open(path, "a") as f:
        f.write("%d %d\\n" % (i, os.getpid()))
    return i
'''

WORKER = '''
import sys
from redis import Redis
from rq import Queue, Worker
conn = Redis(host="127.0.0.1", port=int(sys.argv[1]))
Worker([Queue("default", connection=conn)], connection=conn, name="fickle-check-worker").work()
'''


def has_command(conn, name):
    """Whether the server knows `name` (a bare call fails with arity, or as unknown)."""
    try:
        conn.execute_command(name)
    except redis.exceptions.ResponseError as e:
        return "unknown command" not in str(e)
    return True


def wait_for(cond, what):
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def run(port, workdir, jobs):
    with open(os.path.join(workdir, "rq_check_jobs.py"), "w") as f:
        f.write(JOBS_MODULE)
    sys.path.insert(0, workdir)
    conn = redis.Redis(host="127.0.0.1", port=port, socket_timeout=compat.IO_DEADLINE_S)
    log = open(os.path.join(workdir, "worker.log"), "w")
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(port)], cwd=workdir,
                              stdout=log, stderr=subprocess.STDOUT)
    failures = 0
    try:
        # The worker subscribes to rq:pubsub:<name> when it starts; wait for that.
        wait_for(lambda: conn.pubsub_numsub("rq:pubsub:fickle-check-worker")[0][1] == 1,
                 "the worker's subscription")
        if not has_command(conn, "XADD"):
            print("skip  jobs: RQ 1.13 stores results with XADD, which this server lacks")
        else:
            run_jobs(conn, workdir, jobs)
        send_shutdown_command(conn, "fickle-check-worker")
        code = worker.wait(timeout=DEADLINE_S)
        if code != 0:
            raise AssertionError("worker exited with %r after the shutdown command" % code)
        print("ok    shutdown command over pub/sub stopped the worker (exit 0)")
    except Exception as e:  # noqa: BLE001 -- every failure is reported
        failures += 1
        print("FAIL  %s: %s" % (type(e).__name__, e))
        log.flush()
        with open(os.path.join(workdir, "worker.log")) as f:
            print(f.read()[-3000:])
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()
    return failures


def run_jobs(conn, workdir, jobs):
    import rq_check_jobs  # noqa: E402 -- written by run(), imported as the worker imports it

    q = rq.Queue("default", connection=conn)
    ledger = os.path.join(workdir, "ledger.txt")
    enqueued = [q.enqueue(rq_check_jobs.record, ledger, i) for i in range(jobs)]
    enqueued.append(q.enqueue(rq_check_jobs.add, 2, 40))
    wait_for(lambda: all(j.get_status(refresh=True) == "finished" for j in enqueued),
             "%d jobs to finish" % len(enqueued))
    if enqueued[-1].result != 42:
        raise AssertionError("add(2, 40) returned %r" % enqueued[-1].result)
    with open(ledger) as f:
        ran = sorted(int(line.split()[0]) for line in f)
    if ran != list(range(jobs)):
        raise AssertionError("jobs ran %r, want each of 0..%d once" % (ran, jobs - 1))
    print("ok    %d jobs ran exactly once in an rq worker, results stored" % len(enqueued))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--server", help="run against this binary instead (e.g. redis-server)")
    ap.add_argument("--jobs", type=int, default=30)
    opts = ap.parse_args()
    binary = opts.server and shutil.which(opts.server) or compat.find_fickle(opts.fickle)
    if not binary:
        print("ERROR: server binary not found")
        return 2
    print("rq %s (redis-py %s) against %s" % (rq.VERSION, redis.__version__, binary))
    server = compat.fickle_process(binary)
    failures = 0
    try:
        server.start()
        failures = run(server.port, server.workdir, opts.jobs)
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
