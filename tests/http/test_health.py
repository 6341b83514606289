"""/healthz and the store's health through the real binary: the JSON of a healthy instance,
answered only to loopback (others get the ordinary 404); a database file removed or
replaced while serving is noticed (health 503, back-office writes 503 with a clear page, an
error logged) while the public site keeps being served; a read-only database is reported at
start and on each write as read-only (not as a wrong password); and `journal verify` fails
when offices exist but the journal is empty."""
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile

import pytest
import requests

from conftest import BINARY, Server
from staff_fixture import PASSWORD, add_user, cli, sql, staff_office, wait_live

EDIT = "/intern/meldungen/neu"


def health(server):
    r = requests.get(server.url("/healthz"))
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["Cache-Control"] == "no-store"
    return r.status_code, r.json()


def test_healthy_instance(demo):
    status, h = health(demo)
    assert status == 200, h
    assert h["status"] == "ok"
    assert h["store"] == {"file": "ok", "writable": True}
    assert h["journal"]["ok"] is True and h["journal"]["head"] >= 1
    [office] = h["offices"]
    assert office["slug"] == "kranichmoor" and office["ok"] is True and office["rendered"] is True
    assert isinstance(office["snapshot_age_seconds"], int) and office["snapshot_age_seconds"] >= 0
    # The path belongs to the instance, not to an office's site.
    assert requests.get(demo.url("/kranichmoor/healthz")).status_code == 404
    assert requests.post(demo.url("/healthz")).status_code in (404, 405)


def test_healthz_through_the_trusted_proxy(demo):
    """127.0.0.1 is a trusted proxy by default: what it forwards decides."""
    outside = requests.get(demo.url("/healthz"), headers={"X-Forwarded-For": "203.0.113.9"})
    assert outside.status_code == 404 and "journal" not in outside.text
    local = requests.get(demo.url("/healthz"), headers={"X-Forwarded-For": "127.0.0.1"})
    assert local.status_code == 200 and local.json()["status"] == "ok"


def outward_address():
    """An address of this machine that is not loopback, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.123", 9))
            addr = s.getsockname()[0]
        except OSError:
            return None
    return None if addr.startswith("127.") else addr


def test_healthz_is_404_for_other_clients():
    addr = outward_address()
    if not addr:
        pytest.skip("this machine has no address besides loopback")
    with tempfile.TemporaryDirectory(prefix="nb-health-") as data:
        assert cli(data, "init", "--office", "amt", "--name", "Amt Test").returncode == 0
        port = socket.socket()
        port.bind(("127.0.0.1", 0))
        p = port.getsockname()[1]
        port.close()
        log = open(os.path.join(data, "server.log"), "wb")
        proc = subprocess.Popen([BINARY, "serve", "--data", data, "--listen", f"0.0.0.0:{p}"],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(600):
                try:
                    if requests.get(f"http://127.0.0.1:{p}/healthz", timeout=1).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                proc.poll()
                assert proc.returncode is None
                __import__("time").sleep(0.05)
            outside = requests.get(f"http://{addr}:{p}/healthz")
            assert outside.status_code == 404
            assert "Seite nicht gefunden" in outside.text and "journal" not in outside.text
            assert requests.get(f"http://{addr}:{p}/").status_code == 200
        finally:
            proc.terminate()
            assert proc.wait(timeout=20) == 0
            log.close()


def publish_form(ed, slug):
    token = ed.csrf(EDIT, EDIT)
    return ed.post(EDIT, {"csrf": token, "slug": slug, "lang": "de", "title": "Titel",
                          "body": "Text", "action": "publish"})


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_database_file_removed_or_replaced_while_serving(how):
    with staff_office(f"nb-health-{how}-", roles={"ben": "editor"}) as o:
        server, data, ed = o.server, o.data, o.browsers["ben"]
        db = os.path.join(data, "notbetrieb.db")
        assert publish_form(ed, "vorher").status_code == 303
        wait_live(server, lambda: requests.get(server.url("/meldung/vorher")).status_code == 200,
                  "the notice published before")
        token = ed.csrf(EDIT, EDIT)
        if how == "removed":
            os.remove(db)
        else:
            shutil.copy(db, db + ".copy")
            os.replace(db + ".copy", db)
        status, h = health(server)
        assert status == 503 and h["status"] == "fail" and h["store"]["file"] == how
        r = ed.post(EDIT, {"csrf": token, "slug": "danach", "lang": "de", "title": "Titel",
                           "body": "Text", "action": "publish"})
        assert r.status_code == 503
        assert "der Datenspeicher fehlt oder ist schreibgeschützt" in r.text
        en = ed.post("/en" + EDIT, {"csrf": token, "slug": "x", "lang": "de", "title": "T",
                                    "body": "B", "action": "publish"})
        assert en.status_code == 503 and "the data store is missing or read-only" in en.text
        assert re.search(rf"level=error event=store\.file state={how} path=", server.read_log())
        # Readers still get the site as it was.
        assert requests.get(server.url("/meldung/vorher")).status_code == 200
        assert requests.get(server.url("/meldung/danach")).status_code == 404


def run_as_other_user():
    """The command prefix that runs the binary as an unprivileged user (root writes to a
    read-only file all the same), [] when the tests do not run as root, None when that is
    not possible here."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        return None
    nobody = pwd.getpwnam("nobody")
    return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]


def test_read_only_database_is_reported_as_such():
    prefix = run_as_other_user()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot make the file read-only")
    data = tempfile.mkdtemp(prefix="nb-health-ro-")
    try:
        os.chmod(data, 0o755)
        assert cli(data, "init", "--office", "amt", "--name", "Amt Test").returncode == 0
        link = add_user(data, "ben", "editor")
        assert link
        db = os.path.join(data, "notbetrieb.db")
        sql(data, "PRAGMA wal_checkpoint(TRUNCATE)")
        for name in os.listdir(data):
            path = os.path.join(data, name)
            if prefix:
                os.chown(path, pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid)
        if prefix:
            os.chown(data, pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid)
        os.chmod(db, 0o444)
        log_path = os.path.join(data, "ro.log")
        log = open(log_path, "wb")
        port = socket.socket()
        port.bind(("127.0.0.1", 0))
        p = port.getsockname()[1]
        port.close()
        proc = subprocess.Popen([*prefix, BINARY, "serve", "--data", data, "--listen",
                                 f"127.0.0.1:{p}"], stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{p}"
        try:
            for _ in range(600):
                try:
                    r = requests.get(base + "/healthz", timeout=1)
                    if r.json()["offices"][0]["rendered"]:
                        break
                except requests.ConnectionError:
                    pass
                assert proc.poll() is None, open(log_path).read()
                __import__("time").sleep(0.05)
            with open(log_path) as f:
                assert re.search(r"level=error event=store\.readonly path=", f.read())
            r = requests.get(base + "/healthz")
            assert r.status_code == 503 and r.json()["store"]["writable"] is False
            # A sign-in says what is wrong instead of "wrong password or code".
            for _ in range(2):
                r = requests.post(base + "/intern/anmelden", headers={"Origin": base},
                                  data={"name": "ben", "password": PASSWORD, "code": "000000"},
                                  allow_redirects=False)
                assert r.status_code == 503
                assert "schreibgeschützt" in r.text and "Passwort" not in r.text
            with open(log_path) as f:
                assert len(re.findall(r"level=error event=store\.readonly", f.read())) >= 3
            assert requests.get(base + "/").status_code == 200
        finally:
            proc.terminate()
            assert proc.wait(timeout=20) == 0
            log.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_journal_verify_fails_when_offices_have_no_journal(tmp_path):
    data = str(tmp_path / "d")
    assert cli(data, "init", "--office", "amt", "--name", "Amt Test").returncode == 0
    assert cli(data, "journal", "verify").returncode == 0
    sql(data, "DROP TRIGGER journal_no_delete; DELETE FROM journal; DELETE FROM journal_checkpoints")
    r = cli(data, "journal", "verify")
    assert r.returncode == 1, r.stdout
    assert "FAILED: the journal is empty, but 1 office exists" in r.stdout
    # The server's health says the same.
    server = Server(["serve"], data, ready=False)
    try:
        for _ in range(600):
            status, h = health(server)
            if h["offices"][0]["rendered"]:
                break
            __import__("time").sleep(0.05)
        assert status == 503 and h["journal"] == {"ok": False, "head": 0}
    finally:
        assert server.stop() == 0
