"""Press updates in the back office (/intern/presse) through the real binary: who may write
them, CSRF, validation with 422 and messages next to the fields, the preview, and an update
that the public site files under the current ISO week within one second; correcting,
withdrawing and republishing it."""
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import requests

from staff_fixture import (assert_journal_intact, assert_sign_in_first, assert_token_checked,
                           field_error, journal, public, staff_office, wait_live)

TITLE_MAX = 300  # NB_TITLE_MAX in src/base/limits.h
MARKDOWN_MAX = 256 * 1024  # NB_MARKDOWN_MAX
LIST = "/intern/presse"
NEW = "/intern/presse/neu"


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-press-", roles={"ben": "editor", "carla": "caseworker",
                                          "dora": "dpo"}) as o:
        yield o.server, o.data, o.browsers


def press_rows(data):
    return [r for r in journal(data) if r[0].startswith("press.")]


def this_week():
    y, w, _ = datetime.datetime.now(ZoneInfo("Europe/Berlin")).isocalendar()
    return y, w


def test_roles_without_the_right_get_403(office):
    server, data, b = office
    assert f'href="{LIST}"' in b["ben"].get("/intern/").text
    token = b["ben"].csrf(NEW, NEW)
    for name in ("carla", "dora"):
        assert f'href="{LIST}"' not in b[name].get("/intern/").text
        for path in (LIST, NEW, LIST + "/irgendwas"):
            r = b[name].get(path)
            assert r.status_code == 403 and "nicht ausführen" in r.text, path
        # The role is checked before the token: even a valid token of another session.
        r = b[name].post(NEW, {"csrf": token, "slug": "verboten", "title_de": "T",
                               "body_de": "B"})
        assert r.status_code == 403 and "nicht ausführen" in r.text
    assert press_rows(data) == []
    assert_sign_in_first(server, LIST)


def test_csrf_is_checked(office):
    server, data, b = office
    ed = b["ben"]
    form = {"slug": "ohne-token", "title_de": "Titel", "body_de": "Text"}
    token = assert_token_checked(ed, NEW, form)
    assert "<script" not in ed.get(NEW).text
    # A token is bound to its form: the one of /neu does not withdraw anything.
    assert ed.post(LIST + "/ohne-token/zurueckziehen", {"csrf": token}).status_code == 403
    assert "ohne-token" not in ed.get(LIST).text
    assert press_rows(data) == []


def test_invalid_input_comes_back_with_messages(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)

    def post(**changes):
        form = {"csrf": token, "slug": "gute-meldung", "title_de": "Ein Titel",
                "body_de": "Ein *Text*.", "title_en": "", "body_en": ""}
        form.update(changes)
        r = ed.post(NEW, form)
        assert r.status_code == 422, r.text
        assert 'role="alert"' in r.text
        return r.text

    html = post(slug="Böse Adresse", title_de="Getippter <Titel> bleibt")
    assert "Kleinbuchstaben" in field_error(html, "slug")
    assert 'value="Böse Adresse"' in html
    assert 'value="Getippter &lt;Titel&gt; bleibt"' in html  # kept, escaped
    assert "title_de-error" not in html  # only the wrong field is marked

    html = post(slug="neu")  # the address of the form itself
    assert "Kleinbuchstaben" in field_error(html, "slug")

    html = post(title_de="   ", body_de="Getippter Text bleibt")
    assert "Titel ein" in field_error(html, "title_de")
    assert ">Getippter Text bleibt</textarea>" in html

    html = post(title_de="zwei\nZeilen")
    assert "eine Zeile" in field_error(html, "title_de")

    too_long = "ä" * (TITLE_MAX // 2) + "x"
    assert len(too_long.encode()) == TITLE_MAX + 1
    html = post(title_de=too_long)
    assert f"höchstens {TITLE_MAX} Byte" in field_error(html, "title_de")
    assert f'value="{too_long}"' in html

    html = post(body_de="")
    assert "Text ein" in field_error(html, "body_de")

    big = "x" * (MARKDOWN_MAX + 1)
    html = post(body_de=big)
    assert f"höchstens {MARKDOWN_MAX} Byte" in field_error(html, "body_de")
    assert big + "</textarea>" in html

    html = post(title_en="English title only")
    assert "englischen Text" in field_error(html, "body_en")
    assert 'value="English title only"' in html
    assert "title_en-error" not in html

    html = post(body_en="English body only")
    assert "englischen Titel" in field_error(html, "title_en")
    assert ">English body only</textarea>" in html

    # In English, the messages are English.
    en_token = ed.csrf("/en" + NEW, "/en" + NEW)
    r = ed.post("/en" + NEW, {"csrf": en_token, "slug": "x", "title_de": "", "body_de": "B"})
    assert r.status_code == 422 and "Please enter a title." in r.text

    assert press_rows(data) == []
    assert "gute-meldung" not in requests.get(server.url("/presse")).text


def test_preview_renders_markdown_without_saving(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)
    r = ed.post(NEW, {"csrf": token, "preview": "1", "slug": "vorschau",
                      "title_de": "Vorschau-Titel", "body_de": "## Abschnitt\n\n**fett** <b>roh</b>",
                      "title_en": "Preview title", "body_en": "*english*"})
    assert r.status_code == 200, r.text
    assert "<strong>fett</strong>" in r.text and "<em>english</em>" in r.text
    assert "<h3>Abschnitt</h3>" in r.text  # below the page's h2, as on the public site
    assert "<b>roh</b>" not in r.text  # raw HTML is never passed through
    assert 'value="Vorschau-Titel"' in r.text and 'value="vorschau"' in r.text
    assert "**fett** &lt;b&gt;roh&lt;/b&gt;</textarea>" in r.text  # the typed text, kept
    assert press_rows(data) == []
    assert "vorschau" not in ed.get(LIST).text


def test_editor_publishes_corrects_and_withdraws(office):
    server, data, b = office
    ed = b["ben"]
    year, week = this_week()
    week_page = f"/presse/{year}-kw{week:02d}"
    token = ed.csrf(NEW, NEW)
    title_de = "Impfzentrum öffnet wieder"
    title_en = "Vaccination centre reopens"
    r = ed.post(NEW, {"csrf": token, "slug": "impfzentrum", "title_de": title_de,
                      "body_de": "Ab **Montag** wieder geöffnet.", "title_en": title_en,
                      "body_en": "Open again from *Monday*."})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == LIST + "?hinweis=veroeffentlicht"

    # Live within one second of the answer, under the current ISO week.
    wait_live(server, lambda: title_de in public(server, "/presse"), "the press page")
    press = requests.get(server.url("/presse")).text
    assert f"KW {week}/{year}" in press and week_page in press
    page = requests.get(server.url(week_page))
    assert page.status_code == 200 and title_de in page.text
    assert "<strong>Montag</strong>" in page.text
    front = requests.get(server.url("/")).text
    m = re.search(r'<a href="([^"]+)">Presseupdate KW (\d+)</a>', front)
    assert m and int(m.group(2)) == week and m.group(1).endswith(week_page), front
    assert title_en in requests.get(server.url("/en/presse")).text
    feed = requests.get(server.url("/feed.atom")).text
    assert title_de in feed and "/press/impfzentrum/" in feed

    # The list shows it with week, languages and a confirmation.
    listing = ed.get(r.headers["Location"]).text
    assert 'role="status"' in listing and "veröffentlicht" in listing
    row = re.search(r"<tr><td><a href=\"/intern/presse/impfzentrum\">" + re.escape(title_de)
                    + r"</a></td>(.*?)</tr>", listing)
    assert row, listing
    assert f"KW {week}/{year}" in row.group(1) and "de, en" in row.group(1)

    # The slug is taken now.
    token = ed.csrf(NEW, NEW)
    r = ed.post(NEW, {"csrf": token, "slug": "impfzentrum", "title_de": "Noch eins",
                      "body_de": "Text"})
    assert r.status_code == 422 and "gibt es schon" in field_error(r.text, "slug")

    # Correcting the text.
    edit = LIST + "/impfzentrum"
    form_page = ed.get(edit)
    assert form_page.status_code == 200 and f'value="{title_en}"' in form_page.text
    token = ed.csrf(edit, edit)
    r = ed.post(edit, {"csrf": token, "title_de": title_de, "body_de": "Ab Dienstag geöffnet.",
                       "title_en": "", "body_en": ""})
    assert r.status_code == 422  # an English version cannot be emptied away
    assert "nicht entfernen" in field_error(r.text, "title_en")
    r = ed.post(edit, {"csrf": token, "title_de": title_de + " (korrigiert)",
                       "body_de": "Ab Dienstag geöffnet.", "title_en": title_en,
                       "body_en": "Open again from Tuesday."})
    assert r.status_code == 303 and r.headers["Location"] == edit + "?hinweis=gespeichert"
    wait_live(server, lambda: "Ab Dienstag" in public(server, week_page), "the correction")
    assert "Montag" not in requests.get(server.url(week_page)).text
    assert "Tuesday" in requests.get(server.url("/en" + week_page)).text
    assert "gespeichert" in ed.get(r.headers["Location"]).text

    # Withdrawing removes it from the site; republishing brings it back.
    withdraw = edit + "/zurueckziehen"
    assert ed.get(withdraw).status_code == 405
    token = ed.csrf(edit, withdraw)
    r = ed.post(withdraw, {"csrf": token})
    assert r.status_code == 303 and r.headers["Location"] == edit + "?hinweis=zurueckgezogen"
    wait_live(server, lambda: "Impfzentrum" not in public(server, "/presse"), "withdrawal")
    assert "Impfzentrum" not in requests.get(server.url("/feed.atom")).text
    assert "Presseupdate KW" not in requests.get(server.url("/")).text
    assert "zurückgezogen" in ed.get(LIST).text
    publish = edit + "/veroeffentlichen"
    token = ed.csrf(edit, publish)
    assert ed.post(publish, {"csrf": token}).status_code == 303
    wait_live(server, lambda: "Impfzentrum" in public(server, "/presse"), "republication")

    assert ed.get(LIST + "/gibt-es-nicht").status_code == 404
    assert press_rows(data) == [
        ("press.create", "press/impfzentrum", "published with texts de, en"),
        ("press.edit", "press/impfzentrum", "texts de, en corrected"),
        ("press.withdraw", "press/impfzentrum", "withdrawn"),
        ("press.publish", "press/impfzentrum", "published again"),
    ]
    assert_journal_intact(data)
