"""Slowloris and aborted connections: a request head that trickles in line by line is cut
at the head deadline (NB_HTTP_HEAD_SECONDS, 20 s) although each line comes well within the
idle timeout, while a fresh client is served; and aborted connections are logged as a
counted summary, not a line each. Bounded in count and time, loopback only."""
import os
import re
import socket
import tempfile
import time

import requests

from conftest import Server

HEAD_SECONDS = 20     # src/base/limits.h NB_HTTP_HEAD_SECONDS
IDLE_SECONDS = 30     # NB_HTTP_IDLE_SECONDS: a trickle every 3 s never reaches it
ADDRESSES = 32
PER_ADDRESS = 10


def log_after_stop(data):
    with open(os.path.join(data, "server.log"), "rb") as f:
        return f.read().decode("utf-8", "replace")


def aborted_counts(log):
    """The summary lines (event=http.aborted) and their counts, summed per reason."""
    lines = [line for line in log.splitlines() if "event=http.aborted" in line]
    total = {}
    for line in lines:
        for key, value in re.findall(r" (\w+)=(\d+)", line):
            if key != "seconds":
                total[key] = total.get(key, 0) + int(value)
    return lines, total


def test_trickled_heads_are_cut_and_a_fresh_client_is_served():
    with tempfile.TemporaryDirectory(prefix="nb-http-") as data:
        server = Server(["demo"], data)
        socks = []
        try:
            for a in range(ADDRESSES):
                for _ in range(PER_ADDRESS):
                    s = socket.socket()
                    s.bind((f"127.0.2.{1 + a}", 0))
                    s.settimeout(5)
                    s.connect(("127.0.0.1", server.port))
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                    s.setblocking(False)
                    socks.append(s)
            # While they all hold a half-sent head, a fresh client gets the front page.
            assert requests.get(server.url("/"), timeout=10).status_code == 200

            open_socks = set(range(len(socks)))
            started = time.monotonic()
            n = 0
            # Bounded: one trickle every 3 s until all are closed, at most until well past the
            # deadline (and past the idle timeout, which the trickle alone would never reach).
            while open_socks and time.monotonic() - started < HEAD_SECONDS + IDLE_SECONDS:
                n += 1
                for i in list(open_socks):
                    try:
                        if socks[i].recv(4096, socket.MSG_DONTWAIT) == b"":
                            open_socks.discard(i)
                            continue
                    except BlockingIOError:
                        pass
                    except OSError:
                        open_socks.discard(i)
                        continue
                    try:
                        socks[i].send(b"X-Trickle-%d: 1\r\n" % n)
                    except OSError:
                        open_socks.discard(i)
                time.sleep(3)
            assert not open_socks, f"{len(open_socks)} trickling connections are still open"
            assert n > 1, "the connections were closed before they had trickled at all"
            assert requests.get(server.url("/"), timeout=10).status_code == 200
        finally:
            for s in socks:
                s.close()
            rc = server.stop()
        log = log_after_stop(data)
        assert rc == 0, log
        _, total = aborted_counts(log)
        assert total.get("head_deadline") == ADDRESSES * PER_ADDRESS, total


def test_aborted_connections_are_logged_as_a_summary():
    with tempfile.TemporaryDirectory(prefix="nb-http-") as data:
        server = Server(["demo"], data)
        try:
            for i in range(200):
                with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Half")  # then gone
            # The server still answers, and the aborts did not go unnoticed.
            assert requests.get(server.url("/"), timeout=10).status_code == 200
        finally:
            rc = server.stop()
        log = log_after_stop(data)
        assert rc == 0, log
        assert "closed by remote side" not in log
        lines, total = aborted_counts(log)
        assert 1 <= len(lines) <= 3, lines  # one at stop, one per minute at most meanwhile
        # Most end before the library has parsed a request line (no_request), some after.
        assert total.get("no_request", 0) + total.get("incomplete", 0) == 200, lines
