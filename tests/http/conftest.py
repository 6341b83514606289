"""Black-box HTTP tests: start the real notbetrieb binary on a loopback port.

The binary comes from NB_BINARY (set by `make http`); each test session gets a fresh data
directory with the demo office, and the server is stopped with SIGTERM at the end, which
must end it cleanly (exit code 0).
"""
import os
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

BINARY = os.environ.get("NB_BINARY", os.path.join(os.path.dirname(__file__), "..", "..", "build-check", "notbetrieb"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The binary serving data. It listens before it has rendered the sites; unless ready is
    false, the constructor returns once /healthz says every office's site is in."""

    def __init__(self, args, data, ready=True, start_timeout=60):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data = data
        self.log = open(os.path.join(data, "server.log"), "wb")
        self.proc = subprocess.Popen(
            [BINARY, *args, "--data", data, "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited early: " + self.read_log())
            try:
                r = requests.get(self.base + "/healthz", timeout=1)
                if not ready or r.status_code == 200:
                    return
                time.sleep(0.05)
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("server did not start: " + self.read_log())

    def read_log(self):
        self.log.flush()
        with open(os.path.join(self.data, "server.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def url(self, path):
        return self.base + path

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        finally:
            self.log.close()


@pytest.fixture(scope="session")
def demo():
    with tempfile.TemporaryDirectory(prefix="nb-http-") as data:
        server = Server(["demo"], data)
        yield server
        rc = server.stop()
        assert rc == 0, "server did not stop cleanly on SIGTERM:\n" + server.read_log()


def raw_exchange(server, data, timeout=5):
    """Sends raw bytes and reads everything the server answers until it closes or pauses;
    returns (the bytes, whether the server closed the connection)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    return b"".join(chunks), True
                chunks.append(b)
        except socket.timeout:
            return b"".join(chunks), False
        except ConnectionResetError:
            return b"".join(chunks), True


def raw_request(server, data, timeout=5):
    """Sends raw bytes and returns everything the server answers until it closes or pauses."""
    return raw_exchange(server, data, timeout)[0]


def status_of(raw):
    line = raw.split(b"\r\n", 1)[0]
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
