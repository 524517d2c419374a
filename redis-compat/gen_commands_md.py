#!/usr/bin/env python3
"""Generates docs/commands.md, the command compatibility matrix, from the servers themselves.

It starts build/server/fickle-server and a real redis-server on free ports, asks both for
COMMAND DOCS and COMMAND INFO, and writes one row per Redis command and subcommand: its group,
whether Fickle has it, and where the two tables disagree (arity, flags, key positions). Commands
only Fickle has are listed too. Because the table comes from Fickle's command registry, the
matrix cannot drift from the code: `--check` regenerates it and fails when the committed file
differs (tests/CMakeLists.txt runs that as a ctest).

Usage:
  redis-compat/gen_commands_md.py [--fickle PATH] [--redis PATH] [--out docs/commands.md]
  redis-compat/gen_commands_md.py --check   # exit 1 if docs/commands.md is stale, 77 if no redis
"""

import argparse
import difflib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP = 77  # ctest SKIP_RETURN_CODE: the reference server is not installed

# Deviations that the tables cannot show, for commands whose behaviour differs on purpose.
# Keep each note short; docs/configuration.md and the handlers' comments say more.
NOTES = {
    "shutdown": "SAVE fails as a failed save does (no persistence yet); plain SHUTDOWN does not save",
    "flushall": "ASYNC frees synchronously",
    "flushdb": "ASYNC frees synchronously",
    "debug": "OBJECT SLEEP SET-ACTIVE-EXPIRE LOG ERROR POPULATE PROTOCOL only",
    "info": "no Latencystats section",
    "command|info": "one key spec derived from first/last/step; no tips",
    "command|docs": "summary, since, group only",
    "memory|usage": "estimated from Fickle's node layout",
}


class Client:
    """A minimal RESP3 client: enough for COMMAND DOCS/INFO, without third-party packages."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise EOFError("server closed the connection")
        self.buf += data

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _bytes(self, n):
        while len(self.buf) < n + 2:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind in (b"$", b"=", b"("):
            if kind == b"(":
                return rest.decode()
            n = int(rest)
            if n < 0:
                return None
            text = self._bytes(n).decode(errors="replace")
            return text[4:] if kind == b"=" else text
        if kind in (b"*", b"~", b">"):
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        if kind == b"%":
            return {self.read(): self.read() for _ in range(int(rest))}
        if kind == b"_":
            return None
        if kind == b"#":
            return rest == b"t"
        if kind == b",":
            return float(rest)
        raise RuntimeError("unexpected reply: %r" % line)

    def call(self, *args):
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.sock.sendall(b"*%d\r\n" % len(parts) +
                          b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts))
        return self.read()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv, port):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            client = Client(port)
            client.call("HELLO", "3")
            return proc, client
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("%s exited with %d" % (argv[0], proc.returncode))
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("%s did not start" % argv[0])


def describe(client):
    """{full name: (info entry, docs map)} for every command and subcommand."""
    info = client.call("COMMAND", "INFO")
    docs = client.call("COMMAND", "DOCS")
    out = {}
    for entry in info:
        doc = docs.get(entry[0], {})
        out[entry[0]] = (entry, doc)
        subdocs = doc.get("subcommands", {}) or {}
        for sub in entry[9] or []:
            out[sub[0]] = (sub, subdocs.get(sub[0], {}))
    return out


def differences(redis_entry, fickle_entry):
    notes = []
    if redis_entry[1] != fickle_entry[1]:
        notes.append("arity %s (Redis %s)" % (fickle_entry[1], redis_entry[1]))
    r_flags = set(redis_entry[2]) - {"movablekeys"}
    f_flags = set(fickle_entry[2])
    if r_flags != f_flags:
        extra = sorted(f_flags - r_flags)
        missing = sorted(r_flags - f_flags)
        text = []
        if missing:
            text.append("lacks flag " + " ".join(missing))
        if extra:
            text.append("extra flag " + " ".join(extra))
        notes.append(", ".join(text))
    if tuple(redis_entry[3:6]) != tuple(fickle_entry[3:6]):
        notes.append("keys %s (Redis %s)" % (tuple(fickle_entry[3:6]), tuple(redis_entry[3:6])))
    return notes


def generate(fickle_bin, redis_bin):
    tmp = tempfile.mkdtemp(prefix="gen_commands_md_")
    procs = []
    try:
        rport, fport = free_port(), free_port()
        rproc, rcli = start([redis_bin, "--port", str(rport), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", tmp], rport)
        procs.append(rproc)
        fproc, fcli = start([fickle_bin, "--port", str(fport), "--bind", "127.0.0.1",
                             "--dir", tmp], fport)
        procs.append(fproc)
        redis_version = rcli.call("HELLO", "3")["version"]
        redis = describe(rcli)
        fickle = describe(fcli)
    finally:
        for p in procs:
            p.kill()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    def group_of(name):
        doc = redis.get(name, fickle.get(name))[1]
        return doc.get("group", "") or ""

    def sort_key(name):
        top = name.split("|")[0]
        return (group_of(top), top, name != top, name)

    rows = []
    for name in sorted(set(redis) | set(fickle), key=sort_key):
        notes = []
        if name in redis and name in fickle:
            supported = "yes"
            notes = differences(redis[name][0], fickle[name][0])
        elif name in redis:
            supported = "no"
        else:
            supported = "Fickle only"
        if name in NOTES and name in fickle:
            notes.append(NOTES[name])
        # Subcommands are indented under their container ("CONFIG GET").
        shown = name.upper() if "|" not in name else "&nbsp;&nbsp;" + name.replace("|", " ").upper()
        rows.append("| %s | %s | %s | %s |" % (shown, group_of(name), supported, "; ".join(notes)))

    tops = [n for n in redis if "|" not in n]
    subs = [n for n in redis if "|" in n]
    have_tops = sum(1 for n in tops if n in fickle)
    have_subs = sum(1 for n in subs if n in fickle)
    lines = [
        "# Command compatibility",
        "",
        "Generated by `redis-compat/gen_commands_md.py` from `COMMAND INFO` and `COMMAND DOCS` of",
        "fickle-server and redis-server %s; do not edit by hand. `ctest -R commands_md` fails when"
        % redis_version,
        "this file no longer matches the command table.",
        "",
        "Fickle implements **%d of %d** Redis commands and **%d of %d** subcommands."
        % (have_tops, len(tops), have_subs, len(subs)),
        "Notes list where Fickle's table differs from Redis's (arity, flags, key positions) and",
        "deliberate differences in behaviour.",
        "",
        "| Command | Group | Fickle | Notes |",
        "|---|---|---|---|",
    ]
    return "\n".join(lines + rows) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fickle", default=os.path.join(ROOT, "build", "server", "fickle-server"))
    parser.add_argument("--redis", default=shutil.which("redis-server") or "redis-server")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "commands.md"))
    parser.add_argument("--check", action="store_true",
                        help="fail if --out differs from what would be generated")
    args = parser.parse_args()
    if shutil.which(args.redis) is None and not os.path.exists(args.redis):
        print("redis-server not found; cannot compare (skipped)")
        return SKIP if args.check else 1
    text = generate(args.fickle, args.redis)
    if args.check:
        try:
            with open(args.out) as f:
                current = f.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), args.out, "generated"))
            print("\n%s is stale: run redis-compat/gen_commands_md.py --fickle <build>/server/"
                  "fickle-server and commit the result." % args.out)
            return 1
        return 0
    with open(args.out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
