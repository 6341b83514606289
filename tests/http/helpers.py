"""Helpers for the black-box tests that run the notbetrieb binary as a command."""
import re
import subprocess

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
