"""Notices in the back office (/intern/meldungen) through the real binary: who may use
them, CSRF, validation with 422 and the typed values kept, the server-side preview that
publishes nothing, publishing language variants that the public site and the Atom feed
show within one second, the version history, withdrawing and showing again."""
import html as htmllib
import re

import pytest
import requests

from staff_fixture import (assert_journal_intact, assert_sign_in_first, assert_token_checked,
                           field_error, journal, public, staff_office, wait_live, wait_until)

TITLE_MAX = 300  # NB_TITLE_MAX in src/base/limits.h
MARKDOWN_MAX = 256 * 1024  # NB_MARKDOWN_MAX
LIST = "/intern/meldungen"
NEW = "/intern/meldungen/neu"


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-notices-", roles={"ben": "editor", "carla": "caseworker",
                                            "dora": "dpo"}) as o:
        yield o.server, o.data, o.browsers


def status_is(server, path, status):
    """A check for wait_live: the page at path (its text) when it answers status, else None."""
    def check():
        r = requests.get(server.url(path))
        return r.text if r.status_code == status else None
    return check


def test_roles_without_the_right_get_403(office):
    server, data, b = office
    assert f'href="{LIST}"' in b["ben"].get("/intern/").text
    token = b["ben"].csrf(NEW, NEW)
    before = len(journal(data))
    for name in ("carla", "dora"):
        assert f'href="{LIST}"' not in b[name].get("/intern/").text
        for path in (LIST, NEW, "/intern/meldungen/x/de"):
            r = b[name].get(path)
            assert r.status_code == 403 and "nicht ausführen" in r.text, path
        r = b[name].post(NEW, {"csrf": token, "slug": "verboten", "lang": "de", "title": "T",
                               "body": "B", "action": "publish"})
        assert r.status_code == 403
    assert requests.get(server.url("/meldung/verboten")).status_code == 404
    assert len(journal(data)) == before
    assert_sign_in_first(server, LIST)


def test_csrf_is_checked(office):
    server, data, b = office
    ed = b["ben"]
    form = {"slug": "ohne-token", "lang": "de", "title": "T", "body": "B", "action": "publish"}
    before = len(journal(data))
    assert_token_checked(ed, NEW, form)
    # A token of another form does not do.
    other = ed.csrf("/intern/betriebszustand", "/intern/betriebszustand")
    assert ed.post(NEW, dict(form, csrf=other)).status_code == 403
    assert ed.post("/intern/meldungen/ohne-token/zurueckziehen", {}).status_code == 403
    assert requests.get(server.url("/meldung/ohne-token")).status_code == 404
    assert "ohne-token" not in ed.get(LIST).text
    assert len(journal(data)) == before


def test_invalid_input_comes_back_with_messages(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)
    before = len(journal(data))

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

    actions = [a for a, _, _ in journal(data)[before:]]
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
    before = len(journal(data))
    r = ed.post(NEW, dict(form, action="publish"))
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == LIST + "?hinweis=veroeffentlicht"
    page = wait_live(server, status_is(server, f"/meldung/{slug}", 200), "the new notice")
    assert "Wasserschaden im Rathaus" in page
    assert "<strong>Bürgerbüro</strong>" in page
    assert "<script>alert" not in page and "onclick" not in page
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
    wait_live(server, lambda: "Bürgerbüro zu" in public(server, f"/meldung/{slug}"),
              "the new version")

    # Add an English variant.
    edit_en = f"/intern/meldungen/{slug}/en"
    page = ed.get(edit_en)
    assert page.status_code == 200 and 'name="title" required lang="en" value=""' in page.text
    etoken = ed.csrf(edit_en, edit_en)
    r = ed.post(edit_en, {"csrf": etoken, "title": "Water damage at the town hall",
                          "body": "The *citizens office* is closed.", "action": "publish"})
    assert r.status_code == 303, r.text

    def both_variants():
        de = requests.get(server.url(f"/meldung/{slug}"))
        en = requests.get(server.url(f"/en/meldung/{slug}"))
        return en if "Water damage at the town hall" in en.text and "Bürgerbüro zu" in de.text \
            else None
    en = wait_live(server, both_variants, "the English variant")
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

    rows = journal(data)[before:]
    assert rows == [("notice.create", f"notice/{slug}", "created"),
                    ("notice.publish", f"notice/{slug}", "version 1 of de"),
                    ("notice.publish", f"notice/{slug}", "version 2 of de"),
                    ("notice.publish", f"notice/{slug}", "version 1 of en")]

    # Withdraw: the public page is gone; show again: it is back.
    listing = ed.get(LIST).text
    withdraw = f"/intern/meldungen/{slug}/zurueckziehen"
    wtoken = ed.csrf(LIST, withdraw)
    assert ed.post(withdraw, {}).status_code == 403  # no token
    r = ed.post(withdraw, {"csrf": wtoken})
    assert r.status_code == 303 and r.headers["Location"] == LIST + "?hinweis=zurueckgezogen"
    wait_live(server, status_is(server, f"/meldung/{slug}", 404), "the withdrawal")
    assert requests.get(server.url(f"/en/meldung/{slug}")).status_code == 404
    listing = ed.get(r.headers["Location"]).text
    assert "zurückgezogen" in listing and "nicht öffentlich" in listing
    show = f"/intern/meldungen/{slug}/veroeffentlichen"
    r = ed.post(show, {"csrf": ed.csrf(LIST, show)})
    assert r.status_code == 303 and r.headers["Location"] == LIST + "?hinweis=angezeigt"
    page = wait_live(server, status_is(server, f"/meldung/{slug}", 200), "showing again")
    assert "Bürgerbüro zu" in page
    rows = journal(data)[-2:]
    assert rows == [("notice.withdraw", f"notice/{slug}", "withdrawn"),
                    ("notice.show", f"notice/{slug}", "shown again")]
    assert_journal_intact(data)


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
    wait_until(status_is(server, "/meldung/strassensperrung", 200), "the notice", 3.0)

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
        wait_until(lambda: where() == place, f"{path}: the notice under {place}", 3.0)
        assert journal(data)[-1][:2] == (action, "notice/strassensperrung")
    # Other roles may not.
    carla = b["carla"]
    assert carla.post(f"{LIST}/strassensperrung/anheften", {"csrf": "x"}).status_code == 403


def test_version_history_of_a_language(office):
    """The edit form lists the language's versions, newest first, each readable on its own
    read-only page with its Markdown source, also once the notice is withdrawn."""
    server, data, b = office
    ed = b["ben"]
    slug, edit = "verlauf", "/intern/meldungen/verlauf/de"
    r = ed.post(NEW, {"csrf": ed.csrf(NEW, NEW), "slug": slug, "lang": "de",
                      "title": "Erste <Fassung>", "body": "Alter **Text**.", "action": "publish"})
    assert r.status_code == 303, r.text
    r = ed.post(edit, {"csrf": ed.csrf(edit, edit), "title": "Zweite Fassung",
                       "body": "Neuer Text.", "action": "publish"})
    assert r.status_code == 303, r.text
    page = ed.get(edit).text
    rows = re.findall(r'<a href="(/intern/meldungen/verlauf/de/versionen/\d+)">Fassung (\d+)</a>',
                      page)
    assert [n for _, n in rows] == ["2", "1"]
    assert "Fassung 2</a> (aktuell)" in page and "Erste &lt;Fassung&gt;" in page
    r = ed.post(f"{LIST}/{slug}/zurueckziehen", {"csrf": ed.csrf(LIST, f"{LIST}/{slug}/zurueckziehen")})
    assert r.status_code == 303
    old = ed.get(edit + "/versionen/1")
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-store"
    assert "<h2 id=\"shown-h\">Erste &lt;Fassung&gt;</h2>" in old.text
    assert "<strong>Text</strong>" in old.text and "Alter **Text**." in old.text
    assert "frühere Fassung" in old.text
    assert f'href="{edit}/versionen/2">Neuere Fassung</a>' in old.text
    assert f'href="{edit}">' in old.text
    new = ed.get(edit + "/versionen/2")
    assert "aktuelle Fassung" in new.text and f'href="{edit}/versionen/1">Ältere Fassung</a>' in new.text
    assert "Neuere Fassung" not in new.text
    english = ed.get("/en" + edit + "/versionen/1").text
    assert "Version 1" in english and "earlier version" in english
    for bad in ("/versionen/3", "/versionen/0", "/versionen/01", "/versionen/x", "/versionen/",
                "/versionen/1/x", "/fassung/1", "/versionen/99999999999999999999"):
        assert ed.get(edit + bad).status_code == 404, bad
    assert ed.get("/intern/meldungen/gibt-es-nicht/de/versionen/1").status_code == 404
    assert ed.get("/intern/meldungen/verlauf/en/versionen/1").status_code == 404
    assert ed.post(edit + "/versionen/1", {"csrf": ed.csrf(edit, edit)}).status_code == 405
    for name in ("carla", "dora"):
        assert b[name].get(edit + "/versionen/1").status_code == 403
