"""The back office through the real binary: setup link, TOTP enrolment, sign-in, sessions,
CSRF and Origin checks, throttling, the incident switch, and the roles that may use it."""
import re
import subprocess
import time

import pytest
import requests

from staff_fixture import (PASSWORD, Staff, add_user, assert_journal_intact, journal, set_up,
                           sign_in, sql, staff_office, totp)


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-staff-", roles={"anna": "admin", "ben": "editor"}, signed_in=()) as o:
        yield o.server, o.data, o.links


def test_setup_sign_in_sessions_and_sign_out(office):
    server, data, links = office
    secret, codes = set_up(server, links["anna"])
    # The link works once.
    again = Staff(server).get(links["anna"])
    assert again.status_code == 404 and "ungültig oder abgelaufen" in again.text

    b, r = sign_in(server, "anna", secret)
    assert r.status_code == 303 and r.headers["Location"] == "/intern/"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("nb_session=")
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"]:
        assert attr in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind TLS the __Host- form is used
    home = b.get("/intern/")
    assert home.status_code == 200
    assert home.headers["Cache-Control"] == "no-store"
    assert "anna" in home.text and "Verwaltung" in home.text
    old_cookie = b.http.cookies.get("nb_session")

    # A POST without the form's token, or from another origin, changes nothing.
    assert b.post("/intern/abmelden", {}).status_code == 403
    token = b.csrf("/intern/", "/intern/abmelden")
    assert b.post("/intern/abmelden", {"csrf": token}, origin=False).status_code == 403
    evil = b.http.post(server.url("/intern/abmelden"), data={"csrf": token},
                       headers={"Origin": "http://evil.example"}, allow_redirects=False)
    assert evil.status_code == 403
    assert b.get("/intern/").status_code == 200  # still signed in

    out = b.post("/intern/abmelden", {"csrf": token})
    assert out.status_code == 303 and "hinweis=abgemeldet" in out.headers["Location"]
    # The old cookie no longer opens anything.
    replay = requests.get(server.url("/intern/"), cookies={"nb_session": old_cookie},
                          allow_redirects=False)
    assert replay.status_code == 303 and replay.headers["Location"] == "/intern/anmelden"

    # A recovery code signs in once.
    b2, r2 = sign_in(server, "anna", code=codes[0])
    assert r2.status_code == 303
    _, r3 = sign_in(server, "anna", code=codes[0])
    assert r3.status_code == 401

    # The incident switch: an admin ends every session of the office, her own included.
    b4, r4 = sign_in(server, "anna", code=codes[1])
    assert r4.status_code == 303
    page = b2.get("/intern/").text
    assert page.count("<tr><td>") == 2  # both of anna's sessions are listed
    token = b2.csrf("/intern/", "/intern/sitzungen/alle")
    done = b2.post("/intern/sitzungen/alle", {"csrf": token})
    assert done.status_code == 303 and "hinweis=alle" in done.headers["Location"]
    for browser in (b2, b4):
        gone = browser.get("/intern/")
        assert gone.status_code == 303 and gone.headers["Location"] == "/intern/anmelden"


def test_wrong_credentials_and_throttle(office):
    server, _, _ = office
    statuses = []
    for i in range(8):
        b = Staff(server)
        r = b.post("/intern/anmelden", {"name": "mallory", "password": "falsch" * 3, "code": "123456"})
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1
            assert "Bitte warten Sie" in r.text
            break
        assert "Anmeldung ist fehlgeschlagen" in r.text
    assert statuses[0] == 401 and statuses[-1] == 429


def test_incident_switch_only_for_admins(office):
    server, _, links = office
    ben_secret, _ = set_up(server, links["ben"])
    ben, r = sign_in(server, "ben", ben_secret)
    assert r.status_code == 303
    assert "Alle Sitzungen jetzt beenden" not in ben.get("/intern/").text
    # Even with a valid token for the form, an editor may not end all sessions.
    token = ben.csrf("/intern/", "/intern/abmelden")
    assert ben.post("/intern/sitzungen/alle", {"csrf": token}).status_code == 403


def test_english_staff_pages(office):
    server, _, _ = office
    r = requests.get(server.url("/en/intern/anmelden"))
    assert r.status_code == 200
    assert '<html lang="en"' in r.text and "Sign in" in r.text
    assert requests.get(server.url("/intern/anmelden")).text.count("Anmelden") >= 1


def test_journal_records_staff_actions(office):
    server, data, _ = office
    pairs = set(journal(data, "actor", "action"))
    for expected in [("cli", "account.create"), ("anna", "account.setup"), ("anna", "login"),
                     ("anna", "logout"), ("anna", "session.end_all")]:
        assert expected in pairs, (expected, sorted(pairs))
    # Failed sign-ins wait, counted, for the end of their window (test_signin_throttle.py
    # reads the journal entries); a name that is no account is counted as "unknown" and its
    # text is stored nowhere in the database.
    assert sql(data, "SELECT sum(failures) FROM signin_failures WHERE actor = 'unknown'") != ""
    dump = subprocess.run(["sqlite3", f"{data}/notbetrieb.db", ".dump"], capture_output=True,
                          text=True, check=True).stdout
    assert "mallory" not in dump
    assert_journal_intact(data)


def test_demo_prints_one_working_account_per_role(demo):
    accounts = re.findall(r"^  (\S+)\s+(admin|editor|caseworker|dpo)\s+password (\S+)  TOTP key ([A-Z2-7]+)$",
                          demo.read_log(), re.M)
    assert sorted(role for _, role, _, _ in accounts) == ["admin", "caseworker", "dpo", "editor"]
    for name, role, password, secret in accounts:
        b = Staff(demo)
        r = b.post("/intern/anmelden", {"name": name, "password": password,
                                        "code": totp(secret, time.time() + 30)})
        assert r.status_code == 303, (name, r.text[:300])
        assert name in b.get("/intern/").text


def test_session_fixation_is_not_possible(office):
    """A cookie planted before sign-in is neither kept nor honoured: sign-in issues a new id."""
    server, data, _ = office
    link = add_user(data, "carla", "editor")
    secret, _ = set_up(server, link)
    b = Staff(server)
    planted = "A" * 43  # well-formed, chosen by an attacker
    b.http.cookies.set("nb_session", planted)
    assert b.get("/intern/").status_code == 303  # the planted id opens nothing
    r = b.post("/intern/anmelden", {"name": "carla", "password": PASSWORD,
                                    "code": totp(secret, time.time() + 30)})
    assert r.status_code == 303
    issued = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert issued != planted and len(issued) == 43
    attacker = requests.get(server.url("/intern/"), cookies={"nb_session": planted},
                            allow_redirects=False)
    assert attacker.status_code == 303 and attacker.headers["Location"] == "/intern/anmelden"
