"""Office isolation in the back office: one instance, two offices in one data directory, and
an admin of office B who swaps in the slugs, ids and names of office A.

B ("beta", made with init, answers at "/") and A (the demo office "kranichmoor", under
/kranichmoor/). The admin of A creates content in A (a notice, a press update, a service, a
department with a contact, an hours exception, accounts, hence journal entries); the admin of
B then sends B's editor routes with A's slugs and ids:

  * A-only objects (B has nothing of that name): every GET is 404; a POST is 404 where the
    module looks the object up before the token (departments, contacts, accounts), and 403
    "form expired" where the token is checked first (notices, press, services, hours): B
    can get no token for an address that none of B's pages shows. Either way nothing of A
    changes.
  * Objects of the same name in both offices (department "hauptamt", account "opfer", a
    notice, a press update and a service "gemeinsam"): B's forms give B valid tokens, and
    every change, removal, withdrawal, role change, lock, reset and session end then acts
    on B's object only.
  * Ids that are unique across the instance (contacts, sessions): A's contact id is 404 in
    B even with a token of B's own contact form; ending "one of my sessions" with the id of
    a session of A ends nothing; A's department slug is no valid department for B's
    services and contacts (422).

Afterwards every row of A in every table (sessions without last_seen_at) is as before, A's
accounts are still signed in, A's back office and public site show A's content, and A's
journal has no entry by B's admin. Finally: B's session cookie is not signed in at A, A's
cookie is not signed in at B, and a CSRF token of A's form does not work in B.
"""
import re
import sqlite3
import tempfile
import time

import pytest
import requests

from conftest import Server
from staff_fixture import add_user, cli
from test_matrix import EXPIRED_TEXT, Account, diff, service_fields, snapshot, weekly

A, B = "/kranichmoor", ""  # the bases of the two offices
EXC_DATE = "2030-02-04"


def query(data, sql, *args):
    db = sqlite3.connect(f"file:{data}/notbetrieb.db?mode=ro", uri=True)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def post_form(b, page, action, fields, status=303):
    """Posts fields to action (below /intern) with the hidden inputs of its form on page."""
    hidden = b.hidden(page, action)
    assert hidden is not None, (page, action)
    r = b.post("/intern" + action, dict(fields, **hidden))
    assert r.status_code == status, (action, r.status_code, r.text[:500])
    return r


def create_content(b, who, slugs):
    """The objects every office gets through its own admin's browser b."""
    for slug in slugs:
        post_form(b, "/meldungen/neu", "/meldungen/neu",
                  {"slug": slug, "lang": "de", "title": f"Meldung {slug} von {who}",
                   "body": "Text.", "action": "publish"})
        post_form(b, "/presse/neu", "/presse/neu",
                  {"slug": slug, "title_de": f"Presse {slug} von {who}", "body_de": "Text.",
                   "title_en": "", "body_en": ""})
        post_form(b, "/leistungen/neu", "/leistungen/neu",
                  service_fields(slug=slug, name_de=f"Leistung {slug} von {who}"))


def dept_fields(slug, name):
    return {"slug": slug, "name_de": name, "name_en": "", "phone": "", "email": "", "room": "",
            "sort": "10"}


def contact_fields(name, dept):
    return {"name": name, "role_de": "", "role_en": "", "department": dept, "phone": "",
            "email": "", "sort": "1"}


@pytest.fixture(scope="module")
def two():
    with tempfile.TemporaryDirectory(prefix="nb-isolation-") as data:
        r = cli(data, "init", "--office", "beta", "--name", "Markt Betastein")
        assert r.returncode == 0, r.stderr
        server = Server(["demo"], data)  # adds the demo office as the second one
        try:
            links = {
                "anna": add_user(data, "anna", "admin", "kranichmoor"),
                "opfer-a": add_user(data, "opfer", "editor", "kranichmoor"),
                "bernd": add_user(data, "bernd", "admin", "beta"),
            }
            add_user(data, "nur-a", "editor", "kranichmoor")  # left in setup
            add_user(data, "opfer", "editor", "beta")         # B's own "opfer"
            anna = Account(server, A, "anna", links["anna"])
            opfer = Account(server, A, "opfer", links["opfer-a"])
            bernd = Account(server, B, "bernd", links["bernd"])
            a, va, b = anna.sign_in(), opfer.sign_in(), bernd.sign_in()
            bernd.sign_in_again()  # a second session: B's overview then offers its form

            # Office A: A-only objects and objects that B will have too.
            create_content(a, "A", ["iso", "gemeinsam"])
            post_form(a, "/abteilungen/neu", "/abteilungen/neu",
                      dept_fields("iso-abteilung", "Abteilung von A"))
            post_form(a, "/ansprechpersonen/neu", "/ansprechpersonen/neu",
                      contact_fields("Kontakt von A", "iso-abteilung"))
            post_form(a, "/zeiten/hauptamt", "/zeiten/hauptamt/ausnahme",
                      {"date": EXC_DATE, "kind": "closed", "from": "", "to": "",
                       "note_de": "Betriebsausflug A", "note_en": ""})
            # Office B: the same names where it can have them.
            create_content(b, "B", ["gemeinsam"])
            post_form(b, "/abteilungen/neu", "/abteilungen/neu", dept_fields("hauptamt", "Hauptamt B"))
            post_form(b, "/ansprechpersonen/neu", "/ansprechpersonen/neu",
                      contact_fields("Kontakt von B", "hauptamt"))
            post_form(b, "/zeiten/hauptamt", "/zeiten/hauptamt/ausnahme",
                      {"date": EXC_DATE, "kind": "closed", "from": "", "to": "",
                       "note_de": "Betriebsausflug B", "note_en": ""})

            ids = {
                "a": query(data, "SELECT id FROM offices WHERE slug = 'kranichmoor'")[0][0],
                "b": query(data, "SELECT id FROM offices WHERE slug = 'beta'")[0][0],
                "contact_a": query(data, "SELECT id FROM contacts WHERE name = 'Kontakt von A'")[0][0],
                "contact_b": query(data, "SELECT id FROM contacts WHERE name = 'Kontakt von B'")[0][0],
            }
            ids["session_a"] = query(
                data, "SELECT s.id FROM sessions s JOIN accounts c ON c.id = s.account_id "
                      "WHERE c.name = 'opfer' AND c.office_id = ?", ids["a"])[0][0]
            yield dict(server=server, data=data, a=a, va=va, b=b, ids=ids)
        finally:
            assert server.stop() == 0, server.read_log()


def wait_public(server, path, text, limit=20.0):
    """The public page at path shows text (the demo office renders in about a second or
    two in the sanitizer build)."""
    start = time.monotonic()
    while True:
        r = requests.get(server.url(path))
        if r.status_code == 200 and text in r.text:
            return r
        assert time.monotonic() - start < limit, f"{path} does not show {text!r}"
        time.sleep(0.05)


def test_admin_of_b_cannot_touch_office_a(two):
    server, data, a, va, b, ids = (two[k] for k in ("server", "data", "a", "va", "b", "ids"))
    xa, xb = ids["contact_a"], ids["contact_b"]
    wait_public(server, A + "/meldung/iso", "Meldung iso von A")
    before = snapshot(data, ids["a"])
    fails = []

    def expect(method, path, status, fields=None, text=None, token_from=None):
        """B requests path (below /intern); with token_from, the hidden inputs of the form on
        that page of B that posts to path are sent along."""
        fields = dict(fields or {})
        if token_from:
            hidden = b.hidden(token_from, path)
            if hidden is None:
                fails.append(f"B has no form for {path} on {token_from}")
                return
            fields.update(hidden)
        r = b.get("/intern" + path) if method == "GET" else b.post("/intern" + path, fields)
        if r.status_code != status or (text and text not in r.text):
            fails.append(f"B {method} {path}: {r.status_code}, wanted {status} {text or ''}")

    # A-only slugs and ids: not found in B.
    for path in ["/meldungen/iso/de", "/meldungen/iso/de/versionen/1", "/presse/iso",
                 "/leistungen/iso", "/zeiten/iso-abteilung", "/abteilungen/iso-abteilung",
                 f"/ansprechpersonen/{xa}"]:
        expect("GET", path, 404)
        # The English pages look up the same way.
        r = b.get("/en/intern" + path)
        if r.status_code != 404:
            fails.append(f"B GET /en/intern{path}: {r.status_code}, wanted 404")
    # ... while B's own objects answer there (the 404s above are lookups, not a broken path).
    for path in ["/abteilungen/hauptamt", f"/ansprechpersonen/{xb}"]:
        r = b.get("/en/intern" + path)
        if r.status_code != 200:
            fails.append(f"B GET /en/intern{path}: {r.status_code}, wanted 200")
    # The token is checked first here, and no page of B has a form for these addresses.
    for path in ["/meldungen/iso/de", "/meldungen/iso/zurueckziehen",
                 "/meldungen/iso/veroeffentlichen", "/meldungen/iso/anheften",
                 "/meldungen/iso/loesen", "/meldungen/iso/archivieren",
                 "/meldungen/iso/zurueckholen", "/presse/iso", "/presse/iso/zurueckziehen",
                 "/presse/iso/veroeffentlichen", "/leistungen/iso", "/zeiten/iso-abteilung",
                 "/zeiten/iso-abteilung/ausnahme", "/zeiten/iso-abteilung/ausnahme/loeschen"]:
        expect("POST", path, 403, {"date": EXC_DATE, "title": "B", "body": "B",
                                   "action": "publish"}, text=EXPIRED_TEXT)
    # Looked up before the token: 404 whatever is sent.
    for path in ["/abteilungen/iso-abteilung", "/abteilungen/iso-abteilung/loeschen",
                 f"/ansprechpersonen/{xa}", f"/ansprechpersonen/{xa}/loeschen",
                 "/konten/nur-a/rolle", "/konten/nur-a/sperren", "/konten/nur-a/zuruecksetzen",
                 "/konten/nur-a/sitzungen-beenden"]:
        expect("POST", path, 404, {"role": "admin", "name_de": "B"})
    # ... also with a valid token of B's own contact form.
    token = b.hidden(f"/ansprechpersonen/{xb}", f"/ansprechpersonen/{xb}")["csrf"]
    expect("POST", f"/ansprechpersonen/{xa}", 404,
           dict(contact_fields("Von B", "hauptamt"), csrf=token))
    # A's department is no department of B.
    expect("POST", "/ansprechpersonen/neu", 422, contact_fields("Von B", "iso-abteilung"),
           token_from="/ansprechpersonen/neu")
    expect("POST", "/leistungen/neu", 422,
           service_fields(slug="von-b", department="iso-abteilung"), token_from="/leistungen/neu")
    # Ending "one of my sessions" with the id of A's session ends nothing in A.
    expect("POST", "/sitzungen/beenden", 303, {"id": str(ids["session_a"])}, token_from="/")

    # Same names in both offices: B's valid tokens act on B's objects only.
    g = "/meldungen/gemeinsam"
    expect("POST", g + "/de", 303, {"title": "Von B", "body": "B", "action": "publish"},
           token_from=g + "/de")
    for verb in ("zurueckziehen", "veroeffentlichen", "anheften", "loesen", "archivieren",
                 "zurueckholen"):
        expect("POST", f"{g}/{verb}", 303, token_from="/meldungen")
    p = "/presse/gemeinsam"
    expect("POST", p, 303, {"title_de": "Von B", "body_de": "B", "title_en": "", "body_en": ""},
           token_from=p)
    expect("POST", p + "/zurueckziehen", 303, token_from=p)
    expect("POST", "/leistungen/gemeinsam", 303,
           service_fields(slug="gemeinsam", state="suspended", name_de="Von B"),
           token_from="/leistungen/gemeinsam")
    h = "/zeiten/hauptamt"
    expect("POST", h, 303, weekly({(2, 1): ("09:00", "10:00")}), token_from=h)
    expect("POST", h + "/ausnahme/loeschen", 303, token_from=h)  # B's exception on EXC_DATE
    expect("POST", "/abteilungen/hauptamt", 303,
           {"name_de": "Von B", "name_en": "", "phone": "", "email": "", "room": "", "sort": "3"},
           token_from="/abteilungen/hauptamt")
    expect("POST", f"/ansprechpersonen/{xb}/loeschen", 303, token_from=f"/ansprechpersonen/{xb}")
    expect("POST", "/abteilungen/hauptamt/loeschen", 303, token_from="/abteilungen/hauptamt")
    for verb, status, fields in [("rolle", 303, {"role": "admin"}),
                                 ("sitzungen-beenden", 303, {}),
                                 ("zuruecksetzen", 200, {}), ("sperren", 303, {})]:
        expect("POST", f"/konten/opfer/{verb}", status, fields, token_from="/konten")
    expect("POST", "/betriebszustand", 303,
           {"state": "stoerung", "date": "2026-01-01", "time": "08:00", "note_de": "B",
            "note_en": ""}, token_from="/betriebszustand")
    expect("POST", "/einstellungen", 303,
           {"email": "b@example.org", "phone": "+49 8000 1", "address": "Markt 1, Betastein",
            "land": "BY"},
           token_from="/einstellungen")
    expect("POST", "/seiten/imprint/de", 303, {"title": "Impressum B", "body": "B"},
           token_from="/seiten/imprint/de")
    assert not fails, "\n".join(fails)

    # B's requests did act in B ...
    acted = {r[0] for r in query(data, "SELECT action FROM journal WHERE office_id = ? AND "
                                       "actor = 'bernd'", ids["b"])}
    for action in ("notice.withdraw", "notice.pin", "hours.exception", "account.disable",
                   "account.reset", "office.settings"):
        assert action in acted, (action, acted)
    # ... and nothing of A changed: not a row of any table, not a session.
    assert not diff(before, snapshot(data, ids["a"]))
    assert a.signed_in() and va.signed_in()
    assert not query(data, "SELECT seq FROM journal WHERE office_id = ? AND actor = 'bernd'",
                     ids["a"])
    # A's back office and public site show A's content.
    page = a.get("/intern/journal")
    assert page.status_code == 200 and "bernd" not in page.text
    assert "Meldung gemeinsam von A" in a.get("/intern/meldungen/gemeinsam/de").text
    assert "Presse gemeinsam von A" in a.get("/intern/presse/gemeinsam").text
    assert "Betriebsausflug A" in a.get("/intern/zeiten/hauptamt").text
    assert "Kontakt von A" in a.get(f"/intern/ansprechpersonen/{xa}").text
    konten = a.get("/intern/konten").text
    assert re.search(r'<th scope="row">opfer</th><td>Redaktion</td><td>aktiv</td><td>1</td>', konten), konten
    wait_public(server, A + "/meldung/gemeinsam", "Meldung gemeinsam von A")
    wait_public(server, A + "/leistungen", "Leistung gemeinsam von A")
    wait_public(server, A + "/kontakt", "Abteilung von A")


def test_sessions_and_tokens_do_not_cross_offices(two):
    server, data, a, b = two["server"], two["data"], two["a"], two["b"]
    state_a = snapshot(data, two["ids"]["a"])["offices"]
    state_b = snapshot(data, two["ids"]["b"])["offices"]
    # B's cookie (sent to every path of the host) is not signed in at A, and A's not at B.
    r = b.http.get(server.url(A + "/intern/"), allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == A + "/intern/anmelden"
    r = a.http.get(server.url(B + "/intern/"), allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == B + "/intern/anmelden"
    for path in ("/intern/meldungen", "/intern/konten", "/intern/journal"):
        r = b.http.get(server.url(A + path), allow_redirects=False)
        assert r.status_code == 303, path
    # A POST of B's browser to A with B's valid token for the same form of B.
    token_b = b.hidden("/betriebszustand", "/betriebszustand")["csrf"]
    form = {"state": "notbetrieb", "date": "2026-01-02", "time": "09:00", "note_de": "X",
            "note_en": ""}
    r = b.http.post(server.url(A + "/intern/betriebszustand"), data=dict(form, csrf=token_b),
                    headers={"Origin": server.base}, allow_redirects=False)
    assert r.status_code == 403
    # A's token in B's session: refused as an expired form.
    token_a = a.hidden("/betriebszustand", "/betriebszustand")["csrf"]
    r = b.post("/intern/betriebszustand", dict(form, csrf=token_a))
    assert r.status_code == 403 and EXPIRED_TEXT in r.text
    # A's cookie with A's token at B's address.
    r = a.http.post(server.url(B + "/intern/betriebszustand"), data=dict(form, csrf=token_a),
                    headers={"Origin": server.base}, allow_redirects=False)
    assert r.status_code == 403
    assert snapshot(data, two["ids"]["a"])["offices"] == state_a
    assert snapshot(data, two["ids"]["b"])["offices"] == state_b
    # B's incident switch ends B's sessions only.
    post_form(b, "/", "/sitzungen/alle", {})
    assert not b.signed_in()
    assert a.signed_in() and two["va"].signed_in()
