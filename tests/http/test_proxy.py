"""The server behind a proxy, spoken to directly (the deployment test goes through nginx):
X-Forwarded-For and X-Forwarded-Proto are believed from a trusted proxy (127.0.0.1, the
default of --trusted-proxy) and ignored from any other peer (here 127.0.0.2), as the
sessions list of the back office and the cookie show."""
import time

import requests

from helpers import SourceAddress
from staff_fixture import PASSWORD, set_up, staff_office, totp

import pytest


@pytest.fixture(scope="module")
def office():
    # One account per sign-in: a TOTP code is taken only once.
    names = ("erik", "frida", "gerd")
    with staff_office("nb-proxy-", roles={n: "editor" for n in names}, signed_in=[]) as o:
        yield o.server, {n: set_up(o.server, o.links[n])[0] for n in names}


def browser(source, headers):
    s = requests.Session()
    s.trust_env = False
    s.mount("http://", SourceAddress(source))
    s.headers.update(headers)
    return s


def sign_in(server, secrets, name, source, headers, origin):
    s = browser(source, headers)
    r = s.post(server.url("/intern/anmelden"), allow_redirects=False,
               headers={"Origin": origin},
               data={"name": name, "password": PASSWORD,
                     "code": totp(secrets[name], time.time() + 30)})
    return s, r


def test_trusted_proxy_names_the_client_and_https(office):
    server, secrets = office
    origin = "https://" + server.base.split("://", 1)[1]
    s, r = sign_in(server, secrets, "erik", "127.0.0.1",
                   {"X-Forwarded-For": "198.51.100.1, 192.0.2.44", "X-Forwarded-Proto": "https"},
                   origin)
    assert r.status_code == 303, r.text[:300]
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("__Host-nb_session=") and "; Secure" in cookie
    # requests keeps Secure cookies for https only: send it by hand, as nginx would pass it.
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    home = s.get(server.url("/intern/"), cookies={"__Host-nb_session": value},
                 allow_redirects=False)
    assert home.status_code == 200
    assert "<td>192.0.2.44</td>" in home.text  # the right-most forwarded address
    assert "198.51.100.1" not in home.text


def test_other_peers_cannot_claim_an_address_or_https(office):
    server, secrets = office
    forged = {"X-Forwarded-For": "192.0.2.55", "X-Forwarded-Proto": "https"}
    # Claiming https from a peer that is no trusted proxy: the https Origin does not match
    # the plain-HTTP request it really is.
    origin = "https://" + server.base.split("://", 1)[1]
    _, r = sign_in(server, secrets, "frida", "127.0.0.2", forged, origin)
    assert r.status_code == 403
    s, r = sign_in(server, secrets, "gerd", "127.0.0.2", forged, server.base)
    assert r.status_code == 303, r.text[:300]
    assert r.headers["Set-Cookie"].startswith("nb_session=")
    home = s.get(server.url("/intern/"), allow_redirects=False)
    assert home.status_code == 200
    assert "<td>127.0.0.2</td>" in home.text  # the peer itself
    assert "192.0.2.55" not in home.text
