"""What the back-office tests share: accounts made with the command line, set up and signed in
through the real binary (staff_office), a browser that sends Origin on POST (Staff), the
journal read with the sqlite3 tool, the message next to a form field, and wait_live, the one
rule for "the public site shows a change within one second"."""
import base64
import contextlib
import hashlib
import hmac
import re
import struct
import subprocess
import tempfile
import time

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


def add_user(data, name, role, office="amt"):
    """Creates an account with the command line; returns its setup link, with the office's
    prefix ("/SLUG") when the office is not the instance's first."""
    r = cli(data, "user", "add", "--office", office, "--role", role, name)
    assert r.returncode == 0, r.stderr
    m = re.search(r"((?:/[a-z0-9-]+)?/intern/einrichten/[A-Za-z0-9_-]{43})", r.stdout)
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


def sign_in(server, name, secret=None, code=None, at_offset=30, base=""):
    """A new browser that signs in at the office under base ("" or "/SLUG"); returns it and
    the answer to the sign-in."""
    b = Staff(server)
    r = b.post(base + "/intern/anmelden", {"name": name, "password": PASSWORD,
                                           "code": code or totp(secret, time.time() + at_offset)})
    return b, r


class Office:
    """What staff_office yields: the server, its data directory, the signed-in browsers and
    every account's setup link, by account name."""

    def __init__(self, server, data, browsers, links):
        self.server, self.data, self.browsers, self.links = server, data, browsers, links


@contextlib.contextmanager
def staff_office(prefix, offices=None, demo=False, roles=None, signed_in=None,
                 before_serve=None):
    """A server on a fresh data directory with one account per entry of roles.

    offices: {slug: name} made with `init`, in order ({"amt": "Amt Test"} unless demo);
    demo: start `demo`, which adds the demo office "kranichmoor" (the accounts are then made
    while it runs); roles: {name: role} in the first office (kranichmoor with demo), or
    {name: (office, role)}, made in this order; signed_in: the names to set up and sign in
    (all unless given), each at its own office's address; before_serve(data): called before
    the server starts. On leaving, the server must stop with exit code 0."""
    if offices is None:
        offices = {} if demo else {"amt": "Amt Test"}
    default = "kranichmoor" if demo else next(iter(offices))
    wanted = {name: spec if isinstance(spec, tuple) else (default, spec)
              for name, spec in (roles or {}).items()}

    def add_all():
        return {name: add_user(data, name, role, office) for name, (office, role) in wanted.items()}

    with tempfile.TemporaryDirectory(prefix=prefix) as data:
        for slug, name in offices.items():
            r = cli(data, "init", "--office", slug, "--name", name)
            assert r.returncode == 0, r.stderr
        links = {} if demo else add_all()
        if before_serve:
            before_serve(data)
        server = Server(["demo" if demo else "serve"], data)
        try:
            if demo:
                links = add_all()
            browsers = {}
            for name, link in links.items():
                if signed_in is not None and name not in signed_in:
                    continue
                secret, _ = set_up(server, link)
                b, r = sign_in(server, name, secret, base=link.split("/intern/")[0])
                assert r.status_code == 303, r.text
                browsers[name] = b
            yield Office(server, data, browsers, links)
        finally:
            assert server.stop() == 0


def assert_sign_in_first(server, path):
    """Without a session, path leads to the sign-in page."""
    anon = Staff(server).get(path)
    assert anon.status_code == 303 and anon.headers["Location"] == "/intern/anmelden"


def assert_token_checked(b, action, form, page=None):
    """The form's page (page, action itself unless given) is not cached, and b's POST of form
    (its csrf field left out) to action is refused with 403 without a token, with a made-up
    one, and with the page's token but without Origin. Returns that token."""
    r = b.get(page or action)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    form = {k: v for k, v in form.items() if k != "csrf"}
    assert b.post(action, form).status_code == 403
    assert b.post(action, dict(form, csrf="A" * 43)).status_code == 403
    token = b.csrf(page or action, action)
    assert b.post(action, dict(form, csrf=token), origin=False).status_code == 403
    return token


def sql(data, query):
    """What the sqlite3 tool prints for query on the data directory's database, stripped."""
    return subprocess.run(["sqlite3", f"{data}/notbetrieb.db", query], capture_output=True,
                          text=True, check=True).stdout.strip()


def journal(data, *columns):
    """The journal's rows in order as tuples of columns (action, object, summary unless
    given), read with the sqlite3 tool."""
    columns = columns or ("action", "object", "summary")
    out = sql(data, f"SELECT {', '.join(columns)} FROM journal ORDER BY seq")
    return [tuple(line.split("|", len(columns) - 1)) for line in out.splitlines()]


def assert_journal_intact(data):
    verify = cli(data, "journal", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def field_error(html, field):
    """The message shown next to field, checking that the field points at it."""
    assert re.search(r'aria-describedby="[^"]*\b' + re.escape(field) + r'-error"', html), html
    m = re.search(r'<span class="error" id="' + re.escape(field) + r'-error">([^<]+)</span>', html)
    assert m, html
    return m.group(1)


def public(server, path):
    """The text of the public page at path."""
    return requests.get(server.url(path)).text


def page_when(server, path, pred):
    """A check for wait_live: the public page at path (its text) once pred(text) holds."""
    def check():
        html = public(server, path)
        return html if pred(html) else None
    return check


def wait_until(check, what, limit):
    """Polls check() until it returns something true, which it returns; fails after limit s."""
    start = time.monotonic()
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() - start < limit, f"{what}: not within {limit} s"
        time.sleep(0.02)


RENDER = r"event=site\.render office={} pages=\d+ ms=(\d+)"


def wait_live(server, check, what, office="amt"):
    """Polls check() until it returns something true (the change is visible on the public
    site) and returns that; fails unless it took less than one second plus one render.

    Call it right after the answer to the change: the product promises the change on the
    public site within one second of that answer. The one thing allowed on top is the time
    of the worker's last full render of the office's site, as the server logs it
    (`event=site.render office=SLUG pages=N ms=M`), because the tests run the debug build
    with sanitizers, where one render alone takes 0.85-1.4 s on a loaded machine (the demo
    office with its many pages up to about 1.7 s). Everything else has to fit in the one
    second: a publish that waits for a timer or a fixed delay before (or besides) its render
    still fails. A change that arrives while the worker renders for an earlier one waits for
    that render to end and then for its own, so two renders are allowed. A change that does
    not show within 10 s did not show at all."""
    pattern = RENDER.format(re.escape(office))
    rendered_before = len(re.findall(pattern, server.read_log()))
    start = time.monotonic()
    value = wait_until(check, what + " did not show at all", 10.0)
    elapsed = time.monotonic() - start
    render_s = 0.0
    if elapsed >= 1.0:
        # The snapshot is swapped in just before its render is logged: wait for that line.
        deadline = time.monotonic() + 2.0
        renders = re.findall(pattern, server.read_log())
        while len(renders) <= rendered_before and time.monotonic() < deadline:
            time.sleep(0.02)
            renders = re.findall(pattern, server.read_log())
        render_s = int(renders[-1]) / 1000 if renders else 0.0
    assert elapsed < 1.0 + 2 * render_s, f"{what} took {elapsed:.2f} s (render {render_s:.2f} s)"
    return value
