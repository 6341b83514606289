"""The journal in the back office through the real binary: who may browse and export it,
the filters (action, actor, dates on both sides of a day boundary, paging), the CSV export
(RFC 4180, header, quoting, file name, its own journal entry), and that neither another
office's entries nor instance-level ones ever appear."""
import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest

from staff_fixture import assert_sign_in_first, cli, sign_in, sql, staff_office

ROW = re.compile(r'<tr><th scope="row">(\d+)</th><td>([^<]*)</td><td>([^<]*)</td>'
                 r'<td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>')
HEADER = ["seq", "time", "actor", "action", "object", "summary"]


def rows(html):
    """The journal table as (seq, time, actor, action, object, summary) tuples."""
    return [(int(m[0]), *m[1:]) for m in ROW.findall(html)]


def berlin_today():
    return datetime.datetime.now(ZoneInfo("Europe/Berlin")).date()


def parse_csv(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def checkpoint(data):
    assert cli(data, "journal", "checkpoint").returncode == 0


@pytest.fixture(scope="module")
def offices():
    # An instance-level entry (no office): never shown to office staff.
    with staff_office("nb-journal-", offices={"amt": "Amt Test", "amt2": "Amt Zwei"},
                      roles={"anna": "admin", "dora": "dpo", "ben": "editor",
                             "carl": "caseworker", "zoe": ("amt2", "admin")},
                      before_serve=checkpoint) as o:
        yield o.server, o.data, o.browsers


def test_admin_and_dpo_see_the_journal_with_their_sign_ins(offices):
    _, _, b = offices
    for name in ["anna", "dora"]:
        page = b[name].get("/intern/journal")
        assert page.status_code == 200, page.text
        assert page.headers["Cache-Control"] == "no-store"
        assert "Die Kette des Journals ist intakt." in page.text
        found = rows(page.text)
        assert (name, "login") in [(r[2], r[3]) for r in found]
        seqs = [r[0] for r in found]
        assert seqs == sorted(seqs, reverse=True)  # newest first
        # Time as on the session list: "27.11.2026 06:02" in German.
        assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", r[1]) for r in found)
        home = b[name].get("/intern/").text
        assert 'href="/intern/journal"' in home
    english = b["anna"].get("/en/intern/journal")
    assert english.status_code == 200 and "Entries of this office, newest first" in english.text
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d</td>", english.text)


def test_editor_and_caseworker_may_neither_read_nor_export(offices):
    _, _, b = offices
    for name in ["ben", "carl"]:
        for path in ["/intern/journal", "/intern/journal.csv", "/intern/journal?action=login"]:
            r = b[name].get(path)
            assert r.status_code == 403, (name, path)
            assert "Keine Berechtigung" in r.text and "text/csv" not in r.headers["Content-Type"]
        assert "/intern/journal" not in b[name].get("/intern/").text
    # Not signed in: to the sign-in page.
    assert_sign_in_first(offices[0], "/intern/journal.csv")


def test_filter_by_action_and_actor(offices):
    server, data, b = offices
    # A failed sign-in of a known account is counted under its name; it reaches the journal
    # as one login.fail entry per address once its 10-minute window is over (docs/signin.md;
    # test_signin_throttle.py reads those entries).
    _, r = sign_in(server, "anna", code="000000")
    assert r.status_code == 401
    assert int(sql(data, "SELECT sum(failures) FROM signin_failures WHERE actor = 'anna'")) >= 1
    logins = rows(b["anna"].get("/intern/journal?action=login").text)
    assert {r[3] for r in logins} == {"login"}  # exact, not a prefix
    assert {r[2] for r in logins} >= {"anna", "dora", "ben", "carl"}
    dora = rows(b["anna"].get("/intern/journal?actor=dora").text)
    assert dora and {r[2] for r in dora} == {"dora"}
    both = rows(b["anna"].get("/intern/journal?actor=dora&action=login").text)
    assert [(r[2], r[3]) for r in both] == [("dora", "login")]
    none = b["anna"].get("/intern/journal?action=nothing.such")
    assert none.status_code == 200 and rows(none.text) == []
    assert "Keine Einträge gefunden." in none.text
    # The filter form keeps its values, escaped.
    kept = b["anna"].get("/intern/journal", params={"actor": '"><b>x'}).text
    assert 'value="&quot;&gt;&lt;b&gt;x"' in kept and '"><b>x' not in kept


def test_filter_by_date_on_both_sides_of_the_boundary(offices):
    _, _, b = offices
    today = berlin_today()
    tomorrow, yesterday = today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    get = lambda **q: b["dora"].get("/intern/journal", params=q)  # noqa: E731
    assert rows(get(**{"from": today.isoformat()}).text)
    assert rows(get(to=today.isoformat()).text)
    assert rows(get(**{"from": today.isoformat(), "to": today.isoformat()}).text)
    assert rows(get(**{"from": tomorrow.isoformat()}).text) == []
    assert rows(get(to=yesterday.isoformat()).text) == []
    assert rows(get(**{"from": yesterday.isoformat(), "to": yesterday.isoformat()}).text) == []
    for bad in [{"from": "2026-02-30"}, {"to": "27.11.2026"}, {"page": "0"}, {"page": "x"},
                {"page": "99999999999"}, {"action": "a" * 65}]:
        r = get(**bad)
        assert r.status_code == 400, bad
        assert "Die Filterangaben sind ungültig" in r.text


def test_csv_export(offices):
    _, _, b = offices
    before = rows(b["anna"].get("/intern/journal?action=journal.export").text)
    r = b["anna"].get("/intern/journal.csv?action=login")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-store"
    today = berlin_today().isoformat()
    assert r.headers["Content-Disposition"] == f'attachment; filename="journal-amt-{today}.csv"'
    text = r.content.decode("utf-8")
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert lines[0] == '"seq","time","actor","action","object","summary"'
    # Every field is quoted.
    for line in lines:
        assert line.startswith('"') and line.endswith('"')
    table = parse_csv(text)
    assert table[0] == HEADER
    body = table[1:]
    assert body and all(len(row) == 6 and row[3] == "login" for row in body)
    assert {row[2] for row in body} >= {"anna", "dora", "ben", "carl"}
    assert [int(row[0]) for row in body] == sorted((int(row[0]) for row in body), reverse=True)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", row[1]) for row in body)
    # No cell a spreadsheet would evaluate.
    assert all(cell[:1] not in ("=", "+", "-", "@", "\t", "\r") for row in body for cell in row)
    # The same rows as the page with that filter.
    page = rows(b["anna"].get("/intern/journal?action=login").text)
    assert [int(row[0]) for row in body] == [p[0] for p in page]

    # The export is itself journalled, without the filter values.
    after = rows(b["anna"].get("/intern/journal?action=journal.export").text)
    assert len(after) == len(before) + 1
    seq, _, actor, action, obj, summary = after[0]
    assert (actor, action, obj) == ("anna", "journal.export", "journal")
    assert summary == f"exported {len(body)} entries as CSV"
    # The DPO may export too; a date filter applies to the CSV as well.
    tomorrow = (berlin_today() + datetime.timedelta(days=1)).isoformat()
    empty = b["dora"].get("/intern/journal.csv", params={"from": tomorrow})
    assert empty.status_code == 200 and parse_csv(empty.text) == [HEADER]
    assert b["dora"].get("/intern/journal.csv?from=bad").status_code == 400
    # The page links to the CSV with the same filters.
    assert 'href="/intern/journal.csv?action=login&amp;actor=dora"' in \
        b["dora"].get("/intern/journal?action=login&actor=dora").text


def test_paging(offices):
    _, _, b = offices
    # Each export adds an entry; make sure there are more than two pages of them.
    for _ in range(55):
        assert b["dora"].get("/intern/journal.csv?action=none").status_code == 200
    first = b["dora"].get("/intern/journal?action=journal.export&actor=dora").text
    one = rows(first)
    assert len(one) == 50
    assert 'href="/intern/journal?action=journal.export&amp;actor=dora&amp;page=2"' in first
    assert 'rel="prev"' not in first
    second = b["dora"].get("/intern/journal?action=journal.export&actor=dora&page=2").text
    two = rows(second)
    assert 5 <= len(two) <= 50
    assert one[-1][0] > two[0][0]  # page 2 goes on where page 1 ended
    assert not {r[0] for r in one} & {r[0] for r in two}
    assert 'href="/intern/journal?action=journal.export&amp;actor=dora"' in second  # back
    assert "Seite 2" in second
    beyond = b["dora"].get("/intern/journal?action=journal.export&actor=dora&page=3").text
    assert rows(beyond) == [] and 'rel="next"' not in beyond


def test_only_this_offices_entries(offices):
    _, _, b = offices
    zoe = b["zoe"].get("/amt2/intern/journal")
    assert zoe.status_code == 200
    mine = rows(zoe.text)
    # zoe's sign-in, and her account's creation on the command line ("cli").
    assert ("zoe", "login") in [(r[2], r[3]) for r in mine]
    assert {r[2] for r in mine} <= {"zoe", "cli"}
    assert not any(name in cell for r in mine for cell in r[2:] for name in ("anna", "dora"))
    assert "journal.checkpoint" not in zoe.text
    csv_zoe = b["zoe"].get("/amt2/intern/journal.csv")
    assert 'filename="journal-amt2-' in csv_zoe.headers["Content-Disposition"]
    table = parse_csv(csv_zoe.text)
    assert table[0] == HEADER and {row[2] for row in table[1:]} <= {"zoe", "cli"}
    # And amt sees nothing of amt2's, nor the instance-level checkpoint entry.
    all_amt = parse_csv(b["anna"].get("/intern/journal.csv").text)[1:]
    assert all_amt and not any("zoe" in cell for row in all_amt for cell in row)
    assert "journal.checkpoint" not in {row[3] for row in all_amt}
    # anna's session is not valid for amt2.
    assert b["anna"].get("/amt2/intern/journal").status_code == 303


def test_a_changed_entry_is_reported_at_the_top():
    """Rewrites one entry behind the store's back (dropping the schema's guard first, as an
    attacker with the database file could) and expects the page to say so, with its number."""
    import sqlite3
    with staff_office("nb-journal-bad-", roles={"anna": "admin"}) as o:
        b, data = o.browsers["anna"], o.data
        assert "Die Kette des Journals ist intakt." in b.get("/intern/journal").text
        db = sqlite3.connect(f"{data}/notbetrieb.db")
        db.execute("DROP TRIGGER journal_no_update")
        db.execute("UPDATE journal SET summary = 'nothing happened' WHERE seq = 2")
        db.commit()
        db.close()
        page = b.get("/intern/journal").text
        assert "Die Kette des Journals ist intakt." not in page
        assert "Die Kette des Journals ist nicht intakt. Erstes Problem bei Eintrag 2." in page
