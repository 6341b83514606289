"""The version history of the standing pages in the back office (/intern/seiten/KIND/LANG
and /intern/seiten/KIND/LANG/versionen/N) through the real binary: every published
version listed per language, newest first, with who published it; an earlier version's
text readable but not editable; the list capped with the number of older versions; no
way into another office's pages; roles without the right refused."""
import html
import re

import pytest

from staff_fixture import sql, staff_office

IMPRINT_DE = "/intern/seiten/imprint/de"
PRIVACY_DE = "/intern/seiten/privacy/de"
ROWS_MAX = 50  # NB_PAGE_HISTORY_ROWS in src/base/limits.h


def version_url(base, n):
    return f"{base}/versionen/{n}"


@pytest.fixture(scope="module")
def office():
    with staff_office("nb-pages-", offices={"amt": "Amt Test", "amt2": "Amt Zwei"},
                      roles={"ben": "editor", "carla": "caseworker",
                             "zoe": ("amt2", "admin")}) as o:
        b = o.browsers
        # Two versions of the German imprint, published by ben.
        token = b["ben"].csrf(IMPRINT_DE, IMPRINT_DE)
        for title, body in [("Impressum <alt>", "Alte Anschrift: **Markt 1**"),
                            ("Impressum neu", "Neue Anschrift: Markt 2")]:
            r = b["ben"].post(IMPRINT_DE, {"csrf": token, "title": title, "body": body})
            assert r.status_code == 303, r.text
        yield o.server, o.data, b


def history_rows(page):
    """(version, date, author, title) of each row of the history table, in order."""
    section = re.search(r'<section aria-labelledby="history-h">(.*?)</section>', page, re.S)
    assert section, page
    return [(int(m.group(2)), m.group(4), html.unescape(m.group(5)), html.unescape(m.group(6)))
            for m in re.finditer(
                r'<tr><td><a href="([^"]+)">[^<]* (\d+)</a>([^<]*)</td><td>([^<]+)</td>'
                r'<td>([^<]*)</td><td lang="de">([^<]*)</td></tr>', section.group(1))]


def test_editor_lists_every_version_newest_first(office):
    _, _, b = office
    page = b["ben"].get(IMPRINT_DE)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    rows = history_rows(page.text)
    assert [(r[0], r[2], r[3]) for r in rows] == [(2, "ben", "Impressum neu"),
                                                  (1, "ben", "Impressum <alt>")]
    for r in rows:
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", r[1]), r[1]
    # The title is escaped, the newest marked as current, each version has its own link.
    assert "Impressum &lt;alt&gt;" in page.text and "<alt>" not in page.text
    assert re.search(r'href="/intern/seiten/imprint/de/versionen/2">Fassung 2</a> \(aktuell\)',
                     page.text)
    assert 'href="/intern/seiten/imprint/de/versionen/1">Fassung 1</a></td>' in page.text
    assert "Ältere Fassungen, die hier nicht" not in page.text
    # The other languages keep their own history: none yet.
    en = b["ben"].get("/intern/seiten/imprint/en")
    assert en.status_code == 200 and 'id="history-h"' not in en.text
    # In English.
    english = b["ben"].get("/en" + IMPRINT_DE).text
    assert "All versions in this language" in english and "Published by" in english
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", english)


def test_old_version_text_is_readable(office):
    _, _, b = office
    old = b["ben"].get(version_url(IMPRINT_DE, 1))
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-store"
    assert "<title>Impressum (Deutsch), Fassung 1" in old.text
    assert "Dies ist eine frühere Fassung" in old.text
    # Rendered as the public site did, and the Markdown source to copy from, read-only.
    assert "Alte Anschrift: <strong>Markt 1</strong>" in old.text
    assert '<pre class="source" lang="de">Alte Anschrift: **Markt 1**</pre>' in old.text
    assert "<textarea" not in old.text and 'method="post"' not in old.text.split("</header>")[-1]
    assert "Impressum &lt;alt&gt;" in old.text and "ben" in old.text
    assert 'href="/intern/seiten/imprint/de/versionen/2">Neuere Fassung</a>' in old.text
    assert "Ältere Fassung</a>" not in old.text
    assert f'href="{IMPRINT_DE}">Zurück zur Bearbeitung' in old.text
    new = b["ben"].get(version_url(IMPRINT_DE, 2)).text
    assert "Dies ist die aktuelle Fassung" in new and "Neue Anschrift: Markt 2" in new
    assert 'href="/intern/seiten/imprint/de/versionen/1">Ältere Fassung</a>' in new
    assert "Neuere Fassung</a>" not in new
    english = b["ben"].get("/en" + version_url(IMPRINT_DE, 1)).text
    assert "Imprint (German), version 1" in english and "This is an earlier version" in english
    # Read-only: a POST is refused, and nothing was published.
    token = b["ben"].csrf(IMPRINT_DE, IMPRINT_DE)
    r = b["ben"].post(version_url(IMPRINT_DE, 1), {"csrf": token, "title": "T", "body": "B"})
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
    assert [row[0] for row in history_rows(b["ben"].get(IMPRINT_DE).text)] == [2, 1]


@pytest.mark.parametrize("path", [
    version_url(IMPRINT_DE, 3), version_url(IMPRINT_DE, 0), version_url(IMPRINT_DE, "01"),
    version_url(IMPRINT_DE, "-1"), version_url(IMPRINT_DE, "eins"),
    version_url(IMPRINT_DE, "99999999999999999999"), IMPRINT_DE + "/versionen",
    IMPRINT_DE + "/versionen/", IMPRINT_DE + "/versionen/1/", IMPRINT_DE + "/fassung/1",
    IMPRINT_DE + "/", version_url("/intern/seiten/imprint/en", 1),
    version_url("/intern/seiten/cookies/de", 1), version_url("/intern/seiten/imprint/fr", 1),
])
def test_unknown_versions_are_404(office, path):
    _, _, b = office
    assert b["ben"].get(path).status_code == 404


def test_other_office_cannot_reach_the_history(office):
    _, _, b = office
    # amt2's admin, at amt2's own address of the same page: amt's versions do not exist there.
    mine = b["zoe"].get("/amt2" + IMPRINT_DE)
    assert mine.status_code == 200
    assert 'id="history-h"' not in mine.text and "Anschrift" not in mine.text
    for n in (1, 2):
        r = b["zoe"].get("/amt2" + version_url(IMPRINT_DE, n))
        assert r.status_code == 404 and "Anschrift" not in r.text
    # amt's session is no key to amt2's back office, and amt2's none to amt's.
    r = b["ben"].get("/amt2" + version_url(IMPRINT_DE, 1))
    assert r.status_code == 303 and r.headers["Location"] == "/amt2/intern/anmelden"
    r = b["zoe"].get(version_url(IMPRINT_DE, 1))
    assert r.status_code == 303 and r.headers["Location"] == "/intern/anmelden"


def test_caseworker_is_refused(office):
    _, _, b = office
    for path in (IMPRINT_DE, version_url(IMPRINT_DE, 1), version_url(IMPRINT_DE, 99)):
        r = b["carla"].get(path)
        assert r.status_code == 403 and "Anschrift" not in r.text, path
    # The role is checked before the method.
    r = b["carla"].post(version_url(IMPRINT_DE, 1), {"title": "T", "body": "B"})
    assert r.status_code == 403


def test_long_history_is_capped_and_older_ones_stay_reachable(office):
    _, data, b = office
    # More versions than the editor lists, written straight into the store (versions may be
    # added, never changed).
    total = ROWS_MAX + 2
    values = ", ".join(
        f"((SELECT id FROM offices WHERE slug = 'amt'), 'privacy', 'de', {n}, 'Datenschutz {n}',"
        f" 'Text {n}', {1700000000 + n}, 'ben')" for n in range(1, total + 1))
    sql(data, "INSERT INTO page_versions (office_id, kind, lang, version, title, body_md,"
              f" updated_at, author) VALUES {values}")
    page = b["ben"].get(PRIVACY_DE).text
    rows = history_rows(page)
    assert [r[0] for r in rows] == list(range(total, total - ROWS_MAX, -1))
    assert "Ältere Fassungen, die hier nicht aufgeführt sind: 2." in page
    english = b["ben"].get("/en" + PRIVACY_DE).text
    assert "Older versions not listed here: 2." in english
    # From the oldest listed version back to the first, which the list leaves out.
    oldest = b["ben"].get(version_url(PRIVACY_DE, total - ROWS_MAX + 1)).text
    assert f'href="{version_url(PRIVACY_DE, total - ROWS_MAX)}">Ältere Fassung</a>' in oldest
    first = b["ben"].get(version_url(PRIVACY_DE, 1))
    assert first.status_code == 200 and "Text 1</p>" in first.text
    # The other office's privacy page still has no versions.
    assert 'id="history-h"' not in b["zoe"].get("/amt2" + PRIVACY_DE).text
