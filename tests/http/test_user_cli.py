"""The account commands: `user add` and `user reset` print a one-time setup link, refuse
unknown roles, offices and names with clear messages, and an instance has no default
accounts. Every command runs the real binary; the database is only read, to check what was
stored (and that the token is kept as a hash only)."""
import os
import re
import sqlite3
import tempfile

import pytest

from helpers import init, run

LINK = re.compile(r"^  (/[a-z0-9-]+)?/intern/einrichten/([A-Za-z0-9_-]{43})$", re.M)


@pytest.fixture
def data():
    with tempfile.TemporaryDirectory(prefix="nb-user-") as d:
        assert init(d, "moorwiesen", name="Amt Moorwiesen").returncode == 0
        yield d


def db_rows(data, sql, *args):
    con = sqlite3.connect(os.path.join(data, "notbetrieb.db"))
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def link_of(r):
    m = LINK.search(r.stdout)
    assert m, r.stdout
    return m.group(1) or "", m.group(2)


def test_help_lists_user_commands():
    r = run("--help")
    assert r.returncode == 0
    assert "\n  user add " in r.stdout
    assert "\n  user reset " in r.stdout


def test_no_default_accounts_after_init(data):
    assert db_rows(data, "SELECT count(*) FROM accounts") == [(0,)]
    for name in ["admin", "root", "administrator"]:
        r = run("user", "reset", "--data", data, name)
        assert r.returncode == 1, r.stderr
        assert f"no office has an account '{name}'" in r.stderr


def test_user_add_prints_a_one_time_link(data):
    r = run("user", "add", "--data", data, "--office", "moorwiesen", "--role", "editor",
            "M.Mueller")
    assert r.returncode == 0, r.stderr
    assert "Created the account 'm.mueller' (editor) of office 'moorwiesen'." in r.stdout
    assert "valid for 24 hours" in r.stdout
    assert "address of this server in front of it" in r.stdout
    prefix, token = link_of(r)
    assert prefix == ""
    rows = db_rows(data, "SELECT name, role, state, password_hash FROM accounts")
    assert rows == [("m.mueller", "editor", "setup", None)]
    # The token is stored only as a hash, nowhere in clear.
    hashes = db_rows(data, "SELECT token_hash FROM account_setup_links")
    assert len(hashes) == 1 and len(hashes[0][0]) == 64 and token not in hashes[0][0]
    for suffix in ["", "-wal"]:
        path = os.path.join(data, "notbetrieb.db" + suffix)
        if os.path.exists(path):
            with open(path, "rb") as f:
                assert token.encode() not in f.read()
    # Without --office on an instance of one office, the office is that one.
    r = run("user", "add", "--data", data, "--role", "dpo", "k.schmidt")
    assert r.returncode == 0, r.stderr
    assert link_of(r)[1] != token


def test_user_add_unknown_role_exits_2(data):
    r = run("user", "add", "--data", data, "--office", "moorwiesen", "--role", "boss", "x")
    assert r.returncode == 2
    assert "unknown role 'boss'" in r.stderr
    assert "admin, editor, caseworker or dpo" in r.stderr
    assert r.stdout == ""
    r = run("user", "add", "--data", data, "--office", "moorwiesen", "x")
    assert r.returncode == 2
    assert "--role is needed" in r.stderr
    assert db_rows(data, "SELECT count(*) FROM accounts") == [(0,)]


def test_user_add_unknown_office_exits_1(data):
    r = run("user", "add", "--data", data, "--office", "nirgendwo", "--role", "admin", "x")
    assert r.returncode == 1
    assert "there is no office 'nirgendwo' (offices: moorwiesen)" in r.stderr
    assert r.stdout == ""


def test_user_add_refuses_bad_and_taken_names(data):
    r = run("user", "add", "--data", data, "--role", "admin", "-x")
    assert r.returncode == 2
    r = run("user", "add", "--data", data, "--role", "admin", "a b")
    assert r.returncode == 2
    assert "is not a login name" in r.stderr
    r = run("user", "add", "--data", data, "--role", "admin", "n" * 65)
    assert r.returncode == 2
    assert run("user", "add", "--data", data, "--role", "admin", "n" * 64).returncode == 0
    assert run("user", "add", "--data", data, "--role", "admin", "chef").returncode == 0
    r = run("user", "add", "--data", data, "--role", "editor", "Chef")
    assert r.returncode == 1
    assert "already has an account 'Chef'" in r.stderr
    assert "user reset" in r.stderr


def test_user_add_with_no_data_directory_exits_1():
    with tempfile.TemporaryDirectory() as d:
        r = run("user", "add", "--data", os.path.join(d, "missing"), "--role", "admin", "x")
        assert r.returncode == 1
        assert "there is no data directory" in r.stderr


def test_user_reset_gives_a_new_link_and_locks_the_account(data):
    r = run("user", "add", "--data", data, "--role", "caseworker", "p.paulsen")
    assert r.returncode == 0, r.stderr
    _, first = link_of(r)
    r = run("user", "reset", "--data", data, "p.paulsen")
    assert r.returncode == 0, r.stderr
    assert "cannot log in until the new setup is completed" in r.stdout
    _, second = link_of(r)
    assert second != first
    assert db_rows(data, "SELECT state FROM accounts WHERE name = 'p.paulsen'") == [("setup",)]
    # One link per account: the first one is gone.
    assert db_rows(data, "SELECT count(*) FROM account_setup_links") == [(1,)]
    r = run("user", "reset", "--data", data, "--office", "moorwiesen", "P.Paulsen")
    assert r.returncode == 0, r.stderr
    r = run("user", "reset", "--data", data, "--office", "moorwiesen", "niemand")
    assert r.returncode == 1
    assert "has no account 'niemand'" in r.stderr
    r = run("user", "reset", "--data", data, "--office", "nirgendwo", "p.paulsen")
    assert r.returncode == 1
    assert "there is no office 'nirgendwo'" in r.stderr


def test_several_offices(data):
    assert init(data, "heidekrug", name="Amt Heidekrug").returncode == 0
    r = run("user", "add", "--data", data, "--role", "admin", "a.admin")
    assert r.returncode == 2
    assert "--office SLUG" in r.stderr and "heidekrug, moorwiesen" in r.stderr
    for office in ["moorwiesen", "heidekrug"]:
        r = run("user", "add", "--data", data, "--office", office, "--role", "admin", "a.admin")
        assert r.returncode == 0, r.stderr
        prefix, _ = link_of(r)
        # The first office is served at the root, the others under their slug.
        assert prefix == ("" if office == "moorwiesen" else "/heidekrug")
    r = run("user", "reset", "--data", data, "a.admin")
    assert r.returncode == 2
    assert "several offices have an account 'a.admin'" in r.stderr
    assert "--office SLUG" in r.stderr
    r = run("user", "reset", "--data", data, "--office", "heidekrug", "a.admin")
    assert r.returncode == 0, r.stderr
    assert "of office 'heidekrug'" in r.stdout
    # Names that only one office has are found without --office.
    assert run("user", "add", "--data", data, "--office", "heidekrug", "--role", "dpo",
               "d.dpo").returncode == 0
    r = run("user", "reset", "--data", data, "d.dpo")
    assert r.returncode == 0, r.stderr
    assert "of office 'heidekrug'" in r.stdout
