"""The command line: help texts, usage errors, init, serve, export-site, template render and
the signals that end serve. Every command runs the real binary."""
import hashlib
import os
import signal
import stat
import subprocess

import pytest
import requests

from conftest import Server
from helpers import init, run

COMMANDS = {
    "init": ["--data", "--office", "--name", "--land", "--host"],
    "serve": ["--data", "--listen", "--threads", "--trusted-proxy", "--log-level"],
    "demo": ["--data", "--listen", "--threads", "--trusted-proxy", "--log-level"],
    "export-site": ["--data", "--office"],
    "template render": ["--data", "--partials"],
}

# ---- help and usage errors ---------------------------------------------------------------


def test_main_help_lists_every_command():
    for flag in ["--help", "-h", "help"]:
        r = run(flag)
        assert r.returncode == 0, flag
        assert r.stdout.startswith("usage: notbetrieb COMMAND"), flag
        for name in COMMANDS:
            assert f"\n  {name} " in r.stdout, (flag, name)


def test_no_command_is_a_usage_error():
    r = run()
    assert r.returncode == 2
    assert "usage: notbetrieb COMMAND" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("command", list(COMMANDS))
def test_command_help_lists_its_options(command):
    r = run(*command.split(), "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"usage: notbetrieb {command} "), r.stdout
    assert "\noptions:\n" in r.stdout
    listed = [line.split()[0] for line in r.stdout.split("\noptions:\n", 1)[1].splitlines()
              if line.startswith("  --")]
    assert sorted(listed) == sorted(COMMANDS[command] + ["--help"]), listed
    # -h means the same, also after other options.
    r2 = run(*command.split(), "--data", "x", "-h")
    assert r2.returncode == 0
    assert r2.stdout == r.stdout


def test_unknown_command_exits_2_with_message():
    r = run("frobnicate")
    assert r.returncode == 2
    assert "unknown command 'frobnicate'" in r.stderr
    # A two-word command needs both words.
    r = run("template", "--help")
    assert r.returncode == 2
    assert "unknown command 'template'" in r.stderr


@pytest.mark.parametrize("args,option", [
    (["init", "--bogus", "x"], "--bogus"),
    (["serve", "--frobnicate=1"], "--frobnicate"),
    (["serve", "--name", "x"], "--name"),            # an option of another command
    (["export-site", "--listen", "x", "out"], "--listen"),
    (["template", "render", "t.mustache", "--office", "x"], "--office"),
])
def test_unknown_option_exits_2_and_names_it(args, option, tmp_path):
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "unknown option" in r.stderr
    assert f"'{option}'" in r.stderr, r.stderr
    assert os.listdir(tmp_path) == []  # nothing was created


@pytest.mark.parametrize("value,named", [
    ("nginx.local", "'nginx.local' is not a numeric IPv4 or IPv6 address"),
    ("127.0.0.1,,::1", "'' is not a numeric"),
    ("10.0.0.0/8", "'10.0.0.0/8'"),
    (",".join(f"10.0.0.{i}" for i in range(17)), "at most 16 addresses"),
])
def test_bad_trusted_proxy_exits_2_and_says_why(value, named, tmp_path):
    for command in ("serve", "demo"):
        r = run(command, "--trusted-proxy", value, cwd=tmp_path)
        assert r.returncode == 2, r.stderr
        assert named in r.stderr and "--trusted-proxy" in r.stderr, r.stderr
        assert os.listdir(tmp_path) == []  # refused before anything was created


def test_option_without_value_and_extra_argument(tmp_path):
    r = run("serve", "--listen", cwd=tmp_path)
    assert r.returncode == 2
    assert "--listen needs a value" in r.stderr
    r = run("serve", "surplus", cwd=tmp_path)
    assert r.returncode == 2
    assert "unexpected argument 'surplus'" in r.stderr
    r = run("export-site", cwd=tmp_path)
    assert r.returncode == 2
    assert "missing argument" in r.stderr
    assert os.listdir(tmp_path) == []


# ---- init --------------------------------------------------------------------------------


def test_init_without_office_or_name_exits_2(tmp_path):
    data = str(tmp_path / "data")
    r = run("init", "--data", data, "--name", "Amt Moorwiesen")
    assert r.returncode == 2
    assert "--office" in r.stderr
    r = run("init", "--data", data, "--office", "moorwiesen")
    assert r.returncode == 2
    assert "--name" in r.stderr
    r = run("init", "--data", data, "--office", "moorwiesen", "--name", "")
    assert r.returncode == 2
    assert "--name" in r.stderr
    assert not os.path.exists(data)


@pytest.mark.parametrize("slug", ["Moor Wiesen", "-x", "x-", "Moorwiesen", "moor_wiesen",
                                  "mö", "a" * 64, ""])
def test_init_refuses_bad_slug(slug, tmp_path):
    data = str(tmp_path / "data")
    r = init(data, slug)
    assert r.returncode == 2, r.stdout
    assert "--office" in r.stderr, r.stderr
    assert not os.path.exists(data)


@pytest.mark.parametrize("slug", ["presse", "en", "static", "api", "impressum"])
def test_init_refuses_reserved_slug(slug, tmp_path):
    data = str(tmp_path / "data")
    r = init(data, slug)
    assert r.returncode == 2
    assert f"'{slug}'" in r.stderr and "choose another slug" in r.stderr
    assert not os.path.exists(data)


def test_init_accepts_63_char_slug(tmp_path):
    data = str(tmp_path / "data")
    slug = "a" + "-b" * 31
    assert len(slug) == 63
    r = init(data, slug)
    assert r.returncode == 0, r.stderr
    assert f"Created office '{slug}'" in r.stdout


def test_init_creates_private_data_dir_with_database(tmp_path):
    data = str(tmp_path / "data")
    r = init(data, "moorwiesen", "Amt Moorwiesen", "MV")
    assert r.returncode == 0, r.stderr
    assert "moorwiesen" in r.stdout and "notbetrieb serve --data" in r.stdout
    st = os.stat(data)
    assert stat.S_ISDIR(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o700
    with open(os.path.join(data, "notbetrieb.db"), "rb") as f:
        assert f.read(16) == b"SQLite format 3\x00"


def test_init_twice_with_same_slug_fails(tmp_path):
    data = str(tmp_path / "data")
    assert init(data, "moorwiesen", "Amt Moorwiesen").returncode == 0
    r = init(data, "moorwiesen", "Amt Moorwiesen Zwei")
    assert r.returncode == 1
    assert "'moorwiesen' exists already" in r.stderr
    # A different slug in the same instance is fine.
    assert init(data, "heide", "Amt Heide").returncode == 0


def test_init_refuses_unknown_land(tmp_path):
    data = str(tmp_path / "data")
    r = init(data, "moorwiesen", land="XX")
    assert r.returncode == 2
    assert "Land" in r.stderr


# ---- serve -------------------------------------------------------------------------------


def test_serve_without_office_fails_clearly(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    r = run("serve", "--data", str(data), "--listen", "127.0.0.1:1", timeout=30)
    assert r.returncode == 1
    assert "no office" in r.stderr, r.stderr
    assert "notbetrieb init" in r.stderr
    assert "serving at" not in r.stdout


def test_serve_without_data_dir_fails_clearly(tmp_path):
    data = str(tmp_path / "nothing")
    r = run("serve", "--data", data, "--listen", "127.0.0.1:1", timeout=30)
    assert r.returncode == 1
    assert "no data directory" in r.stderr, r.stderr
    assert "notbetrieb init" in r.stderr
    assert not os.path.exists(data)


@pytest.fixture
def office_data(tmp_path):
    data = str(tmp_path / "data")
    assert init(data, "moorwiesen", "Amt Moorwiesen").returncode == 0
    return data


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_ends_serve_cleanly(sig, office_data):
    server = Server(["serve"], office_data)
    try:
        assert requests.get(server.url("/")).status_code == 200
        server.proc.send_signal(sig)
        rc = server.proc.wait(timeout=20)
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
        server.log.close()
    with open(os.path.join(office_data, "server.log"), encoding="utf-8") as f:
        log = f.read()
    assert rc == 0, log
    assert f"event=http.stop signal={int(sig)}" in log
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url("/"), timeout=2)


# ---- export-site -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    """A data directory with the demo office, made by running demo and stopping it."""
    data = str(tmp_path_factory.mktemp("demo-data"))
    server = Server(["demo"], data)
    assert requests.get(server.url("/")).status_code == 200
    rc = server.stop()
    assert rc == 0, server.read_log()
    return data


def export(data, out, *extra):
    return run("export-site", "--data", data, *extra, str(out), timeout=120)


def test_export_site_writes_files_and_manifest(demo_data, tmp_path):
    out = tmp_path / "site"
    r = export(demo_data, out)
    assert r.returncode == 0, r.stderr
    assert "MANIFEST.sha256" in r.stdout
    for rel in ["index.html", "en/index.html", "presse/index.html", "en/presse/index.html",
                "feed.atom", "en/feed.atom", "static/site.css", "index.json", "presse.json",
                "404.html", "en/404.html", "impressum/index.html", "MANIFEST.sha256"]:
        assert (out / rel).is_file(), rel
        assert (out / rel).stat().st_size > 0, rel
    assert b'<html lang="de"' in (out / "index.html").read_bytes()
    assert b'<html lang="en"' in (out / "en/index.html").read_bytes()
    assert (out / "feed.atom").read_bytes().startswith(b"<?xml")
    # The manifest is accepted by sha256sum and names every file but itself, once each.
    check = subprocess.run(["sha256sum", "--strict", "-c", "MANIFEST.sha256"], cwd=out,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = {}
    for line in (out / "MANIFEST.sha256").read_text().splitlines():
        digest, rel = line.split("  ", 1)
        assert rel not in listed, rel
        listed[rel] = digest
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert set(listed) == files - {"MANIFEST.sha256"}
    assert listed["index.html"] == hashlib.sha256((out / "index.html").read_bytes()).hexdigest()


def test_export_site_equals_served_pages(demo_data, tmp_path):
    server = Server(["serve"], demo_data)
    try:
        for attempt in range(2):
            # Fetch, export, fetch again: when both fetches agree, the export was rendered
            # in the same state of the clock (the reach text may change with the minute).
            paths = {"index.html": "/", "en/index.html": "/en/", "presse/index.html": "/presse",
                     "index.json": "/index.json", "feed.atom": "/feed.atom",
                     "static/site.css": "/static/site.css"}
            before = {rel: requests.get(server.url(p), headers={"Accept-Encoding": "identity"})
                      for rel, p in paths.items()}
            out = tmp_path / f"site{attempt}"
            r = export(demo_data, out)
            assert r.returncode == 0, r.stderr
            after = {rel: requests.get(server.url(p)).content for rel, p in paths.items()}
            if any(before[rel].content != after[rel] for rel in paths) and attempt == 0:
                continue
            for rel in paths:
                assert before[rel].status_code == 200, rel
                assert (out / rel).read_bytes() == before[rel].content, rel
            break
    finally:
        assert server.stop() == 0


def test_export_site_into_non_empty_dir_fails(demo_data, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("do not touch")
    r = export(demo_data, out)
    assert r.returncode == 1
    assert "not empty" in r.stderr and str(out) in r.stderr
    assert os.listdir(out) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "do not touch"
    # An existing empty folder is fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export(demo_data, empty).returncode == 0
    assert (empty / "index.html").is_file()


def test_export_site_unknown_office(demo_data, tmp_path):
    r = export(demo_data, tmp_path / "site", "--office", "gibtsnicht")
    assert r.returncode == 1
    assert "no such office" in r.stderr
    assert not (tmp_path / "site" / "index.html").exists()


# ---- template render ---------------------------------------------------------------------


@pytest.fixture
def tpl(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "p.mustache").write_text("P:{{x}}")
    (tmp_path / "t.mustache").write_text("{{x}}|{{{x}}}|{{> p}}")
    (tmp_path / "d.json").write_text('{"x": "<&\\"\'>"}')
    return tmp_path


def render(tpl, template="t.mustache", data="d.json", partials="partials"):
    args = ["template", "render", str(tpl / template), "--data", str(tpl / data)]
    if partials:
        args += ["--partials", str(tpl / partials)]
    return run(*args)


def test_template_render_escapes_and_uses_partials(tpl):
    r = render(tpl)
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip("\n") == "&lt;&amp;&quot;&#39;&gt;|<&\"'>|P:&lt;&amp;&quot;&#39;&gt;"
    assert r.stderr == ""


def test_template_render_bad_json(tpl):
    (tpl / "bad.json").write_text('{"x": ')
    r = render(tpl, data="bad.json")
    assert r.returncode != 0
    assert r.stdout == ""
    assert str(tpl / "bad.json") in r.stderr and "not valid JSON" in r.stderr


def test_template_render_missing_files(tpl):
    r = render(tpl, template="nope.mustache")
    assert r.returncode != 0
    assert str(tpl / "nope.mustache") in r.stderr and "cannot open" in r.stderr
    r = render(tpl, data="nope.json")
    assert r.returncode != 0
    assert str(tpl / "nope.json") in r.stderr
    r = render(tpl, partials="nope")
    assert r.returncode != 0
    assert "partials" in r.stderr and str(tpl / "nope") in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("source,problem", [
    ("a\n{{#x}} b", "section 'x' is not closed"),
    ("a\n{{/x}} b", "closing tag 'x' has no open section"),
    ("a\n{{x b", "tag is not closed"),
])
def test_template_render_syntax_error(tpl, source, problem):
    (tpl / "bad.mustache").write_text(source)
    r = render(tpl, template="bad.mustache")
    assert r.returncode != 0
    assert r.stdout == ""
    assert str(tpl / "bad.mustache") in r.stderr and problem in r.stderr, r.stderr
