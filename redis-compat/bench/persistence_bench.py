#!/usr/bin/env python3
"""Snapshot speed and memory, Fickle beside redis-server in the same run (issue #4's figures).

Dataset: 1,000,000 small strings + 1,000 hashes of 1,000 fields (1,001,000 keys). Per server and
round, in a fresh temp dir:
  save     wall time of SAVE (client side)
  restart  SHUTDOWN NOSAVE, start a new process on the same dir, time until PING answers PONG
           and DBSIZE is right (Redis answers -LOADING meanwhile)
  bgsave   BGSAVE while a client keeps writing (SET of existing and new keys, pipelined): peak of
           the server's memory above its level before the BGSAVE, sampled every 5 ms as the
           proportional set size (Pss) of the server plus any child it forked, so memory a fork
           shares copy-on-write is counted once; also the writer's slowest batch of 100 SETs
           (how long the loop paused) and its write rate while the BGSAVE ran
Medians of --rounds (default 3). Usage: persistence_bench.py [--fickle PATH] [--rounds N]
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import benchlib

STRINGS = 1_000_000
HASHES, FIELDS = 1_000, 1_000


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def send_all(port, commands, batch=5000):
    """Sends commands pipelined; checks no reply is an error."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        for i in range(0, len(commands), batch):
            chunk = commands[i:i + batch]
            s.sendall(b"".join(chunk))
            got, buf = 0, b""
            while got < len(chunk):
                buf += s.recv(1 << 20)
                lines = buf.split(b"\r\n")
                buf = lines.pop()
                for line in lines:
                    if line.startswith(b"-"):
                        raise RuntimeError("error reply %r" % line)
                    got += 1


def load(port):
    cmds = [resp("MSET", *sum([["key:%07d" % j, "value-%d" % j] for j in range(i, i + 100)], []))
            for i in range(0, STRINGS, 100)]
    for h in range(HASHES):
        cmds.append(resp("HSET", "hash:%04d" % h,
                         *sum([["field:%04d" % f, "v%d" % (h * f)] for f in range(FIELDS)], [])))
    send_all(port, cmds, batch=200)


def pss_kb(pid):
    """Pss of pid and its children (a forked saver), in kB."""
    total = 0
    pids = [pid]
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def info_field(port, section, field):
    for line in benchlib.cli(port, "INFO", section).splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    return None


def start(argv, port, data_dir):
    return subprocess.Popen([*argv, "--port", str(port), "--dir", data_dir, "--save", "",
                             "--appendonly", "no", "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_loaded(port, keys, deadline_s=120):
    t0 = time.monotonic()
    while time.monotonic() - t0 < deadline_s:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(64).startswith(b"+PONG"):
                    s.sendall(b"DBSIZE\r\n")
                    if s.recv(64).strip() == b":%d" % keys:
                        return
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError("not loaded in time")


class Writer(threading.Thread):
    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.stop = port, False
        self.measuring = False     # set while the BGSAVE runs
        self.slowest_s = 0.0       # the longest wait for one batch's replies while measuring
        self.acked = 0             # writes acknowledged while measuring

    def run(self):
        with socket.create_connection(("127.0.0.1", self.port)) as s:
            i = 0
            while not self.stop:
                batch = b"".join(resp("SET", "key:%07d" % ((i * 7919 + j) % STRINGS), "new")
                                 for j in range(100))
                t0 = time.monotonic()
                s.sendall(batch)
                n = 0
                while n < 100:
                    n += s.recv(1 << 16).count(b"\r\n")
                if self.measuring:
                    self.slowest_s = max(self.slowest_s, time.monotonic() - t0)
                    self.acked += 100
                i += 1


def one_round(name, argv):
    data_dir = tempfile.mkdtemp(prefix="fickle-pbench-")
    port = benchlib.free_port()
    proc = start(argv, port, data_dir)
    try:
        benchlib.wait_ready(port)
        load(port)
        keys = STRINGS + HASHES
        t0 = time.monotonic()
        if benchlib.cli(port, "SAVE") != "OK":
            raise RuntimeError("SAVE failed")
        save_s = time.monotonic() - t0
        file_mb = os.path.getsize(os.path.join(data_dir, "dump.rdb")) / 1e6
        # BGSAVE under writes.
        base = pss_kb(proc.pid)
        w = Writer(port)
        w.start()
        time.sleep(0.2)
        peak = pss_kb(proc.pid)
        w.measuring = True
        benchlib.cli(port, "BGSAVE")
        t0 = time.monotonic()
        while time.monotonic() - t0 < 120:
            peak = max(peak, pss_kb(proc.pid))
            if info_field(port, "persistence", "rdb_bgsave_in_progress") == "0":
                break
            time.sleep(0.005)
        bgsave_s = time.monotonic() - t0
        w.measuring = False
        w.stop = True
        w.join()
        benchlib.cli(port, "SHUTDOWN", "NOSAVE")
        proc.wait(timeout=60)
        # The dump from BGSAVE is on disk; restart from it.
        t0 = time.monotonic()
        proc = start(argv, port, data_dir)
        wait_loaded(port, keys)
        restart_s = time.monotonic() - t0
        return {"save_s": save_s, "restart_s": restart_s, "bgsave_s": bgsave_s,
                "bgsave_peak_mb": (peak - base) / 1024, "base_mb": base / 1024,
                "file_mb": file_mb, "bgsave_slowest_ms": w.slowest_s * 1000,
                "bgsave_writes_per_s": w.acked / bgsave_s}
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fickle", default=os.path.join(benchlib.ROOT, "build/server/fickle-server"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    servers = {"fickle": [os.path.abspath(args.fickle)], "redis": ["redis-server"]}
    results = {n: [] for n in servers}
    for r in range(args.rounds):
        for name, argv in servers.items():
            res = one_round(name, argv)
            results[name].append(res)
            print("round %d %s: %s" % (r + 1, name, ", ".join(
                "%s=%.2f" % kv for kv in sorted(res.items()))), file=sys.stderr)
    med = {n: {k: statistics.median(x[k] for x in rs) for k in rs[0]} for n, rs in results.items()}
    print("| figure (median of %d) | Fickle | Redis 7.0 | Fickle/Redis |" % args.rounds)
    print("|---|---:|---:|---:|")
    for k, label in [("save_s", "SAVE, s"), ("restart_s", "restart until loaded, s"),
                     ("file_mb", "dump.rdb, MB"), ("base_mb", "memory before BGSAVE (Pss), MB"),
                     ("bgsave_peak_mb", "extra memory at BGSAVE peak under writes, MB"),
                     ("bgsave_s", "BGSAVE duration under writes, s"),
                     ("bgsave_slowest_ms", "slowest 100-write batch during BGSAVE, ms"),
                     ("bgsave_writes_per_s", "writes acknowledged per s during BGSAVE")]:
        f, rd = med["fickle"][k], med["redis"][k]
        print("| %s | %.2f | %.2f | %s |" % (label, f, rd, "%.2f" % (f / rd) if rd else "-"))


if __name__ == "__main__":
    main()
