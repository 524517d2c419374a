#!/usr/bin/env python3
"""Differential test: the same commands against Fickle and Debian's redis-server, raw replies
compared byte for byte.

  difftest.py [--fickle PATH] [--redis-server PATH] [--cases DIR] [FILE ...]
              [--seed N] [--count N] [--no-random] [--no-cases] [--max-mismatches N]
              [--self-check]

Case files (cases/*.txt) hold one command per line, quoted as redis-cli does. Lines starting
with '#' are comments. Each file runs on a fresh connection to each server, and both servers are
flushed (FLUSHALL) between files. Line forms:

  SET k "a b"              sent as a RESP multibulk command; one reply read and compared
  SMEMBERS s  # unordered  the array reply is compared as a sorted multiset
  HGETALL h  # unordered-pairs   the flat map/array reply is compared as sorted (field, value) pairs
  EXEC x  # known-bug: text     a known Fickle bug: a difference is reported, not failed
  SUBSCRIBE a b  # replies 2     read (and compare) 2 replies: a command that answers several,
                                 such as (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE with N channels
  !inline GET "a b"        the rest of the line is sent verbatim + CRLF (the inline protocol)
  !raw *1\\r\\n$abc\\r\\n      the bytes (\\r \\n \\t \\\\ \\xHH escapes) sent verbatim; one reply read

After QUIT or a protocol error both servers must close the connection; the next line reconnects.

Then the seeded random run (random_commands.py): --count commands from the template table over a
small key space. Templates whose command Fickle does not know are skipped and counted.

Exit status: 0 all equal, 1 mismatches, 2 harness or server failure, 77 redis-server missing.
"""

import argparse
import glob
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compat  # noqa: E402
import random_commands  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# Where Fickle deliberately differs from Redis. These commands are still sent to both servers
# (so state stays in step), but their replies are not compared, and the summary says so.
NOT_COMPARED = {
    "info": "server-specific fields, counters and timings",
    "client list": "ids, addresses, ages and buffer sizes differ per run",
    "client info": "ids, addresses, ages and buffer sizes differ per run",
    "time": "wall clock",
    "lastsave": "wall clock",
    "randomkey": "random choice; Fickle's key order differs",
    "memory *": "allocator-specific sizes",
    "object *": "encodings, idle times and frequencies are implementation details",
    "command": "Fickle's command table documents only the commands it implements",
    "command docs": "Fickle's command table documents only the commands it implements",
    "command info": "Fickle's command table documents only the commands it implements",
    "command list": "Fickle's command table documents only the commands it implements",
    "command count": "Fickle implements fewer commands",
    "config get": "Fickle lists only the directives it knows",
    "slowlog *": "timings",
    "latency *": "timings",
}

# Replies normalised before the byte comparison, with the reason.
NORMALISED = {
    "keys": "unordered: Fickle returns keys in lexicographic order, Redis in hash order",
    "scan": "Fickle's cursor and order are its own (lexicographic); a complete one-call SCAN "
            "(cursor 0 on both) compares the key multiset, a partial one is not compared",
    "hello": "the 'id' field is the connection id, which differs per server",
    "client id": "connection ids differ per server",
    "xpending": "the idle time of each pending entry (ms since delivery) is not compared",
    "xinfo consumers": "the idle time of each consumer (ms since it was seen) is not compared",
    "xinfo stream": "FULL: delivery and seen times (Unix ms) of consumer groups are not compared",
    "ttl": "compared within 1 s (the two servers receive the command a moment apart)",
    "pttl": "compared within 2000 ms",
    "expiretime": "compared within 1 s (relative expiry set a moment apart)",
    "pexpiretime": "compared within 2000 ms",
}

TOLERANCE = {"ttl": 1, "pttl": 2000, "expiretime": 1, "pexpiretime": 2000}

# These would end or disturb the run; case files and the generator must not use them.
FORBIDDEN = {
    "shutdown": "would stop the server",
    "monitor": "turns the connection into a feed",
    "debug *": "can crash or stall the server",
}


# Commands whose comparison key includes the subcommand ("client id", "command docs").
CONTAINERS = {"client", "command", "config", "object", "memory", "slowlog", "latency", "debug",
              "xinfo", "xgroup"}


def key_of(args):
    """The comparison key of a command: its lowercase name, with the subcommand for CONTAINERS."""
    name = args[0].decode(errors="replace").lower() if args else ""
    if name in CONTAINERS and len(args) > 1:
        return name + " " + args[1].decode(errors="replace").lower()
    return name


def lookup(table, key):
    """table[key], or the "name *" entry that covers every subcommand of key's command."""
    if key in table:
        return table[key]
    return table.get(key.split(" ")[0] + " *")


def normalise(key, raw):
    """The comparable form of a reply, per NORMALISED."""
    if raw.startswith(b"-"):
        return raw
    if key == "keys":
        return sort_aggregate(raw)
    if key == "scan":
        parts = compat.split_reply(raw)
        if parts and len(parts[1]) == 2:
            cursor, keys = parts[1]
            if cursor == b"$1\r\n0\r\n":
                return parts[0] + cursor + sort_aggregate(keys)
            return b"(partial SCAN: not compared)"
        return raw
    if key == "hello":
        return re.sub(rb"\$2\r\nid\r\n:\d+\r\n", b"$2\r\nid\r\n:<id>\r\n", raw)
    if key == "client id":
        return re.sub(rb"^:\d+\r\n$", b":<id>\r\n", raw)
    if key == "xpending":
        # Extended form rows: [id, consumer, idle ms, deliveries].
        return re.sub(rb"(\*4\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n[^\r]*\r\n):\d+\r\n",
                      rb"\1:<idle>\r\n", raw)
    if key == "xinfo stream":
        return re.sub(rb":\d{13,}\r\n", b":<time>\r\n", raw)
    if key == "xinfo consumers":
        return re.sub(rb"(\$4\r\nidle\r\n):\d+\r\n", rb"\1:<idle>\r\n", raw)
    return raw


def sort_aggregate(raw, pairs=False):
    parts = compat.split_reply(raw)
    if parts is None:
        return raw
    header, items = parts
    if pairs:
        grouped = sorted(zip(items[0::2], items[1::2]))
        return header + b"".join(a + b for a, b in grouped)
    return header + b"".join(sorted(items))


def sort_exec_items(raw, annotations):
    """EXEC's array with each element sorted as its queued command's annotation says."""
    parts = compat.split_reply(raw)
    if parts is None or len(parts[1]) != len(annotations):
        return raw
    header, items = parts
    out = []
    for item, a in zip(items, annotations):
        if a == "unordered":
            item = sort_aggregate(item)
        elif a == "unordered-pairs":
            item = sort_aggregate(item, pairs=True)
        out.append(item)
    return header + b"".join(out)


def normalise_exec_items(raw, queued):
    """EXEC's array with each element normalised as its queued command's reply would be."""
    parts = compat.split_reply(raw)
    if parts is None or len(parts[1]) != len(queued):
        return raw
    header, items = parts
    return header + b"".join(normalise(key, item) for item, key in zip(items, queued))


def int_lines_close(a, b, tol):
    """True iff a and b are the same reply except for integers that differ by at most tol."""
    la, lb = a.split(b"\r\n"), b.split(b"\r\n")
    if len(la) != len(lb):
        return False
    for x, y in zip(la, lb):
        if x == y:
            continue
        if not (x.startswith(b":") and y.startswith(b":")):
            return False
        try:
            vx, vy = int(x[1:]), int(y[1:])
        except ValueError:
            return False
        if vx < 0 or vy < 0 or abs(vx - vy) > tol:
            return False
    return True


def show(args):
    """A command as a readable line."""
    out = []
    for a in args:
        s = a.decode("utf-8", "backslashreplace")
        if not s or any(c in s for c in " \"'\\") or not s.isprintable():
            s = '"' + a.decode("latin-1").encode("unicode_escape").decode().replace('"', '\\"') + '"'
        out.append(s)
    return " ".join(out)


class Pair:
    """One connection to each server, with the MULTI bookkeeping needed to compare EXEC replies."""

    def __init__(self, fickle_port, redis_port):
        self.ports = (fickle_port, redis_port)
        self.conns = None
        self.queued = []  # comparison keys of commands queued inside MULTI
        self.queued_annotations = []  # their case-line annotations ("unordered", ...)
        self.in_multi = False

    def connect(self):
        self.close()
        self.conns = [compat.RespConn(p) for p in self.ports]
        self.queued, self.queued_annotations, self.in_multi = [], [], False

    def close(self):
        if self.conns:
            for c in self.conns:
                c.close()
        self.conns = None

    def exchange(self, payload, count=1):
        """Sends payload (bytes) on both connections and reads `count` replies from each,
        concatenated. A reply is raw bytes, or '(closed)' if the server closed the connection
        instead of replying."""
        if self.conns is None:
            self.connect()
        replies = []
        for c in self.conns:
            try:
                c.send_raw(payload)
                replies.append(b"".join(c.read_reply() for _ in range(count)))
            except (compat.ConnectionClosed, BrokenPipeError, ConnectionResetError):
                replies.append(b"(closed)")
            except OSError as e:  # timeout
                replies.append(("(no reply: %s)" % e).encode())
        return replies

    def closes(self):
        """Waits for both servers to close; returns a per-server b'(closed)'/b'(left open)'."""
        out = [b"(closed)" if c.wait_closed() else b"(left open)" for c in self.conns]
        self.close()
        return out


class Report:
    def __init__(self, max_mismatches):
        self.max_mismatches = max_mismatches
        self.mismatches = 0
        self.compared = 0
        self.not_compared = {}
        self.normalised = {}
        self.known = []  # lines marked `# known-bug:` that still differ
        self.fixed = []  # lines marked `# known-bug:` that now match

    def mismatch(self, where, command, fickle, redis, note=""):
        self.mismatches += 1
        if self.mismatches > self.max_mismatches:
            return
        print("MISMATCH %s: %s%s" % (where, command, note))
        print("    redis : %s" % render(redis))
        print("    fickle: %s" % render(fickle))


def render(raw):
    text = repr(raw)
    return text if len(text) <= 400 else text[:400] + "... (%d bytes)" % len(raw)


def compare(pair, report, where, args, payload, annotation):
    """Sends one command to both servers and records the outcome."""
    key = key_of(args) if args else ""
    count = int(annotation.split()[1]) if annotation.startswith("replies") else 1
    fickle, redis = pair.exchange(payload, count)
    closed = []
    if key == "quit" or any(r.startswith(b"-ERR Protocol error") for r in (fickle, redis)) or \
            b"(closed)" in (fickle, redis):
        if pair.conns is not None:
            closed = pair.closes()
        else:
            closed = [b"", b""]
    name = key.split(" ")[0]
    if pair.in_multi and name not in ("exec", "discard", "multi", "watch", "quit", "reset"):
        pair.queued.append(key)
        pair.queued_annotations.append(annotation)
    if name == "multi" and redis == b"+OK\r\n":
        pair.in_multi, pair.queued, pair.queued_annotations = True, [], []
    if name in ("exec", "discard", "reset") or closed:
        queued, pair.in_multi, pair.queued = pair.queued, False, []
        queued_annotations, pair.queued_annotations = pair.queued_annotations, []
    else:
        queued, queued_annotations = [], []
    if lookup(NOT_COMPARED, key):
        report.not_compared[key] = report.not_compared.get(key, 0) + 1
        return True
    if name == "exec" and any(lookup(NOT_COMPARED, q) for q in queued):
        report.not_compared["exec (queued %s)" % ", ".join(
            sorted({q for q in queued if lookup(NOT_COMPARED, q)}))] = 1
        return True
    if key in NORMALISED:
        report.normalised[key] = report.normalised.get(key, 0) + 1
    fn, rn = normalise(key, fickle), normalise(key, redis)
    if name == "exec":
        fn, rn = (normalise_exec_items(r, queued) for r in (fn, rn))
    if name == "exec" and any(a.startswith("unordered") for a in queued_annotations):
        # An unordered reply stays unordered inside EXEC's array: sort that element only.
        fn, rn = (sort_exec_items(r, queued_annotations) for r in (fn, rn))
    if annotation == "unordered":
        fn, rn = sort_aggregate(fn), sort_aggregate(rn)
    elif annotation == "unordered-pairs":
        fn, rn = sort_aggregate(fn, pairs=True), sort_aggregate(rn, pairs=True)
    report.compared += 1
    tol = max([TOLERANCE.get(k, 0) for k in [key] + queued] or [0])
    same = fn == rn or (tol and int_lines_close(fn, rn, tol))
    if annotation.startswith("known-bug:"):
        if same and not (closed and closed[0] != closed[1]):
            report.fixed.append("%s: %s (%s)" % (where, show(args) if args else repr(payload),
                                                 annotation))
        else:
            report.known.append("%s: %s (%s)" % (where, show(args) if args else repr(payload),
                                                 annotation))
        return True
    if closed and closed[0] != closed[1]:
        report.mismatch(where, show(args) if args else repr(payload), fickle + closed[0],
                        redis + closed[1], "  (connection handling differs)")
        return False
    if not same:
        report.mismatch(where, show(args) if args else repr(payload), fickle, redis)
        return False
    return True


def parse_case_line(line):
    """(payload bytes, args or None, annotation) for one case line, or None for a comment."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    if stripped.startswith("!inline "):
        text = line.split("!inline ", 1)[1].rstrip("\r\n")
        data = text.encode("utf-8", "surrogateescape") + b"\r\n"
        try:
            args = compat.split_args(text)
        except ValueError:
            args = None
        return data, args, ""
    if stripped.startswith("!raw "):
        data = compat.unescape(stripped[len("!raw "):])
        return data, None, ""
    annotation = ""
    m = re.search(r"\s#\s*(unordered-pairs|unordered|known-bug:.*|replies \d+)$", stripped)
    if m:
        annotation = m.group(1).strip()
        stripped = stripped[:m.start()]
    args = compat.split_args(stripped)
    return compat.encode_command(args), args, annotation


def flush_both(fickle, redis, fickle_binary):
    """FLUSHALL on both servers. If Fickle does not know FLUSHALL yet, it is restarted instead."""
    c = compat.RespConn(redis.port)
    c.call(["FLUSHALL"])
    c.close()
    c = compat.RespConn(fickle.port)
    reply = c.call(["FLUSHALL"])
    c.close()
    if reply == b"+OK\r\n":
        return None
    code = fickle.stop()
    fickle.start()
    if code != 0:
        return "Fickle exited with status %r on SIGTERM (restart for lack of FLUSHALL)" % code
    return None


def run_case_file(path, fickle, redis, report):
    name = os.path.relpath(path, HERE)
    pair = Pair(fickle.port, redis.port)
    failures_before = report.mismatches
    lines = 0
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for lineno, line in enumerate(f, 1):
            try:
                parsed = parse_case_line(line)
            except ValueError as e:
                print("ERROR %s:%d: cannot parse line (%s): %s" % (name, lineno, e, line.rstrip()))
                report.mismatches += 1
                continue
            if parsed is None:
                continue
            payload, args, annotation = parsed
            if args and (lookup(FORBIDDEN, key_of(args)) or lookup(FORBIDDEN, key_of(args[:1]))):
                reason = lookup(FORBIDDEN, key_of(args)) or lookup(FORBIDDEN, key_of(args[:1]))
                print("ERROR %s:%d: %s is not allowed in case files: %s" %
                      (name, lineno, args[0].decode(), reason))
                report.mismatches += 1
                continue
            lines += 1
            compare(pair, report, "%s:%d" % (name, lineno), args, payload, annotation)
    pair.close()
    status = "ok" if report.mismatches == failures_before else "FAILED"
    print("%-28s %4d commands  %s" % (name, lines, status))
    return report.mismatches == failures_before


def probe_known(port, names):
    """The subset of command names the server knows. Each name is sent inside MULTI, where an
    unknown command is rejected at once and a known one is only queued (or rejected for its
    arity), so probing changes no data."""
    known = set()
    c = compat.RespConn(port)
    try:
        for name in sorted(names):
            if name in ("multi", "exec", "discard"):
                continue
            assert c.call(["MULTI"]) == b"+OK\r\n"
            reply = c.call([name])
            if not reply.startswith(b"-ERR unknown command"):
                known.add(name)
            c.call(["DISCARD"])
        if "multi" in known or c.call(["MULTI"]) == b"+OK\r\n":
            c.call(["DISCARD"])
            known |= {"multi", "exec", "discard"} & set(names)
    finally:
        c.close()
    return known


def probe_features(fickle_port, redis_port):
    """The FEATURES whose probe command Fickle answers exactly as Redis does."""
    ok = set()
    conns = [compat.RespConn(fickle_port), compat.RespConn(redis_port)]
    try:
        for feature, (probe, _) in random_commands.FEATURES.items():
            fickle, redis = (c.call(probe) for c in conns)
            if fickle == redis:
                ok.add(feature)
            for c in conns:
                c.call(["DEL", random_commands.PROBE_KEY])
    finally:
        for c in conns:
            c.close()
    return ok


def run_random(fickle, redis, report, seed, count):
    templates = random_commands.TEMPLATES
    names = {random_commands.command_name(t) for t in templates}
    known = probe_known(fickle.port, names) & probe_known(redis.port, names)
    features = probe_features(fickle.port, redis.port)
    enabled = [t for t in templates if random_commands.command_name(t) in known and
               random_commands.template_feature(t) in features | {None}]
    unknown = sorted(names - known)
    print("random: seed %d, %d commands, %d of %d templates enabled" %
          (seed, count, len(enabled), len(templates)))
    n_unknown = sum(1 for t in templates if random_commands.command_name(t) not in known)
    print("  skipped %d templates of %d commands Fickle does not know yet: %s" %
          (n_unknown, len(unknown), " ".join(unknown) or "none"))
    for feature, (probe, what) in sorted(random_commands.FEATURES.items()):
        if feature in features:
            continue
        n = sum(1 for t in templates if random_commands.template_feature(t) == feature and
                random_commands.command_name(t) in known)
        print("  skipped %d templates of feature '%s' (%s): Fickle answers `%s` differently" %
              (n, feature, what, show([a.encode() for a in probe])))
    if not enabled:
        return True
    gen = random_commands.Generator(seed, enabled)
    pair = Pair(fickle.port, redis.port)
    history = []
    for i in range(count):
        args = gen.next()
        history.append(show(args))
        if not compare(pair, report, "random #%d" % (i + 1), args,
                       compat.encode_command(args), gen.annotation):
            print("  last commands before the mismatch (seed %d):" % seed)
            for h in history[-12:]:
                print("    " + h)
            print("  reproduce: %s --no-cases --seed %d --count %d" %
                  (os.path.relpath(__file__), seed, i + 1))
            pair.close()
            return False
    pair.close()
    print("random: %d commands, all replies equal" % count)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="case files (default: cases/*.txt)")
    ap.add_argument("--fickle", help="fickle-server binary (default: $FICKLE_SERVER or "
                    "build/server/fickle-server)")
    ap.add_argument("--redis-server", default="redis-server")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases"))
    ap.add_argument("--seed", type=int, default=20240607)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--no-random", action="store_true")
    ap.add_argument("--no-cases", action="store_true")
    ap.add_argument("--max-mismatches", type=int, default=10)
    ap.add_argument("--self-check", action="store_true",
                    help="run redis-server on both sides: every case line and random template "
                    "must be deterministic, so any mismatch is a harness or case-file bug")
    opts = ap.parse_args()

    redis_bin = shutil.which(opts.redis_server)
    if not redis_bin:
        print("SKIP: %s is not installed (Debian: apt-get install redis-server)" %
              opts.redis_server)
        return compat.SKIP_EXIT_CODE
    fickle_bin = redis_bin if opts.self_check else compat.find_fickle(opts.fickle)
    if not fickle_bin:
        print("ERROR: fickle-server not found; build it or pass --fickle")
        return 2
    print("reference: %s" % compat.redis_version(redis_bin))
    print("fickle:    %s" % fickle_bin)

    files = opts.files or sorted(glob.glob(os.path.join(opts.cases, "*.txt")))
    fickle = compat.fickle_process(fickle_bin)
    redis = compat.redis_process(redis_bin)
    report = Report(opts.max_mismatches)
    infra_errors = []
    try:
        fickle.start()
        redis.start()
        if not opts.no_cases:
            for path in files:
                run_case_file(path, fickle, redis, report)
                err = flush_both(fickle, redis, fickle_bin)
                if err:
                    infra_errors.append(err)
        if not opts.no_random and opts.count > 0:
            run_random(fickle, redis, report, opts.seed, opts.count)
    except RuntimeError as e:
        infra_errors.append(str(e))
    finally:
        fcode = fickle.stop()
        redis.stop()
        if fcode != 0:
            infra_errors.append("Fickle exited with status %r on SIGTERM; log:\n%s" %
                                (fcode, fickle.log()[-3000:]))
        fickle.cleanup()
        redis.cleanup()

    print("\nNot compared (deliberate differences; sent to both servers, replies not compared):")
    for k in sorted(NOT_COMPARED):
        print("  %-14s %s" % (k.upper(), NOT_COMPARED[k]))
    if report.not_compared:
        print("  seen in this run: " + ", ".join(
            "%s x%d" % (k.upper(), n) for k, n in sorted(report.not_compared.items())))
    print("Normalised before comparing:")
    for k in sorted(NORMALISED):
        seen = " [seen %d]" % report.normalised[k] if k in report.normalised else ""
        print("  %-14s %s%s" % (k.upper(), NORMALISED[k], seen))
    print("Not allowed in case files: %s" % ", ".join(
        "%s (%s)" % (k.upper(), v) for k, v in sorted(FORBIDDEN.items())))
    for k in report.known:
        print("KNOWN BUG (still differs): " + k)
    for k in report.fixed:
        print("FIXED? (now equal; remove the known-bug annotation): " + k)
    for e in infra_errors:
        print("ERROR: " + e)
    if report.mismatches > report.max_mismatches:
        print("(%d more mismatches not shown)" % (report.mismatches - report.max_mismatches))
    print("\n%d replies compared, %d mismatches, reference %s" %
          (report.compared, report.mismatches, compat.redis_version(redis_bin)))
    if infra_errors:
        return 2
    return 1 if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
