"""The operating-state form of the back office (/intern/betriebszustand) through the real
binary: who may use it, CSRF and Origin, validation with 422 and messages next to the
fields, and a saved state that the public site shows within one second."""
import re

import pytest
import requests

from staff_fixture import (assert_journal_intact, assert_sign_in_first, assert_token_checked,
                           field_error, journal, staff_office, wait_live)

NOTE_MAX = 1000  # NB_NOTE_MAX in src/base/limits.h
PATH = "/intern/betriebszustand"


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-state-", roles={"ben": "editor", "carla": "caseworker",
                                          "dora": "dpo"}) as o:
        yield o.server, o.data, o.browsers


def public_state(server):
    return requests.get(server.url("/index.json")).json()["state"]["key"]


def form_values(html):
    date = re.search(r'name="date" type="date" required value="([^"]*)"', html).group(1)
    hhmm = re.search(r'name="time" type="time" required value="([^"]*)"', html).group(1)
    return date, hhmm


def test_roles_without_the_right_get_403(office):
    server, data, b = office
    home = b["ben"].get("/intern/").text
    assert f'href="{PATH}"' in home  # the editor finds the form from the overview
    before = len(journal(data))
    for name in ("carla", "dora"):
        assert f'href="{PATH}"' not in b[name].get("/intern/").text
        r = b[name].get(PATH)
        assert r.status_code == 403 and "nicht ausführen" in r.text
        token = b["ben"].csrf(PATH, PATH)  # even with a token of another session
        r = b[name].post(PATH, {"csrf": token, "state": "notbetrieb", "date": "2026-01-01",
                                "time": "08:00"})
        assert r.status_code == 403
    assert public_state(server) == "normal"
    assert len(journal(data)) == before
    # Signed out, the form leads to the sign-in.
    assert_sign_in_first(server, PATH)


def test_csrf_and_origin_are_checked(office):
    server, data, b = office
    ed = b["ben"]
    page = ed.get(PATH)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "<script" not in page.text
    assert re.search(r'<fieldset[^>]*>\s*<legend>Betriebszustand</legend>', page.text)
    for label in ("Normalbetrieb", "Störung", "Notbetrieb", "Wiederanlauf", "Wieder in Betrieb"):
        assert f">{label}</label>" in page.text
    assert re.search(r'value="normal" checked', page.text)
    date, hhmm = form_values(page.text)
    form = {"state": "notbetrieb", "date": date, "time": hhmm, "note_de": "x", "note_en": "y"}
    before = len(journal(data))
    token = assert_token_checked(ed, PATH, form)
    evil = ed.http.post(server.url(PATH), data=dict(form, csrf=token),
                        headers={"Origin": "http://evil.example"}, allow_redirects=False)
    assert evil.status_code == 403
    assert public_state(server) == "normal"
    assert len(journal(data)) == before


def test_invalid_input_comes_back_with_messages(office):
    server, data, b = office
    ed = b["ben"]
    date, hhmm = form_values(ed.get(PATH).text)
    token = ed.csrf(PATH, PATH)
    before = len(journal(data))

    def post(**changes):
        form = {"csrf": token, "state": "notbetrieb", "date": date, "time": hhmm,
                "note_de": "Bitte rufen Sie an.", "note_en": "Please call."}
        form.update(changes)
        r = ed.post(PATH, form)
        assert r.status_code == 422, r.text
        assert 'role="alert"' in r.text
        return r.text

    html = post(state="kaputt", note_de="Getippter <Text> bleibt")
    assert "einen der Zustände" in field_error(html, "state")
    assert 'aria-invalid="true"' in html
    assert "Getippter &lt;Text&gt; bleibt</textarea>" in html  # kept, escaped
    assert f'value="{date}"' in html
    assert " checked" not in html  # no state is chosen: the typed one was none of them

    html = post(date="2026-02-30")
    assert "gültiges Datum" in field_error(html, "date")
    assert 'value="2026-02-30"' in html and 'value="notbetrieb" checked' in html
    assert re.search(r'id="date"[^>]*aria-invalid="true" aria-describedby="date-error"', html)

    html = post(time="25:61")
    assert "gültige Uhrzeit" in field_error(html, "time")
    assert 'value="25:61"' in html

    html = post(date="9999-12-31")
    assert "Zukunft" in field_error(html, "date")

    html = post(note_de="eine\nzweite Zeile")
    assert "eine Zeile" in field_error(html, "note_de")

    too_long = "ä" * (NOTE_MAX // 2) + "x"  # one byte over
    assert len(too_long.encode()) == NOTE_MAX + 1
    html = post(note_en=too_long)
    assert f"höchstens {NOTE_MAX} Byte" in field_error(html, "note_en")
    assert too_long + "</textarea>" in html
    assert re.search(r'id="note_en"[^>]*aria-describedby="note-hint note_en-error" '
                     r'aria-invalid="true"', html)
    assert "note_de-error" not in html  # only the wrong field is marked

    assert public_state(server) == "normal"
    assert len(journal(data)) == before

    # In English, the messages are English.
    en_token = ed.csrf("/en" + PATH, "/en" + PATH)
    r = ed.post("/en" + PATH, {"csrf": en_token, "state": "kaputt", "date": date, "time": hhmm})
    assert r.status_code == 422 and "Please choose one of the states." in r.text


def test_editor_sets_notbetrieb_and_the_site_shows_it_at_once(office):
    server, data, b = office
    ed = b["ben"]
    assert public_state(server) == "normal"
    date, _ = form_values(ed.get(PATH).text)
    token = ed.csrf(PATH, PATH)
    note_de = "Wir sind telefonisch unter 03831 000 erreichbar. Ä"
    note_en = "Exactly the limit " + "e" * (NOTE_MAX - len("Exactly the limit "))
    assert len(note_en.encode()) == NOTE_MAX
    r = ed.post(PATH, {"csrf": token, "state": "notbetrieb", "date": date, "time": "00:00",
                       "note_de": note_de, "note_en": note_en})
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == PATH + "?hinweis=gespeichert"

    # Live within one second of the answer.
    def front_changed():
        front = requests.get(server.url("/")).text
        return "Notbetrieb" in front and note_de in front
    wait_live(server, front_changed, "the front page")
    assert public_state(server) == "notbetrieb"
    en = requests.get(server.url("/en/")).text
    assert note_en in en and "Emergency operation" in en

    # The form shows what was saved, with a confirmation.
    page = ed.get(r.headers["Location"]).text
    assert 'role="status"' in page and "gespeichert" in page
    assert 'value="notbetrieb" checked' in page
    assert form_values(page) == (date, "00:00")
    assert note_en + "</textarea>" in page

    rows = journal(data, "action", "summary")
    state_rows = [summary for action, summary in rows if action == "office.state"]
    assert state_rows == ["state set to notbetrieb"]
    assert_journal_intact(data)

    # Emptying a note removes it from the banner.
    token = ed.csrf(PATH, PATH)
    r = ed.post(PATH, {"csrf": token, "state": "wiederanlauf", "date": date, "time": "00:00",
                       "note_de": note_de, "note_en": "  "})
    assert r.status_code == 303
    wait_live(server, lambda: public_state(server) == "wiederanlauf", "the next state")
    assert note_en not in requests.get(server.url("/en/")).text
