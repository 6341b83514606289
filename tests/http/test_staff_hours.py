"""The telephone hours (/intern/zeiten) and office settings (/intern/einstellungen) of the
back office through the real binary, on the demo office (a fresh `init` office has no
departments): roles, CSRF, validation with 422 and values kept, weekly hours and dated
exceptions that the public /kontakt shows within one second, and the Land that the
holidays API follows."""
import datetime
import re
import zoneinfo

import pytest
import requests

from staff_fixture import (assert_journal_intact, field_error, journal, page_when,
                           staff_office, wait_live)

HOURS = "/intern/zeiten"
DEPT = HOURS + "/hauptamt"
SETTINGS = "/intern/einstellungen"
OFFICE = "kranichmoor"  # the demo office


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-hours-", demo=True, roles={"ida": "admin", "hedi": "editor",
                                                     "jo": "caseworker"}) as o:
        yield o.server, o.data, o.browsers


def section(html, anchor_name):
    """The public /kontakt section of the department whose heading is anchor_name."""
    m = re.search(r'<section class="dept"[^>]*>\s*<h3[^>]*>' + re.escape(anchor_name) +
                  r'</h3>(.*?)</section>', html, re.S)
    assert m, html
    return m.group(1)


def weekly_form(token, ranges):
    form = {"csrf": token}
    for d in range(1, 8):
        for r in (1, 2):
            form[f"from_{d}_{r}"] = ""
            form[f"to_{d}_{r}"] = ""
    for (d, r), (a, b) in ranges.items():
        form[f"from_{d}_{r}"] = a
        form[f"to_{d}_{r}"] = b
    return form


def test_roles_and_links(office):
    server, data, b = office
    home = b["hedi"].get("/intern/").text
    assert f'href="{HOURS}"' in home and f'href="{SETTINGS}"' not in home
    home = b["ida"].get("/intern/").text
    assert f'href="{HOURS}"' in home and f'href="{SETTINGS}"' in home
    assert f'href="{HOURS}"' not in b["jo"].get("/intern/").text
    before = len(journal(data))
    for path in (HOURS, DEPT):
        r = b["jo"].get(path)
        assert r.status_code == 403 and "nicht ausführen" in r.text
    token = b["hedi"].csrf(DEPT, DEPT)
    r = b["jo"].post(DEPT, weekly_form(token, {(1, 1): ("07:00", "08:00")}))
    assert r.status_code == 403
    # Settings are the admin's alone.
    assert b["hedi"].get(SETTINGS).status_code == 403
    token = b["ida"].csrf(SETTINGS, SETTINGS)
    r = b["hedi"].post(SETTINGS, {"csrf": token, "land": "BY"})
    assert r.status_code == 403
    assert len(journal(data)) == before
    assert b["hedi"].get(HOURS + "/gibt-es-nicht").status_code == 404


def test_missing_csrf_is_refused(office):
    server, data, b = office
    before = len(journal(data))
    form = weekly_form("", {(1, 1): ("07:00", "08:00")})
    del form["csrf"]
    assert b["hedi"].post(DEPT, form).status_code == 403
    assert b["hedi"].post(DEPT + "/ausnahme", {"date": "2030-01-02", "kind": "closed"}).status_code == 403
    assert b["ida"].post(SETTINGS, {"land": "BY"}).status_code == 403
    assert b["hedi"].post(DEPT, dict(form, csrf="A" * 43)).status_code == 403
    assert len(journal(data)) == before
    assert "07:00–08:00" not in requests.get(server.url("/kontakt")).text


def test_invalid_ranges_come_back_with_values(office):
    server, data, b = office
    ed = b["hedi"]
    token = ed.csrf(DEPT, DEPT)
    before = len(journal(data))
    r = ed.post(DEPT, weekly_form(token, {(1, 1): ("12:00", "09:00"), (2, 1): ("25:00", "26:00"),
                                         (3, 1): ("09:00", "12:00"), (3, 2): ("11:00", "13:00"),
                                         (4, 1): ("08:00", "")}))
    assert r.status_code == 422, r.text
    html = r.text
    assert 'role="alert"' in html
    assert "vor dem Ende" in field_error(html, "w1-1")
    assert "gültige Uhrzeiten" in field_error(html, "w2-1")
    assert "überschneiden" in field_error(html, "w3-2")
    assert "Beginn und Ende" in field_error(html, "w4-1")
    assert 'name="from_1_1" type="time" value="12:00"' in html
    assert 'name="to_1_1" type="time" value="09:00"' in html
    assert 'name="from_2_1" type="time" value="25:00"' in html
    assert "w5-1-error" not in html  # only the wrong ranges are marked

    r = ed.post(DEPT + "/ausnahme", {"csrf": ed.csrf(DEPT, DEPT + "/ausnahme"),
                                     "date": "2026-02-30", "kind": "open", "from": "10:00",
                                     "to": "09:00", "note_de": "Getippt <bleibt>",
                                     "note_en": "zwei\nZeilen"})
    assert r.status_code == 422
    assert "gültiges Datum" in field_error(r.text, "date")
    assert "vor dem Ende" in field_error(r.text, "range")
    assert "eine Zeile" in field_error(r.text, "note_en")
    assert 'value="2026-02-30"' in r.text and 'value="Getippt &lt;bleibt&gt;"' in r.text
    assert 'value="open" checked' in r.text

    en = ed.post("/en" + DEPT, weekly_form(ed.csrf("/en" + DEPT, "/en" + DEPT),
                                           {(1, 1): ("12:00", "09:00")}))
    assert en.status_code == 422 and "The start must be before the end." in en.text
    assert len(journal(data)) == before


def test_editor_changes_weekly_hours_and_kontakt_shows_them(office):
    server, data, b = office
    ed = b["hedi"]
    assert "Hauptamt" in ed.get(HOURS).text
    page = ed.get(DEPT).text
    assert 'name="from_2_2" type="time" value="13:00"' in page  # the demo's Tuesday afternoon
    token = ed.csrf(DEPT, DEPT)
    week = {(d, 1): ("08:15", "11:45") for d in range(1, 8)}
    week.update({(d, 2): ("12:00", "24:00") for d in range(1, 8)})
    r = ed.post(DEPT, weekly_form(token, week))
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == DEPT + "?hinweis=gespeichert"
    html = wait_live(server, page_when(server, "/kontakt",
                                       lambda h: "08:15–11:45" in section(h, "Hauptamt")),
                     "the new weekly hours", office=OFFICE)
    assert "08:15–11:45" not in section(html, "Bauamt")  # only this department changed
    saved = ed.get(r.headers["Location"]).text
    assert 'role="status"' in saved and 'name="from_7_1" type="time" value="08:15"' in saved
    assert 'name="to_7_2" type="time" value="24:00"' in saved
    assert "08:15–11:45, 12:00–24:00" in ed.get(HOURS).text
    assert ("hours.weekly", "department/hauptamt", "weekly telephone hours set") in journal(data)


def test_exception_today_appears_in_the_week_table(office):
    server, data, b = office
    ed = b["hedi"]
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin")).date().isoformat()
    action = DEPT + "/ausnahme"
    r = ed.post(action, {"csrf": ed.csrf(DEPT, action), "date": today, "kind": "closed",
                         "note_de": "Heute Betriebsversammlung", "note_en": "Staff meeting today"})
    assert r.status_code == 303, r.text

    def closed_today(html):
        row = re.search(r'<tr class="today">(.*?)</tr>', section(html, "Hauptamt"), re.S)
        return row and "geschlossen (Heute Betriebsversammlung)" in row.group(1)

    wait_live(server, page_when(server, "/kontakt", closed_today), "the exception", office=OFFICE)
    en = requests.get(server.url("/en/kontakt")).text
    assert "Staff meeting today" in en
    listing = ed.get(HOURS).text
    assert f"{today}</time>: geschlossen (Heute Betriebsversammlung)" in listing
    rows = [x for x in journal(data) if x[0] == "hours.exception"]
    assert rows == [("hours.exception", "department/hauptamt", f"exception {today} set (closed)")]

    # Removing it brings the weekly hours back.
    delete = DEPT + "/ausnahme/loeschen"
    r = ed.post(delete, {"csrf": ed.csrf(DEPT, delete), "date": today})
    assert r.status_code == 303
    wait_live(server, page_when(server, "/kontakt", lambda h: "Betriebsversammlung" not in h),
              "the removal", office=OFFICE)
    assert ed.post(delete, {"csrf": ed.csrf(DEPT, delete), "date": today}).status_code == 404
    assert [x[2] for x in journal(data) if x[0] == "hours.exception"][-1] == \
        f"exception {today} removed"


def holiday_names(server):
    r = requests.get(server.url("/api/v1/holidays/2021"))
    assert r.status_code == 200
    return r.text


def test_admin_changes_settings_and_land(office):
    server, data, b = office
    admin = b["ida"]
    page = admin.get(SETTINGS)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert len(re.findall(r"<option value=\"[A-Z]{2}\"", page.text)) == 16
    assert '<option value="MV" selected>Mecklenburg-Vorpommern (MV)</option>' in page.text
    assert "Heilige Drei Könige" not in holiday_names(server)

    token = admin.csrf(SETTINGS, SETTINGS)
    r = admin.post(SETTINGS, {"csrf": token, "email": "kein@", "phone": "03831 000",
                              "address": "Am Markt 1\n12345 Kranichmoor", "land": "XX"})
    assert r.status_code == 422
    assert field_error(r.text, "email") and field_error(r.text, "land")
    assert "phone-error" not in r.text
    assert 'value="kein@"' in r.text and "Am Markt 1\n12345 Kranichmoor</textarea>" in r.text

    before = len(journal(data))
    r = admin.post(SETTINGS, {"csrf": token, "email": "poststelle@kranichmoor.example",
                              "phone": "03831 000", "address": "Am Markt 1\n12345 Kranichmoor",
                              "land": "BY"})
    assert r.status_code == 303, r.text
    assert "Heilige Drei Könige" in holiday_names(server)
    rows = journal(data)
    assert len(rows) == before + 1
    assert rows[-1] == ("office.settings", "office/kranichmoor", "settings saved, Land BY")
    page = admin.get(r.headers["Location"]).text
    assert 'role="status"' in page and '<option value="BY" selected>' in page
    assert 'value="poststelle@kranichmoor.example"' in page
    # Name and slug stay.
    assert "kranichmoor" in requests.get(server.url("/index.json")).text
    assert_journal_intact(data)
