#!/usr/bin/env python3
"""BullMQ (npm, pinned in bullmq/package-lock.json) against Fickle and against redis-server:
bullmq/check.js runs the jobs against one server and prints its outcome; both servers must
pass check.js's own expectations and give the same outcome.

node_modules is not in git: the first run installs it with `npm ci` (the npm cache serves it
offline once it has been fetched) into --workdir, not into the source tree, so two build trees
never race on one node_modules.

  bullmq_check.py [--fickle PATH] [--redis-server PATH] [--workdir DIR]

Exit status: 0 pass, 1 fail, 77 only when node, npm or redis-server is not installed.
"""
import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import compat  # noqa: E402

SOURCE = os.path.join(HERE, "bullmq")
FILES = ("package.json", "package-lock.json", "check.js")
NODE_TIMEOUT_S = 60


def prepare(workdir):
    """Copies the package into workdir and runs `npm ci` when its lock file changed. Returns an
    error text or None."""
    os.makedirs(workdir, exist_ok=True)
    lock = os.path.join(workdir, "package-lock.json")
    installed = os.path.join(workdir, "node_modules", ".package-lock.json")
    fresh = os.path.exists(installed) and os.path.exists(lock) and \
        filecmp.cmp(lock, os.path.join(SOURCE, "package-lock.json"), shallow=False)
    for name in FILES:
        shutil.copyfile(os.path.join(SOURCE, name), os.path.join(workdir, name))
    if fresh:
        return None
    cmd = ["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"]
    try:
        r = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return "npm ci timed out"
    if r.returncode != 0:
        return "npm ci failed:\n%s%s" % (r.stdout, r.stderr)
    return None


def run_against(server, workdir):
    server.start()
    outcome, note = None, ""
    try:
        r = subprocess.run(["node", "check.js", str(server.port)], cwd=workdir,
                           capture_output=True, text=True, timeout=NODE_TIMEOUT_S)
        if r.stderr:
            note = r.stderr
        lines = r.stdout.strip().splitlines()
        if lines:
            outcome = json.loads(lines[-1])
        if r.returncode != 0:
            note += "\ncheck.js exited with %d" % r.returncode
    except subprocess.TimeoutExpired:
        note = "check.js timed out"
    except ValueError as e:
        note += "\nbad output: %s" % e
    finally:
        code = server.stop()
        if code != 0:
            note += "\n%s exited with %r after SIGTERM" % (server.name, code)
        if note:
            note += "\nserver log (tail):\n" + server.log()[-2000:]
        server.cleanup()
    return outcome, note


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--redis-server", default="redis-server")
    ap.add_argument("--workdir", default=os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                      "build", "bullmq"))
    args = ap.parse_args()
    for tool in ("node", "npm", args.redis_server):
        if shutil.which(tool) is None:
            print("SKIP: %s is not installed" % tool)
            return compat.SKIP_EXIT_CODE
    error = prepare(args.workdir)
    if error:
        print("FAIL: " + error)
        return 1
    failures = 0
    outcomes = {}
    for server in (compat.fickle_process(compat.find_fickle(args.fickle)),
                   compat.redis_process(shutil.which(args.redis_server))):
        start = time.monotonic()
        outcome, note = run_against(server, args.workdir)
        outcomes[server.name] = outcome
        if note:
            failures += 1
            print("FAIL: %s: %s" % (server.name, note.strip()))
        print("%s: %s jobs' outcomes, %.1f s" % (
            server.name, "no" if outcome is None else len(outcome.get("events", [])),
            time.monotonic() - start))
    if outcomes["fickle"] != outcomes["redis"]:
        failures += 1
        print("FAIL: Fickle and redis-server outcomes differ")
        a, b = outcomes["fickle"] or {}, outcomes["redis"] or {}
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                print("  %s:\n    fickle %r\n    redis  %r" % (k, a.get(k), b.get(k)))
    print("PASS" if failures == 0 else "FAIL")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
