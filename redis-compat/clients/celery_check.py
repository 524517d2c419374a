#!/usr/bin/env python3
"""Celery (Debian's python3-celery, 5.2) with Fickle as broker and result backend, then the same
against redis-server; both must come out the same and right. A real worker runs as a
subprocess (prefork, 2 processes, late acks) and gets plain tasks, a countdown and an ETA task,
a task that fails and retries with a countdown, one that exhausts its retries, a group, a chain,
a chord (the Redis backend counts chord parts with ZADD/ZCOUNT in a MULTI and reads them back)
and one whose header fails, a revoked countdown task, and broadcast ping/inspect (pub/sub).
Then a worker is killed in the middle of a late-ack task, which the next worker must run again
(visibility timeout). Each task's runs are counted in a file the tasks append to, so
"exactly once" does not depend on the server under test.

  celery_check.py [--fickle PATH] [--redis-server PATH]

Exit status: 0 pass, 1 fail, 77 python3-celery or redis-server missing.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import compat  # noqa: E402

try:
    import celery  # noqa: F401
    import redis  # noqa: F401
except ImportError:
    compat.reexec_or_skip("celery is not installed (Debian: apt-get install python3-celery)")

RESULT_TIMEOUT_S = 30
COUNTDOWN_S = 1.0
SLOW_S = 2.0


def client_phase(url, runs_path):
    """Runs in a subprocess with FICKLE_CELERY_URL set: sends the tasks, waits for their results
    and prints the outcome as JSON. Labels (not task ids) name the tasks, so that the outcomes
    of two servers compare equal."""
    from celery import chain, chord, group
    from celery.exceptions import TaskRevokedError

    import celery_tasks as t

    labels = {}  # task id -> label
    out = {}

    def label(result, name):
        labels[result.id] = name
        return result

    plain = [label(t.add.delay(i, i), "add%d" % i) for i in range(20)]
    sent = time.time()
    later = label(t.add.apply_async((100, 1), countdown=COUNTDOWN_S), "countdown")
    eta = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=COUNTDOWN_S)
    at = label(t.add.apply_async((100, 2), eta=eta), "eta")
    flaky = label(t.flaky.delay(2, "ok"), "flaky")
    doomed = label(t.doomed.delay(), "doomed")
    grp = group(t.add.s(i, 1) for i in range(8))()
    for i, r in enumerate(grp.results):
        label(r, "group%d" % i)
    header = [t.add.s(i, i) for i in range(6)]
    ch = chord(header)(t.total.s())
    label(ch, "chord-body")
    for i, r in enumerate(ch.parent.results):
        label(r, "chord%d" % i)
    chn = chain(t.add.s(1, 2), t.add.s(10), t.add.s(100))()  # (1 + 2) + 10 + 100
    label(chn, "chain2")
    label(chn.parent, "chain1")
    label(chn.parent.parent, "chain0")
    bad = chord([t.add.s(1, 1), t.boom.s()])(t.total.s())  # the body never runs
    label(bad, "bad-chord-body")
    label(bad.parent.results[0], "bad-chord0")
    label(bad.parent.results[1], "bad-chord1")

    out["plain"] = [r.get(timeout=RESULT_TIMEOUT_S) for r in plain]
    # Revoke is a broadcast (pub/sub) that only a running worker hears: it is up by now.
    revoked = label(t.add.apply_async((7, 7), countdown=2 * COUNTDOWN_S), "revoked")
    revoked.revoke()
    out["countdown"] = [later.get(timeout=RESULT_TIMEOUT_S), at.get(timeout=RESULT_TIMEOUT_S)]
    # Not run before their time (date_done is set by the worker, in UTC).
    out["countdown_waited"] = [
        r.date_done is not None and
        r.date_done.replace(tzinfo=datetime.timezone.utc).timestamp() >= sent + COUNTDOWN_S - 0.05
        for r in (later, at)]
    out["flaky"] = [flaky.get(timeout=RESULT_TIMEOUT_S), flaky.state]
    try:
        doomed.get(timeout=RESULT_TIMEOUT_S)
        out["doomed"] = "no exception"
    except ValueError as e:
        out["doomed"] = ["ValueError", str(e), doomed.state]
    out["group"] = grp.get(timeout=RESULT_TIMEOUT_S)
    out["chord"] = ch.get(timeout=RESULT_TIMEOUT_S)
    out["chain"] = chn.get(timeout=RESULT_TIMEOUT_S)
    # (Without propagate=False, get() raises the header's KeyError, as the parent's error.)
    e = bad.get(timeout=RESULT_TIMEOUT_S, propagate=False)
    out["bad_chord"] = [type(e).__name__, "KeyError" in str(e), bad.state]
    try:
        revoked.get(timeout=RESULT_TIMEOUT_S)
        out["revoked"] = "no exception"
    except TaskRevokedError:
        out["revoked"] = ["TaskRevokedError", revoked.state]
    out["ping"] = len(t.app.control.ping(timeout=5.0, limit=1))
    stats = t.app.control.inspect(timeout=5.0, limit=1).stats() or {}
    out["inspect_pool"] = [s.get("pool", {}).get("max-concurrency") for s in stats.values()]

    time.sleep(1.0)  # a task delivered twice would have run by now
    runs = {}
    with open(runs_path) as f:
        for line in f:
            name, task_id, retries = line.split()
            key = labels.get(task_id, "unknown:" + name)
            runs.setdefault(key, []).append(int(retries))
    out["runs"] = {k: sorted(v) for k, v in sorted(runs.items())}
    print(json.dumps(out, sort_keys=True))


def redelivery_phase(stage, arg):
    """Client side of redelivery(): "send" prints a slow task's id, "wait ID" its result."""
    import celery_tasks as t

    if stage == "send":
        print(t.slow.delay(SLOW_S).id)
    else:
        print(json.dumps(t.app.AsyncResult(arg).get(timeout=RESULT_TIMEOUT_S)))


def start_worker(env, log_path, name, concurrency):
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_tasks", "worker", "--pool", "prefork",
             "--concurrency", str(concurrency), "--loglevel", "INFO", "--hostname", name],
            cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)  # its own process group, so that it can be killed whole


def stop_worker(worker, sig):
    """Sends sig to the worker's process group; True iff it exited in time."""
    try:
        os.killpg(worker.pid, sig)
    except ProcessLookupError:
        pass
    try:
        worker.wait(timeout=compat.EXIT_DEADLINE_S)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        return False


def redelivery(env, tmp, port):
    """A worker is SIGKILLed (with its pool) in the middle of a late-ack task; the next worker to
    start finds the message unacked for longer than the visibility timeout (kombu: ZREVRANGEBYSCORE
    on the unacked index under a SET NX mutex, then WATCH/MULTI to put it back) and runs it again.
    Returns ([result, runs of the task], note)."""
    env = dict(env, FICKLE_CELERY_VISIBILITY_S="1",
               FICKLE_CELERY_RUNS=os.path.join(tmp, "redelivery-runs"))
    log_path = os.path.join(tmp, "redelivery-worker.log")

    def client(*args):
        r = subprocess.run([sys.executable, os.path.abspath(__file__), "--redelivery", *args],
                           cwd=HERE, env=env, capture_output=True, text=True,
                           timeout=RESULT_TIMEOUT_S * 2)
        if r.returncode != 0:
            raise RuntimeError("redelivery %s failed:\n%s%s" % (args[0], r.stdout, r.stderr))
        return r.stdout.strip().splitlines()[-1]

    def runs(task_id):
        try:
            with open(env["FICKLE_CELERY_RUNS"]) as f:
                return [int(line.split()[2]) for line in f if line.split()[1] == task_id]
        except FileNotFoundError:
            return []

    first = start_worker(env, log_path, "first-%d@localhost" % port, 1)
    second = None
    try:
        task_id = client("send")
        deadline = time.monotonic() + RESULT_TIMEOUT_S
        while not runs(task_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        stop_worker(first, signal.SIGKILL)
        time.sleep(1.2)  # older than the visibility timeout
        second = start_worker(env, log_path, "second-%d@localhost" % port, 1)
        result = json.loads(client("wait", task_id))
        return [result, runs(task_id)], ""
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as e:
        with open(log_path, "rb") as f:
            return None, "%s\nworker log (tail):\n%s" % (
                e, f.read().decode(errors="replace")[-3000:])
    finally:
        stop_worker(first, signal.SIGKILL)
        if second is not None and not stop_worker(second, signal.SIGTERM):
            return None, "the second worker did not stop after SIGTERM"


def expected():
    runs = {"add%d" % i: [0] for i in range(20)}
    runs.update({"group%d" % i: [0] for i in range(8)})
    runs.update({"chord%d" % i: [0] for i in range(6)})
    runs.update({"countdown": [0], "eta": [0], "chord-body": [0], "flaky": [0, 1, 2],
                 "doomed": [0, 1], "chain0": [0], "chain1": [0], "chain2": [0],
                 "bad-chord0": [0], "bad-chord1": [0]})
    return {
        "plain": [i + i for i in range(20)],
        "countdown": [101, 102],
        "countdown_waited": [True, True],
        "flaky": ["ok", "SUCCESS"],
        "doomed": ["ValueError", "doomed", "FAILURE"],
        "group": [i + 1 for i in range(8)],
        "chord": sum(i + i for i in range(6)),
        "chain": 113,
        "bad_chord": ["ChordError", True, "FAILURE"],
        "revoked": ["TaskRevokedError", "REVOKED"],
        "ping": 1,
        "inspect_pool": [2],
        "redelivered": ["slept", [0, 0]],
        "runs": dict(sorted(runs.items())),
    }


def run_against(server):
    """Starts server, a worker on it and the client phase; returns (outcome or None, log)."""
    server.start()
    tmp = tempfile.mkdtemp(prefix="fickle-celery-")
    url = "redis://127.0.0.1:%d/0" % server.port
    env = dict(os.environ, FICKLE_CELERY_URL=url, FICKLE_CELERY_RUNS=os.path.join(tmp, "runs"),
               PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
    worker_log = os.path.join(tmp, "worker.log")
    with open(worker_log, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_tasks", "worker", "--pool", "prefork",
             "--concurrency", "2", "--loglevel", "INFO", "--hostname",
             "check-%d@localhost" % server.port],
            cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    outcome, note = None, ""
    started = time.monotonic()
    try:
        client = subprocess.run([sys.executable, os.path.abspath(__file__), "--client-phase",
                                 env["FICKLE_CELERY_RUNS"]],
                                cwd=HERE, env=env, capture_output=True, text=True,
                                timeout=RESULT_TIMEOUT_S * 3)
        if client.returncode == 0:
            outcome = json.loads(client.stdout.strip().splitlines()[-1])
        else:
            note = "client phase failed:\n%s%s" % (client.stdout, client.stderr)
    except subprocess.TimeoutExpired:
        note = "client phase timed out"
    finally:
        client_s = time.monotonic() - started
        worker.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            worker.wait(timeout=compat.EXIT_DEADLINE_S)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            note += "\nworker did not stop after SIGTERM"
        print("%s: client %.1f s, worker shutdown %.1f s" % (
            server.name, client_s, time.monotonic() - started - client_s))
        if outcome is not None:
            started = time.monotonic()
            outcome["redelivered"], why = redelivery(env, tmp, server.port)
            note += why
            print("%s: redelivery %.1f s" % (server.name, time.monotonic() - started))
        code = server.stop()
        if code != 0:
            note += "\n%s exited with %r after SIGTERM" % (server.name, code)
        if outcome is None or note:
            with open(worker_log, "rb") as f:
                note += "\nworker log (tail):\n" + f.read().decode(errors="replace")[-4000:]
            note += "\nserver log (tail):\n" + server.log()[-2000:]
        server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    return outcome, note


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--redis-server", default="redis-server")
    ap.add_argument("--client-phase", metavar="RUNS_FILE", help=argparse.SUPPRESS)
    ap.add_argument("--redelivery", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.redelivery:
        redelivery_phase(args.redelivery[0], args.redelivery[-1])
        return 0
    if args.client_phase:
        client_phase(os.environ["FICKLE_CELERY_URL"], args.client_phase)
        return 0
    redis_bin = shutil.which(args.redis_server)
    if redis_bin is None:
        print("SKIP: redis-server is not installed")
        return compat.SKIP_EXIT_CODE
    fickle_bin = compat.find_fickle(args.fickle)
    want = expected()
    failures = 0
    outcomes = {}
    for server in (compat.fickle_process(fickle_bin), compat.redis_process(redis_bin)):
        start = time.monotonic()
        outcome, note = run_against(server)
        outcomes[server.name] = outcome
        if note:
            print("%s: %s" % (server.name, note))
        if outcome != want:
            failures += 1
            print("FAIL: %s: outcome differs from the expected one" % server.name)
            for k in sorted(set(want) | set(outcome or {})):
                if (outcome or {}).get(k) != want.get(k):
                    print("  %s: got %r, want %r" % (k, (outcome or {}).get(k), want.get(k)))
        elif note:
            failures += 1
        print("%s: celery %s, %d task runs, %.1f s" % (
            server.name, celery.__version__,
            sum(len(v) for v in (outcome or {}).get("runs", {}).values()),
            time.monotonic() - start))
    if outcomes["fickle"] != outcomes["redis"]:
        failures += 1
        print("FAIL: Fickle and redis-server outcomes differ")
    print("PASS" if failures == 0 else "FAIL")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
