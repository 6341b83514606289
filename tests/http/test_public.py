"""The public site of the demo office, in German and English, as HTML and JSON."""
import gzip
import re
import xml.etree.ElementTree as ET

import brotli
import pytest
import requests

STATIC_PAGES = ["/", "/presse", "/leistungen", "/kontakt", "/vorsicht-betrug",
                "/impressum", "/datenschutz", "/barrierefreiheit"]


def pages(server):
    """Every public page path of the demo office in German: the static ones plus each
    notice, each notice's history and each press week, found through the JSON."""
    paths = list(STATIC_PAGES)
    home = requests.get(server.url("/index.json")).json()
    for n in home["pinned"] + home["others"]:
        paths += [n["href"], n["history_href"]]
    press = requests.get(server.url("/presse.json")).json()
    paths += [w["href"] for w in press["weeks"]]
    return paths


def english(path):
    return "/en" + path if path != "/" else "/en/"


def test_every_page_html_and_json_in_both_languages(demo):
    paths = pages(demo)
    assert len(paths) > 15
    for p in paths:
        for path, lang in ((p, "de"), (english(p), "en")):
            r = requests.get(demo.url(path))
            assert r.status_code == 200, path
            assert r.headers["Content-Type"] == "text/html; charset=utf-8", path
            assert f'<html lang="{lang}"' in r.text, path
            assert 'href="#main"' in r.text, path  # skip link
            assert "<main" in r.text, path
            assert "<script" not in r.text, path  # works without JavaScript: there is none
            # Every page has a visible switch to the other language.
            other = "en" if lang == "de" else "de"
            assert f'hreflang="{other}"' in r.text, path
            j = requests.get(demo.url(path), headers={"Accept": "application/json"})
            assert j.status_code == 200, path
            assert j.headers["Content-Type"].startswith("application/json"), path
            model = j.json()
            assert model["office"]["slug"] == "kranichmoor", path
            assert model["lang"] == lang
            assert "t" not in model  # the text catalog is not part of the data
            suffix = "index.json" if path.endswith("/") else ".json"
            j2 = requests.get(demo.url(path + suffix))
            assert j2.status_code == 200, path + suffix
            assert j2.json() == model


def test_front_page_shows_state_stand_and_press_link(demo):
    r = requests.get(demo.url("/"))
    assert "Notbetrieb" in r.text
    assert "Stand" in r.text
    assert re.search(r"Presseupdate KW \d+", r.text)
    assert "Bürgerinformation" in r.text
    m = requests.get(demo.url("/index.json")).json()
    assert m["state"]["key"] == "notbetrieb"
    assert m["press_latest"]["label"].startswith("Presseupdate KW ")
    en = requests.get(demo.url("/en/"))
    assert "Emergency operation" in en.text


def test_notice_variants_have_lang_and_dir(demo):
    home = requests.get(demo.url("/index.json")).json()
    notice = home["pinned"][0]
    r = requests.get(demo.url(notice["href"] + ".json")).json()
    langs = {v["lang"] for v in r["notice"]["variants"]}
    assert {"de", "de-x-ls", "en"} <= langs
    for v in r["notice"]["variants"]:
        page = requests.get(demo.url(v["href"]))
        assert page.status_code == 200, v["href"]


def test_security_headers_on_every_response(demo):
    for path in ["/", "/en/", "/kontakt.json", "/static/site.css", "/gibt-es-nicht", "/feed.atom"]:
        r = requests.get(demo.url(path))
        csp = r.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"]


def test_etag_conditional_and_compression(demo):
    r = requests.get(demo.url("/"), headers={"Accept-Encoding": "identity"})
    etag = r.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert "Last-Modified" in r.headers
    assert "Accept-Encoding" in r.headers["Vary"]
    r304 = requests.get(demo.url("/"), headers={"If-None-Match": etag})
    assert r304.status_code == 304
    assert r304.content == b""
    assert requests.get(demo.url("/"), headers={"If-None-Match": '"other"'}).status_code == 200
    ims = requests.get(demo.url("/"), headers={"If-Modified-Since": r.headers["Last-Modified"]})
    assert ims.status_code == 304
    raw = requests.get(demo.url("/"), headers={"Accept-Encoding": "gzip"}, stream=True)
    assert raw.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(raw.raw.read()) == r.content
    br = requests.get(demo.url("/"), headers={"Accept-Encoding": "br"}, stream=True)
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.raw.read()) == r.content
    # Each encoding is its own representation with its own strong ETag; any of them
    # validates, and the 304 names the one the client would get.
    assert raw.headers["ETag"] not in (etag, br.headers["ETag"])
    again = requests.get(demo.url("/"), headers={"Accept-Encoding": "gzip",
                                                 "If-None-Match": raw.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == raw.headers["ETag"]
    q0 = requests.get(demo.url("/"), headers={"Accept-Encoding": "br;q=0, gzip;q=0"}, stream=True)
    assert "Content-Encoding" not in q0.headers
    assert q0.raw.read() == r.content


def test_head_has_headers_without_body(demo):
    r = requests.head(demo.url("/presse"))
    assert r.status_code == 200
    assert r.content == b""
    assert int(r.headers["Content-Length"]) > 0


def test_feed_has_every_notice_version_and_press_update(demo):
    r = requests.get(demo.url("/feed.atom"))
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    ids = [e.find("a:id", ns).text for e in entries]
    assert len(ids) == len(set(ids))
    press = requests.get(demo.url("/presse.json")).json()
    n_press = sum(len(w["updates"]) for w in press["weeks"])
    assert len(entries) > n_press  # press updates plus notice versions


def test_holidays_api(demo):
    r = requests.get(demo.url("/api/v1/holidays/2021"))
    assert r.status_code == 200
    days = r.json()
    assert {"date": "2021-10-31", "name": "Reformationstag"} in days
    assert all(d["date"].startswith("2021-") for d in days)
    assert requests.get(demo.url("/api/v1/holidays/2023")).json().count(
        {"date": "2023-03-08", "name": "Internationaler Frauentag"}) == 1
    for bad in ["/api/v1/holidays/20x1", "/api/v1/holidays/99999", "/api/v1/holidays/"]:
        assert requests.get(demo.url(bad)).status_code in (400, 404), bad


def test_front_page_budget(demo):
    """Front page plus CSS transferred compressed stays under 30 KB."""
    size = 0
    for path in ["/", "/static/site.css"]:
        r = requests.get(demo.url(path), headers={"Accept-Encoding": "br, gzip"}, stream=True)
        size += len(r.raw.read())
    assert size < 30 * 1024


def test_no_third_party_references(demo):
    for p in pages(demo):
        html = requests.get(demo.url(p)).text
        # Only what the browser fetches by itself counts: src attributes and <link> tags.
        fetched = re.findall(r'\ssrc="([^"]+)"', html)
        fetched += re.findall(r'<link [^>]*href="([^"]+)"', html)
        for url in fetched:
            assert url.startswith("/") and not url.startswith("//"), (p, url)
