"""The whole role x action matrix of the back office, walked through the real binary.

ROUTES lists every back-office address under /intern (method, path, the fields of a valid
request, the matrix action that guards it, and the page whose form carries its CSRF token);
EXPECTED is the matrix of docs/roles.md by role. One demo office with one account per role
(plus a victim account that only the admin may change) serves the whole module.

For every role:
  * each route the role may NOT use is requested first, as one batch: a GET answers 403 with
    the "not allowed" text, a POST (sent without a token: no page of that role carries the
    form) answers 403 with the same text -- not the "form expired" text of the CSRF check,
    which proves that the role was checked before the token. Before and after the batch the whole
    database (every table; of the sessions only which exist, not when they were last used)
    is read: it must not have changed.
  * each route the role MAY use is then requested as a browser would: the token (and every
    other hidden input) is read from the form on the page named in the row, and the answer
    must be the row's status (200, 303, ...), never 403. The table is ordered so that the
    state the next row needs exists (withdraw before publish, pin before unpin, ...).
  * unsigned, every GET redirects to /intern/anmelden and every POST answers 403.

Completeness guard (test_every_route_is_in_the_table): the binary prints its route table
(`notbetrieb routes`); every row of it must be taken by some row of ROUTES (the most specific
pattern that matches the row's filled-in path, as the dispatcher chooses), with the same
access (role action or "signed in"), module and, for a POST, the CSRF requirement; the open
rows (sign-in, setup) are named in OPEN. So a route added to the table without a row here
fails, and so does a row here that no route takes. test_expected_matrix_matches_docs parses
the table of docs/roles.md, maps each row to its action by the /intern addresses it names
(three rows without an address by their wording) and compares its yes/no cells with
EXPECTED, so the docs cannot drift from the test either; it also checks that EXPECTED has
exactly the actions of enum nb_staff_action in staff.h.
"""
import re
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from conftest import BINARY, Server
from staff_fixture import PASSWORD, add_user, set_up, totp

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "web"

ROLES = ("admin", "editor", "caseworker", "dpo")
ALL = frozenset(ROLES)
SIGNED_IN = "SIGNED_IN"  # not an NB_ACT_: every signed-in account (docs: "sign in, see the overview")

# The matrix as docs/roles.md states it, by action.
EXPECTED = {
    SIGNED_IN: ALL,
    "NB_ACT_OWN_SESSIONS": ALL,
    "NB_ACT_END_ALL": frozenset({"admin"}),
    "NB_ACT_JOURNAL_READ": frozenset({"admin", "dpo"}),
    "NB_ACT_JOURNAL_EXPORT": frozenset({"admin", "dpo"}),
    "NB_ACT_STATE_EDIT": frozenset({"admin", "editor"}),
    "NB_ACT_CONTENT_EDIT": frozenset({"admin", "editor"}),
    "NB_ACT_ACCOUNTS": frozenset({"admin"}),
    "NB_ACT_SETTINGS_EDIT": frozenset({"admin"}),
}

# The rows of the table in docs/roles.md that name no /intern address (by the start of their
# first cell); every other row is mapped by the `/intern/...` addresses it names to the
# action of the ROUTES rows at and below those addresses.
DOC_ROWS_WITHOUT_PATH = {
    "sign in, see the overview": SIGNED_IN,
    "see and end one's own sessions": "NB_ACT_OWN_SESSIONS",
    "end every session of the office": "NB_ACT_END_ALL",
}

# The objects the rows act on (created by the fixture, or the demo office's own).
OBJ = {"press": "mx-presse", "notice": "mx-meldung", "service": "mx-leistung",
       "dept": "hauptamt", "dept2": "mx-abteilung", "victim": "opfer",
       "contact": None}  # the id of the fixture's contact, set by the fixture


def weekly(ranges):
    form = {f"{a}_{d}_{r}": "" for a in ("from", "to") for d in range(1, 8) for r in (1, 2)}
    for (d, r), (a, b) in ranges.items():
        form[f"from_{d}_{r}"], form[f"to_{d}_{r}"] = a, b
    return form


def service_fields(**changes):
    f = {"slug": "mx-leistung", "state": "online", "department": "", "other_office": "",
         "sort": "10", "name_de": "Leistung der Matrix", "description_de": "Beschreibung.",
         "fallback_de": "", "name_en": "", "description_en": "", "fallback_en": ""}
    f.update(changes)
    return f


def R(src, method, path, action, ok, form=None, fields=None, **flags):
    """One route. path is below /intern with {placeholders} of OBJ and {role}; form is the
    page (below /intern) whose form posting to path carries the token; ok is the status a
    role that may gets. Flags: ends_session (the request ends the caller's session), post_denied / post_allowed (for a
    GET page: the answer to a POST at the same address; None: not checked)."""
    return dict(src=src, method=method, path=path, action=action, ok=ok, form=form,
                fields=fields or {}, **flags)


CE = "NB_ACT_CONTENT_EDIT"
ROUTES = [
    # staff.c: the dispatcher itself
    R("staff.c", "GET", "/", SIGNED_IN, 200, post_denied=None, post_allowed=None),
    R("staff.c", "POST", "/sitzungen/beenden", "NB_ACT_OWN_SESSIONS", 303, form="/"),
    R("staff.c", "POST", "/sitzungen/alle", "NB_ACT_END_ALL", 303, form="/", ends_session=True),
    R("staff.c", "POST", "/abmelden", SIGNED_IN, 303, form="/", ends_session=True),
    # staff_journal.c
    R("staff_journal.c", "GET", "/journal", "NB_ACT_JOURNAL_READ", 200),
    R("staff_journal.c", "GET", "/journal.csv", "NB_ACT_JOURNAL_EXPORT", 200),
    # staff_state.c
    R("staff_state.c", "GET", "/betriebszustand", "NB_ACT_STATE_EDIT", 200, post_denied=None),
    R("staff_state.c", "POST", "/betriebszustand", "NB_ACT_STATE_EDIT", 303,
      form="/betriebszustand",
      fields={"state": "notbetrieb", "date": "2026-01-01", "time": "08:00",
              "note_de": "Notiz von {role}", "note_en": ""}),
    # staff_press.c
    R("staff_press.c", "GET", "/presse", CE, 200),
    R("staff_press.c", "GET", "/presse/neu", CE, 200, post_denied=None),
    R("staff_press.c", "POST", "/presse/neu", CE, 303, form="/presse/neu",
      fields={"slug": "mx-presse-{role}", "title_de": "Neu von {role}", "body_de": "Text.",
              "title_en": "", "body_en": ""}),
    R("staff_press.c", "GET", "/presse/{press}", CE, 200, post_denied=None),
    R("staff_press.c", "POST", "/presse/{press}", CE, 303, form="/presse/{press}",
      fields={"title_de": "Korrigiert von {role}", "body_de": "Text.", "title_en": "",
              "body_en": ""}),
    R("staff_press.c", "POST", "/presse/{press}/zurueckziehen", CE, 303, form="/presse/{press}"),
    R("staff_press.c", "POST", "/presse/{press}/veroeffentlichen", CE, 303,
      form="/presse/{press}"),
    # staff_notices.c
    R("staff_notices.c", "GET", "/meldungen", CE, 200, post_allowed=405),
    R("staff_notices.c", "GET", "/meldungen/neu", CE, 200, post_denied=None),
    R("staff_notices.c", "POST", "/meldungen/neu", CE, 303, form="/meldungen/neu",
      fields={"slug": "mx-meldung-{role}", "lang": "de", "title": "Neu von {role}",
              "body": "Text.", "action": "publish"}),
    R("staff_notices.c", "GET", "/meldungen/{notice}/de", CE, 200, post_denied=None),
    R("staff_notices.c", "GET", "/meldungen/{notice}/de/versionen/1", CE, 200),
    R("staff_notices.c", "POST", "/meldungen/{notice}/de", CE, 303,
      form="/meldungen/{notice}/de",
      fields={"title": "Geändert von {role}", "body": "Text.", "action": "publish"}),
    R("staff_notices.c", "POST", "/meldungen/{notice}/zurueckziehen", CE, 303, form="/meldungen"),
    R("staff_notices.c", "POST", "/meldungen/{notice}/veroeffentlichen", CE, 303,
      form="/meldungen"),
    R("staff_notices.c", "POST", "/meldungen/{notice}/anheften", CE, 303, form="/meldungen"),
    R("staff_notices.c", "POST", "/meldungen/{notice}/loesen", CE, 303, form="/meldungen"),
    R("staff_notices.c", "POST", "/meldungen/{notice}/archivieren", CE, 303, form="/meldungen"),
    R("staff_notices.c", "POST", "/meldungen/{notice}/zurueckholen", CE, 303, form="/meldungen"),
    # staff_services.c: services and standing pages
    R("staff_services.c", "GET", "/leistungen", CE, 200),
    R("staff_services.c", "GET", "/leistungen/neu", CE, 200, post_denied=None),
    R("staff_services.c", "POST", "/leistungen/neu", CE, 303, form="/leistungen/neu",
      fields=service_fields(slug="mx-leistung-{role}")),
    R("staff_services.c", "GET", "/leistungen/{service}", CE, 200, post_denied=None),
    R("staff_services.c", "POST", "/leistungen/{service}", CE, 303, form="/leistungen/{service}",
      fields=service_fields(state="paper", name_de="Geändert von {role}")),
    R("staff_services.c", "GET", "/seiten", CE, 200),
    R("staff_services.c", "GET", "/seiten/imprint/de", CE, 200, post_denied=None),
    R("staff_services.c", "POST", "/seiten/imprint/de", CE, 303, form="/seiten/imprint/de",
      fields={"title": "Impressum", "body": "Neu von {role}."}),
    R("staff_services.c", "GET", "/seiten/imprint/de/versionen/1", CE, 200),
    # staff_hours.c: telephone hours and the office's settings
    R("staff_hours.c", "GET", "/zeiten", CE, 200),
    R("staff_hours.c", "GET", "/zeiten/{dept}", CE, 200, post_denied=None),
    R("staff_hours.c", "POST", "/zeiten/{dept}", CE, 303, form="/zeiten/{dept}",
      fields=weekly({(1, 1): ("08:00", "12:00")})),
    R("staff_hours.c", "POST", "/zeiten/{dept}/ausnahme", CE, 303, form="/zeiten/{dept}",
      fields={"date": "2030-01-07", "kind": "closed", "from": "", "to": "",
              "note_de": "", "note_en": ""}),
    R("staff_hours.c", "POST", "/zeiten/{dept}/ausnahme/loeschen", CE, 303,
      form="/zeiten/{dept}"),
    R("staff_hours.c", "GET", "/einstellungen", "NB_ACT_SETTINGS_EDIT", 200, post_denied=None),
    R("staff_hours.c", "POST", "/einstellungen", "NB_ACT_SETTINGS_EDIT", 303,
      form="/einstellungen",
      fields={"email": "post@example.org", "phone": "+49 3841 0000",
              "address": "Am Markt 1, 23966 Kranichmoor", "land": "MV"}),
    # staff_departments.c: departments and their contacts ({mycontact}: the contact that
    # the role itself added in the row before; a department of its own is removed likewise)
    R("staff_departments.c", "GET", "/abteilungen", CE, 200),
    R("staff_departments.c", "GET", "/abteilungen/neu", CE, 200, post_denied=None),
    R("staff_departments.c", "POST", "/abteilungen/neu", CE, 303, form="/abteilungen/neu",
      fields={"slug": "mx-abt-{role}", "name_de": "Abteilung von {role}", "name_en": "",
              "phone": "", "email": "", "room": "", "sort": "10"}),
    R("staff_departments.c", "GET", "/abteilungen/{dept2}", CE, 200, post_denied=None),
    R("staff_departments.c", "POST", "/abteilungen/{dept2}", CE, 303, form="/abteilungen/{dept2}",
      fields={"name_de": "Geändert von {role}", "name_en": "", "phone": "+49 3841 1",
              "email": "", "room": "", "sort": "20"}),
    R("staff_departments.c", "GET", "/ansprechpersonen/neu", CE, 200, post_denied=None),
    R("staff_departments.c", "POST", "/ansprechpersonen/neu", CE, 303,
      form="/ansprechpersonen/neu",
      fields={"name": "Kontakt von {role}", "role_de": "", "role_en": "", "department": "{dept2}",
              "phone": "", "email": "", "sort": "10"}),
    R("staff_departments.c", "GET", "/ansprechpersonen/{contact}", CE, 200, post_denied=None),
    R("staff_departments.c", "POST", "/ansprechpersonen/{contact}", CE, 303,
      form="/ansprechpersonen/{contact}",
      fields={"name": "Geändert von {role}", "role_de": "", "role_en": "",
              "department": "{dept2}", "phone": "", "email": "", "sort": "10"}),
    R("staff_departments.c", "POST", "/ansprechpersonen/{mycontact}/loeschen", CE, 303,
      form="/ansprechpersonen/{mycontact}"),
    R("staff_departments.c", "POST", "/abteilungen/mx-abt-{role}/loeschen", CE, 303,
      form="/abteilungen/mx-abt-{role}"),
    # staff_accounts.c
    R("staff_accounts.c", "GET", "/konten", "NB_ACT_ACCOUNTS", 200),
    R("staff_accounts.c", "POST", "/konten/neu", "NB_ACT_ACCOUNTS", 200, form="/konten",
      fields={"name": "mx-{role}", "role": "editor"}),
    R("staff_accounts.c", "POST", "/konten/{victim}/rolle", "NB_ACT_ACCOUNTS", 303,
      form="/konten", fields={"role": "caseworker"}),
    R("staff_accounts.c", "POST", "/konten/{victim}/sitzungen-beenden", "NB_ACT_ACCOUNTS", 303,
      form="/konten"),
    R("staff_accounts.c", "POST", "/konten/{victim}/zuruecksetzen", "NB_ACT_ACCOUNTS", 200,
      form="/konten"),
    R("staff_accounts.c", "POST", "/konten/{victim}/sperren", "NB_ACT_ACCOUNTS", 303,
      form="/konten"),
]

# Modules of the back office without routes of their own, with the reason.
NO_ROUTES = {
    # The history table and version pages, called by staff_notices.c and staff_services.c
    # after their own role check.
    "staff_versions.c",
}

# The open rows of the route table (no session, no role): sign-in and account setup, tested
# in test_staff.py.
OPEN = {"/anmelden", "/einrichten/{token}"}

FORBIDDEN_TEXT = "nicht ausführen"  # error_403_text: the role was refused
EXPIRED_TEXT = "abgelaufen"         # staff_form_expired: the token (or the session) was refused


# ---- helpers shared with test_isolation.py -------------------------------------------------


class Browser:
    """One browser signed in (or not) at the office under base ("" or "/SLUG")."""

    def __init__(self, server, base=""):
        self.server, self.base = server, base
        self.http = requests.Session()

    def get(self, path, **kw):
        return self.http.get(self.server.url(self.base + path), allow_redirects=False, **kw)

    def post(self, path, data, **kw):
        return self.http.post(self.server.url(self.base + path), data=data,
                              headers={"Origin": self.server.base}, allow_redirects=False, **kw)

    def hidden(self, page, action):
        """The hidden inputs (csrf, id, date, ...) of the first form on page (below /intern)
        that posts to action (below /intern); None when the page has no such form."""
        r = self.get("/intern" + page)
        assert r.status_code == 200, (page, r.status_code)
        want = self.base + "/intern" + action
        for m in re.finditer(r'<form\b[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', r.text, re.S):
            if m.group(1) == want:
                return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                       m.group(2)))
        return None

    def signed_in(self):
        return self.get("/intern/").status_code == 200


class Account:
    def __init__(self, server, base, name, link):
        self.server, self.base, self.name = server, base, name
        self.secret, self.codes = set_up(server, link)

    def sign_in(self, code=None):
        """A new browser signed in with TOTP (first time) or a recovery code."""
        b = Browser(self.server, self.base)
        r = b.post("/intern/anmelden", {"name": self.name, "password": PASSWORD,
                                        "code": code or totp(self.secret, time.time() + 30)})
        assert r.status_code == 303, r.text[:500]
        return b

    def sign_in_again(self):
        return self.sign_in(self.codes.pop())


def snapshot(data, office_id=None):
    """Every table of the database (of one office when office_id is given), in a stable
    order; of the sessions only which exist (last_seen_at changes with every request)."""
    db = sqlite3.connect(f"file:{data}/notbetrieb.db?mode=ro", uri=True, timeout=10)
    try:
        out = {}
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for t in sorted(tables):
            cols = [r[1] for r in db.execute(f"PRAGMA table_info({t})")]
            if t == "sessions":
                cols = [c for c in cols if c != "last_seen_at"]
            where = ""
            if office_id is not None:
                if "office_id" in cols:
                    where = f" WHERE office_id = {int(office_id)}"
                elif t == "offices":
                    where = f" WHERE id = {int(office_id)}"
            out[t] = sorted(map(repr, db.execute(f"SELECT {', '.join(cols)} FROM {t}{where}")))
        return out
    finally:
        db.close()


def diff(before, after):
    return {t: (sorted(set(before[t]) - set(after.get(t, []))),
                sorted(set(after.get(t, [])) - set(before[t])))
            for t in before if before[t] != after.get(t)}


class Objects(dict):
    """OBJ plus {mycontact}: the id of the contact "Kontakt von ROLE" when there is one (the
    row that adds it comes before the row that removes it), else the fixture's contact."""

    def __init__(self, role, data=None):
        super().__init__(OBJ, role=role)
        self.data = data

    def __missing__(self, key):
        if key != "mycontact":
            raise KeyError(key)
        found = None
        if self.data:
            db = sqlite3.connect(f"file:{self.data}/notbetrieb.db?mode=ro", uri=True)
            found = db.execute("SELECT id FROM contacts WHERE name = ?",
                               (f"Kontakt von {self['role']}",)).fetchone()
            db.close()
        return str(found[0]) if found else self["contact"]


DATA = {}  # the fixture's data directory, for the lazy {mycontact}


def fill(value, role):
    return value.format_map(Objects(role, DATA.get("dir"))) if isinstance(value, str) else value


# ---- fixture ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office():
    with tempfile.TemporaryDirectory(prefix="nb-matrix-") as data:
        server = Server(["demo"], data)
        try:
            links = {role: add_user(data, f"mx{role}", role, "kranichmoor") for role in ROLES}
            add_user(data, OBJ["victim"], "editor", "kranichmoor")
            accounts = {role: Account(server, "", f"mx{role}", link)
                        for role, link in links.items()}
            admin = accounts["admin"].sign_in()
            # The objects the rows act on: a press update, a notice and a service.
            h = admin.hidden("/presse/neu", "/presse/neu")
            assert admin.post("/intern/presse/neu", dict(
                h, slug=OBJ["press"], title_de="Presse der Matrix", body_de="Text.",
                title_en="", body_en="")).status_code == 303
            h = admin.hidden("/meldungen/neu", "/meldungen/neu")
            assert admin.post("/intern/meldungen/neu", dict(
                h, slug=OBJ["notice"], lang="de", title="Meldung der Matrix", body="Text.",
                action="publish")).status_code == 303
            h = admin.hidden("/leistungen/neu", "/leistungen/neu")
            assert admin.post("/intern/leistungen/neu",
                              dict(h, **service_fields())).status_code == 303
            # A department with a contact of its own (the demo's stay as they are).
            h = admin.hidden("/abteilungen/neu", "/abteilungen/neu")
            r = admin.post("/intern/abteilungen/neu", dict(
                h, slug=OBJ["dept2"], name_de="Abteilung der Matrix", name_en="", phone="",
                email="", room="", sort="5"))
            assert r.status_code == 303, r.text[:500]
            h = admin.hidden("/ansprechpersonen/neu", "/ansprechpersonen/neu")
            r = admin.post("/intern/ansprechpersonen/neu", dict(
                h, name="Kontakt der Matrix", role_de="", role_en="", department=OBJ["dept2"],
                phone="", email="", sort="1"))
            assert r.status_code == 303, r.text[:500]
            db = sqlite3.connect(f"file:{data}/notbetrieb.db?mode=ro", uri=True)
            OBJ["contact"] = str(db.execute("SELECT id FROM contacts WHERE name = ?",
                                            ("Kontakt der Matrix",)).fetchone()[0])
            db.close()
            DATA["dir"] = data
            yield server, data, accounts
        finally:
            assert server.stop() == 0, server.read_log()


# ---- the walk ---------------------------------------------------------------------------------


def may(role, route):
    return role in EXPECTED[route["action"]]


def check_denied(b, role, route):
    """Requests route as role, which may not use it; returns a list of failures."""
    path = "/intern" + fill(route["path"], role)
    fails = []
    if route["method"] == "GET":
        r = b.get(path)
        if r.status_code != 403 or FORBIDDEN_TEXT not in r.text:
            fails.append(f"{role} GET {path}: {r.status_code}, wanted 403 (role refused)")
        post_status = route.get("post_denied", 403)
        if post_status is not None:
            r = b.post(path, {})
            if r.status_code != post_status or (post_status == 403 and FORBIDDEN_TEXT not in r.text):
                fails.append(f"{role} POST {path} (GET page): {r.status_code}, wanted {post_status}")
    else:
        fields = {k: fill(v, role) for k, v in route["fields"].items()}
        r = b.post(path, fields)
        if r.status_code != 403 or FORBIDDEN_TEXT not in r.text:
            fails.append(f"{role} POST {path}: {r.status_code}, wanted 403 ({FORBIDDEN_TEXT})")
        # A token of another form of this session does not help either.
        other = b.hidden("/", "/abmelden")["csrf"]
        r = b.post(path, dict(fields, csrf=other))
        if r.status_code != 403:
            fails.append(f"{role} POST {path} with another form's token: {r.status_code}")
    return fails


def check_allowed(b, role, route):
    path = fill(route["path"], role)
    if route["method"] == "GET":
        r = b.get("/intern" + path)
        fails = [] if r.status_code == route["ok"] else [
            f"{role} GET {path}: {r.status_code}, wanted {route['ok']}: {r.text[:300]}"]
        post_status = route.get("post_allowed", 405)
        if post_status is not None and route.get("post_denied", 403) is not None:
            r = b.post("/intern" + path, {})
            if r.status_code != post_status:
                fails.append(f"{role} POST {path} (GET page): {r.status_code}, wanted {post_status}")
        return fails
    hidden = b.hidden(fill(route["form"], role), path)
    if hidden is None:
        return [f"{role}: no form posting to {path} on {fill(route['form'], role)}"]
    fields = {k: fill(v, role) for k, v in route["fields"].items()}
    fields.update(hidden)
    r = b.post("/intern" + path, fields)
    if r.status_code != route["ok"]:
        return [f"{role} POST {path}: {r.status_code}, wanted {route['ok']}: {r.text[:300]}"]
    return []


def test_role_matrix(office):
    server, data, accounts = office
    fails = []
    # The admin last: the incident switch ends every session of the office.
    for role in ("caseworker", "dpo", "editor", "admin"):
        acc = accounts[role]
        b = acc.sign_in() if role != "admin" else acc.sign_in_again()
        # A second session, so that the overview offers the form to end one of one's own.
        acc.sign_in_again()

        before = snapshot(data)
        for route in ROUTES:
            if not may(role, route):
                fails += check_denied(b, role, route)
        changed = diff(before, snapshot(data))
        if changed:
            fails.append(f"{role}: refused requests changed the database: {changed}")
        if not b.signed_in():
            fails.append(f"{role}: a refused request ended the session")

        # Stable order; the rows that end the caller's session last.
        for route in sorted(ROUTES, key=lambda r: bool(r.get("ends_session"))):
            if may(role, route):
                if not b.signed_in():
                    b = acc.sign_in_again()
                fails += check_allowed(b, role, route)
        assert b.signed_in() is False  # the last row signed it out
    assert not fails, "\n".join(fails)


def test_unsigned_requests(office):
    server, data, _ = office
    b = Browser(server)
    fails = []
    before = snapshot(data)
    for route in ROUTES:
        path = "/intern" + fill(route["path"], "admin")
        if route["method"] == "GET":
            r = b.get(path)
            if r.status_code != 303 or r.headers.get("Location") != "/intern/anmelden":
                fails.append(f"GET {path}: {r.status_code} {r.headers.get('Location')}")
        else:
            r = b.post(path, {k: fill(v, "admin") for k, v in route["fields"].items()})
            if r.status_code != 403 or EXPIRED_TEXT not in r.text:
                fails.append(f"POST {path}: {r.status_code}, wanted 403")
    assert not diff(before, snapshot(data))
    assert not fails, "\n".join(fails)


# ---- the table against the docs and the sources ------------------------------------------------


def docs_table():
    """The role table of docs/roles.md: {first cell: {role: bool}}."""
    lines = (ROOT / "docs" / "roles.md").read_text(encoding="utf-8").splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("| action |"))
    roles = [c.strip() for c in lines[header].strip("|").split("|")][1:]
    assert tuple(roles) == ROLES, roles
    rows = {}
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert all(c in ("yes", "no") for c in cells[1:]), line
        rows[cells[0]] = {r: c == "yes" for r, c in zip(roles, cells[1:])}
    return rows


def doc_action(cell):
    """The action of a row of docs/roles.md (None when it cannot be told)."""
    paths = re.findall(r"`/intern(/[^`;]*)", cell)
    if paths:
        actions = {r["action"] for r in ROUTES for p in paths
                   if r["path"] == p or r["path"].startswith(p + "/")}
        return actions.pop() if len(actions) == 1 else None
    keys = [k for k in DOC_ROWS_WITHOUT_PATH if cell.startswith(k)]
    return DOC_ROWS_WITHOUT_PATH[keys[0]] if len(keys) == 1 else None


def test_expected_matrix_matches_docs():
    seen = set()
    for cell, by_role in docs_table().items():
        action = doc_action(cell)
        assert action, f"docs/roles.md row maps to no single action of ROUTES: {cell!r}"
        seen.add(action)
        allowed = {r for r, yes in by_role.items() if yes}
        assert allowed == EXPECTED[action], (cell, action, allowed, EXPECTED[action])
    assert seen == set(EXPECTED), f"actions without a row in docs/roles.md: {set(EXPECTED) - seen}"
    # Every action of the enum is in the matrix and guards at least one route.
    enum = re.search(r"enum nb_staff_action \{(.*?)\};", (WEB / "staff.h").read_text(), re.S)
    actions = set(re.findall(r"\b(NB_ACT_\w+)", enum.group(1))) - {"NB_ACT_COUNT"}
    assert actions | {SIGNED_IN} == set(EXPECTED)
    assert {r["action"] for r in ROUTES} == set(EXPECTED)


def table():
    """The route table as `notbetrieb routes` prints it: (method, path below /intern, access,
    csrf, module) per row."""
    out = subprocess.run([BINARY, "routes"], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        method, address, access, csrf, module = line.split("\t")
        assert address.startswith("/intern/"), line
        rows.append((method, address[len("/intern"):], access, csrf == "csrf", module))
    return rows


def pattern_re(pattern):
    return re.compile("^" + re.sub(r"\\\{[a-z]+\\\}", "[^/]+", re.escape(pattern)) + "$")


def literals(pattern):
    return sum(1 for s in pattern.split("/") if s and not s.startswith("{"))


def row_of(rows, method, path):
    """The table row the dispatcher takes for method and path: of the patterns that match,
    the most specific (most literal segments), with that method; None when there is none."""
    matching = [r for r in rows if pattern_re(r[1]).match(path)]
    if not matching:
        return None
    best = max(literals(r[1]) for r in matching)
    chosen = [r for r in matching if literals(r[1]) == best and r[0] == method]
    return chosen[0] if chosen else None


def access_of(action):
    return "signed_in" if action == SIGNED_IN else "role:" + action[len("NB_ACT_"):].lower()


def test_every_route_is_in_the_table():
    """The test's ROUTES and the binary's route table name the same routes, with the same
    access, module and CSRF requirement: a route added to the table without a row here (or
    the other way round) fails."""
    rows = table()
    covered = set()
    for route in ROUTES:
        path = fill(route["path"], "admin")
        row = row_of(rows, route["method"], path)
        assert row, f"{route['method']} {route['path']}: no row of the route table takes it"
        covered.add(row)
        assert row[2] == access_of(route["action"]), (route["path"], row)
        assert row[4] == route["src"], (route["path"], row)
        if route["method"] == "POST":
            assert row[3], f"POST {row[1]} needs no CSRF token"
    open_rows = {r for r in rows if r[2] == "open"}
    assert {r[1] for r in open_rows} == OPEN, open_rows
    left = sorted(set(rows) - covered - open_rows)
    assert not left, f"rows of the route table without a row in ROUTES: {left}"
    files = sorted(p.name for p in WEB.glob("staff*.c"))
    assert {r[4] for r in rows} == set(files) - NO_ROUTES
