#!/usr/bin/env python3
"""redis-py (Debian's python3-redis 4.3.4) against Fickle: set/get, binary values, pipelines,
transactions with WATCH, scan_iter, HELLO 2, errors, several databases and threads.

  redis_py_check.py [--fickle PATH] [--server PATH]

--server runs the checks against another binary (e.g. redis-server) to validate them.
Exit status: 0 pass, 1 fail, 77 python3-redis missing.
"""

import argparse
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import compat  # noqa: E402

try:
    import redis
except ImportError:
    compat.reexec_or_skip("the redis module is not installed (Debian: apt-get install python3-redis)")


class Checker:
    def __init__(self, port):
        self.port = port
        self.failures = 0
        self.skipped = []

    def check(self, name, fn):
        try:
            fn()
            print("ok    " + name)
        except Skip as e:
            self.skipped.append("%s (%s)" % (name, e))
            print("skip  %s: %s" % (name, e))
        except Exception as e:  # noqa: BLE001 -- any failure of a client check is reported
            self.failures += 1
            print("FAIL  %s: %s: %s" % (name, type(e).__name__, e))

    def client(self, **kw):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=compat.IO_DEADLINE_S,
                           **kw)


class Skip(Exception):
    pass


expect = compat.expect


def require_command(r, name):
    """Raises Skip if the server does not know `name` (checked inside MULTI: no side effects)."""
    p = r.pipeline(transaction=True)
    p.execute_command(name)
    try:
        p.execute()
    except redis.exceptions.ResponseError as e:
        if "unknown command" in str(e):
            raise Skip("server does not implement %s yet" % name.upper())
    except redis.exceptions.ExecAbortError as e:
        if "unknown command" in str(e):
            raise Skip("server does not implement %s yet" % name.upper())


def run_checks(c):
    r = c.client()
    rd = c.client(decode_responses=True)

    def basics():
        expect(r.ping(), True)
        expect(r.set("py:k", "v"), True)
        expect(r.get("py:k"), b"v")
        expect(rd.get("py:k"), "v")
        expect(r.get("py:missing"), None)
        expect(r.echo("hi"), b"hi")
        expect(r.delete("py:k", "py:missing"), 1)
        expect(r.exists("py:k") if has(r, "exists") else 0, 0)

    def binary_values():
        blob = bytes(range(256)) * 64 + b"\r\n\x00"
        expect(r.set(b"py:\x00bin", blob), True)
        expect(r.get(b"py:\x00bin"), blob)
        big = os.urandom(3 << 20)
        expect(r.set("py:big", big), True)
        expect(r.get("py:big"), big)
        r.delete(b"py:\x00bin", "py:big")

    def pipeline():
        p = r.pipeline(transaction=False)
        for i in range(1000):
            p.set("py:p:%d" % i, i)
        for i in range(1000):
            p.get("py:p:%d" % i)
        out = p.execute()
        expect(out[:1000], [True] * 1000)
        expect(out[1000:], [str(i).encode() for i in range(1000)])
        expect(r.dbsize() >= 1000, True)
        r.delete(*["py:p:%d" % i for i in range(1000)])

    def transaction():
        p = r.pipeline(transaction=True)
        p.set("py:t", "1").get("py:t").delete("py:t").get("py:t")
        expect(p.execute(), [True, b"1", 1, None])

    def watch_conflict():
        other = c.client()
        r.set("py:w", "a")
        with r.pipeline() as p:
            p.watch("py:w")
            other.set("py:w", "changed by another client")
            p.multi()
            p.set("py:w", "mine")
            try:
                p.execute()
                raise AssertionError("EXEC ran although a watched key changed")
            except redis.exceptions.WatchError:
                pass
        expect(r.get("py:w"), b"changed by another client")
        other.close()

    def transaction_helper():
        r.set("py:counter", "5")

        def bump(pipe):
            value = int(pipe.get("py:counter"))
            pipe.multi()
            pipe.set("py:counter", value + 1)

        r.transaction(bump, "py:counter")
        expect(r.get("py:counter"), b"6")
        r.delete("py:counter", "py:w")

    def exec_abort():
        p = r.pipeline(transaction=True)
        p.set("py:e", "1")
        p.execute_command("NOSUCHCOMMAND")
        try:
            p.execute()
            raise AssertionError("EXEC succeeded with an unknown command queued")
        except redis.exceptions.ResponseError as e:
            expect("unknown command" in str(e) or "EXECABORT" in str(e), True)
        expect(r.get("py:e"), None)

    def errors():
        try:
            r.execute_command("NOSUCHCOMMAND", "a")
            raise AssertionError("no error")
        except redis.exceptions.ResponseError as e:
            expect(str(e), "unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' ")
        expect(r.ping(), True)

    def databases():
        r1 = c.client(db=1)
        r1.set("py:db", "one")
        expect(r.get("py:db"), None)
        expect(r1.get("py:db"), b"one")
        r1.delete("py:db")
        r1.close()

    def scan_iter():
        require_command(r, "scan")
        keys = {"py:s:%03d" % i for i in range(300)}
        p = r.pipeline(transaction=False)
        for k in keys:
            p.set(k, "x")
        p.execute()
        seen = list(rd.scan_iter(match="py:s:*", count=50))
        expect(sorted(seen), sorted(keys))  # every key exactly once
        r.delete(*keys)

    def hello2():
        reply = r.execute_command("HELLO", "2")
        flat = reply if isinstance(reply, list) else [x for kv in reply.items() for x in kv]
        fields = dict(zip(flat[0::2], flat[1::2]))
        expect(fields[b"server"], b"redis")
        expect(fields[b"proto"], 2)
        expect(fields[b"version"].startswith(b"7."), True)

    def threads():
        pool = redis.ConnectionPool(host="127.0.0.1", port=c.port, max_connections=8)
        errors = []

        def work(t):
            cl = redis.Redis(connection_pool=pool)
            try:
                for i in range(200):
                    cl.set("py:th:%d" % t, i)
                    if cl.get("py:th:%d" % t) != str(i).encode():
                        errors.append("thread %d read a wrong value" % t)
                        return
            except Exception as e:  # noqa: BLE001
                errors.append("thread %d: %s" % (t, e))

        ts = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        pool.disconnect()
        expect(errors, [])
        r.delete(*["py:th:%d" % t for t in range(8)])

    for name, fn in [("set/get/ping/echo/delete", basics), ("binary and 3 MB values", binary_values),
                     ("pipeline of 2000 commands", pipeline), ("transaction", transaction),
                     ("WATCH conflict raises WatchError", watch_conflict),
                     ("Redis.transaction() helper", transaction_helper),
                     ("EXECABORT", exec_abort), ("error replies", errors),
                     ("databases (db=1)", databases), ("scan_iter", scan_iter),
                     ("HELLO 2", hello2), ("8 threads on a connection pool", threads)]:
        c.check(name, fn)
    r.close()
    rd.close()


def has(r, name):
    try:
        require_command(r, name)
        return True
    except Skip:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--server", help="run against this binary instead (e.g. redis-server)")
    opts = ap.parse_args()
    import shutil
    binary = opts.server and shutil.which(opts.server) or compat.find_fickle(opts.fickle)
    if not binary:
        print("ERROR: server binary not found")
        return 2
    print("redis-py %s against %s" % (redis.__version__, binary))
    server = compat.fickle_process(binary)
    failures = 0
    try:
        server.start()
        c = Checker(server.port)
        run_checks(c)
        failures = c.failures
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
