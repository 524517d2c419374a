#!/usr/bin/env python3
"""redis-cli against Fickle: commands piped through `redis-cli -p N` (raw and formatted output,
RESP3, arguments on the command line, --pipe mass insertion), compared with the text redis-cli
prints for Redis 7.0.

  redis_cli_check.py [--fickle PATH] [--server PATH]

--server runs the same checks against another binary (e.g. redis-server) to confirm the expected
texts. Exit status: 0 pass, 1 fail, 77 redis-cli missing.
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import compat  # noqa: E402

# (name, redis-cli options, stdin, expected stdout)
CHECKS = [
    ("raw output from a pipe",
     [],
     'PING\nSET cli:k "hello world"\nGET cli:k\nGET cli:missing\nDEL cli:k cli:missing\n'
     'ECHO "tab\\there"\nFOO bar\nSELECT 99\nDBSIZE\n',
     # In raw mode redis-cli follows an error with an empty line.
     "PONG\nOK\nhello world\n\n1\ntab\there\n"
     "ERR unknown command 'FOO', with args beginning with: 'bar' \n\n"
     "ERR DB index is out of range\n\n0\n"),
    ("formatted output (--no-raw)",
     ["--no-raw"],
     "PING\nSET cli:k v\nGET cli:k\nGET cli:missing\nDEL cli:k\nGET\nMULTI\nSET cli:a 1\n"
     "GET cli:a\nEXEC\n",
     # Status replies print bare, bulk strings quoted.
     'PONG\nOK\n"v"\n(nil)\n(integer) 1\n'
     "(error) ERR wrong number of arguments for 'get' command\n"
     'OK\nQUEUED\nQUEUED\n1) OK\n2) "1"\n'),
    ("RESP3 (-3)",
     ["-3", "--no-raw"],
     "GET cli:missing\nSET cli:r3 v\nGET cli:r3\nPING\n",
     '(nil)\nOK\n"v"\nPONG\n'),
    ("command line arguments",
     ["--no-raw", "ECHO", "a b"],
     "",
     '"a b"\n'),
    ("select a database (-n)",
     ["-n", "3"],
     "SET cli:db3 x\nDBSIZE\n",
     "OK\n1\n"),
    ("repeat (-r)",
     ["-r", "3", "PING"],
     "",
     "PONG\nPONG\nPONG\n"),
]


def mass_insert_payload(n):
    return b"".join(compat.encode_command(["SET", "mass:%d" % i, "v%d" % i]) for i in range(n))


def run_cli(port, options, stdin):
    cmd = ["redis-cli", "-p", str(port)] + options
    out = subprocess.run(cmd, input=stdin, capture_output=True, timeout=compat.IO_DEADLINE_S)
    return out.returncode, out.stdout, out.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fickle")
    ap.add_argument("--server", help="run against this binary instead (e.g. redis-server)")
    opts = ap.parse_args()
    if not shutil.which("redis-cli"):
        print("SKIP: redis-cli is not installed (Debian: apt-get install redis-tools)")
        return compat.SKIP_EXIT_CODE
    binary = opts.server and shutil.which(opts.server) or compat.find_fickle(opts.fickle)
    if not binary:
        print("ERROR: server binary not found")
        return 2
    server = compat.fickle_process(binary)
    failures = 0
    try:
        server.start()
        for name, options, stdin, expected in CHECKS:
            code, out, err = run_cli(server.port, options, stdin.encode())
            if code == 0 and out.decode() == expected:
                print("ok    %s" % name)
                continue
            failures += 1
            print("FAIL  %s (exit %d)\n  expected: %r\n  got:      %r\n  stderr:   %r" %
                  (name, code, expected, out.decode(errors="replace"), err.decode()))

        n = 1000
        code, out, err = run_cli(server.port, ["--pipe"], mass_insert_payload(n))
        text = out.decode(errors="replace")
        if code == 0 and "errors: 0, replies: %d" % n in text:
            print("ok    mass insertion (--pipe), %d commands" % n)
        else:
            failures += 1
            print("FAIL  mass insertion (--pipe) (exit %d)\n  got: %r\n  stderr: %r" %
                  (code, text, err.decode()))
        code, out, _ = run_cli(server.port, ["GET", "mass:%d" % (n - 1)], b"")
        if out != b"v%d\n" % (n - 1):
            failures += 1
            print("FAIL  value after --pipe: %r" % out)
    finally:
        exit_code = server.stop()
        if exit_code != 0:
            failures += 1
            print("FAIL  server exit status %r after SIGTERM\n%s" % (exit_code, server.log()))
        server.cleanup()
    print("%s: %d failures" % (os.path.basename(binary), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
