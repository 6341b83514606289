"""800 versions of one notice, published through the back-office form of the real binary:
the site still renders, the public version history is split into pages of
NB_HISTORY_PAGE_ROWS versions that list every version exactly once, newest first, and
every version has its own page that shows it without listing the others, so rendering
grows linearly with the versions. The render time (from the server's event=site.render
line) and the server's peak resident memory are printed for the record, never asserted."""
import re

import requests

from staff_fixture import staff_office, wait_until

VERSIONS = 800
ROWS = 50  # NB_HISTORY_PAGE_ROWS in src/base/limits.h
SLUG = "viele-fassungen"
EDIT = f"/intern/meldungen/{SLUG}/de"
HISTORY = f"/meldung/{SLUG}/versionen"


def history_page(k):
    return HISTORY if k == 1 else f"{HISTORY}/seite/{k}"


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))


def rows(html):
    """The versions a history page lists, as (lang, number) in order."""
    return [(m.group(1), int(m.group(2))) for m in
            re.finditer(rf'<td><a href="{re.escape(HISTORY)}/([a-z-]+)-(\d+)">\2</a></td>', html)]


def test_800_versions_render_and_paginate():
    with staff_office("nb-history-", roles={"ben": "editor"}) as o:
        server, ed = o.server, o.browsers["ben"]
        token = ed.csrf("/intern/meldungen/neu", "/intern/meldungen/neu")
        r = ed.post("/intern/meldungen/neu", {"csrf": token, "slug": SLUG, "lang": "de",
                                              "title": "Fassung 1", "body": "Text *1*",
                                              "action": "publish"})
        assert r.status_code == 303, r.text
        token = ed.csrf(EDIT, EDIT)
        for n in range(2, VERSIONS + 1):
            r = ed.post(EDIT, {"csrf": token, "title": f"Fassung {n}", "body": f"Text *{n}*",
                               "action": "publish"})
            assert r.status_code == 303, (n, r.text)

        last = f"{HISTORY}/de-{VERSIONS}"
        wait_until(lambda: requests.get(server.url(last)).status_code == 200,
                   "the render of the last version", 600)
        # The line of the render that holds every version (HTML and JSON, both languages)
        # follows the swap that made the page visible.

        def full_render():
            done = [(int(p), int(ms)) for p, ms in re.findall(
                r"event=site\.render office=amt pages=(\d+) ms=(\d+)", server.read_log())
                if int(p) > 4 * VERSIONS]
            return done[-1] if done else None
        pages, ms = wait_until(full_render, "the log line of the full render", 60)
        print(f"\n{VERSIONS} versions: last render pages={pages} ms={ms} "
              f"peak_rss_kib={peak_rss_kib(server.proc.pid)}")

        # The list pages: 16 of 50, newest first, every version exactly once.
        npages = (VERSIONS + ROWS - 1) // ROWS
        listed = []
        for k in range(1, npages + 1):
            page = requests.get(server.url(history_page(k)))
            assert page.status_code == 200, k
            got = rows(page.text)
            assert len(got) == ROWS, (k, len(got))
            listed += got
            assert f"Seite {k} von {npages}" in page.text
            newer = f'<a href="{history_page(k - 1)}" rel="prev">Neuere Fassungen</a>'
            older = f'<a href="{history_page(k + 1)}" rel="next">Ältere Fassungen</a>'
            assert (newer in page.text) == (k > 1), k
            assert (older in page.text) == (k < npages), k
            js = requests.get(server.url(history_page(k) + ".json")).json()
            assert [v["version"] for v in js["versions"]] == [n for _, n in got]
            assert js["pager"]["page"] == k and js["pager"]["pages"] == npages
        assert listed == [("de", n) for n in range(VERSIONS, 0, -1)]
        for past in (f"{HISTORY}/seite/{npages + 1}", f"{HISTORY}/seite/1", f"{HISTORY}/seite/0",
                     f"{HISTORY}/seite/x"):
            assert requests.get(server.url(past)).status_code == 404, past
        en = requests.get(server.url("/en" + history_page(2)))
        assert en.status_code == 200 and f"Page 2 of {npages}" in en.text
        assert "Newer versions" in en.text and "Older versions" in en.text

        # Every version has its own page: it shows that version, links to the list page
        # that holds it, and lists no other version.
        for n in range(1, VERSIONS + 1):
            page = requests.get(server.url(f"{HISTORY}/de-{n}"))
            assert page.status_code == 200, n
            assert f"<h2 id=\"v-h\">Fassung {n}</h2>" in page.text, n
            assert f"<em>{n}</em>" in page.text, n
            k = (VERSIONS - n) // ROWS + 1
            assert f'<a href="{history_page(k)}">Alle Fassungen</a>' in page.text, n
            assert rows(page.text) == [], n
        assert requests.get(server.url(f"{HISTORY}/de-{VERSIONS + 1}")).status_code == 404
