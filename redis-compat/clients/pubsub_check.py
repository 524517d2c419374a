#!/usr/bin/env python3
"""redis-py (Debian's python3-redis 4.3.4) Pub/Sub against Fickle: pubsub() subscribe and
psubscribe with get_message, handlers, listen() in a thread, run_in_thread, unsubscribe
bookkeeping, PUBSUB introspection, several subscribers, and keyspace notifications as a
cache-invalidation client would use them.

  pubsub_check.py [--fickle PATH] [--server PATH]

--server runs the checks against another binary (e.g. redis-server) to validate them.
Exit status: 0 pass, 1 fail, 77 python3-redis missing.
"""

import argparse
import os
import shutil
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

DEADLINE_S = 10.0  # safety net for waits; nothing asserts timing


expect = compat.expect


def next_message(p):
    """The next data message (subscribe confirmations included), or an AssertionError."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        m = p.get_message(timeout=0.1)
        if m is not None:
            return m
    raise AssertionError("no message within %.0f s" % DEADLINE_S)


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


def check_subscribe_publish(c):
    r = c.client()
    p = r.pubsub()
    p.subscribe("news", "sport")
    expect(next_message(p), {"type": "subscribe", "pattern": None, "channel": b"news", "data": 1})
    expect(next_message(p), {"type": "subscribe", "pattern": None, "channel": b"sport", "data": 2})
    expect(r.publish("news", "hello"), 1)
    expect(next_message(p), {"type": "message", "pattern": None, "channel": b"news",
                             "data": b"hello"})
    expect(sorted(r.pubsub_channels()), [b"news", b"sport"])
    expect(r.pubsub_numsub("news", "nobody"), [(b"news", 1), (b"nobody", 0)])
    p.unsubscribe("sport")
    expect(next_message(p)["type"], "unsubscribe")
    expect(p.subscribed, True)
    p.unsubscribe()
    expect(next_message(p), {"type": "unsubscribe", "pattern": None, "channel": b"news",
                             "data": 0})
    expect(p.subscribed, False)
    expect(r.publish("news", "nobody listens"), 0)
    p.close()


def check_patterns_and_decoding(c):
    r = c.client(decode_responses=True)
    p = r.pubsub(ignore_subscribe_messages=True)
    p.psubscribe("user:*:events")
    expect(p.get_message(timeout=1), None)  # reads the confirmation, which is ignored
    expect(r.pubsub_numpat(), 1)
    expect(r.publish("user:42:events", "login"), 1)
    expect(next_message(p), {"type": "pmessage", "pattern": "user:*:events",
                             "channel": "user:42:events", "data": "login"})
    expect(r.publish("user:42:other", "x"), 0)
    p.punsubscribe()
    p.close()


def check_handlers_and_thread(c):
    r = c.client()
    got = []
    done = threading.Event()

    def handler(message):
        got.append(message["data"])
        if len(got) == 100:
            done.set()

    p = r.pubsub()
    p.subscribe(**{"jobs": handler})
    worker = p.run_in_thread(sleep_time=0.01, daemon=True)
    deadline = time.monotonic() + DEADLINE_S
    while r.pubsub_numsub("jobs")[0][1] != 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    publisher = c.client()
    for i in range(100):
        publisher.publish("jobs", str(i))
    if not done.wait(DEADLINE_S):
        raise AssertionError("handler saw %d of 100 messages" % len(got))
    expect(got, [str(i).encode() for i in range(100)])
    worker.stop()
    worker.join(DEADLINE_S)
    p.close()


def check_many_subscribers_and_listen(c):
    r = c.client()
    subs = [r.pubsub(ignore_subscribe_messages=True) for _ in range(5)]
    received = [[] for _ in subs]

    def listen(i):
        for m in subs[i].listen():
            if m["type"] == "message":
                received[i].append(m["data"])
                if m["data"] == b"stop":
                    return

    for s in subs:
        s.subscribe("fanout")
    threads = [threading.Thread(target=listen, args=(i,), daemon=True) for i in range(5)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + DEADLINE_S
    while r.pubsub_numsub("fanout")[0][1] != 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    expect(r.publish("fanout", "one"), 5)
    expect(r.publish("fanout", "stop"), 5)
    for t in threads:
        t.join(DEADLINE_S)
    expect(received, [[b"one", b"stop"]] * 5)
    for s in subs:
        s.close()
    # Closing the connections unsubscribes them on the server.
    while r.pubsub_numsub("fanout")[0][1] != 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    expect(r.pubsub_numsub("fanout"), [(b"fanout", 0)])


def check_keyspace_notifications(c):
    r = c.client(decode_responses=True)
    r.config_set("notify-keyspace-events", "KEA")
    expect(r.config_get("notify-keyspace-events"), {"notify-keyspace-events": "AKE"})
    p = r.pubsub(ignore_subscribe_messages=True)
    p.psubscribe("__keyspace@0__:cache:*")
    p.get_message(timeout=1)
    r.set("cache:user:1", "v")
    r.hset("cache:h", "f", "v")
    r.delete("cache:user:1")
    r.set("cache:ttl", "v", px=50)
    events = []
    want = [("__keyspace@0__:cache:user:1", "set"), ("__keyspace@0__:cache:h", "hset"),
            ("__keyspace@0__:cache:user:1", "del"), ("__keyspace@0__:cache:ttl", "set"),
            ("__keyspace@0__:cache:ttl", "expire"), ("__keyspace@0__:cache:ttl", "expired")]
    for _ in want:
        m = next_message(p)
        events.append((m["channel"], m["data"]))
    expect(events, want)
    r.config_set("notify-keyspace-events", "")
    p.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--server", help="run against this binary instead (e.g. redis-server)")
    opts = ap.parse_args()
    binary = opts.server and shutil.which(opts.server) or compat.find_fickle(opts.fickle)
    if not binary:
        print("ERROR: server binary not found")
        return 2
    print("redis-py %s pubsub against %s" % (redis.__version__, binary))
    server = compat.fickle_process(binary)
    failures = 0
    try:
        server.start()
        c = Checker(server.port)
        c.check("subscribe, publish, unsubscribe, PUBSUB CHANNELS/NUMSUB",
                lambda: check_subscribe_publish(c))
        c.check("psubscribe with decode_responses, PUBSUB NUMPAT",
                lambda: check_patterns_and_decoding(c))
        c.check("handlers and run_in_thread, 100 messages in order",
                lambda: check_handlers_and_thread(c))
        c.check("five subscribers with listen() in threads, cleanup on close",
                lambda: check_many_subscribers_and_listen(c))
        c.check("keyspace notifications (set, hset, del, expire, expired)",
                lambda: check_keyspace_notifications(c))
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
