"""The documented deployment, end to end: a real nginx with docs/examples/nginx.conf (read
from the repository and changed only in its ports, listen addresses, the certificate's paths
and the upstream port) and a self-signed certificate made here with the openssl tool, in
front of the real binary running `demo`.

Clients connect to nginx from different addresses of 127.0.0.0/8, so that the server, behind
its trusted proxy (127.0.0.1, the default of --trusted-proxy), sees distinct forwarded
clients. Checked: a staff member signs in over HTTPS, edits and publishes a notice that the
public site then shows, and signs out, with `__Host-` cookies that are Secure, HttpOnly and
SameSite=Strict; failed sign-ins from one address do not slow a sign-in from another; the
server's log names the forwarded client, never nginx's 127.0.0.1 or what a client wrote into
X-Forwarded-For; 600 concurrent keep-alive connections (wrk) get no 502 or 503."""
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import Server, free_port
from helpers import SourceAddress
from staff_fixture import Staff, totp, wait_until

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "examples", "nginx.conf")


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def templated(text, ports, cert, key, upstream):
    """The example configuration with only ports, listen addresses, certificate paths and the
    upstream port replaced; each replaced piece must be there, so a changed example fails
    here instead of being tested half."""
    v6 = "[::1]" if ipv6_loopback() else "127.0.0.2"
    swaps = [
        ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
        ("listen [::]:80;", f"listen {v6}:{ports['http']};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;"),
        ("listen [::]:443 ssl http2;", f"listen {v6}:{ports['https']} ssl http2;"),
        ("server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream};"),
        ("/etc/ssl/buergerinfo.pem", cert),
        ("/etc/ssl/buergerinfo.key", key),
    ]
    for old, new in swaps:  # in directives only, not in the commented-out examples
        pattern = re.compile(r"^([ \t]*[^#\n]*?)" + re.escape(old), re.M)
        text, n = pattern.subn(lambda m: m.group(1) + new, text)
        assert n == 1, f"docs/examples/nginx.conf no longer has {old!r} once"
    return text


def main_conf(tmp, site):
    """nginx's own main file for the test (the part Debian's /etc/nginx/nginx.conf plays):
    where its files go, and the worker settings docs/operations.md asks for."""
    user = ""
    if os.geteuid() == 0:  # workers must not stay root; nobody's own group
        nobody = pwd.getpwnam("nobody")
        user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};"
    return f"""
{user}
daemon off;
worker_processes 2;
worker_rlimit_nofile 8192;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/t/body;
    proxy_temp_path {tmp}/t/proxy;
    fastcgi_temp_path {tmp}/t/fastcgi;
    uwsgi_temp_path {tmp}/t/uwsgi;
    scgi_temp_path {tmp}/t/scgi;
    include {site};
}}
"""


class Front:
    """nginx in front of the server: base and url() as the clients use them."""

    def __init__(self, port, cert):
        self.port, self.cert = port, cert
        self.base = f"https://127.0.0.1:{port}"

    def url(self, path):
        return self.base + path

    def client(self, source):
        """A browser (staff_fixture.Staff) that connects to nginx from source."""
        b = Staff(self)
        b.http.mount("https://", SourceAddress(source))
        b.http.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace verify
        b.http.verify = self.cert
        return b


@pytest.fixture(scope="module")
def deployment():
    with tempfile.TemporaryDirectory(prefix="nb-deploy-") as tmp:
        os.chmod(tmp, 0o755)
        os.makedirs(os.path.join(tmp, "t"))
        os.chmod(os.path.join(tmp, "t"), 0o777)
        data = os.path.join(tmp, "data")
        os.makedirs(data)
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,IP:::1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        server = Server(["demo", "--log-level", "debug"], data)
        nginx = None
        try:
            ports = {"http": free_port(), "https": free_port()}
            with open(EXAMPLE, encoding="utf-8") as f:
                site = templated(f.read(), ports, cert, key, server.port)
            site_path = os.path.join(tmp, "notbetrieb.conf")
            with open(site_path, "w", encoding="utf-8") as f:
                f.write(site)
            conf = os.path.join(tmp, "nginx.conf")
            with open(conf, "w", encoding="utf-8") as f:
                f.write(main_conf(tmp, site_path))
            nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
            check = subprocess.run([nginx_bin, "-t", "-p", tmp, "-e", f"{tmp}/error.log",
                                    "-c", conf], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
            nginx = subprocess.Popen([nginx_bin, "-p", tmp, "-e", f"{tmp}/error.log", "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            front = Front(ports["https"], cert)

            def up():
                try:
                    return requests.get(front.url("/"), verify=cert, timeout=2).status_code == 200
                except requests.ConnectionError:
                    assert nginx.poll() is None, nginx.stderr.read().decode()
                    return False
            wait_until(up, "nginx in front of the server", 20.0)
            yield front, server, tmp
        finally:
            if nginx:
                nginx.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
                try:
                    nginx.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    nginx.kill()
                    nginx.wait()
            assert server.stop() == 0, server.read_log()


def demo_accounts(server):
    """{role: (name, password, TOTP key)} as `demo` printed them at start."""
    found = re.findall(r"^  (\S+)\s+(admin|editor|caseworker|dpo)\s+password (\S+)  TOTP key "
                       r"([A-Z2-7]+)$", server.read_log(), re.M)
    return {role: (name, password, key) for name, role, password, key in found}


def sign_in(b, account, at_offset=30):
    name, password, key = account
    return b.post("/intern/anmelden", {"name": name, "password": password,
                                       "code": totp(key, time.time() + at_offset)})


def cookie_attributes(set_cookie):
    """The name and the set of attributes (lower-case names, value kept) of a Set-Cookie."""
    parts = [p.strip() for p in set_cookie.split(";")]
    name = parts[0].split("=", 1)[0]
    return name, {p.split("=", 1)[0].lower(): p.split("=", 1)[1] if "=" in p else True
                  for p in parts[1:]}


def test_staff_signs_in_edits_publishes_and_signs_out_over_https(deployment):
    front, server, _ = deployment
    b = front.client("127.0.0.3")
    r = sign_in(b, demo_accounts(server)["editor"])
    assert r.status_code == 303, r.text[:500]  # the Origin check knows the request was https
    name, attrs = cookie_attributes(r.headers["Set-Cookie"])
    assert name == "__Host-nb_session"
    assert attrs.get("secure") is True and attrs.get("httponly") is True
    assert attrs.get("samesite") == "Strict" and attrs.get("path") == "/"
    assert "domain" not in attrs  # __Host- cookies carry none
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    home = b.get("/intern/")
    assert home.status_code == 200 and home.headers["Cache-Control"] == "no-store"
    assert "<td>127.0.0.3</td>" in home.text  # the session keeps the forwarded client

    slug = "ueber-tls-" + secrets.token_hex(3)
    token = b.csrf("/intern/meldungen/neu", "/intern/meldungen/neu")
    r = b.post("/intern/meldungen/neu", {"csrf": token, "slug": slug, "lang": "de",
                                         "title": "Hinter nginx veröffentlicht",
                                         "body": "Erste Fassung.", "action": "publish"})
    assert r.status_code == 303, r.text[:500]
    edit = f"/intern/meldungen/{slug}/de"
    token = b.csrf(edit, edit)
    r = b.post(edit, {"csrf": token, "title": "Hinter nginx geändert",
                      "body": "Zweite Fassung.", "action": "publish"})
    assert r.status_code == 303, r.text[:500]
    reader = front.client("127.0.0.4")

    def shown():
        p = reader.get(f"/meldung/{slug}")
        return p if p.status_code == 200 and "Hinter nginx geändert" in p.text else None
    # Not a timing test (test_staff_notices.py holds the one-second promise on a small
    # office): the demo office renders 183 pages, up to several seconds each time under the
    # sanitizers on a loaded machine, and two publishes may each wait for one.
    page = wait_until(shown, "the edited notice on the public site", 60.0)
    assert "Zweite Fassung." in page.text

    old = b.http.cookies.get("__Host-nb_session")
    token = b.csrf("/intern/", "/intern/abmelden")
    out = b.post("/intern/abmelden", {"csrf": token})
    assert out.status_code == 303 and "hinweis=abgemeldet" in out.headers["Location"]
    replay = front.client("127.0.0.3")
    replay.http.cookies.set("__Host-nb_session", old)
    again = replay.get("/intern/")
    assert again.status_code == 303 and again.headers["Location"] == "/intern/anmelden"


def test_failed_sign_ins_from_one_address_do_not_slow_another(deployment):
    front, server, _ = deployment
    attacker = front.client("127.0.0.5")
    # Many names, each failing once, so that only the address's count grows: the server's
    # per-address throttle (not nginx's rate limit, whose 429 has no Retry-After) must answer.
    throttled = None
    for i in range(60):
        r = attacker.post("/intern/anmelden", {"name": f"niemand{i}", "password": "falsch" * 3,
                                               "code": "000000"})
        assert r.status_code in (401, 429), r.status_code
        if r.status_code == 429:
            throttled = r
            break
    assert throttled is not None, "failed sign-ins from one address were never slowed down"
    assert "Retry-After" in throttled.headers, "the 429 came from nginx, not the server"

    owner = front.client("127.0.0.6")
    r = sign_in(owner, demo_accounts(server)["admin"])
    assert r.status_code == 303, (r.status_code, r.text[:300])


def test_log_names_the_forwarded_client(deployment):
    front, server, _ = deployment
    b = front.client("127.0.0.7")
    r = b.get("/", headers={"X-Forwarded-For": "203.0.113.9"})  # a client's own claim
    assert r.status_code == 200
    log = wait_until(lambda: (lambda t: t if "client=127.0.0.7 " in t else None)(
        server.read_log()), "the request in the log", 5.0)
    lines = [line for line in log.splitlines()
             if "event=http.request" in line and "client=127.0.0.7 " in line]
    assert lines and all("peer=127.0.0.1" in line and "tls=1" in line for line in lines), lines
    assert "203.0.113.9" not in log  # nginx replaced what the client wrote


def test_600_connections_through_nginx_get_no_502(deployment):
    front, server, tmp = deployment
    log_before = len(server.read_log())
    # 600 keep-alive connections for 3 s: bounded in count and time, loopback only.
    r = subprocess.run(["wrk", "-t2", "-c600", "-d3s", "--timeout", "10s", front.url("/")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    done = re.search(r"(\d+) requests in", r.stdout)
    assert done and int(done.group(1)) >= 600, r.stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    assert non2xx is None, r.stdout
    with open(os.path.join(tmp, "access.log"), encoding="utf-8") as f:
        statuses = re.findall(r'" (\d{3}) ', f.read())
    assert "502" not in statuses and "503" not in statuses
    assert "event=http.conn_refused" not in server.read_log()[log_before:]
