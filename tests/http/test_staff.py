"""The back office through the real binary: setup link, TOTP enrolment, sign-in, sessions,
CSRF and Origin checks, throttling, the incident switch, and the roles that may use it."""
import base64
import hashlib
import hmac
import re
import struct
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import BINARY, Server

PASSWORD = "Lange Sonnenblume 42 am Deich"


def totp(secret_b32, at=None, step=30):
    """RFC 6238 with SHA-1 and six digits, computed here independently of the server."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1000000:06d}"


def cli(data, *args):
    return subprocess.run([BINARY, *args, "--data", data], capture_output=True, text=True)


def add_user(data, name, role):
    r = cli(data, "user", "add", "--office", "amt", "--role", role, name)
    assert r.returncode == 0, r.stderr
    m = re.search(r"(/intern/einrichten/[A-Za-z0-9_-]{43})", r.stdout)
    assert m, r.stdout
    return m.group(1)


class Staff:
    """One browser: a requests session that sends Origin like a browser does on POST."""

    def __init__(self, server):
        self.server = server
        self.http = requests.Session()

    def get(self, path, **kw):
        return self.http.get(self.server.url(path), allow_redirects=False, **kw)

    def post(self, path, data, origin=True, **kw):
        headers = {"Origin": self.server.base} if origin else {}
        return self.http.post(self.server.url(path), data=data, headers=headers,
                              allow_redirects=False, **kw)

    def csrf(self, page_path, form_action):
        html = self.get(page_path).text
        m = re.search(r'action="' + re.escape(form_action) + r'">\s*<input type="hidden" name="csrf" value="([^"]+)"', html)
        assert m, html
        return m.group(1)


def set_up(server, link):
    b = Staff(server)
    page = b.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page.text).group(1)
    assert "<svg" in page.text  # the QR code for the app
    r = b.post(link, {"password": PASSWORD, "password2": PASSWORD, "code": totp(secret)})
    assert r.status_code == 200, r.text
    codes = re.findall(r"<li><code>([^<]+)</code></li>", r.text)
    assert len(codes) == 10
    return secret, codes


def sign_in(server, name, secret=None, code=None, at_offset=30):
    b = Staff(server)
    r = b.post("/intern/anmelden", {"name": name, "password": PASSWORD,
                                    "code": code or totp(secret, time.time() + at_offset)})
    return b, r


@pytest.fixture(scope="module")
def office():
    with tempfile.TemporaryDirectory(prefix="nb-staff-") as data:
        assert cli(data, "init", "--office", "amt", "--name", "Amt Test").returncode == 0
        links = {"anna": add_user(data, "anna", "admin"), "ben": add_user(data, "ben", "editor")}
        server = Server(["serve"], data)
        try:
            yield server, data, links
        finally:
            assert server.stop() == 0


def test_setup_sign_in_sessions_and_sign_out(office):
    server, data, links = office
    secret, codes = set_up(server, links["anna"])
    # The link works once.
    again = Staff(server).get(links["anna"])
    assert again.status_code == 404 and "ungültig oder abgelaufen" in again.text

    b, r = sign_in(server, "anna", secret)
    assert r.status_code == 303 and r.headers["Location"] == "/intern/"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("nb_session=")
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"]:
        assert attr in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind TLS the __Host- form is used
    home = b.get("/intern/")
    assert home.status_code == 200
    assert home.headers["Cache-Control"] == "no-store"
    assert "anna" in home.text and "Verwaltung" in home.text
    old_cookie = b.http.cookies.get("nb_session")

    # A POST without the form's token, or from another origin, changes nothing.
    assert b.post("/intern/abmelden", {}).status_code == 403
    token = b.csrf("/intern/", "/intern/abmelden")
    assert b.post("/intern/abmelden", {"csrf": token}, origin=False).status_code == 403
    evil = b.http.post(server.url("/intern/abmelden"), data={"csrf": token},
                       headers={"Origin": "http://evil.example"}, allow_redirects=False)
    assert evil.status_code == 403
    assert b.get("/intern/").status_code == 200  # still signed in

    out = b.post("/intern/abmelden", {"csrf": token})
    assert out.status_code == 303 and "hinweis=abgemeldet" in out.headers["Location"]
    # The old cookie no longer opens anything.
    replay = requests.get(server.url("/intern/"), cookies={"nb_session": old_cookie},
                          allow_redirects=False)
    assert replay.status_code == 303 and replay.headers["Location"] == "/intern/anmelden"

    # A recovery code signs in once.
    b2, r2 = sign_in(server, "anna", code=codes[0])
    assert r2.status_code == 303
    _, r3 = sign_in(server, "anna", code=codes[0])
    assert r3.status_code == 401

    # The incident switch: an admin ends every session of the office, her own included.
    b4, r4 = sign_in(server, "anna", code=codes[1])
    assert r4.status_code == 303
    page = b2.get("/intern/").text
    assert page.count("<tr><td>") == 2  # both of anna's sessions are listed
    token = b2.csrf("/intern/", "/intern/sitzungen/alle")
    done = b2.post("/intern/sitzungen/alle", {"csrf": token})
    assert done.status_code == 303 and "hinweis=alle" in done.headers["Location"]
    for browser in (b2, b4):
        gone = browser.get("/intern/")
        assert gone.status_code == 303 and gone.headers["Location"] == "/intern/anmelden"


def test_wrong_credentials_and_throttle(office):
    server, _, _ = office
    statuses = []
    for i in range(8):
        b = Staff(server)
        r = b.post("/intern/anmelden", {"name": "mallory", "password": "falsch" * 3, "code": "123456"})
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1
            assert "Bitte warten Sie" in r.text
            break
        assert "Anmeldung ist fehlgeschlagen" in r.text
    assert statuses[0] == 401 and statuses[-1] == 429


def test_incident_switch_only_for_admins(office):
    server, _, links = office
    ben_secret, _ = set_up(server, links["ben"])
    ben, r = sign_in(server, "ben", ben_secret)
    assert r.status_code == 303
    assert "Alle Sitzungen jetzt beenden" not in ben.get("/intern/").text
    # Even with a valid token for the form, an editor may not end all sessions.
    token = ben.csrf("/intern/", "/intern/abmelden")
    assert ben.post("/intern/sitzungen/alle", {"csrf": token}).status_code == 403


def test_english_staff_pages(office):
    server, _, _ = office
    r = requests.get(server.url("/en/intern/anmelden"))
    assert r.status_code == 200
    assert '<html lang="en"' in r.text and "Sign in" in r.text
    assert requests.get(server.url("/intern/anmelden")).text.count("Anmelden") >= 1


def test_journal_records_staff_actions(office):
    server, data, _ = office
    rows = subprocess.run(["sqlite3", f"{data}/notbetrieb.db",
                           "SELECT actor, action FROM journal ORDER BY seq"],
                          capture_output=True, text=True, check=True).stdout.split()
    pairs = {tuple(r.split("|")) for r in rows}
    for expected in [("cli", "account.create"), ("anna", "account.setup"), ("anna", "login"),
                     ("anna", "logout"), ("anna", "session.end_all"), ("unknown", "login.fail")]:
        assert expected in pairs, (expected, sorted(pairs))
    # A failed sign-in with a name that is no account never puts that text in the journal.
    assert not any(actor == "mallory" for actor, _ in pairs)
    verify = subprocess.run([BINARY, "journal", "verify", "--data", data], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_demo_prints_one_working_account_per_role(demo):
    accounts = re.findall(r"^  (\S+)\s+(admin|editor|caseworker|dpo)\s+password (\S+)  TOTP key ([A-Z2-7]+)$",
                          demo.read_log(), re.M)
    assert sorted(role for _, role, _, _ in accounts) == ["admin", "caseworker", "dpo", "editor"]
    for name, role, password, secret in accounts:
        b = Staff(demo)
        r = b.post("/intern/anmelden", {"name": name, "password": password,
                                        "code": totp(secret, time.time() + 30)})
        assert r.status_code == 303, (name, r.text[:300])
        assert name in b.get("/intern/").text


def test_session_fixation_is_not_possible(office):
    """A cookie planted before sign-in is neither kept nor honoured: sign-in issues a new id."""
    server, data, _ = office
    link = add_user(data, "carla", "editor")
    secret, _ = set_up(server, link)
    b = Staff(server)
    planted = "A" * 43  # well-formed, chosen by an attacker
    b.http.cookies.set("nb_session", planted)
    assert b.get("/intern/").status_code == 303  # the planted id opens nothing
    r = b.post("/intern/anmelden", {"name": "carla", "password": PASSWORD,
                                    "code": totp(secret, time.time() + 30)})
    assert r.status_code == 303
    issued = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert issued != planted and len(issued) == 43
    attacker = requests.get(server.url("/intern/"), cookies={"nb_session": planted},
                            allow_redirects=False)
    assert attacker.status_code == 303 and attacker.headers["Location"] == "/intern/anmelden"
