"""tools/deps.sh installs only what is asked for: `run` (make build, make run) the build and
run packages, `check` (make check) those plus the test, fuzzing and benchmark packages and
the npm packages. Run against stand-ins for dpkg-query (nothing installed), apt-get and npm
that record what they were asked to do, so nothing is installed for real."""
import os
import subprocess

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
TEST_ONLY = ["chromium", "nginx-light", "clang", "libclang-rt-14-dev", "wrk", "libcmocka-dev",
             "python3-pytest", "python3-requests", "npm", "nodejs"]
RUN = ["gcc", "meson", "ninja-build", "gettext", "libmicrohttpd-dev", "libsqlite3-dev",
       "libsodium-dev", "libjansson-dev", "libcmark-dev", "liboath-dev", "zlib1g-dev",
       "libbrotli-dev"]


def deps(tmp_path, *args):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    record = tmp_path / "record"
    for name, body in {"dpkg-query": "exit 1",
                       "apt-get": f'echo "apt-get $*" >> {record}',
                       "sudo": '"$@"',
                       "npm": f'echo "npm $*" >> {record}'}.items():
        path = bin_dir / name
        path.write_text("#!/bin/sh\n" + body + "\n")
        path.chmod(0o755)
    work = tmp_path / "tree"
    work.mkdir(exist_ok=True)
    (work / "package-lock.json").write_text("{}")
    # PATH keeps the system's tools (sh, grep, id) but finds the stand-ins first.
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    r = subprocess.run(["sh", os.path.abspath(os.path.join(ROOT, "tools", "deps.sh")), *args],
                       cwd=work, env=env, capture_output=True, text=True)
    return r, record.read_text().split("\n") if record.exists() else []


def installed(lines):
    words = set()
    for line in lines:
        if line.startswith("apt-get") and " install " in line:
            words |= set(line.split())
    return words


def test_run_set_has_no_test_packages(tmp_path):
    r, lines = deps(tmp_path, "run")
    assert r.returncode == 0, r.stderr
    got = installed(lines)
    for p in RUN:
        assert p in got, p
    for p in TEST_ONLY:
        assert p not in got, p
    assert not any(line.startswith("npm") for line in lines)


def test_check_set_adds_the_test_packages_and_npm(tmp_path):
    r, lines = deps(tmp_path, "check")
    assert r.returncode == 0, r.stderr
    got = installed(lines)
    for p in RUN + ["chromium", "nginx-light", "clang", "wrk", "libcmocka-dev", "python3-pytest"]:
        assert p in got, p
    assert any(line.startswith("npm ci") for line in lines)


@pytest.mark.parametrize("args", [[], ["all"], ["run", "check"]])
def test_needs_one_known_set(tmp_path, args):
    r, lines = deps(tmp_path, *args)
    assert r.returncode == 2 and "usage: tools/deps.sh run|check" in r.stderr
    assert lines == []
