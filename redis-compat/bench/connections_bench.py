#!/usr/bin/env python3
"""Many connections: 0, 1,000 and 10,000 idle clients plus redis-benchmark's 50 busy ones, Fickle
beside Debian's redis-server. Per server and idle count: server CPU per request of SET and GET
at -c 50 -P 1 with the idle clients connected, latency, and memory per idle connection (growth
of VmRSS and of INFO used_memory from before the idle clients connected to after, divided by
their number).

Both servers start with maxclients 10100 and a raised RLIMIT_NOFILE (the hard limit; this script
raises its own too). Each idle client sends one PING and reads the PONG, so the server has read
from it once, as from a pooled connection that has been used, and then stays quiet. Memory is
read 3 s later: both servers give an idle client's query buffer back after 2 s (Redis in
clientsCron, Fickle in its ClientsCron), and an idle pooled connection is what this measures.

  python3 redis-compat/bench/connections_bench.py [--idle 0,1000,10000] [--rounds 3]
"""
import argparse
import socket
import sys
import time

import benchlib

IDLE = [0, 1000, 10000]
MAXCLIENTS = 10100
BATCH = 500


def open_idle(port, count):
    """count connections that have each done one PING; raises if any fails."""
    conns = []
    for start in range(0, count, BATCH):
        batch = [socket.create_connection(("127.0.0.1", port), timeout=30)
                 for _ in range(min(BATCH, count - start))]
        for s in batch:
            s.sendall(b"PING\r\n")
        for s in batch:
            reply = s.recv(64)
            if not reply.startswith(b"+PONG"):
                raise RuntimeError(f"idle client {len(conns)}: {reply!r}")
            conns.append(s)
    return conns


def run(fickle, rounds, requests, idle_counts, log=print):
    """Returns {idle: {"SET"|"GET": {server: median result},
                       "rss_per_conn"|"used_per_conn": {server: bytes}}}."""
    benchlib.raise_nofile()
    names = benchlib.servers(fickle)
    results = {}
    for idle in idle_counts:
        raw = {t: {s: [] for s in names} for t in ("SET", "GET")}
        mem = {k: {s: [] for s in names} for k in ("rss_per_conn", "used_per_conn")}
        for name, srv in benchlib.alternating(names, rounds, log, f"{idle:,} idle connections",
                                              extra=["--maxclients", str(MAXCLIENTS)]):
            time.sleep(0.2)
            rss0 = benchlib.rss_bytes(srv.proc.pid)
            used0 = benchlib.info_field(srv.port, "memory", "used_memory")
            conns = open_idle(srv.port, idle)
            try:
                time.sleep(3.0 if idle else 0.5)  # past the 2 s after which idle buffers go
                if idle:
                    rss1 = benchlib.rss_bytes(srv.proc.pid)
                    used1 = benchlib.info_field(srv.port, "memory", "used_memory")
                    clients = benchlib.info_field(srv.port, "clients", "connected_clients")
                    if clients is None or clients < idle:
                        raise RuntimeError(f"{name}: {clients} clients connected, not {idle}")
                    mem["rss_per_conn"][name].append((rss1 - rss0) / idle)
                    if used0 is not None and used1 is not None:
                        mem["used_per_conn"][name].append((used1 - used0) / idle)
                for test in ("SET", "GET"):
                    raw[test][name].append(benchlib.measured(
                        srv, requests, lambda: benchlib.redis_benchmark(
                            srv.port, ["-t", test.lower()], requests, 1, keyspace=100000)))
            finally:
                for s in conns:
                    s.close()
        results[idle] = {t: {s: benchlib.median_result(raw[t][s]) for s in names} for t in raw}
        for k, per in mem.items():
            results[idle][k] = {s: (sorted(v)[len(v) // 2] if v else None) for s, v in per.items()}
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idle", default=",".join(map(str, IDLE)))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=100000)
    ap.add_argument("--fickle", default=benchlib.FICKLE)
    args = ap.parse_args()
    import report
    res = run(args.fickle, args.rounds, args.requests,
              [int(s) for s in args.idle.split(",")], log=lambda m: print(m, file=sys.stderr))
    print(report.connections_table(res))


if __name__ == "__main__":
    main()
