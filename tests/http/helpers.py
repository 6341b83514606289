"""Helpers for the black-box tests that run the notbetrieb binary as a command."""
import re
import subprocess

from requests.adapters import HTTPAdapter

from conftest import BINARY

PAGES = ["/", "/presse", "/leistungen", "/kontakt", "/vorsicht-betrug",
         "/impressum", "/datenschutz", "/barrierefreiheit"]


def run(*args, timeout=60, cwd=None):
    """Runs the binary with args and returns the CompletedProcess (text output)."""
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd)


def init(data, slug, name="Amt Testheide", land=None):
    args = ["init", "--data", data, "--office", slug, "--name", name]
    if land:
        args += ["--land", land]
    return run(*args)


def english(path):
    return "/en" + path if path != "/" else "/en/"


def links(html):
    """Every href, src and action attribute of an HTML page."""
    return re.findall(r'\s(?:href|src|action)="([^"]*)"', html)


class SourceAddress(HTTPAdapter):
    """A requests adapter that connects from the given local address (127.0.0.x), as a
    client on another machine would: mount it on a Session for "http://" or "https://"."""

    def __init__(self, source):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)
