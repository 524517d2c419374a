"""Shared pieces of the side-by-side benchmarks: free ports, server processes pinned to a core,
per-process CPU time from /proc (the figure that separates servers on a 2-core machine), and one
redis-benchmark runner that parses throughput and latency percentiles."""
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLK_TCK = os.sysconf("SC_CLK_TCK")
FICKLE = os.path.join(ROOT, "build/server/fickle-server")
# The server gets the first core this process may use, redis-benchmark the second (the same one
# on a single-core runner, where only --quick makes sense).
_CORES = sorted(os.sched_getaffinity(0))
SERVER_CORE, CLIENT_CORE = _CORES[0], _CORES[1 % len(_CORES)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of every thread of the process so far (clock-tick resolution)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def wait_ready(port):
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not start")


def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True,
                          text=True).stdout.strip()


def info_field(port, section, field):
    """One numeric INFO field, or None when the server does not report it."""
    for line in cli(port, "INFO", section).splitlines():
        if line.startswith(field + ":"):
            try:
                return int(line.split(":", 1)[1])
            except ValueError:
                return None
    return None


def raise_nofile():
    """Soft RLIMIT_NOFILE up to the hard limit (10,000 connections need more than the usual 1024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Server:
    """A server process with no persistence, pinned to `core`, on a free port. `extra` are more
    --name value arguments (both servers take Redis's command-line config syntax)."""

    def __init__(self, name, argv, core=SERVER_CORE, extra=()):
        self.name, self.port = name, free_port()
        self.proc = subprocess.Popen(["taskset", "-c", str(core), *argv, "--port", str(self.port),
                                      "--save", "", "--appendonly", "no", *extra],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=raise_nofile)
        wait_ready(self.port)

    def stop(self):
        stop(self.proc)


def stop(proc, timeout=60):
    """SIGTERM, then SIGKILL if the process has not exited after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def alternating(names, rounds, log, label, extra=()):
    """Yields (name, fresh Server) for each server of each round, A B then B A ..., and stops
    each server when the caller moves on."""
    for rnd in range(rounds):
        for name in round_order(names, rnd):
            srv = Server(name, names[name], extra=extra)
            try:
                yield name, srv
            finally:
                srv.stop()
        log(f"  {label}: round {rnd + 1}/{rounds} done")


def servers(fickle):
    """The two servers under test, in the order round 1 starts them."""
    return {"fickle": [fickle], "redis": ["redis-server"]}


def round_order(names, rnd):
    """A B, then B A, ... so drift over the run falls on both servers alike."""
    names = list(names)
    return names if rnd % 2 == 0 else names[::-1]


def redis_benchmark(port, command, requests, pipeline=1, clients=50, keyspace=None):
    """Runs redis-benchmark pinned to the client core. `command` is ["-t", "get"] or a custom
    command (["LRANGE", "mylist", "0", "99"]). Returns {"rps", "p50", "p99", "p999"} (latencies
    in ms) for the last test section it printed, or None when the run failed or the server
    answered an error.

    p50 and p99 come from the summary (exact HdrHistogram values); p99.9 is the first line of
    "Latency by percentile distribution" at or above 99.9% (an upper bound: the lines step by
    halving the distance to 100%). --csv has no p99.9, so the full output is parsed."""
    argv = ["taskset", "-c", str(CLIENT_CORE), "redis-benchmark", "-p", str(port),
            "-c", str(clients), "-n", str(requests), "-P", str(pipeline)]
    if keyspace:
        argv += ["-r", str(keyspace)]
    proc = subprocess.run(argv + list(command), capture_output=True, text=True)
    out = proc.stdout.replace("\r", "\n")
    if proc.returncode != 0 or "Error from server" in out or "ERR" in proc.stderr:
        return None
    section = out.rsplit("======", 1)[-1]
    rps = re.search(r"throughput summary: ([0-9.]+) requests per second", section)
    summary = re.search(r"avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n\s*([0-9.\s]+)", section)
    if not rps or not summary:
        return None
    avg, _mn, p50, _p95, p99, _mx = (float(x) for x in summary.group(1).split()[:6])
    dist = section.split("Latency by percentile distribution:", 1)[-1]
    dist = dist.split("Cumulative distribution of latencies:", 1)[0]
    p999 = float("nan")
    for m in re.finditer(r"([0-9.]+)% <= ([0-9.]+) milliseconds", dist):
        if float(m.group(1)) >= 99.9:
            p999 = float(m.group(2))
            break
    return {"rps": float(rps.group(1)), "avg": avg, "p50": p50, "p99": p99, "p999": p999}


def measured(srv, requests, fn):
    """Runs fn() (one benchmark against srv) and adds the server's CPU microseconds per request
    to the dict it returns; None stays None."""
    before = cpu_seconds(srv.proc.pid)
    r = fn()
    used = cpu_seconds(srv.proc.pid) - before
    if r is not None:
        r = dict(r, cpu_us=used * 1e6 / requests)
    return r


def median_result(results):
    """Field-wise median of a list of result dicts (the rounds of one test on one server)."""
    results = [r for r in results if r]
    if not results:
        return None
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def machine():
    """What the figures were measured on, for the report."""
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout.strip()
        except OSError:
            return ""
    cpu = ""
    for line in out(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    if not cpu:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gb": round(mem_kb / 1e6, 1),
            "kernel": platform.release(), "os": out(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "redis": out(["redis-server", "--version"]).split(" sha=")[0],
            "commit": out(["git", "rev-parse", "--short", "HEAD"]),
            "loadavg": open("/proc/loadavg").read().split()[:3]}
