"""Accounts in the back office (/intern/konten) through the real binary: an admin creates,
re-roles, disables and resets accounts and ends their sessions; the setup link is shown once;
the last admin cannot lock the office out; other roles, missing tokens and other offices'
accounts are refused."""
import re

import pytest

from staff_fixture import journal, set_up, sign_in, sql, staff_office

PATH = "/intern/konten"
LINK = re.compile(r'<code class="setup-link">(/intern/einrichten/[A-Za-z0-9_-]{43})</code>')


def journal_rows(data):
    return journal(data, "actor", "action", "object", "summary")


def row_token(browser, name, action):
    return browser.csrf(PATH, f"{PATH}/{name}/{action}")


def act(browser, name, action, **fields):
    token = row_token(browser, name, action)
    return browser.post(f"{PATH}/{name}/{action}", {"csrf": token, **fields})


@pytest.fixture(scope="module")
def office():
    # zoe is an account of another office, left in setup.
    with staff_office("nb-accounts-", offices={"amt": "Amt Test", "zwei": "Amt Zwei"},
                      roles={"zoe": ("zwei", "editor"), "anna": "admin"},
                      signed_in={"anna"}) as o:
        yield o.server, o.data, o.browsers["anna"]


def create(anna, name, role):
    token = anna.csrf(PATH, PATH + "/neu")
    r = anna.post(PATH + "/neu", {"csrf": token, "name": name, "role": role})
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    m = LINK.search(r.text)
    assert m, r.text
    return m.group(1)


def test_overview_link_and_list(office):
    server, _, anna = office
    home = anna.get("/intern/")
    assert f'href="{PATH}"' in home.text
    page = anna.get(PATH)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert '<th scope="row">anna</th><td>Verwaltung</td><td>aktiv</td><td>1</td>' in page.text
    assert "zoe" not in page.text  # another office's account is not listed
    en = anna.get("/en" + PATH)
    assert en.status_code == 200 and "Create account" in en.text and "Active sessions" in en.text


def test_create_role_change_and_disable(office):
    server, data, anna = office
    link = create(anna, "Ben", "editor")
    # The link is shown once: the list does not show it again.
    assert LINK.search(anna.get(PATH).text) is None
    assert '<th scope="row">ben</th><td>Redaktion</td><td>Einrichtung offen</td><td>0</td>' \
        in anna.get(PATH).text
    secret, codes = set_up(server, link)
    ben, r = sign_in(server, "ben", secret)
    assert r.status_code == 303
    assert ben.get("/intern/meldungen").status_code == 200
    ben2, r = sign_in(server, "ben", code=codes[0])
    assert r.status_code == 303
    assert '<th scope="row">ben</th><td>Redaktion</td><td>aktiv</td><td>2</td>' \
        in anna.get(PATH).text

    # A name that is taken is refused.
    token = anna.csrf(PATH, PATH + "/neu")
    r = anna.post(PATH + "/neu", {"csrf": token, "name": "ben", "role": "dpo"})
    assert r.status_code == 409 and LINK.search(r.text) is None

    r = act(anna, "ben", "rolle", role="caseworker")
    assert r.status_code == 303 and r.headers["Location"] == PATH + "?hinweis=rolle"
    assert ben.get("/intern/meldungen").status_code == 403
    assert sql(data, "SELECT role FROM accounts WHERE name = 'ben'") == "caseworker"

    r = act(anna, "ben", "sperren")
    assert r.status_code == 303
    for b in (ben, ben2):
        gone = b.get("/intern/")
        assert gone.status_code == 303 and gone.headers["Location"] == "/intern/anmelden"
    _, r = sign_in(server, "ben", code=codes[1])
    assert r.status_code == 401
    assert '<th scope="row">ben</th><td>Sachbearbeitung</td><td>gesperrt</td><td>0</td>' \
        in anna.get(PATH).text

    entries = journal_rows(data)
    assert ("anna", "account.create", "account/ben", "created with role editor") in entries
    assert ("anna", "account.role", "account/ben", "role editor -> caseworker") in entries
    assert any(e[:3] == ("anna", "account.disable", "account/ben") for e in entries)


def test_reset_and_end_sessions(office):
    server, data, anna = office
    secret, codes = set_up(server, create(anna, "carla", "dpo"))
    carla, r = sign_in(server, "carla", secret)
    assert r.status_code == 303
    assert carla.get("/intern/").status_code == 200

    r = act(anna, "carla", "sitzungen-beenden")
    assert r.status_code == 303 and r.headers["Location"] == PATH + "?hinweis=beendet"
    assert carla.get("/intern/").status_code == 303
    assert ("anna", "session.end_account", "account/carla", "ended 1 sessions of the account") \
        in journal_rows(data)
    # The account itself still works.
    carla, r = sign_in(server, "carla", code=codes[0])
    assert r.status_code == 303

    r = act(anna, "carla", "zuruecksetzen")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    new_link = LINK.search(r.text).group(1)
    assert carla.get("/intern/").status_code == 303
    _, r = sign_in(server, "carla", code=codes[1])
    assert r.status_code == 401  # the old password no longer works
    new_secret, _ = set_up(server, new_link)
    assert new_secret != secret
    _, r = sign_in(server, "carla", new_secret)
    assert r.status_code == 303
    assert any(e[:3] == ("anna", "account.reset", "account/carla") for e in journal_rows(data))


def test_last_admin_cannot_lock_out(office):
    server, data, anna = office
    for action, fields in [("rolle", {"role": "editor"}), ("sperren", {}),
                           ("zuruecksetzen", {})]:
        r = act(anna, "anna", action, **fields)
        assert r.status_code == 409, (action, r.text)
        assert "letzte aktive Konto" in r.text
    assert sql(data, "SELECT role, state FROM accounts WHERE name = 'anna'") == "admin|active"
    assert anna.get("/intern/").status_code == 200
    # With a second admin the first one may step down.
    secret, _ = set_up(server, create(anna, "dirk", "admin"))
    dirk, r = sign_in(server, "dirk", secret)
    assert r.status_code == 303
    assert act(dirk, "anna", "rolle", role="editor").status_code == 303
    assert anna.get(PATH).status_code == 403
    assert act(dirk, "dirk", "sperren").status_code == 409
    assert act(dirk, "anna", "rolle", role="admin").status_code == 303
    assert anna.get(PATH).status_code == 200


def test_editor_gets_403_everywhere(office):
    server, data, anna = office
    secret, _ = set_up(server, create(anna, "emil", "editor"))
    emil, r = sign_in(server, "emil", secret)
    assert r.status_code == 303
    assert f'href="{PATH}"' not in emil.get("/intern/").text
    assert emil.get(PATH).status_code == 403
    # A token of a form the editor does have, so only the role can refuse.
    token = emil.csrf("/intern/", "/intern/abmelden")
    assert emil.post(PATH + "/neu", {"csrf": token, "name": "x1", "role": "admin"}).status_code \
        == 403
    for action in ["rolle", "sperren", "zuruecksetzen", "sitzungen-beenden"]:
        r = emil.post(f"{PATH}/anna/{action}", {"csrf": token, "role": "editor"})
        assert r.status_code == 403, action
    assert sql(data, "SELECT count(*) FROM accounts WHERE name = 'x1'") == "0"
    assert sql(data, "SELECT role, state FROM accounts WHERE name = 'anna'") == "admin|active"


def test_missing_or_wrong_csrf(office):
    server, data, anna = office
    assert anna.post(PATH + "/neu", {"name": "fritz", "role": "editor"}).status_code == 403
    assert sql(data, "SELECT count(*) FROM accounts WHERE name = 'fritz'") == "0"
    link = create(anna, "gert", "editor")
    assert link
    # A token of another account's form does not fit this one.
    token = row_token(anna, "anna", "sperren")
    assert anna.post(PATH + "/gert/sperren", {"csrf": token}).status_code == 403
    assert anna.post(PATH + "/gert/rolle", {"role": "admin"}).status_code == 403
    assert sql(data, "SELECT role, state FROM accounts WHERE name = 'gert'") == "editor|setup"
    # Without Origin or Referer a POST is refused even with the right token.
    token = row_token(anna, "gert", "sperren")
    r = anna.post(PATH + "/gert/sperren", {"csrf": token}, origin=False)
    assert r.status_code == 403
    assert sql(data, "SELECT state FROM accounts WHERE name = 'gert'") == "setup"


def test_other_office_account_not_found(office):
    server, data, anna = office
    before = sql(data, "SELECT role, state, changed_at FROM accounts WHERE name = 'zoe'")
    for action, fields in [("rolle", {"role": "admin"}), ("sperren", {}),
                           ("zuruecksetzen", {}), ("sitzungen-beenden", {})]:
        token = row_token(anna, "anna", action)
        r = anna.post(f"{PATH}/zoe/{action}", {"csrf": token, **fields})
        assert r.status_code == 404, action
        assert LINK.search(r.text) is None
    assert sql(data, "SELECT role, state, changed_at FROM accounts WHERE name = 'zoe'") == before
    assert not any(e[0] == "anna" and e[2] == "account/zoe" for e in journal_rows(data))
