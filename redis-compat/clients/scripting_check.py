#!/usr/bin/env python3
"""redis-py (Debian's python3-redis 4.3.4) Lua scripting against Fickle, as libraries use it:
register_script objects (EVALSHA, falling back to EVAL on NOSCRIPT, also after SCRIPT FLUSH and
inside pipelines), the Lock class (its acquire, extend and release are Lua scripts), a token
bucket rate limiter of the kind rate-limiter libraries load, error mapping (ResponseError,
NoScriptError), and Redis 7.0 Functions through redis-py's function_* and fcall methods.

  scripting_check.py [--fickle PATH] [--server PATH]

--server runs the checks against another binary (e.g. redis-server) to validate them.
Exit status: 0 pass, 1 fail, 77 python3-redis missing.
"""

import argparse
import os
import shutil
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import compat  # noqa: E402

try:
    import redis
except ImportError:
    compat.reexec_or_skip("the redis module is not installed (Debian: apt-get install python3-redis)")


expect = compat.expect


class Checker:
    def __init__(self, port):
        self.port = port
        self.failures = 0

    def client(self, **kw):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=compat.IO_DEADLINE_S,
                           **kw)

    def check(self, name, fn):
        try:
            fn()
            print("ok    " + name)
        except Exception as e:  # noqa: BLE001 -- any failure of a client check is reported
            self.failures += 1
            print("FAIL  %s: %s: %s" % (name, type(e).__name__, e))


def check_registered_scripts(c):
    r = c.client()
    r.flushall()
    incr_by = r.register_script("return redis.call('incrby', KEYS[1], ARGV[1])")
    expect(incr_by(keys=["counter"], args=[5]), 5)  # EVALSHA fails with NOSCRIPT, then EVAL
    expect(r.script_exists(incr_by.sha), [True])
    expect(incr_by(keys=["counter"], args=[2]), 7)
    r.script_flush()
    expect(r.script_exists(incr_by.sha), [False])
    expect(incr_by(keys=["counter"], args=[1]), 8)
    # In a pipeline redis-py loads the scripts first (SCRIPT EXISTS / SCRIPT LOAD).
    r.script_flush()
    pipe = r.pipeline()
    incr_by(keys=["counter"], args=[10], client=pipe)
    pipe.get("counter")
    expect(pipe.execute(), [18, b"18"])
    pairs = r.register_script("return {KEYS[1], ARGV[1], {ok='fine'}, 3.9, false}")
    expect(pairs(keys=["k"], args=["v"]), [b"k", b"v", b"fine", 3, None])


def check_errors(c):
    r = c.client()
    r.set("str", "x")
    try:
        r.eval("return redis.call('lpush', KEYS[1], 'a')", 1, "str")
        raise AssertionError("no error")
    except redis.ResponseError as e:
        expect(str(e).startswith("WRONGTYPE Operation against a key holding the wrong kind"), True)
    try:
        r.evalsha("0" * 40, 0)
        raise AssertionError("no error")
    except redis.exceptions.NoScriptError:
        pass
    try:  # a returned error table is an error reply, which redis-py raises
        r.eval("return redis.pcall('lpush', KEYS[1], 'a')", 1, "str")
        raise AssertionError("no error")
    except redis.ResponseError as e:
        expect(str(e), "WRONGTYPE Operation against a key holding the wrong kind of value")
    try:
        r.eval("return +", 0)
        raise AssertionError("no error")
    except redis.ResponseError as e:
        expect(str(e), "Error compiling script (new function): user_script:1: "
                       "unexpected symbol near '+'")


def check_lock(c):
    r = c.client()
    lock = r.lock("resource", timeout=30)
    expect(lock.acquire(blocking=False), True)
    other = c.client().lock("resource", timeout=30)
    expect(other.acquire(blocking=False), False)
    expect(lock.extend(10), True)
    expect(r.pttl("resource") > 30000, True)
    expect(lock.reacquire(), True)
    lock.release()
    expect(r.exists("resource"), 0)
    expect(other.acquire(blocking=False), True)
    r.set("resource", "someone else")  # the token no longer matches: the script answers 0
    try:
        other.release()
        raise AssertionError("no error")
    except redis.exceptions.LockNotOwnedError:
        pass
    expect(r.get("resource"), b"someone else")


RATE_LIMIT = """
local tokens = tonumber(redis.call('get', KEYS[1]) or ARGV[1])
if tokens <= 0 then return 0 end
redis.call('set', KEYS[1], tokens - 1, 'EX', 60)
return 1
"""


def check_rate_limiter_threads(c):
    r = c.client()
    r.delete("bucket")
    limiter = r.register_script(RATE_LIMIT)
    allowed = []
    lock = threading.Lock()

    def worker():
        cl = c.client()
        script = cl.register_script(RATE_LIMIT)
        for _ in range(25):
            got = script(keys=["bucket"], args=[50])
            with lock:
                allowed.append(got)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # Atomic scripts: exactly 50 of the 100 calls get a token.
    expect(sum(allowed), 50)
    expect(limiter(keys=["bucket"], args=[50]), 0)
    expect(r.get("bucket"), b"0")


FUNCTION_LIBRARY = """#!lua name=counters
local function bump(keys, args)
  return redis.call('incrby', keys[1], args[1])
end
redis.register_function('bump', bump)
redis.register_function{function_name='peek', callback=function(keys)
  return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads a counter'}
"""


def expect_ok(v):
    """redis-py answers True for some +OK replies and b"OK" for others."""
    expect(v in (True, b"OK"), True)


def check_functions(c):
    r = c.client()
    r.function_flush()
    expect(r.function_load(FUNCTION_LIBRARY), b"counters")
    expect(r.fcall("bump", 1, "hits", 3), 3)
    expect(r.fcall_ro("peek", 1, "hits"), b"3")
    try:
        r.fcall_ro("bump", 1, "hits", 1)
        raise AssertionError("FCALL_RO ran a function without no-writes")
    except redis.ResponseError as e:
        expect(str(e), "Can not execute a script with write flag using *_ro command.")
    listing = r.function_list(library="count*", withcode=True)
    expect(len(listing), 1)
    lib = dict(zip(listing[0][::2], listing[0][1::2]))
    expect(lib[b"library_name"], b"counters")
    expect(lib[b"library_code"], FUNCTION_LIBRARY.encode())
    names = sorted(dict(zip(f[::2], f[1::2]))[b"name"] for f in lib[b"functions"])
    expect(names, [b"bump", b"peek"])
    payload = r.function_dump()
    expect_ok(r.function_delete("counters"))
    expect_ok(r.function_restore(payload))
    expect(r.fcall("bump", 1, "hits", 2), 5)
    try:
        r.function_restore(payload)
        raise AssertionError("RESTORE APPEND replaced an existing library")
    except redis.ResponseError as e:
        expect(str(e), "Library counters already exists")
    expect_ok(r.function_restore(payload, "REPLACE"))
    pipe = r.pipeline()
    pipe.fcall("bump", 1, "hits", 10)
    pipe.fcall_ro("peek", 1, "hits")
    expect(pipe.execute(), [15, b"15"])
    expect_ok(r.function_flush("ASYNC"))
    expect(r.function_list(), [])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--server", help="run against this binary instead (e.g. redis-server)")
    opts = ap.parse_args()
    binary = opts.server and shutil.which(opts.server) or compat.find_fickle(opts.fickle)
    if not binary:
        print("ERROR: server binary not found")
        return 2
    print("redis-py %s scripting against %s" % (redis.__version__, binary))
    server = compat.fickle_process(binary)
    failures = 0
    try:
        server.start()
        c = Checker(server.port)
        c.check("register_script: EVALSHA, NOSCRIPT fallback, SCRIPT FLUSH, pipelines",
                lambda: check_registered_scripts(c))
        c.check("errors: WRONGTYPE, NoScriptError, pcall error values, compile errors",
                lambda: check_errors(c))
        c.check("Lock: acquire, extend, reacquire, release, LockNotOwnedError",
                lambda: check_lock(c))
        c.check("a token bucket script from four threads hands out exactly 50 tokens",
                lambda: check_rate_limiter_threads(c))
        c.check("functions: function_load, fcall, fcall_ro, function_list, dump/restore",
                lambda: check_functions(c))
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
