"""Shared helpers for the redis-compat scripts: free ports, server processes, a raw RESP client.

Standard library only (Debian's python3). Replies are kept as the raw bytes the server sent, so
callers can compare two servers byte for byte.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

# Safety nets that turn a hang into a failure. Nothing asserts how long anything takes.
STARTUP_DEADLINE_S = 30.0
IO_DEADLINE_S = 30.0
EXIT_DEADLINE_S = 30.0

SKIP_EXIT_CODE = 77  # ctest SKIP_RETURN_CODE


def reexec_or_skip(missing):
    """After a failed import of a module Debian packages (python3-redis, python3-rq): runs the
    script again under /usr/bin/python3, where Debian installs them, unless this interpreter is
    that one already (or another such attempt failed); else exits with the skip code."""
    system = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(system) and os.path.exists(system) \
            and not os.environ.get("FICKLE_PY_REEXEC"):
        os.environ["FICKLE_PY_REEXEC"] = "1"
        os.execv(system, [system] + sys.argv)
    print("SKIP: " + missing)
    sys.exit(SKIP_EXIT_CODE)


def expect(got, want):
    """Raises AssertionError unless got == want (for the client checks)."""
    if got != want:
        raise AssertionError("got %r, want %r" % (got, want))


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago (bound to 0, read back, released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_fickle(explicit=None):
    """The fickle-server binary: --fickle, $FICKLE_SERVER, or build/server/fickle-server."""
    candidates = [explicit, os.environ.get("FICKLE_SERVER")]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates.append(os.path.join(root, "build", "server", "fickle-server"))
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


def redis_version(redis_server):
    """`redis-server --version` as one line, or None."""
    try:
        out = subprocess.run([redis_server, "--version"], capture_output=True, text=True,
                             timeout=EXIT_DEADLINE_S)
        return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def encode_command(args):
    """The RESP multibulk encoding of a list of str/bytes arguments."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def reply_length(buf, pos=0):
    """Length of the complete RESP2/RESP3 reply at buf[pos:], or 0 if it is incomplete."""
    eol = buf.find(b"\r\n", pos)
    if eol < 0:
        return 0
    kind = buf[pos:pos + 1]
    after = eol + 2
    if kind in (b"$", b"=", b"!"):
        n = int(buf[pos + 1:eol])
        if n < 0:
            return after - pos
        return after + n + 2 - pos if len(buf) >= after + n + 2 else 0
    if kind in (b"*", b"~", b">", b"%", b"|"):
        n = int(buf[pos + 1:eol])
        if n < 0:
            return after - pos
        if kind in (b"%", b"|"):
            n *= 2
        p = after
        for _ in range(n):
            length = reply_length(buf, p)
            if length == 0:
                return 0
            p += length
        return p - pos
    return after - pos  # + - : _ , # ( are one line


def split_reply(raw):
    """Splits an aggregate reply into (header, [raw element, ...]); None if not an aggregate."""
    if raw[:1] not in (b"*", b"~", b">", b"%", b"|"):
        return None
    eol = raw.find(b"\r\n")
    n = int(raw[1:eol])
    if n < 0:
        return None
    if raw[:1] in (b"%", b"|"):
        n *= 2
    header, p, items = raw[:eol + 2], eol + 2, []
    for _ in range(n):
        length = reply_length(raw, p)
        items.append(raw[p:p + length])
        p += length
    return header, items


class ConnectionClosed(Exception):
    pass


class RespConn:
    """A blocking raw RESP connection. Every read gives up after IO_DEADLINE_S."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=IO_DEADLINE_S)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, args):
        self.sock.sendall(encode_command(args))

    def _fill(self):
        try:
            data = self.sock.recv(1 << 16)
        except ConnectionResetError:
            data = b""
        if not data:
            raise ConnectionClosed()
        self.buf += data

    def read_reply(self):
        """One complete reply as raw bytes. Raises ConnectionClosed or socket.timeout."""
        while True:
            if self.buf:
                n = reply_length(self.buf)
                if n:
                    reply, self.buf = self.buf[:n], self.buf[n:]
                    return reply
            self._fill()

    def wait_closed(self):
        """True iff the server closes the connection (before the deadline) with nothing more."""
        try:
            while True:
                self._fill()
        except ConnectionClosed:
            return True
        except socket.timeout:
            return False

    def call(self, args):
        self.send(args)
        return self.read_reply()


class ServerProcess:
    """A server started on a free loopback port in a private temp dir; stop() returns its exit code."""

    def __init__(self, name, argv_for_port):
        self.name = name
        self.argv_for_port = argv_for_port
        self.proc = None
        self.port = None
        self.workdir = tempfile.mkdtemp(prefix="fickle-compat-%s-" % name)
        self.log_path = os.path.join(self.workdir, "server.log")

    def start(self):
        for _ in range(3):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(self.argv_for_port(self.port), cwd=self.workdir,
                                             stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)
            deadline = time.monotonic() + STARTUP_DEADLINE_S
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    c = RespConn(self.port)
                    try:
                        if c.call(["PING"]) == b"+PONG\r\n":
                            return
                    finally:
                        c.close()
                except (OSError, ConnectionClosed):
                    time.sleep(0.01)
            if self.proc.poll() is None:
                break  # running but not answering: give up below
        raise RuntimeError("%s did not start; log:\n%s" % (self.name, self.log()))

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, wait; returns the exit code (negative for a signal, None if it hung)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=EXIT_DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        self.proc = None
        return code

    def cleanup(self):
        shutil.rmtree(self.workdir, ignore_errors=True)


def fickle_process(binary, extra=()):
    return ServerProcess("fickle", lambda port: [binary, "--port", str(port), "--save", "",
                                                 "--bind", "127.0.0.1", *extra])


def redis_process(binary="redis-server", extra=()):
    return ServerProcess("redis", lambda port: [binary, "--port", str(port), "--save", "",
                                                "--appendonly", "no", "--bind", "127.0.0.1",
                                                *extra])


def split_args(line):
    """Splits a line as redis-cli does (sdssplitargs): whitespace separates arguments, "double
    quotes" take \\n \\r \\t \\b \\a \\\\ \\" and \\xHH escapes, 'single quotes' take \\'. A closing
    quote must be followed by whitespace or the end. Returns a list of bytes; raises ValueError
    on unbalanced quotes."""
    out, i, n = [], 0, len(line)
    data = line.encode("utf-8", "surrogateescape") if isinstance(line, str) else line
    hexdigits = b"0123456789abcdefABCDEF"
    escapes = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
               ord("a"): b"\a"}
    while True:
        while i < n and data[i:i + 1].isspace():
            i += 1
        if i >= n:
            return out
        cur, inq, insq = bytearray(), False, False
        while True:
            if inq:
                if i >= n:
                    raise ValueError("unbalanced quotes")
                c = data[i]
                if (c == ord("\\") and i + 3 < n and data[i + 1] == ord("x")
                        and data[i + 2] in hexdigits and data[i + 3] in hexdigits):
                    cur.append(int(data[i + 2:i + 4], 16))
                    i += 3
                elif c == ord("\\") and i + 1 < n:
                    i += 1
                    cur += escapes.get(data[i], bytes([data[i]]))
                elif c == ord('"'):
                    if i + 1 < n and not data[i + 1:i + 2].isspace():
                        raise ValueError("closing quote must be followed by a space")
                    inq = False
                    i += 1
                    break
                else:
                    cur.append(c)
            elif insq:
                if i >= n:
                    raise ValueError("unbalanced quotes")
                c = data[i]
                if c == ord("\\") and i + 1 < n and data[i + 1] == ord("'"):
                    i += 1
                    cur.append(ord("'"))
                elif c == ord("'"):
                    if i + 1 < n and not data[i + 1:i + 2].isspace():
                        raise ValueError("closing quote must be followed by a space")
                    insq = False
                    i += 1
                    break
                else:
                    cur.append(c)
            else:
                if i >= n:
                    break
                c = data[i]
                if data[i:i + 1].isspace():
                    break
                if c == ord('"'):
                    inq = True
                elif c == ord("'"):
                    insq = True
                else:
                    cur.append(c)
            i += 1
        out.append(bytes(cur))


def unescape(text):
    """Turns \\r \\n \\t \\\\ \\xHH escapes of a `!raw` line into bytes."""
    data = text.encode("utf-8", "surrogateescape")
    out, i = bytearray(), 0
    simple = {ord("r"): 13, ord("n"): 10, ord("t"): 9, ord("\\"): 92, ord("0"): 0}
    while i < len(data):
        c = data[i]
        if c == ord("\\") and i + 1 < len(data):
            nxt = data[i + 1]
            if nxt == ord("x") and i + 3 < len(data):
                out.append(int(data[i + 2:i + 4], 16))
                i += 4
                continue
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
        out.append(c)
        i += 1
    return bytes(out)
