"""Caching headers of every kind of public response, through the real binary.

Each negotiated answer names in Vary what it was negotiated on (RFC 9110 12.5.5), so that a
shared cache never hands one client's representation to another: an HTML page whose URL
also answers JSON by Accept varies on Accept and Accept-Encoding; a page at a URL of its
own (.json, the feed, the stylesheet) on Accept-Encoding only. JSON chosen by Accept at an
HTML URL is for the client's own cache only (private), so that even a shared cache that
ignores Vary can never serve it to a browser; the 304 answers carry the same headers as the
200 they stand for."""
import pytest
import requests

JSON = {"Accept": "application/json"}
ENCODINGS = ["identity", "gzip", "br"]


def vary(r):
    return sorted(v.strip().lower() for v in r.headers.get("Vary", "").split(",") if v.strip())


def get(server, path, **headers):
    return requests.get(server.url(path), headers=headers, allow_redirects=False, stream=True)


@pytest.mark.parametrize("enc", ENCODINGS)
@pytest.mark.parametrize("path", ["/", "/presse", "/en/kontakt",
                                  "/meldung/it-sicherheitsvorfall/versionen"])
def test_html_page_varies_on_accept_and_encoding(demo, path, enc):
    r = get(demo, path, **{"Accept-Encoding": enc, "Accept": "text/html"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert vary(r) == ["accept", "accept-encoding"]
    assert r.headers["Cache-Control"] == "public, max-age=60"
    nm = get(demo, path, **{"Accept-Encoding": enc, "If-None-Match": r.headers["ETag"]})
    assert nm.status_code == 304
    assert vary(nm) == ["accept", "accept-encoding"]
    assert nm.headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("enc", ENCODINGS)
@pytest.mark.parametrize("path,twin", [("/", "/index.json"), ("/presse", "/presse.json"),
                                       ("/en/kontakt", "/en/kontakt.json")])
def test_json_by_accept_at_html_url_is_private_and_varies(demo, path, twin, enc):
    r = get(demo, path, **{"Accept-Encoding": enc, **JSON})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    assert vary(r) == ["accept", "accept-encoding"]
    assert r.headers["Cache-Control"] == "private, max-age=60"
    assert "public" not in r.headers["Cache-Control"]
    # The same bytes as at the JSON URL, which stays public and varies on encoding only.
    own = get(demo, twin, **{"Accept-Encoding": enc})
    assert own.status_code == 200 and own.headers["Content-Type"] == "application/json"
    assert vary(own) == ["accept-encoding"]
    assert own.headers["Cache-Control"] == "public, max-age=60"
    assert r.headers.get("Content-Encoding") == own.headers.get("Content-Encoding")
    assert r.raw.read() == own.raw.read()
    assert r.headers["ETag"] == own.headers["ETag"]
    # Revalidation at the HTML URL keeps the JSON answer's headers.
    nm = get(demo, path, **{"Accept-Encoding": enc, "If-None-Match": r.headers["ETag"], **JSON})
    assert nm.status_code == 304
    assert vary(nm) == ["accept", "accept-encoding"]
    assert nm.headers["Cache-Control"] == "private, max-age=60"
    # A browser at the same URL gets the HTML, public, with a different validator.
    html = get(demo, path, **{"Accept-Encoding": enc})
    assert html.headers["Content-Type"].startswith("text/html")
    assert html.headers["Cache-Control"] == "public, max-age=60"
    assert html.headers["ETag"] != r.headers["ETag"]


@pytest.mark.parametrize("path,accept", [("/feed.atom", "*/*"), ("/static/site.css", "text/css"),
                                         ("/presse.json", "application/json"),
                                         ("/feed.atom", "application/json")])
def test_encoding_only_pages(demo, path, accept):
    for enc in ENCODINGS:
        r = get(demo, path, **{"Accept-Encoding": enc, "Accept": accept})
        assert r.status_code == 200
        assert not r.headers["Content-Type"].startswith("text/html")
        assert vary(r) == ["accept-encoding"], (path, enc)
        assert r.headers["Cache-Control"] == "public, max-age=60"


def test_errors_vary_on_accept_and_are_not_stored(demo):
    html = get(demo, "/gibt-es-nicht")
    js = get(demo, "/gibt-es-nicht", **JSON)
    assert html.status_code == js.status_code == 404
    assert html.headers["Content-Type"].startswith("text/html")
    assert js.headers["Content-Type"] == "application/json"
    for r in (html, js):
        assert "accept" in vary(r)
        assert r.headers["Cache-Control"] == "no-store"


def test_holidays_api_is_not_negotiated(demo):
    r = get(demo, "/api/v1/holidays/2021", **{"Accept": "text/html", "Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    assert "Content-Encoding" not in r.headers and "Vary" not in r.headers
    assert r.headers["Cache-Control"] == "public, max-age=86400"
