"""Crash consistency of the write path: the real binary is killed with SIGKILL at random
moments while two browsers publish notices (a new notice per round, whose command writes the
notice, its first version and two journal entries, then its versions; and versions of one
notice all along), and started again on
the same file. Afterwards every change in the database has its journal entry and every entry
its change, every publish the server acknowledged (303) is there, and `journal verify` passes.
The moments are drawn from a seeded generator, so a failure can be replayed."""
import random
import re
import tempfile
import threading
import time

import requests

from conftest import Server
from staff_fixture import add_user, assert_journal_intact, cli, set_up, sign_in, sql

ROUNDS = 8
PER_ROUND = 8  # publishes per browser and round at most: the site renders every version
NEW = "/intern/meldungen/neu"


def kill(server):
    server.proc.kill()
    server.proc.wait(timeout=20)
    server.log.close()


def publisher(browser, slug, create, acked, stop):
    """Publishes versions of notice slug (creating it first when create is set) until stop is
    set or the server is gone; records each acknowledged publish as (slug, title)."""
    edit = f"/intern/meldungen/{slug}/de"
    n = 0
    while not stop.is_set() and n < PER_ROUND:
        n += 1
        title = f"Fassung {n}"
        try:
            if create and n == 1:
                r = browser.post(NEW, {"csrf": browser.csrf(NEW, NEW), "slug": slug, "lang": "de",
                                       "title": title, "body": "Text.", "action": "publish"},
                                 timeout=10)
            else:
                if n == 1 or create and n == 2:
                    token = browser.csrf(edit, edit)
                r = browser.post(edit, {"csrf": token, "title": title, "body": f"Text {n}.",
                                        "action": "publish"}, timeout=10)
        except (requests.RequestException, AssertionError):
            return  # the server is gone (a page half read is as good as none)
        if r.status_code == 303:
            acked.append((slug, title))
        elif r.status_code >= 500:
            return


def test_sigkill_during_publishes_keeps_change_and_journal_together():
    rng = random.Random(20261204)
    with tempfile.TemporaryDirectory(prefix="nb-crash-") as data:
        assert cli(data, "init", "--office", "amt", "--name", "Amt Test").returncode == 0
        link = add_user(data, "ben", "editor")
        server = Server(["serve"], data)
        secret, codes = set_up(server, link)
        b, r = sign_in(server, "ben", secret)
        assert r.status_code == 303
        # The second browser signs in with a recovery code: the TOTP step is used up.
        b2, r = sign_in(server, "ben", code=codes[0])
        assert r.status_code == 303
        r = b.post(NEW, {"csrf": b.csrf(NEW, NEW), "slug": "absturz", "lang": "de",
                         "title": "Fassung 0", "body": "Text.", "action": "publish"})
        assert r.status_code == 303
        acked = []
        try:
            for rnd in range(ROUNDS):
                # Sessions live in the database: both browsers go on after each restart. One
                # creates a notice and publishes its versions (a command with two journal
                # entries first), the other adds versions to one notice all along.
                stop = threading.Event()
                threads = [threading.Thread(target=publisher, args=(b, f"neu-{rnd}", True, acked, stop)),
                           threading.Thread(target=publisher, args=(b2, "absturz", False, acked, stop))]
                for t in threads:
                    t.start()
                time.sleep(rng.uniform(0.1, 1.0))
                kill(server)
                stop.set()
                for t in threads:
                    t.join(timeout=30)
                # Start-up renders every version again; the debug build is slow at it.
                server = Server(["serve"], data, start_timeout=120)
                b.server = b2.server = server
        finally:
            assert server.stop() == 0

        assert len(acked) > ROUNDS, "the rounds published next to nothing"
        versions = sql(data, "SELECT n.slug, v.version, v.title FROM notice_versions v"
                             " JOIN notices n ON n.id = v.notice_id ORDER BY n.slug, v.version")
        stored = [tuple(line.split("|")) for line in versions.splitlines()]
        # Every acknowledged publish is durable.
        titles = {(slug, title) for slug, _, title in stored}
        for slug, title in acked:
            assert (slug, title) in titles, (slug, title)
        # Every version has its journal entry, and every entry its version.
        published = sorted(re.match(r"notice/(.+)\|version (\d+) of de", line).groups()
                           for line in sql(data, "SELECT object || '|' || summary FROM journal"
                                                 " WHERE action = 'notice.publish'").splitlines())
        assert published == sorted((slug, v) for slug, v, _ in stored)
        created = sorted(sql(data, "SELECT object FROM journal WHERE action = 'notice.create'")
                         .splitlines())
        assert created == sorted(f"notice/{s}" for s in
                                 sql(data, "SELECT slug FROM notices").splitlines())
        assert_journal_intact(data)
