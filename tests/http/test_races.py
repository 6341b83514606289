"""Check-then-act races through the real binary: concurrent requests, and the invariant holds.

- Two admins who lock (or demote) each other at the same moment: one of them stays an active
  admin, the other's request is refused (409) or finds its own session ended (403).
- Two editors who create a service (or department) of the same name at the same moment:
  exactly one is created, with that editor's text; the other gets the form back (422, "taken"),
  and the journal has one entry.
Each race is run several times, every request released by a barrier."""
import threading

import pytest

from staff_fixture import add_user, journal, set_up, sign_in, sql, staff_office

ROUNDS = 5
ACCOUNTS = "/intern/konten"


def race(*calls):
    """Runs the calls at once (after a barrier); returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-races-", roles={"ed1": "editor", "ed2": "editor"}) as o:
        yield o


def active_admins(data):
    return int(sql(data, "SELECT count(*) FROM accounts WHERE role = 'admin' AND state = 'active'"))


def new_admin(office, name):
    link = add_user(office.data, name, "admin")
    secret, _ = set_up(office.server, link)
    b, r = sign_in(office.server, name, secret)
    assert r.status_code == 303, r.text
    return b


@pytest.mark.parametrize("action,fields", [("sperren", {}), ("rolle", {"role": "editor"})])
def test_two_admins_locking_each_other_leave_one(action, fields):
    with staff_office("nb-races-admins-") as office:
        admins_race(office, action, fields)


def admins_race(office, action, fields):
    data = office.data
    prefix = "s" if action == "sperren" else "r"
    # The office's admins are exactly the two that race; each round the survivor meets a
    # new one.
    survivor_name, survivor = f"{prefix}admin0", new_admin(office, f"{prefix}admin0")
    for n in range(1, ROUNDS + 1):
        assert active_admins(data) == 1
        name = f"{prefix}admin{n}"
        other = new_admin(office, name)
        assert active_admins(data) == 2
        tokens = (survivor.csrf(ACCOUNTS, f"{ACCOUNTS}/{name}/{action}"),
                  other.csrf(ACCOUNTS, f"{ACCOUNTS}/{survivor_name}/{action}"))
        a, b = race(lambda: survivor.post(f"{ACCOUNTS}/{name}/{action}",
                                          {"csrf": tokens[0], **fields}),
                    lambda: other.post(f"{ACCOUNTS}/{survivor_name}/{action}",
                                       {"csrf": tokens[1], **fields}))
        codes = sorted([a.status_code, b.status_code], key=lambda c: c != 303)
        assert active_admins(data) == 1, (a.status_code, b.status_code)
        # One change went through; the other was refused as the last admin's, or its
        # sender had been locked out (a disabled account's session is ended) before it ran.
        assert codes[0] == 303 and codes[1] in (403, 409), codes
        survivor_name, survivor = (name, other) if b.status_code == 303 else (survivor_name, survivor)


@pytest.mark.parametrize("kind", ["service", "department"])
def test_two_creates_of_one_slug_make_one(office, kind):
    data = office.data
    ed1, ed2 = office.browsers["ed1"], office.browsers["ed2"]
    new = "/intern/leistungen/neu" if kind == "service" else "/intern/abteilungen/neu"

    def form(browser, slug, name):
        token = browser.csrf(new, new)
        if kind == "service":
            return {"csrf": token, "slug": slug, "state": "online", "department": "",
                    "other_office": "", "sort": "1", "name_de": name, "description_de": "",
                    "fallback_de": "", "name_en": "", "description_en": "", "fallback_en": ""}
        return {"csrf": token, "slug": slug, "name_de": name, "name_en": "", "phone": "",
                "email": "", "room": "", "sort": "1"}

    for n in range(ROUNDS):
        slug = f"doppelt-{kind}-{n}"
        f1, f2 = form(ed1, slug, "Erste Fassung"), form(ed2, slug, "Zweite Fassung")
        r1, r2 = race(lambda: ed1.post(new, f1), lambda: ed2.post(new, f2))
        assert sorted([r1.status_code, r2.status_code]) == [303, 422], (r1.text, r2.text)
        loser = r2 if r1.status_code == 303 else r1
        assert "Diesen Kurznamen gibt es schon" in loser.text, loser.text
        winner_name = "Erste Fassung" if r1.status_code == 303 else "Zweite Fassung"
        table = "service_texts" if kind == "service" else "department_names"
        parent = "services" if kind == "service" else "departments"
        key = "service_id" if kind == "service" else "department_id"
        col = "name"
        stored = sql(data, f"SELECT t.{col} FROM {table} t JOIN {parent} p ON p.id = t.{key}"
                           f" WHERE p.slug = '{slug}' AND t.lang = 'de'")
        assert stored == winner_name
        entries = [e for e in journal(data) if e[1] == f"{kind}/{slug}"]
        assert len(entries) == 1, entries
