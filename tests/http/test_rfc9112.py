"""RFC 9112 refusals that libmicrohttpd 0.9.75 does not make itself: each of these header
blocks is answered 400 and the connection closed, so that a request smuggled behind it is
never read; the same headers sent once (the positive control) are served."""
import pytest

from conftest import raw_exchange, status_of

BAD = {
    "content-length and transfer-encoding":
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\n",
    "two different content-lengths":
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
    "two equal content-lengths":
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
    "content-length list":
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 5\r\n\r\nabcde",
    "two hosts": b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
    "bare cr between fields": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rX-B: b\r\n\r\n",
    "bare cr in a value": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
    "bare cr in a name": b"GET / HTTP/1.1\r\nHost: x\r\nX\rA: a\r\n\r\n",
    "folded with a space": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n",
    "folded with a tab": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n",
    "folded host": b"GET / HTTP/1.1\r\nHost: x\r\n y\r\n\r\n",
}

GOOD = {
    "content-length once": b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
    "transfer-encoding once":
        b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    "one host, plain fields": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\nX-B:  b c\t\r\n\r\n",
    "empty value": b"GET / HTTP/1.1\r\nHost: x\r\nX-A:\r\n\r\n",
}

# A second request behind the first: served only if the first one's framing was believed.
SMUGGLED = b"GET /en/ HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("case", sorted(BAD))
def test_refused_with_400_and_closed(demo, case):
    raw, closed = raw_exchange(demo, BAD[case] + SMUGGLED)
    assert status_of(raw) == 400, raw[:200]
    assert closed, "the connection stayed open"
    # (libmicrohttpd's own 400 pages, for the list and the folded Host, repeat their status
    # line when more data follows; that is no second answer.)
    assert b"HTTP/1.1 200 " not in raw, "a request behind it was answered"


@pytest.mark.parametrize("case", sorted(GOOD))
def test_same_headers_once_are_served(demo, case):
    raw, closed = raw_exchange(demo, GOOD[case] + SMUGGLED, timeout=2)
    assert status_of(raw) == 200, raw[:200]
    assert not closed
    assert raw.count(b"HTTP/1.1 200 ") == 2, "keep-alive: the next request is served too"
