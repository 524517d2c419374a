#!/usr/bin/env python3
"""Pub/Sub message sequences, differential: several named connections to Fickle and to Debian's
redis-server run the same script; after every line, everything each connection received is
compared byte for byte (replies, subscription confirmations, messages, pushes).

  pubsub_diff.py [--fickle PATH] [--redis-server PATH] [FILE ...]

FILE (default: cases/pubsub_multi/*.txt) holds one command per line, prefixed by the name of the
connection that sends it (one capital letter): `A SUBSCRIBE news`, `B PUBLISH news hi`.
Connections open on first use; '#' starts a comment line. After each line every open connection
sends `PING <token>` and is read up to that PING's answer (a bulk string, or `pong <token>` in the
RESP2 subscribed mode), the sender first: once the sender's answer is back the command has run
and every message it caused is queued ahead of the other connections' answers. HELLO's
connection id is normalised.

Exit status: 0 all equal, 1 mismatches, 2 harness failure, 77 redis-server missing.
"""

import argparse
import glob
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compat  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class Side:
    """The named connections to one server."""

    def __init__(self, port):
        self.port = port
        self.conns = {}
        self.closed = set()

    def conn(self, name):
        if name not in self.conns:
            self.conns[name] = compat.RespConn(self.port)
        return self.conns[name]

    def drain(self, name, token):
        """Everything name received up to the answer to `PING token` (sent by the caller)."""
        c = self.conns[name]
        out = []
        while True:
            try:
                reply = c.read_reply()
            except compat.ConnectionClosed:
                self.closed.add(name)
                out.append(b"(closed)")
                return b"".join(out)
            out.append(reply)
            if reply.endswith(token + b"\r\n") and (reply.startswith(b"$") or
                                                    reply.startswith(b"*2\r\n$4\r\npong")):
                return b"".join(out)

    def step(self, name, args, token):
        """Runs args on connection `name`; returns {connection: bytes received} for all. The
        sender's barrier completes first, so the command has run before any other connection's
        barrier PING is sent (PINGs on other sockets could otherwise overtake it)."""
        self.conn(name).send(args)
        seen = {}
        order = [name] + [n for n in self.conns if n != name]
        for n in order:
            if n in self.closed:
                continue
            try:
                self.conns[n].send([b"PING", token])
            except OSError:
                self.closed.add(n)
                seen[n] = b"(closed)"
                continue
            seen[n] = self.drain(n, token)
        return seen

    def close(self):
        for c in self.conns.values():
            c.close()


def normalise(seen):
    """HELLO's connection id differs per server."""
    return {n: re.sub(rb"\$2\r\nid\r\n:\d+\r\n", b"$2\r\nid\r\n:<id>\r\n", b)
            for n, b in seen.items()}


def run_file(path, fickle_port, redis_port):
    name = os.path.relpath(path, HERE)
    for port in (fickle_port, redis_port):
        c = compat.RespConn(port)
        c.call(["FLUSHALL"])
        c.close()
    sides = [Side(fickle_port), Side(redis_port)]
    mismatches = lines = 0
    try:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                who, _, command = text.partition(" ")
                if len(who) != 1 or not who.isupper():
                    print("ERROR %s:%d: no connection name: %s" % (name, lineno, text))
                    mismatches += 1
                    continue
                args = compat.split_args(command)
                lines += 1
                token = b"barrier-%d" % lineno
                got = [normalise(s.step(who, args, token)) for s in sides]
                if got[0] != got[1]:
                    mismatches += 1
                    print("MISMATCH %s:%d: %s" % (name, lineno, text))
                    for conn in sorted(set(got[0]) | set(got[1])):
                        f_, r_ = got[0].get(conn), got[1].get(conn)
                        if f_ != r_:
                            print("    %s redis : %r" % (conn, r_))
                            print("    %s fickle: %r" % (conn, f_))
    finally:
        for s in sides:
            s.close()
    print("%-40s %4d lines  %s" % (name, lines, "ok" if mismatches == 0 else "FAILED"))
    return mismatches


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--fickle")
    ap.add_argument("--redis-server", default="redis-server")
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
    files = opts.files or sorted(glob.glob(os.path.join(HERE, "cases", "pubsub_multi", "*.txt")))
    fickle = compat.fickle_process(fickle_bin)
    redis = compat.redis_process(redis_bin)
    fickle.start()
    redis.start()
    total = 0
    try:
        for path in files:
            total += run_file(path, fickle.port, redis.port)
    finally:
        code = fickle.stop()
        redis.stop()
        fickle.cleanup()
        redis.cleanup()
    if code != 0:
        print("ERROR: fickle-server exited with status %r" % code)
        return 2
    print("pubsub sequences: %s" % ("all equal" if total == 0 else "%d mismatches" % total))
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
