"""Services and standing pages in the back office (/intern/leistungen, /intern/seiten)
through the real binary: who may edit them, CSRF, validation with 422 and messages next to
the fields, the preview, and changes that the public site shows within one second."""
import re

import pytest
import requests

from staff_fixture import (assert_sign_in_first, assert_token_checked, field_error, journal,
                           public, staff_office, wait_live)

LIST = "/intern/leistungen"
NEW = "/intern/leistungen/neu"
PAGES = "/intern/seiten"
IMPRINT_DE = "/intern/seiten/imprint/de"


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-services-", roles={"anna": "admin", "ben": "editor",
                                             "carla": "caseworker", "dora": "dpo"}) as o:
        yield o.server, o.data, o.browsers


def rows(data, prefix):
    return [r for r in journal(data) if r[0].startswith(prefix)]


def service_form(token, **changes):
    form = {"csrf": token, "slug": "meldebescheinigung", "state": "online", "department": "",
            "other_office": "", "sort": "10", "name_de": "Meldebescheinigung",
            "description_de": "Bescheinigung über Ihre Anschrift.", "fallback_de": "",
            "name_en": "Certificate of registration",
            "description_en": "Certificate of your address.", "fallback_en": ""}
    form.update(changes)
    return form


def test_roles_without_the_right_get_403(office):
    server, data, b = office
    for name in ("anna", "ben"):
        home = b[name].get("/intern/").text
        assert f'href="{LIST}"' in home and f'href="{PAGES}"' in home
    token = b["ben"].csrf(NEW, NEW)
    page_token = b["ben"].csrf(IMPRINT_DE, IMPRINT_DE)
    for name in ("carla", "dora"):
        home = b[name].get("/intern/").text
        assert f'href="{LIST}"' not in home and f'href="{PAGES}"' not in home
        for path in (LIST, NEW, LIST + "/irgendwas", PAGES, IMPRINT_DE):
            r = b[name].get(path)
            assert r.status_code == 403 and "nicht ausführen" in r.text, path
        # The role is checked before the token.
        assert b[name].post(NEW, service_form(token, slug="verboten")).status_code == 403
        r = b[name].post(IMPRINT_DE, {"csrf": page_token, "title": "T", "body": "B"})
        assert r.status_code == 403
    assert rows(data, "service.") == [] and rows(data, "page.") == []
    assert "verboten" not in public(server, "/leistungen")
    assert_sign_in_first(server, LIST)


def test_csrf_is_checked(office):
    server, data, b = office
    ed = b["ben"]
    token = assert_token_checked(ed, NEW, service_form("", slug="ohne-token"))
    # A token is bound to its form: the one of /neu does not publish a page.
    r = ed.post(IMPRINT_DE, {"csrf": token, "title": "T", "body": "B"})
    assert r.status_code == 403
    assert ed.post(IMPRINT_DE, {"title": "T", "body": "B"}).status_code == 403
    assert "ohne-token" not in ed.get(LIST).text
    assert rows(data, "service.") == [] and rows(data, "page.") == []


def test_invalid_service_comes_back_with_messages(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)

    def post(**changes):
        r = ed.post(NEW, service_form(token, **changes))
        assert r.status_code == 422, r.text
        assert 'role="alert"' in r.text
        return r.text

    # other_office needs the name of the office that took the service over.
    html = post(state="other_office", other_office="  ", name_de="Getippter <Name> bleibt",
                fallback_de="Getippter Ersatztext")
    assert "übernommen" in field_error(html, "other_office")
    assert 'value="Getippter &lt;Name&gt; bleibt"' in html  # kept, escaped
    assert ">Getippter Ersatztext</textarea>" in html
    assert re.search(r'value="other_office" checked', html)
    assert "name_de-error" not in html

    html = post(slug="Böse Adresse")
    assert "Kleinbuchstaben" in field_error(html, "slug")
    assert 'value="Böse Adresse"' in html

    html = post(slug="neu")
    assert "Kleinbuchstaben" in field_error(html, "slug")

    html = post(state="kaputt")
    assert "Zustand" in field_error(html, "state")

    html = post(department="gibt-es-nicht")
    assert "Abteilung" in field_error(html, "department")

    html = post(sort="-1")
    assert "ganze Zahl" in field_error(html, "sort")

    html = post(name_de=" ")
    assert "Namen" in field_error(html, "name_de")

    html = post(name_en="", fallback_en="Only a fallback")
    assert "Namen" in field_error(html, "name_en")
    assert ">Only a fallback</textarea>" in html

    en_token = ed.csrf("/en" + NEW, "/en" + NEW)
    r = ed.post("/en" + NEW, service_form(en_token, state="other_office"))
    assert r.status_code == 422 and "Please enter the office" in r.text

    assert rows(data, "service.") == []
    assert "meldebescheinigung" not in public(server, "/leistungen")


def test_preview_renders_markdown_without_saving(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)
    r = ed.post(NEW, service_form(token, slug="vorschau", preview="1",
                                  fallback_de="**fett** <b>roh</b>"))
    assert r.status_code == 200, r.text
    assert "<strong>fett</strong>" in r.text and "<b>roh</b>" not in r.text
    assert "**fett** &lt;b&gt;roh&lt;/b&gt;</textarea>" in r.text
    assert rows(data, "service.") == []
    assert "vorschau" not in ed.get(LIST).text


def test_editor_suspends_a_service_with_fallback(office):
    server, data, b = office
    ed = b["ben"]
    token = ed.csrf(NEW, NEW)
    r = ed.post(NEW, service_form(token))
    assert r.status_code == 303, r.text
    edit = LIST + "/meldebescheinigung"
    assert r.headers["Location"] == edit + "?hinweis=angelegt"
    assert "Die Leistung ist angelegt" in ed.get(r.headers["Location"]).text
    # The same slug again is refused.
    token = ed.csrf(NEW, NEW)
    html = ed.post(NEW, service_form(token)).text
    assert "gibt es schon" in field_error(html, "slug")

    token = ed.csrf(edit, edit)
    r = ed.post(edit, service_form(token, state="suspended",
                                   fallback_de="Schreiben Sie uns an **Markt 1**.",
                                   fallback_en="Write to us at **Markt 1**."))
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == edit + "?hinweis=gespeichert"

    def shown(path, label, text):
        html = requests.get(server.url(path)).text
        return label in html and text in html
    wait_live(server, lambda: shown("/leistungen", "Ausgesetzt",
                                    "Schreiben Sie uns an <strong>Markt 1"), "German public page")
    wait_live(server, lambda: shown("/en/leistungen", "Certificate of registration",
                                    "Write to us at <strong>Markt 1"), "English public page")
    page = ed.get(LIST).text
    assert "Meldebescheinigung" in page and "Ausgesetzt" in page
    form = ed.get(edit).text
    assert re.search(r'value="suspended" checked', form)

    # other_office with the office's name, shown publicly; then back, dropping the name.
    token = ed.csrf(edit, edit)
    r = ed.post(edit, service_form(token, state="other_office", other_office="Bürgeramt Nord"))
    assert r.status_code == 303, r.text
    wait_live(server, lambda: "Bürgeramt Nord" in public(server, "/leistungen"),
              "taking-over office")
    token = ed.csrf(edit, edit)
    r = ed.post(edit, service_form(token, state="paper", other_office="Bürgeramt Nord"))
    assert r.status_code == 303, r.text
    wait_live(server, lambda: "Bürgeramt Nord" not in public(server, "/leistungen"),
              "office name dropped")

    assert rows(data, "service.") == [
        ("service.put", "service/meldebescheinigung", "created, state online"),
        ("service.put", "service/meldebescheinigung", "changed, state suspended"),
        ("service.put", "service/meldebescheinigung", "changed, state other_office"),
        ("service.put", "service/meldebescheinigung", "changed, state paper"),
    ]
    assert ed.get(LIST + "/gibt-es-nicht").status_code == 404


def test_imprint_edit_appears_publicly(office):
    server, data, b = office
    ed = b["anna"]
    listing = ed.get(PAGES)
    assert listing.status_code == 200 and f'href="{IMPRINT_DE}"' in listing.text
    assert 'href="/intern/seiten/phishing/de-x-ls"' in listing.text
    assert ed.get("/intern/seiten/kochrezepte/de").status_code == 404
    assert ed.get("/intern/seiten/imprint/fr").status_code == 404

    token = ed.csrf(IMPRINT_DE, IMPRINT_DE)
    r = ed.post(IMPRINT_DE, {"csrf": token, "title": "", "body": "Getippter Text"})
    assert r.status_code == 422
    assert "Titel ein" in field_error(r.text, "title")
    assert ">Getippter Text</textarea>" in r.text

    r = ed.post(IMPRINT_DE, {"csrf": token, "preview": "1", "title": "Impressum",
                             "body": "Verantwortlich: **Amt Test**"})
    assert r.status_code == 200 and "<strong>Amt Test</strong>" in r.text
    assert rows(data, "page.") == []

    r = ed.post(IMPRINT_DE, {"csrf": token, "title": "Impressum des Amtes",
                             "body": "Verantwortlich: **Amt Test**, Markt 1"})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == IMPRINT_DE + "?hinweis=veroeffentlicht"
    wait_live(server, lambda: "Verantwortlich: <strong>Amt Test</strong>, Markt 1"
              in public(server, "/impressum"), "imprint on the public site")
    assert "Impressum des Amtes" in requests.get(server.url("/impressum")).text
    edit = ed.get(IMPRINT_DE).text
    assert 'value="Impressum des Amtes"' in edit and "anna" in edit
    assert rows(data, "page.") == [("page.publish", "page/imprint", "version 1, de")]


TITLE_MAX = 300            # NB_TITLE_MAX in src/base/limits.h
MARKDOWN_MAX = 256 * 1024  # NB_MARKDOWN_MAX
SORT_MAX = 1000000         # NB_SORT_MAX


def test_limits_on_both_sides(office):
    """Name, description and sort number at their limits are stored; one past, refused."""
    server, data, b = office
    ed = b["ben"]
    name_max = "ü" * (TITLE_MAX // 2)  # bytes of UTF-8 count
    text_max = "a" * MARKDOWN_MAX
    assert len(name_max.encode()) == TITLE_MAX
    before = rows(data, "service.")
    token = ed.csrf(NEW, NEW)
    for field, too_long, words in (("name_de", name_max + "a", "höchstens"),
                                   ("name_en", name_max + "a", "höchstens"),
                                   ("description_de", text_max + "a", "höchstens"),
                                   ("sort", str(SORT_MAX + 1), "ganze Zahl")):
        r = ed.post(NEW, service_form(token, slug="grenzen", **{field: too_long}))
        assert r.status_code == 422, field
        assert words in field_error(r.text, field), field
    assert rows(data, "service.") == before
    r = ed.post(NEW, service_form(token, slug="grenzen", name_de=name_max, name_en=name_max,
                                  description_de=text_max, sort=str(SORT_MAX)))
    assert r.status_code == 303, r.text
    wait_live(server, lambda: name_max in public(server, "/leistungen"), "longest name")
    assert text_max in public(server, "/leistungen")
