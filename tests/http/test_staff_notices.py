"""Notices in the back office (/intern/meldungen) through the real binary: who may use
them, CSRF, validation with 422 and the typed values kept, the server-side preview that
publishes nothing, publishing language variants that the public site and the Atom feed
show within one second, the version history, withdrawing and showing again."""
import html as htmllib
import re
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import BINARY, Server
from test_staff import Staff, add_user, cli, set_up, sign_in

TITLE_MAX = 300  # NB_TITLE_MAX in src/base/limits.h
MARKDOWN_MAX = 256 * 1024  # NB_MARKDOWN_MAX
LIST = "/intern/meldungen"
NEW = "/intern/meldungen/neu"


@pytest.fixture(scope="module")
def office():
    with tempfile.TemporaryDirectory(prefix="nb-notices-") as data:
        assert cli(data, "init", "--office", "amt", "--name", "Amt Test").returncode == 0
        links = {name: add_user(data, name, role) for name, role in
                 [("ben", "editor"), ("carla", "caseworker"), ("dora", "dpo")]}
        server = Server(["serve"], data)
        try:
            browsers = {}
            for name, link in links.items():
                secret, _ = set_up(server, link)
                b, r = sign_in(server, name, secret)
                assert r.status_code == 303, r.text
                browsers[name] = b
            yield server, data, browsers
        finally:
            assert server.stop() == 0


def journal_actions(data):
    out = subprocess.run(["sqlite3", f"{data}/notbetrieb.db",
                          "SELECT action, object, summary FROM journal ORDER BY seq"],
                         capture_output=True, text=True, check=True).stdout
    return [line.split("|", 2) for line in out.splitlines()]


def field_error(html, field):
    """The message shown next to field, checking that the field points at it."""
    assert re.search(r'aria-describedby="[^"]*\b' + re.escape(field) + r'-error"', html), html
    m = re.search(r'<span class="error" id="' + re.escape(field) + r'-error">([^<]+)</span>', html)
    assert m, html
    return m.group(1)


def wait_status(url, status, since, limit=1.0):
    while True:
        r = requests.get(url)
        if r.status_code == status:
            return r
        assert time.monotonic() - since < limit, f"{url} not {status} within {limit} s"
        time.sleep(0.02)


def test_roles_without_the_right_get_403(office):
    server, data, b = office
    assert f'href="{LIST}"' in b["ben"].get("/intern/").text
    token = b["ben"].csrf(NEW, NEW)
    before = len(journal_actions(data))
    for name in ("carla", "dora"):
        assert f'href="{LIST}"' not in b[name].get("/intern/").text
        for path in (LIST, NEW, "/intern/meldungen/x/de"):
            r = b[name].get(path)
            assert r.status_code == 403 and "nicht ausführen" in r.text, path
        r = b[name].post(NEW, {"csrf": token, "slug": "verboten", "lang": "de", "title": "T",
                               "body": "B", "action": "publish"})
        assert r.status_code == 403
    assert requests.get(server.url("/meldung/verboten")).status_code == 404
    assert len(journal_actions(data)) == before
    anon = Staff(server).get(LIST)
    assert anon.status_code == 303 and anon.headers["Location"] == "/intern/anmelden"


def test_csrf_is_checked(office):
    server, data, b = office
    ed = b["ben"]
    form = {"slug": "ohne-token", "lang": "de", "title": "T", "body": "B", "action": "publish"}
    before = len(journal_actions(data))
    assert ed.post(NEW, form).status_code == 403
    assert ed.post(NEW, dict(form, csrf="A" * 43)).status_code == 403
    # A token of another form does not do.
    other = ed.csrf("/intern/betriebszustand", "/intern/betriebszustand")
    assert ed.post(NEW, dict(form, csrf=other)).status_code == 403
    token = ed.csrf(NEW, NEW)
    assert ed.post(NEW, dict(form, csrf=token), origin=False).status_code == 403
    assert ed.post("/intern/meldungen/ohne-token/zurueckziehen", {}).status_code == 403
    assert requests.get(server.url("/meldung/ohne-token")).status_code == 404
    assert "ohne-token" not in ed.get(LIST).text
    assert len(journal_actions(data)) == before


def test_invalid_input_comes_back_with_messages(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)
    before = len(journal_actions(data))

    def post(**changes):
        form = {"csrf": token, "slug": "pruefung", "lang": "de", "title": "Getippter <Titel>",
                "body": "Getippter *Text* & <mehr>", "pinned": "1", "action": "publish"}
        form.update(changes)
        r = ed.post(NEW, form)
        assert r.status_code == 422, r.text
        assert 'role="alert"' in r.text
        return r.text

    html = post(title="   ")
    assert "Titel ein" in field_error(html, "title")
    assert 'value="pruefung"' in html
    assert "Getippter *Text* &amp; &lt;mehr&gt;</textarea>" in html  # kept, escaped
    assert re.search(r'id="pinned" name="pinned" value="1" checked', html)
    assert "body-error" not in html and "slug-error" not in html  # only the wrong field

    long_title = "ä" * (TITLE_MAX // 2) + "x"
    assert len(long_title.encode()) == TITLE_MAX + 1
    html = post(title=long_title)
    assert f"höchstens {TITLE_MAX} Byte" in field_error(html, "title")
    assert f'value="{long_title}"' in html

    long_body = "a" * (MARKDOWN_MAX + 1)
    html = post(body=long_body)
    assert f"höchstens {MARKDOWN_MAX} Byte" in field_error(html, "body")
    assert long_body + "</textarea>" in html
    assert 'value="Getippter &lt;Titel&gt;"' in html

    html = post(body="")
    assert "Text ein" in field_error(html, "body")

    html = post(slug="Böse Adresse")
    assert "Kurzname" in field_error(html, "slug")
    assert 'value="Böse Adresse"' in html

    html = post(lang="xx")
    assert "Sprachen" in field_error(html, "lang")
    assert " selected" not in html  # the typed language was none of the offered ones

    # The edit form of an existing notice checks the same (and a preview with errors too).
    r = ed.post(NEW, {"csrf": token, "slug": "vorhanden", "lang": "de", "title": "Vorhanden",
                      "body": "Text", "action": "publish"})
    assert r.status_code == 303
    edit = "/intern/meldungen/vorhanden/de"
    etoken = ed.csrf(edit, edit)
    r = ed.post(edit, {"csrf": etoken, "title": "", "body": "Neu getippt", "action": "preview"})
    assert r.status_code == 422 and "Titel ein" in field_error(r.text, "title")
    assert "Neu getippt</textarea>" in r.text
    # A taken slug.
    html = post(slug="vorhanden")
    assert "schon" in field_error(html, "slug")

    actions = [a for a, _, _ in journal_actions(data)[before:]]
    assert actions == ["notice.create", "notice.publish"]  # only the valid one
    for slug in ("pruefung", "b-se-adresse"):
        assert slug not in ed.get(LIST).text

    # In English, the messages are English.
    en_token = ed.csrf("/en" + NEW, "/en" + NEW)
    r = ed.post("/en" + NEW, {"csrf": en_token, "slug": "x", "lang": "de", "title": "",
                              "body": "b", "action": "preview"})
    assert r.status_code == 422 and "Please enter a title." in r.text


def test_editor_writes_previews_publishes_and_withdraws(office):
    server, data, b = office
    ed = b["ben"]
    slug = "wasserschaden"
    body_de = ("Das **Bürgerbüro** bleibt geschlossen.\n\n## Was Sie tun können\n\n"
               "- anrufen\n- schreiben\n\n<script>alert(1)</script><b onclick=x>roh</b>")
    token = ed.csrf(NEW, NEW)
    form = {"csrf": token, "slug": slug, "lang": "de", "title": "Wasserschaden im Rathaus",
            "body": body_de}

    # Preview: the Markdown rendered below the form, the typed text kept, nothing saved.
    r = ed.post(NEW, dict(form, action="preview"))
    assert r.status_code == 200, r.text
    assert "<strong>Bürgerbüro</strong>" in r.text
    assert "<h3>Was Sie tun können</h3>" in r.text  # shifted under the preview's h2
    assert "<li>anrufen</li>" in r.text
    assert "<script>alert" not in r.text and "onclick" not in r.text.split("</textarea>")[1]
    assert htmllib.escape(body_de, quote=False) + "</textarea>" in r.text
    assert 'value="wasserschaden"' in r.text
    assert requests.get(server.url(f"/meldung/{slug}")).status_code == 404
    assert slug not in ed.get(LIST).text

    # Publish the German variant.
    before = len(journal_actions(data))
    r = ed.post(NEW, dict(form, action="publish"))
    assert r.status_code == 303, r.text
    returned = time.monotonic()
    assert r.headers["Location"] == LIST + "?hinweis=veroeffentlicht"
    page = wait_status(server.url(f"/meldung/{slug}"), 200, returned)
    assert "Wasserschaden im Rathaus" in page.text
    assert "<strong>Bürgerbüro</strong>" in page.text
    assert "<script>alert" not in page.text and "onclick" not in page.text
    listing = ed.get(r.headers["Location"]).text
    assert 'role="status"' in listing and "veröffentlicht" in listing
    assert f'href="/intern/meldungen/{slug}/de"' in listing
    assert f'href="/meldung/{slug}/de"' in listing

    # The edit form is filled with the newest version.
    edit_de = f"/intern/meldungen/{slug}/de"
    page = ed.get(edit_de)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'value="Wasserschaden im Rathaus"' in page.text
    assert htmllib.escape(body_de, quote=False) + "</textarea>" in page.text

    # A second German version.
    etoken = ed.csrf(edit_de, edit_de)
    r = ed.post(edit_de, {"csrf": etoken, "title": "Wasserschaden: Bürgerbüro zu",
                          "body": "Geschlossen bis Freitag.", "action": "publish"})
    assert r.status_code == 303, r.text
    returned = time.monotonic()
    while "Bürgerbüro zu" not in requests.get(server.url(f"/meldung/{slug}")).text:
        assert time.monotonic() - returned < 1.0, "the new version did not show within 1 s"
        time.sleep(0.02)

    # Add an English variant.
    edit_en = f"/intern/meldungen/{slug}/en"
    page = ed.get(edit_en)
    assert page.status_code == 200 and 'name="title" required lang="en" value=""' in page.text
    etoken = ed.csrf(edit_en, edit_en)
    r = ed.post(edit_en, {"csrf": etoken, "title": "Water damage at the town hall",
                          "body": "The *citizens office* is closed.", "action": "publish"})
    assert r.status_code == 303, r.text
    returned = time.monotonic()
    while True:
        de = requests.get(server.url(f"/meldung/{slug}"))
        en = requests.get(server.url(f"/en/meldung/{slug}"))
        if "Water damage at the town hall" in en.text and "Bürgerbüro zu" in de.text:
            break
        assert time.monotonic() - returned < 1.0, "the public site did not change within 1 s"
        time.sleep(0.02)
    assert "<em>citizens office</em>" in en.text
    feed = requests.get(server.url("/feed.atom"))
    assert feed.status_code == 200
    assert "Water damage at the town hall" in feed.text and "Bürgerbüro zu" in feed.text
    assert f"/notice/{slug}/en/1" in feed.text and f"/notice/{slug}/de/2" in feed.text
    hist = requests.get(server.url(f"/meldung/{slug}/versionen"))
    assert hist.status_code == 200
    for v in (f"/meldung/{slug}/versionen/de-1", f"/meldung/{slug}/versionen/de-2",
              f"/meldung/{slug}/versionen/en-1"):
        assert f'href="{v}"' in hist.text, v
    assert requests.get(server.url(f"/meldung/{slug}/versionen/de-1")).status_code == 200

    rows = journal_actions(data)[before:]
    assert rows == [["notice.create", f"notice/{slug}", "created"],
                    ["notice.publish", f"notice/{slug}", "version 1 of de"],
                    ["notice.publish", f"notice/{slug}", "version 2 of de"],
                    ["notice.publish", f"notice/{slug}", "version 1 of en"]]

    # Withdraw: the public page is gone; show again: it is back.
    listing = ed.get(LIST).text
    withdraw = f"/intern/meldungen/{slug}/zurueckziehen"
    wtoken = ed.csrf(LIST, withdraw)
    assert ed.post(withdraw, {}).status_code == 403  # no token
    r = ed.post(withdraw, {"csrf": wtoken})
    assert r.status_code == 303 and r.headers["Location"] == LIST + "?hinweis=zurueckgezogen"
    wait_status(server.url(f"/meldung/{slug}"), 404, time.monotonic())
    assert requests.get(server.url(f"/en/meldung/{slug}")).status_code == 404
    listing = ed.get(r.headers["Location"]).text
    assert "zurückgezogen" in listing and "nicht öffentlich" in listing
    show = f"/intern/meldungen/{slug}/veroeffentlichen"
    r = ed.post(show, {"csrf": ed.csrf(LIST, show)})
    assert r.status_code == 303 and r.headers["Location"] == LIST + "?hinweis=angezeigt"
    page = wait_status(server.url(f"/meldung/{slug}"), 200, time.monotonic())
    assert "Bürgerbüro zu" in page.text
    rows = journal_actions(data)[-2:]
    assert rows == [["notice.withdraw", f"notice/{slug}", "withdrawn"],
                    ["notice.show", f"notice/{slug}", "shown again"]]
    verify = subprocess.run([BINARY, "journal", "verify", "--data", data],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_unknown_notices_and_languages(office):
    server, data, b = office
    ed = b["ben"]
    assert ed.get("/intern/meldungen/gibt-es-nicht/de").status_code == 404
    assert ed.get("/intern/meldungen/vorhanden/zz").status_code == 404
    assert ed.get("/intern/meldungen/vorhanden/de/mehr").status_code == 404
    assert ed.get("/intern/meldungen/vorhanden/zurueckziehen").status_code == 405


def test_pin_and_archive_from_the_list(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)
    r = ed.post(NEW, {"csrf": token, "slug": "strassensperrung", "lang": "de",
                      "title": "Straßensperrung am Markt", "body": "Der Markt ist gesperrt.",
                      "action": "publish"})
    assert r.status_code == 303, r.text
    home = "/index.json"
    wait_status(server.url("/meldung/strassensperrung"), 200, time.monotonic(), 3.0)

    def where():
        m = requests.get(server.url(home)).json()
        for key in ("pinned", "others", "archived"):
            if any(n["href"] == "/meldung/strassensperrung" for n in m[key]):
                return key
        return None

    steps = [("anheften", "pinned", "notice.pin"), ("loesen", "others", "notice.unpin"),
             ("archivieren", "archived", "notice.archive"),
             ("zurueckholen", "others", "notice.unarchive")]
    for path, place, action in steps:
        target = f"{LIST}/strassensperrung/{path}"
        token = ed.csrf(LIST, target)
        # A GET never changes anything; a POST without the form's token neither.
        assert ed.get(target).status_code == 405
        assert ed.post(target, {}).status_code == 403
        r = ed.post(target, {"csrf": token})
        assert r.status_code == 303 and r.headers["Location"] == LIST + "?hinweis=geaendert"
        since = time.monotonic()
        while where() != place:
            assert time.monotonic() - since < 3.0, (path, where())
            time.sleep(0.05)
        assert journal_actions(data)[-1][:2] == [action, "notice/strassensperrung"]
    # Other roles may not.
    carla = b["carla"]
    assert carla.post(f"{LIST}/strassensperrung/anheften", {"csrf": "x"}).status_code == 403
