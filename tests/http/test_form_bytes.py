"""Bytes a form field cannot hold, through the real binary: a control character or invalid
UTF-8 in one field of the operating-state, press-update, notice and settings forms, sent urlencoded and
as multipart/form-data, is a 422 that names that field in its message and in the error
summary at the top, shows every typed value again (the wrong bytes as U+FFFD) and saves
nothing: the database and the journal stay as they were. A body that cannot be decoded at
all is a 400 that says so, not "form expired"."""
import re
import urllib.parse

import pytest
import requests

from staff_fixture import field_error, journal, sql, staff_office

STATE = "/intern/betriebszustand"
PRESS_NEW = "/intern/presse/neu"
NOTICE_NEW = "/intern/meldungen/neu"
SETTINGS = "/intern/einstellungen"
ADDRESS_LABEL = "Postanschrift"
FFFD = "\ufffd"

# What a wrong field may hold: the probe's control characters and two kinds of bad UTF-8.
BAD = {
    "nul": b"\x00",
    "vt": b"\x0b",
    "del": b"\x7f",
    "esc": b"\x1b",
    "latin1": b"\xe4",       # a Latin-1 "ä": no UTF-8 sequence starts like this
    "truncated": b"\xc3",    # the first byte of a two-byte sequence, then ASCII
}

# Each form: its address (the page that carries its token is the same), the fields as typed,
# the field that gets the wrong byte with the label the message names, and the tables whose
# content must not change.
FORMS = {
    "state": (STATE, {"state": "notbetrieb", "date": "2026-01-05", "time": "08:15",
                      "note_de": "Bitte rufen Sie an.", "note_en": "Please call us."},
              "note_de", "Hinweis im Banner (Deutsch)", ["offices", "office_state_notes"]),
    "press": (PRESS_NEW, {"slug": "wasser-kw", "title_de": "Wasser wieder trinkbar",
                          "body_de": "Das Wasser ist **wieder** trinkbar.",
                          "title_en": "Water safe again", "body_en": "Drink it."},
              "body_de", "Text (Deutsch, Markdown)", ["press_updates", "press_texts"]),
    "notice": (NOTICE_NEW, {"slug": "buergerbuero", "lang": "de", "title": "Bürgerbüro geöffnet",
                            "body": "Ab Montag wieder geöffnet.", "action": "publish"},
               "title", "Titel", ["notices", "notice_versions"]),
    "settings": (SETTINGS, {"email": "rathaus@example.org", "phone": "+49 3841 1234",
                            "address": "Markt 1\r\n23966 Wismar", "land": "MV"},
                 "address", ADDRESS_LABEL, ["offices", "office_settings"]),
}


@pytest.fixture(scope="module")
def office():
    # An administrator may use every form here, the office settings included.
    with staff_office("nb-bytes-", roles={"ada": "admin"}) as o:
        yield o.server, o.data, o.browsers["ada"]


def urlencoded(fields):
    return "&".join(urllib.parse.quote_from_bytes(k.encode()) + "=" +
                    urllib.parse.quote_from_bytes(v) for k, v in fields.items()).encode()


def multipart(fields, boundary="nbFormBoundary7MA4YWxk"):
    out = b""
    for k, v in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n"
                .encode() + v + b"\r\n")
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post_raw(ed, path, fields, encoding):
    """Posts fields ({name: bytes}) as the browser ed, urlencoded or multipart."""
    if encoding == "urlencoded":
        body, ctype = urlencoded(fields), "application/x-www-form-urlencoded"
    else:
        body, ctype = multipart(fields)
    return ed.http.post(ed.server.url(path), data=body, allow_redirects=False,
                        headers={"Origin": ed.server.base, "Content-Type": ctype})


def snapshot(data, tables):
    return {t: sql(data, f"SELECT * FROM {t} ORDER BY rowid") for t in tables}


def summary_items(html):
    """The error summary's links as (href, text), checking its accessible frame."""
    m = re.search(r'<div class="error-summary" id="error-summary" tabindex="-1" autofocus '
                  r'aria-labelledby="error-summary-title">\s*<div role="alert">\s*'
                  r'<h2 id="error-summary-title">([^<]+)</h2>(.*?)</div>', html, re.S)
    assert m, html
    return m.group(1), re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', m.group(2))


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_wrong_bytes_are_a_422_on_their_field(office, form, bad, encoding):
    server, data, ed = office
    path, typed, field, label, tables = FORMS[form]
    before, entries = snapshot(data, tables), len(journal(data))
    token = ed.csrf(path, path)
    raw = {k: v.encode() for k, v in typed.items()}
    raw[field] = b"vor" + BAD[bad] + b"nach"
    r = post_raw(ed, path, dict(raw, csrf=token.encode()), encoding)
    assert r.status_code == 422, r.text
    html = r.text
    # The field says what is wrong with it, and names it.
    message = field_error(html, field)
    assert message.startswith(label + ":"), message
    assert ("Steuerzeichen" if bad in ("nul", "vt", "del", "esc") else "UTF-8") in message
    # The summary at the top names the same field and links to it.
    title, items = summary_items(html)
    assert title == "Es gibt ein Problem"
    assert items == [("#" + field, message)]
    # Every typed value comes back; the wrong byte is shown as U+FFFD, nothing is dropped.
    assert f"vor{FFFD}nach" in html
    for name, value in typed.items():
        if name not in (field, "action", "lang", "state", "land"):
            assert value.replace("\r\n", "\n") in html.replace("\r\n", "\n"), name
    # Nothing is saved, nothing journalled.
    assert snapshot(data, tables) == before
    assert len(journal(data)) == entries


def test_summary_lists_every_wrong_field_in_english(office):
    server, data, ed = office
    token = ed.csrf("/en" + STATE, "/en" + STATE)
    r = post_raw(ed, "/en" + STATE, {"csrf": token.encode(), "state": b"kaputt",
                                     "date": b"2026-01-05", "time": b"08:15",
                                     "note_de": b"x", "note_en": b"a\x1bb"}, "urlencoded")
    assert r.status_code == 422, r.text
    title, items = summary_items(r.text)
    assert title == "There is a problem"
    assert [href for href, _ in items] == ["#state-normal", "#note_en"]
    assert items[1][1].startswith("Banner note (English): ")
    assert 'id="state-normal"' in r.text  # the link's target exists


@pytest.mark.parametrize("body, ctype", [
    (b"csrf=x&note_de=%zz", "application/x-www-form-urlencoded"),
    (b"csrf=x&note_de=%4", "application/x-www-form-urlencoded"),
    (b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
     "multipart/form-data; boundary=b"),
    (b"note_de=x", "text/plain"),
])
def test_undecodable_body_is_a_400(office, body, ctype):
    server, data, ed = office
    before, entries = snapshot(data, ["offices", "office_state_notes"]), len(journal(data))
    r = ed.http.post(server.url(STATE), data=body, allow_redirects=False,
                     headers={"Origin": server.base, "Content-Type": ctype})
    assert r.status_code == 400, r.text
    assert "konnte nicht gelesen werden" in r.text
    assert snapshot(data, ["offices", "office_state_notes"]) == before
    assert len(journal(data)) == entries


def test_control_character_no_longer_hides_the_token(office):
    """The probe: \\x0b in an urlencoded field gave 403 "form expired"; the token is read by
    the same parse, so the answer is about the field."""
    server, data, ed = office
    token = ed.csrf(STATE, STATE)
    r = ed.post(STATE, {"csrf": token, "state": "notbetrieb", "date": "2026-01-05",
                        "time": "08:15", "note_de": "a\x0bb", "note_en": ""})
    assert r.status_code == 422, r.text
    assert "Steuerzeichen" in field_error(r.text, "note_de")
    # And a wrong token is still refused whatever else the body holds.
    r = ed.post(STATE, {"csrf": "A" * 43, "state": "notbetrieb", "note_de": "a\x0bb"})
    assert r.status_code == 403


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_forms_not_yet_on_the_layer_refuse_such_bytes(office, encoding):
    """The department form still reads single fields, which cannot report a wrong byte: its
    POST is refused as before (403), never saved with the field counted as empty."""
    server, data, ed = office
    path = "/intern/abteilungen/neu"
    before, entries = snapshot(data, ["departments", "department_names"]), len(journal(data))
    token = ed.csrf(path, path)
    fields = {"csrf": token, "slug": "buergerbuero", "name_de": "Bürgerbüro",
              "name_en": "Citizens\x0b office", "phone": "+49 3841 100-200",
              "email": "buergerbuero@amt.example", "room": "Zimmer 12", "sort": "10"}
    r = post_raw(ed, path, {k: v.encode() for k, v in fields.items()}, encoding)
    assert r.status_code == 403, r.text
    assert snapshot(data, ["departments", "department_names"]) == before
    assert len(journal(data)) == entries
    # The same form without the control character is saved: the refusal is about the byte.
    fields.update(name_en="Citizens office", slug="buergerbuero-" + encoding)
    r = post_raw(ed, path, {k: v.encode() for k, v in fields.items()}, encoding)
    assert r.status_code == 303, r.text
