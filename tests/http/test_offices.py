"""One instance, several offices: the first one answers at "/", the others under "/SLUG/",
each with its own pages, links, Land and holidays. Both offices here are fresh (no content),
so every page must also render with empty lists."""
import os
import re
import tempfile
import xml.etree.ElementTree as ET

import pytest
import requests

from conftest import Server
from helpers import PAGES, english, init, links, run

ALPHA = "Amt Alphaheide"
BETA = "Markt Betastein"


@pytest.fixture(scope="module")
def two():
    with tempfile.TemporaryDirectory(prefix="nb-offices-") as data:
        r = init(data, "alpha", ALPHA, "MV")
        assert r.returncode == 0, r.stderr
        r = init(data, "beta", BETA, "BY")
        assert r.returncode == 0, r.stderr
        server = Server(["serve"], data)
        yield server
        rc = server.stop()
        assert rc == 0, server.read_log()


def all_paths(base):
    """Every page of a fresh office (German and English), its JSON twin and the feeds."""
    out = []
    for p in PAGES:
        for q in (p, english(p)):
            out.append(base + q)
            out.append(base + q + ("index.json" if q.endswith("/") else ".json"))
    out += [base + "/feed.atom", base + "/en/feed.atom"]
    return out


def get_json(server, path):
    r = requests.get(server.url(path), headers={"Accept": "application/json"})
    assert r.headers["Content-Type"].startswith("application/json"), path
    return r


def hrefs_in_json(value):
    """Every value of an "href" key, and every string in "urls", anywhere in a model."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("href", "history_href", "json") and isinstance(v, str):
                found.append(v)
            elif k == "urls" and isinstance(v, dict):
                found += [u for u in v.values() if isinstance(u, str)]
            else:
                found += hrefs_in_json(v)
    elif isinstance(value, list):
        for v in value:
            found += hrefs_in_json(v)
    return found


# ---- which office answers ----------------------------------------------------------------


def test_root_is_the_first_office(two):
    r = requests.get(two.url("/"))
    assert r.status_code == 200
    assert ALPHA in r.text
    assert get_json(two, "/").json()["office"] == {"slug": "alpha", "name": ALPHA}
    assert requests.get(two.url("/index.json")).json()["office"]["slug"] == "alpha"
    assert requests.get(two.url("/en/index.json")).json()["office"]["slug"] == "alpha"


def test_second_office_under_its_slug(two):
    r = requests.get(two.url("/beta/"))
    assert r.status_code == 200
    assert '<html lang="de"' in r.text
    assert BETA in r.text
    m = get_json(two, "/beta/").json()
    assert m["office"] == {"slug": "beta", "name": BETA}
    assert m["lang"] == "de"
    assert requests.get(two.url("/beta/index.json")).json() == m


def test_slug_without_slash_redirects(two):
    for path, to in [("/beta", "/beta/"), ("/beta/en", "/beta/en/"), ("/en", "/en/")]:
        r = requests.get(two.url(path), allow_redirects=False)
        assert r.status_code == 301, path
        assert r.headers["Location"] == to, path
    r = requests.get(two.url("/beta"))
    assert r.status_code == 200 and r.url == two.url("/beta/")


def test_second_office_in_english(two):
    r = requests.get(two.url("/beta/en/"))
    assert r.status_code == 200
    assert '<html lang="en"' in r.text
    assert "Information for citizens" in r.text
    assert 'hreflang="de" href="/beta/"' in r.text
    m = requests.get(two.url("/beta/en/index.json")).json()
    assert m["lang"] == "en" and m["office"]["slug"] == "beta"
    assert m["state"]["label"] == "Normal operation"


def test_unknown_slug_is_404_of_default_office(two):
    for path in ["/gamma/", "/gamma", "/betax/", "/alpha/", "/gamma/presse"]:
        r = requests.get(two.url(path), allow_redirects=False)
        assert r.status_code == 404, path
        assert '<html lang="de"' in r.text, path
        assert ALPHA in r.text and BETA not in r.text, path
        j = get_json(two, path)
        assert j.status_code == 404, path
        assert j.json()["office"]["slug"] == "alpha", path
        assert j.json()["error"]["status"] == 404, path


def test_404_below_second_office_is_its_own(two):
    r = requests.get(two.url("/beta/gibt-es-nicht"))
    assert r.status_code == 404
    assert '<html lang="de"' in r.text and "Seite nicht gefunden" in r.text
    assert BETA in r.text and ALPHA not in r.text
    r = requests.get(two.url("/beta/en/does-not-exist"))
    assert r.status_code == 404
    assert '<html lang="en"' in r.text and "Page not found" in r.text
    assert BETA in r.text and ALPHA not in r.text
    j = get_json(two, "/beta/gibt-es-nicht")
    assert j.status_code == 404 and j.json()["office"]["slug"] == "beta"


# ---- links and names stay inside their office --------------------------------------------


def test_second_office_links_stay_under_its_slug(two):
    for path in all_paths("/beta"):
        r = requests.get(two.url(path))
        assert r.status_code == 200, path
        if path.endswith(".json"):
            found = hrefs_in_json(r.json())
        elif path.endswith(".atom"):
            root = ET.fromstring(r.content)
            found = [e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link")]
        else:
            found = links(r.text)
        assert found, path
        for url in found:
            assert url.startswith("/beta/") or url.startswith("#"), (path, url)
            if url.startswith("/"):  # and the link leads to a page of beta
                target = requests.get(two.url(url.split("#")[0]), allow_redirects=False)
                assert target.status_code == 200, (path, url)


def test_first_office_links_stay_at_root(two):
    for path in all_paths(""):
        r = requests.get(two.url(path))
        assert r.status_code == 200, path
        found = hrefs_in_json(r.json()) if path.endswith(".json") else links(r.text)
        assert found, path
        for url in found:
            assert url.startswith("/") or url.startswith("#"), (path, url)
            assert not url.startswith("/beta/") and not url.startswith("//"), (path, url)


def test_error_page_links_stay_under_its_slug(two):
    for path in ["/beta/gibt-es-nicht", "/beta/en/does-not-exist"]:
        r = requests.get(two.url(path))
        assert r.status_code == 404
        for url in links(r.text):
            assert url.startswith("/beta/") or url.startswith("#"), (path, url)


def test_offices_never_show_each_others_name(two):
    for base, own, other in [("", ALPHA, BETA), ("/beta", BETA, ALPHA)]:
        for path in all_paths(base) + [base + "/gibt-es-nicht", base + "/en/nope"]:
            text = requests.get(two.url(path)).text
            assert own in text, path
            assert other not in text, path
            assert other.split()[1] not in text, path


# ---- a fresh office renders every page ---------------------------------------------------


LEGAL = {"/impressum": ("Impressum", "Imprint"),
         "/datenschutz": ("Datenschutz", "Privacy"),
         "/barrierefreiheit": ("Barrierefreiheit", "Accessibility")}


@pytest.mark.parametrize("base", ["", "/beta"])
def test_fresh_office_renders_every_page(two, base):
    for path in all_paths(base):
        r = requests.get(two.url(path))
        assert r.status_code == 200, path
    for prefix in (base, base + "/en"):
        home = requests.get(two.url(prefix + "/index.json")).json()
        assert home["pinned"] == [] and home["others"] == [] and home["archived"] == []
        assert home["state"]["key"] == "normal"
        assert requests.get(two.url(prefix + "/presse.json")).json()["weeks"] == []
        assert requests.get(two.url(prefix + "/leistungen.json")).json()["services"] == []
        assert requests.get(two.url(prefix + "/kontakt.json")).json()["departments"] == []
        feed = ET.fromstring(requests.get(two.url(prefix + "/feed.atom")).content)
        assert feed.findall("{http://www.w3.org/2005/Atom}entry") == []


@pytest.mark.parametrize("base", ["", "/beta"])
def test_fresh_office_legal_pages_have_default_titles(two, base):
    for path, (de, en) in LEGAL.items():
        for p, title in ((base + path, de), (base + "/en" + path, en)):
            r = requests.get(two.url(p))
            assert r.status_code == 200, p
            assert f"<h1>{title}</h1>" in r.text, p
            assert re.search(rf"<title>{title} – ", r.text), p
            assert requests.get(two.url(p + ".json")).json()["page"]["title"] == title, p


# ---- holidays by Land --------------------------------------------------------------------


def holidays(server, path):
    r = requests.get(server.url(path))
    assert r.status_code == 200, path
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def test_holidays_follow_each_offices_land(two):
    by = holidays(two, "/beta/api/v1/holidays/2021")
    assert {"date": "2021-01-06", "name": "Heilige Drei Könige"} in by
    assert {"date": "2021-06-03", "name": "Fronleichnam"} in by
    assert {"date": "2021-11-01", "name": "Allerheiligen"} in by
    assert "Reformationstag" not in [d["name"] for d in by]
    assert holidays(two, "/beta/en/api/v1/holidays/2021") == by
    mv = holidays(two, "/api/v1/holidays/2021")
    assert {"date": "2021-10-31", "name": "Reformationstag"} in mv
    names = [d["name"] for d in mv]
    assert "Fronleichnam" not in names and "Heilige Drei Könige" not in names
    for days in (by, mv):
        assert {"date": "2021-12-25", "name": "1. Weihnachtstag"} in days
        assert [d["date"] for d in days] == sorted(d["date"] for d in days)


@pytest.mark.parametrize("base", ["", "/beta"])
def test_holidays_year_range(two, base):
    for year in ["1995", "2199"]:
        days = holidays(two, f"{base}/api/v1/holidays/{year}")
        assert days and all(d["date"].startswith(year + "-") for d in days), year
        assert {"date": f"{year}-01-01", "name": "Neujahr"} in days
    for year in ["1994", "2200", "0000", "9999", "20211", "202", "-2021"]:
        r = requests.get(two.url(f"{base}/api/v1/holidays/{year}"))
        assert r.status_code == 400, year
        assert r.headers["Content-Type"].startswith("text/html"), year


# ---- longest slug and export of one office -----------------------------------------------


def test_longest_slug_routes_and_links(tmp_path):
    data = str(tmp_path / "data")
    slug = "x" * 62 + "9"
    assert init(data, "erst", "Amt Erst").returncode == 0
    assert init(data, slug, "Amt Lang").returncode == 0
    server = Server(["serve"], data)
    try:
        for path, to in [(f"/{slug}", f"/{slug}/"), (f"/{slug}/en", f"/{slug}/en/")]:
            r = requests.get(server.url(path), allow_redirects=False)
            assert r.status_code == 301, path
            assert r.headers["Location"] == to
        for path in all_paths("/" + slug):
            r = requests.get(server.url(path))
            assert r.status_code == 200, path
            if path.endswith(".json"):
                assert r.json()["office"]["slug"] == slug, path
            elif not path.endswith(".atom"):
                for url in links(r.text):
                    assert url.startswith(f"/{slug}/") or url.startswith("#"), (path, url)
    finally:
        assert server.stop() == 0


def test_export_of_second_office_is_for_the_root_of_a_host(two, tmp_path):
    r = run("export-site", "--data", two.data, str(tmp_path / "all"))
    assert r.returncode == 1
    assert "--office" in r.stderr
    out = tmp_path / "beta"
    r = run("export-site", "--data", two.data, "--office", "beta", str(out))
    assert r.returncode == 0, r.stderr
    html = (out / "index.html").read_text()
    assert BETA in html and ALPHA not in html
    for url in links(html):
        assert not url.startswith("/beta"), url
    assert (out / "en" / "impressum" / "index.html").is_file()
    assert os.path.isfile(out / "MANIFEST.sha256")
