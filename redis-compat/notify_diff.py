#!/usr/bin/env python3
"""Keyspace notifications, differential: the same commands against Fickle and Debian's
redis-server, with a second connection subscribed to every keyspace and keyevent channel; the
command's reply and the sequence of notifications it caused are compared byte for byte.

  notify_diff.py [--fickle PATH] [--redis-server PATH] [--flags KEA] [FILE ...]

FILE (default: cases/notifications/*.txt) holds one command per line, quoted as redis-cli does;
'#' starts a comment line, and a line '# flags: KEm' sets that file's flags. Both servers get
FLUSHALL and CONFIG SET notify-keyspace-events <flags> first. After each command the subscriber sends PING: a server delivers a command's
notifications while it runs, so every one of them precedes the subscriber's pong.

Commands that depend on the clock (expired keys) are best left out: active expiry fires at a
different moment on each server.

Exit status: 0 all equal, 1 mismatches, 2 harness failure, 77 redis-server missing.
"""

import argparse
import glob
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compat  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PATTERN = "__key*__:*"
PONG = b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"


class Side:
    """A command connection and a subscriber connection to one server."""

    def __init__(self, port, flags):
        self.cmd = compat.RespConn(port)
        self.sub = compat.RespConn(port)
        for args in (["FLUSHALL"], ["CONFIG", "SET", "notify-keyspace-events", flags]):
            reply = self.cmd.call(args)
            if reply != b"+OK\r\n":
                raise RuntimeError("%s -> %r" % (" ".join(args), reply))
        self.sub.send(["PSUBSCRIBE", PATTERN])
        self.sub.read_reply()

    def run(self, args):
        """(reply, [notification messages]) for one command."""
        reply = self.cmd.call(args)
        self.sub.send(["PING"])
        events = []
        while True:
            msg = self.sub.read_reply()
            if msg == PONG:
                return reply, events
            events.append(msg)

    def close(self):
        self.cmd.close()
        self.sub.close()


def show_events(events):
    """pmessage arrays as 'channel message' lines."""
    out = []
    for e in events:
        parts = compat.split_reply(e)
        if parts is None or len(parts[1]) != 4:
            out.append(repr(e))
            continue
        fields = [p.split(b"\r\n", 1)[1][:-2].decode("utf-8", "backslashreplace")
                  for p in parts[1][2:]]
        out.append(" ".join(fields))
    return out


def run_file(path, fickle_port, redis_port, flags):
    name = os.path.relpath(path, HERE)
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# flags:"):
                flags = line.split(":", 1)[1].strip()
    sides = [Side(fickle_port, flags), Side(redis_port, flags)]
    mismatches = lines = 0
    try:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                args = compat.split_args(text)
                lines += 1
                (fr, fe), (rr, re_) = (s.run(args) for s in sides)
                if fr != rr or fe != re_:
                    mismatches += 1
                    print("MISMATCH %s:%d: %s" % (name, lineno, text))
                    if fr != rr:
                        print("    reply redis : %r" % rr)
                        print("    reply fickle: %r" % fr)
                    print("    events redis : %s" % show_events(re_))
                    print("    events fickle: %s" % show_events(fe))
    finally:
        for s in sides:
            s.close()
    print("%-40s %4d commands  %s" % (name, lines, "ok" if mismatches == 0 else "FAILED"))
    return mismatches


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--fickle")
    ap.add_argument("--redis-server", default="redis-server")
    ap.add_argument("--flags", default="KEA")
    opts = ap.parse_args()
    redis_bin = shutil.which(opts.redis_server)
    if not redis_bin:
        print("SKIP: %s is not installed" % opts.redis_server)
        return compat.SKIP_EXIT_CODE
    fickle_bin = compat.find_fickle(opts.fickle)
    if not fickle_bin:
        print("ERROR: fickle-server not found; build it or pass --fickle")
        return 2
    print("reference: %s" % compat.redis_version(redis_bin))
    files = opts.files or sorted(glob.glob(os.path.join(HERE, "cases", "notifications", "*.txt")))
    fickle = compat.fickle_process(fickle_bin)
    redis = compat.redis_process(redis_bin)
    fickle.start()
    redis.start()
    total = 0
    try:
        for path in files:
            total += run_file(path, fickle.port, redis.port, opts.flags)
    finally:
        code = fickle.stop()
        redis.stop()
        fickle.cleanup()
        redis.cleanup()
    if code != 0:
        print("ERROR: fickle-server exited with status %r" % code)
        return 2
    print("notifications: %s" % ("all equal" if total == 0 else "%d mismatches" % total))
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
