"""Start-up of the real binary with a site that takes long to render (3,000 versions of one
notice, written with the sqlite3 tool before the start): the server listens at once; until
the office's first snapshot is in, public pages answer 503 "being prepared" in German and
English with Retry-After and no-store, /healthz says the site is not rendered, the back
office already answers; and SIGTERM during that render stops it at its next page, so the
process ends cleanly without finishing the render."""
import os
import re
import subprocess
import tempfile

import requests

from conftest import BINARY, Server

VERSIONS = 3000


def office_with_many_versions(data):
    r = subprocess.run([BINARY, "init", "--data", data, "--office", "amt", "--name", "Amt Test"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    subprocess.run(["sqlite3", os.path.join(data, "notbetrieb.db"), f"""
        INSERT INTO notices (office_id, slug, published, created_at, changed_at)
            VALUES (1, 'gross', 1, 1700000000, 1700000000);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {VERSIONS})
        INSERT INTO notice_versions (office_id, notice_id, lang, version, title, body_md,
                                     published_at, author)
            SELECT 1, (SELECT id FROM notices WHERE slug = 'gross'), 'de', i, 'Fassung ' || i,
                   'Text *' || i || '*', 1700000000 + i, 'test' FROM n;"""], check=True)


def test_being_prepared_until_rendered_and_sigterm_stops_the_render():
    with tempfile.TemporaryDirectory(prefix="nb-startup-") as data:
        office_with_many_versions(data)
        server = Server(["serve"], data, ready=False)
        try:
            de = requests.get(server.url("/meldung/gross"))
            assert de.status_code == 503
            assert de.headers["Retry-After"] == "5"
            assert de.headers["Cache-Control"] == "no-store"
            assert "accept" in de.headers["Vary"].lower()
            assert de.headers["Content-Type"] == "text/html; charset=utf-8"
            assert de.headers["Content-Language"] == "de"
            assert '<html lang="de">' in de.text
            assert "<h1>Die Seite wird vorbereitet</h1>" in de.text
            assert '<div lang="en">\n<h2>This site is being prepared</h2>' in de.text
            assert "Content-Security-Policy" in de.headers

            en = requests.get(server.url("/en/"))
            assert en.status_code == 503 and en.headers["Content-Language"] == "en"
            assert "<h1>This site is being prepared</h1>" in en.text
            assert '<div lang="de">\n<h2>Die Seite wird vorbereitet</h2>' in en.text

            js = requests.get(server.url("/presse"), headers={"Accept": "application/json"})
            assert js.status_code == 503 and js.headers["Content-Type"] == "application/json"
            assert js.json()["error"]["status"] == 503
            assert js.json()["error"]["title"] == "Die Seite wird vorbereitet"

            health = requests.get(server.url("/healthz"))
            assert health.status_code == 503
            office = health.json()["offices"][0]
            assert office["slug"] == "amt" and office["rendered"] is False
            assert "snapshot_age_seconds" not in office

            # The back office does not need the public snapshot.
            sign_in = requests.get(server.url("/intern/anmelden"))
            assert sign_in.status_code == 200 and "<form" in sign_in.text
        finally:
            rc = server.stop()
        with open(os.path.join(data, "server.log"), encoding="utf-8") as f:
            log = f.read()
        assert rc == 0, log
        assert re.search(r"event=site\.render\.stopped office=amt pages=\d+", log), log
        assert not re.search(r"event=site\.render office=amt", log), log
