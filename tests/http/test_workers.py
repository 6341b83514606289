"""Blocking work off the HTTP event threads: sign-ins (argon2id, 64 MiB) run on the worker
pool, so public pages are answered while many of them run, and a full queue answers 503
with Retry-After at once. Assertions are on answers, never on time."""
import http.client
import tempfile
import threading

import pytest

from conftest import Server

SIGNERS = 16
FETCHES = 200


def sign_in_wrong(port, source, name):
    """Fetches the sign-in form and posts a wrong password to it, from source (127.0.0.N),
    as a browser does (with Origin); returns the status of the post and its Retry-After."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        c.request("GET", "/intern/anmelden")
        form = c.getresponse()
        form.read()
        if form.status != 200:
            return form.status, form.getheader("Retry-After")
        body = f"name={name}&password=falsch-falsch-falsch&code=123456"
        c.request("POST", "/intern/anmelden", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}"})
        r = c.getresponse()
        r.read()
        return r.status, r.getheader("Retry-After")
    finally:
        c.close()


def run_signers(port, rounds, results, stop=None):
    def signer(i):
        for k in range(rounds):
            if stop is not None and stop.is_set():
                return
            # Many names and addresses, so the throttle lets most attempts reach argon2id
            # (unknown names are hashed against a dummy, at the same cost).
            results.append(sign_in_wrong(port, f"127.0.{1 + i}.{1 + k % 250}", f"gast{i}x{k}"))
    threads = [threading.Thread(target=signer, args=(i,)) for i in range(SIGNERS)]
    for t in threads:
        t.start()
    return threads


def test_public_pages_answered_during_sign_in_flood():
    with tempfile.TemporaryDirectory(prefix="nb-http-") as data:
        server = Server(["demo"], data)
        try:
            results, stop = [], threading.Event()
            threads = run_signers(server.port, 1000, results, stop)
            statuses = []
            c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            for _ in range(FETCHES):
                c.request("GET", "/")
                r = c.getresponse()
                r.read()
                statuses.append(r.status)
            c.close()
            # The sign-ins were running meanwhile: none has finished all its rounds.
            assert len(results) < SIGNERS * 1000
            stop.set()
            for t in threads:
                t.join()
            assert statuses == [200] * FETCHES
            assert results, "no sign-in was answered"
            assert {s for s, _ in results} <= {401, 429}, results
            assert any(s == 401 for s, _ in results)
        finally:
            assert server.stop() == 0, server.read_log()


def test_full_queue_answers_503_with_retry_after():
    with tempfile.TemporaryDirectory(prefix="nb-http-") as data:
        server = Server(["demo", "--workers", "1", "--queue", "1"], data)
        try:
            results = []
            # Sixteen at once against one worker and one place: most find the queue full.
            # Rounds only repeat if the scheduler happened to serialise a whole round.
            for _ in range(5):
                results.clear()
                for t in run_signers(server.port, 1, results):
                    t.join()
                if any(s == 503 for s, _ in results):
                    break
            assert any(s == 503 for s, _ in results), results
            assert {s for s, _ in results} <= {401, 429, 503}, results
            for s, retry in results:
                if s == 503:
                    assert retry == "5"
            # The site and the back office work again once the flood is over.
            assert sign_in_wrong(server.port, "127.0.0.1", "nachher")[0] == 401
        finally:
            assert server.stop() == 0, server.read_log()


def test_workers_and_queue_options_are_bounded():
    with tempfile.TemporaryDirectory(prefix="nb-http-") as data:
        with pytest.raises(RuntimeError, match="--queue"):
            Server(["demo", "--queue", "4097"], data)
        with pytest.raises(RuntimeError, match="--workers"):
            Server(["demo", "--workers", "65"], data)
