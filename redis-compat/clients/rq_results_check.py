#!/usr/bin/env python3
"""RQ (Debian's python3-rq) through Fickle: jobs are enqueued, a worker runs them, and their
results are read back. RQ 1.12+ keeps each job's results in a stream (XADD ... MAXLEN ~ and
XREVRANGE), so this is issue #8's "RQ runs jobs and reads their results" check. A failing job
must come back failed with its traceback, and a requeued job's result history must keep every
run.

  rq_results_check.py [--fickle PATH] [--jobs 50]

Exit status: 0 pass, 1 fail, 77 python3-rq (or python3-redis) missing.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import compat  # noqa: E402

try:
    import redis
    import rq
    from rq.job import JobStatus
    from rq.results import Result
except ImportError:
    compat.reexec_or_skip("rq or redis is not installed (Debian: apt-get install python3-rq)")

import rq_jobs  # noqa: E402  (the job functions; the worker imports them by name)


def run(port, jobs):
    conn = redis.Redis(port=port)
    q = rq.Queue("checks", connection=conn)
    enqueued = [q.enqueue(rq_jobs.square, i) for i in range(jobs)]
    failing = q.enqueue(rq_jobs.explode)
    worker = rq.SimpleWorker([q], connection=conn)
    worker.work(burst=True)
    failures = 0
    for i, job in enumerate(enqueued):
        job.refresh()
        if job.get_status() != JobStatus.FINISHED or job.return_value() != i * i:
            print("FAIL: job %d: status %s, result %r" % (i, job.get_status(),
                                                           job.return_value()))
            failures += 1
        latest = job.latest_result()
        if latest is None or latest.type != Result.Type.SUCCESSFUL or latest.return_value != i * i:
            print("FAIL: job %d: latest result %r" % (i, latest))
            failures += 1
    failing.refresh()
    latest = failing.latest_result()
    if failing.get_status() != JobStatus.FAILED or latest is None or \
            latest.type != Result.Type.FAILED or "ZeroDivisionError" not in (latest.exc_string or ""):
        print("FAIL: the failing job: status %s, latest result %r" % (failing.get_status(), latest))
        failures += 1
    # Requeue the failing job twice: its result stream keeps every run, newest first.
    for _ in range(2):
        failing.requeue()
        worker.work(burst=True)
    results = failing.results()
    if len(results) != 3 or any(r.type != Result.Type.FAILED for r in results):
        print("FAIL: results of a job run three times: %r" % results)
        failures += 1
    elif not results[0].created_at >= results[-1].created_at:
        print("FAIL: results are not newest first")
        failures += 1
    print("rq %s: %d jobs run, results read back from streams, %d failures" %
          (rq.__version__, jobs + 1, failures))
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--jobs", type=int, default=50)
    args = ap.parse_args()
    server = compat.fickle_process(compat.find_fickle(args.fickle))
    server.start()
    try:
        failures = run(server.port, args.jobs)
    finally:
        code = server.stop()
        server.cleanup()
    if code != 0:
        print("FAIL: fickle-server exited with %r after SIGTERM" % code)
        failures += 1
    print("PASS" if failures == 0 else "FAIL")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
