"""Limits and bad input: clear error pages in the user's language, the right status, and
the server keeps serving afterwards."""
import socket

import requests

from conftest import raw_request, status_of

BODY_MAX = 1024 * 1024      # NB_HTTP_BODY_MAX
HEADER_MAX = 8 * 1024       # NB_HTTP_HEADER_MAX
URI_MAX = 2048              # NB_HTTP_URI_MAX


def test_404_in_both_languages(demo):
    r = requests.get(demo.url("/gibt-es-nicht"))
    assert r.status_code == 404
    assert '<html lang="de"' in r.text and "Seite nicht gefunden" in r.text
    r = requests.get(demo.url("/en/does-not-exist"))
    assert r.status_code == 404
    assert '<html lang="en"' in r.text and "Page not found" in r.text
    j = requests.get(demo.url("/gibt-es-nicht"), headers={"Accept": "application/json"})
    assert j.status_code == 404
    assert j.json()["error"]["status"] == 404


def test_405_with_allow(demo):
    for method in ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]:
        r = requests.request(method, demo.url("/"))
        assert r.status_code == 405, method
        assert set(x.strip() for x in r.headers["Allow"].split(",")) == {"GET", "HEAD", "POST"}
        assert "Content-Security-Policy" in r.headers


def test_post_body_limit_both_sides(demo):
    # At the limit the body is read (a public page does not take POST: 405 or 404, not 413).
    ok = requests.post(demo.url("/"), data=b"a" * BODY_MAX)
    assert ok.status_code != 413
    over = requests.post(demo.url("/"), data=b"a" * (BODY_MAX + 1))
    assert over.status_code == 413
    assert "zu groß" in over.text


def test_chunked_body_over_limit(demo):
    def gen():
        for _ in range(BODY_MAX // 65536 + 2):
            yield b"b" * 65536
    r = requests.post(demo.url("/"), data=gen())
    assert r.status_code == 413


def test_header_limit_both_sides(demo):
    base = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    filler_len = HEADER_MAX - len(base) - len(b"X-Fill: \r\n\r\n") - 1
    ok = raw_request(demo, base + b"X-Fill: " + b"a" * filler_len + b"\r\n\r\n")
    assert status_of(ok) == 200
    over = raw_request(demo, base + b"X-Fill: " + b"a" * (filler_len + 2) + b"\r\n\r\n")
    assert status_of(over) == 431


def test_uri_limit(demo):
    ok = requests.get(demo.url("/" + "a" * (URI_MAX - 2)))
    assert ok.status_code == 404
    long = requests.get(demo.url("/" + "a" * (URI_MAX + 10)))
    assert long.status_code == 414


def test_malformed_requests_keep_server_alive(demo):
    # Each: raw bytes, and the statuses that are right for it (None: the connection is
    # closed without an answer, which libmicrohttpd does for unparseable request lines).
    cases = [
        (b"\x00\x01\x02\r\n\r\n", {None, 400}),
        (b"GET\r\n\r\n", {None, 400}),
        (b"GET / HTTP/9.9\r\n\r\n", {505}),
        (b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
        (b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
        (b"GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
        (b"GET /%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
        (b"GET /%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ]
    for junk, allowed in cases:
        answer = raw_request(demo, junk, timeout=3)
        assert status_of(answer) in allowed, (junk, answer[:100])
        if status_of(answer) == 400:
            assert b"Content-Security-Policy" in answer  # our own error page
            assert "Fehlerhafte Anfrage".encode() in answer
    assert requests.get(demo.url("/")).status_code == 200


def test_path_traversal_never_reads_files(demo):
    for path in ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static//etc/passwd"]:
        r = requests.get(demo.url(path))
        assert r.status_code in (400, 404)
        assert "root:" not in r.text


def test_slow_connection_does_not_block_others(demo):
    s = socket.create_connection(("127.0.0.1", demo.port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finished
    try:
        assert requests.get(demo.url("/"), timeout=5).status_code == 200
    finally:
        s.close()
