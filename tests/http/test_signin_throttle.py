"""The sign-in throttle through the real binary (docs/signin.md): names normalised before
throttling, the owner never kept out by strangers' failures at other addresses, parallel
guesses that cannot all reach the password check, and a flood of failures that leaves a
bounded number of journal entries with the right total count.

Without a proxy in front the server takes the TCP peer as the client, and the whole of
127.0.0.0/8 is this machine's, so each test speaks from addresses of its own by binding the
client socket to them."""
import concurrent.futures
import ctypes
import http.client
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.parse

import pytest

from conftest import BINARY
from staff_fixture import (PASSWORD, assert_journal_intact, cli, set_up, sql, staff_office,
                           totp)

PAIR_FREE = 5        # NB_THROTTLE_PAIR_FREE
ADDR_FREE = 20       # NB_THROTTLE_ADDR_FREE
BUDGET = 120         # NB_THROTTLE_BUDGET per window of NB_THROTTLE_WINDOW_SECONDS
JOURNAL_ROWS = 20    # NB_THROTTLE_JOURNAL_ROWS


def post_from(server, source, fields, path="/intern/anmelden"):
    """POSTs the sign-in form from the local address source; returns (status, headers, text)."""
    body = urllib.parse.urlencode(fields)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60,
                                      source_address=(source, 0))
    try:
        conn.request("POST", path, body=body, headers={
            "Host": f"127.0.0.1:{server.port}", "Origin": server.base,
            "Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wrong(server, source, name):
    return post_from(server, source, {"name": name, "password": "falsch" * 3, "code": "123456"})


def right(server, source, name, secret=None, code=None):
    return post_from(server, source, {"name": name, "password": PASSWORD,
                                      "code": code or totp(secret, time.time() + 30)})


def failed_journal(data):
    """The login.fail entries as (actor, count, summary), read after the server stopped."""
    out = sql(data, "SELECT actor, summary FROM journal WHERE action = 'login.fail' ORDER BY seq")
    rows = []
    for line in out.splitlines():
        actor, summary = line.split("|", 1)
        m = re.match(r"(\d+) failed sign-ins? from (one client address|further client addresses)"
                     r" in the 10 minutes from \d{4}-\d\d-\d\d \d\d:\d\d UTC$", summary)
        assert m, summary
        rows.append((actor, int(m.group(1)), summary))
    return rows


def fail_until_wait(server, source, names, at_least):
    """Wrong passwords from source, cycling through the spellings in names, until the answer
    is 429 with a Retry-After of at least at_least seconds (shorter waits are waited out).
    Returns the number of failures counted (401 answers)."""
    failures, k = 0, 0
    while True:
        status, headers, text = wrong(server, source, names[k % len(names)])
        k += 1
        if status == 401:
            assert "Anmeldung ist fehlgeschlagen" in text
            failures += 1
            assert failures < ADDR_FREE, "the spellings are not counted as one name"
            continue
        assert status == 429 and "Bitte warten Sie" in text, status
        wait = int(headers["Retry-After"])
        if wait >= at_least:
            return failures
        time.sleep(wait)


def test_case_variants_are_one_name_and_the_owner_gets_in():
    with staff_office("nb-signin-", roles={"redaktion": "editor"}, signed_in=()) as o:
        secret, codes = set_up(o.server, o.links["redaktion"])
        a, b, c = "127.0.0.2", "127.0.0.3", "127.0.0.4"
        spellings = ["Redaktion", "rEdaktion", "REDAKTION", " redaktioN ", "ReDaKtIoN"]
        # The spellings share one pair's free attempts (each on its own would have five, and
        # only the address counter would stop them, at twenty): after PAIR_FREE failures the
        # waits double, 1, 2, 4, 8 s (how many of the short ones run out while a password is
        # checked depends on the machine's speed).
        from_a = fail_until_wait(o.server, a, spellings, 8)
        assert PAIR_FREE <= from_a < ADDR_FREE
        # So every spelling waits now, the right password too (refused before it is checked).
        for name in ["redaktion", "Redaktion", "rEDAKTION"]:
            assert wrong(o.server, a, name)[0] == 429
        assert right(o.server, a, "REDAKTION", code=codes[0])[0] == 429
        # The stranger's failures for the owner's name at A change nothing for the owner at
        # B, who signs in at once, in any spelling; and her success does not wash A.
        status, headers, _ = right(o.server, b, "REDAKTION", secret)
        assert status == 303 and headers["Location"] == "/intern/"
        assert wrong(o.server, a, "redaktion")[0] == 429
        # Neither do failures from C: the owner at B signs in again (recovery code, yet
        # another spelling), and a wrong password for it is one failure of B's own pair.
        from_c = fail_until_wait(o.server, c, ["redaktion"], 1)
        assert right(o.server, b, "rEdAkTiOn", code=codes[1])[0] == 303
        assert wrong(o.server, b, "Redaktion")[0] == 401
        o.server.stop()
        rows = failed_journal(o.data)
        # One entry per address with its count; refused attempts are no failures.
        assert sorted(n for _, n, _ in rows) == sorted([from_a, from_c, 1])
        assert all(actor == "redaktion" for actor, _, _ in rows)
        assert_journal_intact(o.data)


def test_parallel_guesses_cannot_all_reach_the_password_check():
    with staff_office("nb-signin-", roles={"redaktion": "editor"}, signed_in=()) as o:
        n = 24
        with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
            statuses = list(pool.map(lambda _: wrong(o.server, "127.0.0.5", "redaktion")[0],
                                     range(n)))
        checked = statuses.count(401)
        assert statuses.count(401) + statuses.count(429) == n, statuses
        # The check and the count are one transaction before the password is checked: the
        # free attempts pass, and at most the one or two more whose doubling waits (1 s, 2 s)
        # ran out while the others queued behind the password checks of the first ones.
        assert PAIR_FREE <= checked <= PAIR_FREE + 2, statuses
        o.server.stop()
        rows = failed_journal(o.data)
        assert sum(count for _, count, _ in rows) == checked


def test_flood_from_many_addresses_is_bounded_in_cpu_and_journal():
    with staff_office("nb-signin-", roles={"redaktion": "editor"}, signed_in=()) as o:
        secret, codes = set_up(o.server, o.links["redaktion"])
        # The owner has signed in from her usual place before.
        assert right(o.server, "127.0.0.9", "redaktion", secret)[0] == 303
        # 500 wrong sign-ins from 250 addresses, for the owner's name and for unknown ones.
        attempts = [(f"127.0.{1 + i // 200}.{1 + i % 200}", "redaktion" if i % 2 else f"gast{i}")
                    for i in range(250)] * 2

        def attempt(job):
            return wrong(o.server, *job)[0]

        first = int(time.time()) // 60
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(attempt, attempts))
        minutes = int(time.time()) // 60 - first + 1
        checked = statuses.count(401)
        assert checked + statuses.count(429) == len(attempts), sorted(set(statuses))
        # The office's budget bounds the password checks: BUDGET in each one-minute window
        # the flood touched (strangers cannot use the reserve). On a machine that checks more
        # than BUDGET passwords a minute the budget refuses the rest of the flood; on a slower
        # one the machine itself was the bound.
        assert checked <= BUDGET * minutes, (checked, minutes)
        assert checked >= min(BUDGET - 1, len(attempts))
        # The owner at her usual place still gets in: the reserve is hers.
        assert right(o.server, "127.0.0.9", "redaktion", code=codes[0])[0] == 303
        o.server.stop()
        rows = failed_journal(o.data)
        # Every failure is counted, in few entries: per 10-minute window at most JOURNAL_ROWS
        # addresses of their own plus one sum per actor ("redaktion", "unknown").
        assert sum(count for _, count, _ in rows) == checked
        assert len(rows) <= 2 * (JOURNAL_ROWS + 2), len(rows)
        assert {actor for actor, _, _ in rows} == {"redaktion", "unknown"}
        assert any("further client addresses" in s for _, _, s in rows)
        # No typed unknown name is kept anywhere, no address in the journal.
        dump = subprocess.run(["sqlite3", f"{o.data}/notbetrieb.db", ".dump"],
                              capture_output=True, text=True, check=True).stdout
        assert "gast1" not in dump
        assert "127.0." not in sql(o.data, "SELECT group_concat(actor || summary) FROM journal")
        assert_journal_intact(o.data)
        verify = cli(o.data, "journal", "verify")
        assert verify.returncode == 0 and "intact" in verify.stdout


NET_FREE = 40        # NB_THROTTLE_NET_FREE
CLONE_NEWNET = 0x40000000


def test_ipv6_clients_are_counted_per_64_as_well(tmp_path):
    """In a network namespace of its own (nothing on this machine changes), loopback gets
    NET_FREE + 3 addresses of 2001:db8:64::/64 and one of 2001:db8:65::/64; every address
    fails once, each with another name, so only the /64 counter sees them together."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.skip("needs unshare(1) and ip(8) for a network namespace")
    data = str(tmp_path)
    assert cli(data, "init", "--office", "amt", "--name", "Amt Test").returncode == 0
    port = 8080  # the namespace has no other listeners
    same = [f"2001:db8:64::{i + 1:x}" for i in range(NET_FREE + 3)]
    other = "2001:db8:65::1"
    setup = "ip link set lo up && " + " && ".join(
        f"ip -6 addr add {a}/64 dev lo nodad" for a in same + [other])
    log = open(os.path.join(data, "server.log"), "wb")
    proc = subprocess.Popen(
        ["unshare", "-n", "sh", "-c",
         f"{setup} && exec {BINARY} serve --data {data} --listen [{same[0]}]:{port}"],
        stdout=log, stderr=subprocess.STDOUT)
    libc = ctypes.CDLL(None, use_errno=True)

    def enter():
        fd = os.open(f"/proc/{proc.pid}/ns/net", os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns")
        finally:
            os.close(fd)

    def attempt(source, name):
        conn = http.client.HTTPConnection(same[0], port, timeout=60, source_address=(source, 0))
        try:
            conn.request("POST", "/intern/anmelden",
                         body=urllib.parse.urlencode({"name": name, "password": "falsch" * 3,
                                                      "code": "123456"}),
                         headers={"Host": f"[{same[0]}]:{port}", "Origin": f"http://[{same[0]}]:{port}",
                                  "Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            r.read()
            return r.status
        finally:
            conn.close()

    def started():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            try:
                c = http.client.HTTPConnection(same[0], port, timeout=1)
                c.request("GET", "/")
                c.getresponse().read()
                c.close()
                return True
            except OSError:
                time.sleep(0.1)
        return False

    try:
        # The namespace exists once the shell runs; the thread enters it before any socket.
        time.sleep(0.2)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1, initializer=enter) as ns:
            if not ns.submit(started).result():
                log.flush()
                output = open(os.path.join(data, "server.log"), "rb").read().decode()
                if "Operation not permitted" in output or proc.poll() not in (None, 0):
                    pytest.skip("no network namespace here: " + output[-300:])
                raise AssertionError("server did not start: " + output)
            statuses = [ns.submit(attempt, a, f"gast{i}").result()
                        for i, a in enumerate(same[:NET_FREE])]
            assert statuses == [401] * NET_FREE
            # Fresh addresses and fresh names in that /64 now wait: the network has had its
            # failures (one more may pass when its 1 s, then 2 s wait ran out meanwhile).
            later = [ns.submit(attempt, a, f"noch-wer{i}").result()
                     for i, a in enumerate(same[NET_FREE:])]
            assert 429 in later[:3], later
            # Another /64 is another client.
            assert ns.submit(attempt, other, "noch-wer").result() == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=20)
        log.close()
    assert rc == 0
    assert_journal_intact(data)
