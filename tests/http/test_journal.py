"""The journal on a real data directory: the binary writes it (init, export-site, journal
checkpoint), the sqlite3 command-line tool tampers with it the way an intruder with access
to the file would (dropping the append-only triggers first), and `journal verify` must name
the first entry concerned. A rewritten tail with a consistent chain passes plain verify but
not a checkpoint that was written down before."""
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import subprocess

import pytest

from helpers import init, run

ZERO = "0" * 64


def sql(data, statement):
    r = subprocess.run(["sqlite3", os.path.join(data, "notbetrieb.db"), statement],
                       capture_output=True, text=True, timeout=30)
    return r


def tamper(data, statement):
    r = sql(data, "DROP TRIGGER IF EXISTS journal_no_update;"
                  " DROP TRIGGER IF EXISTS journal_no_delete;"
                  " DROP TRIGGER IF EXISTS journal_checkpoints_no_delete;" + statement)
    assert r.returncode == 0, r.stderr


def rows(data):
    r = subprocess.run(["sqlite3", "-json", os.path.join(data, "notbetrieb.db"),
                        "SELECT * FROM journal ORDER BY seq"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout or "[]")


def entry_hash(row, prev_hex):
    """The canonical encoding of domain/journal.h, hashed with BLAKE2b-256."""
    h = hashlib.blake2b(digest_size=32)
    h.update(b"NBJ1")
    h.update(struct.pack(">Qq", row["seq"], row["at"]))
    if row["office_id"] is None:
        h.update(b"\x00")
    else:
        h.update(b"\x01" + struct.pack(">q", row["office_id"]))
    for key in ("actor", "action", "object", "summary"):
        b = row[key].encode("utf-8")
        h.update(struct.pack(">I", len(b)) + b)
    h.update(bytes.fromhex(prev_hex))
    return h.hexdigest()


def q(text):
    return "'" + str(text).replace("'", "''") + "'"


def insert_sql(row):
    office = "NULL" if row["office_id"] is None else str(row["office_id"])
    return (f"INSERT INTO journal VALUES ({row['seq']}, {row['at']}, {office}, {q(row['actor'])},"
            f" {q(row['action'])}, {q(row['object'])}, {q(row['summary'])},"
            f" {q(row['prev_hash'])}, {q(row['hash'])});")


def verify(data, *extra):
    return run("journal", "verify", "--data", data, *extra)


def checkpoint(data):
    r = run("journal", "checkpoint", "--data", data)
    assert r.returncode == 0, r.stderr
    line = r.stdout.splitlines()[0]
    assert re.fullmatch(r"nbj1-\d+-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[A-Za-z0-9_-]{86}",
                        line), line
    assert re.search(r"^key [0-9a-f]{4}(:[0-9a-f]{4}){7}$", r.stdout, re.M), r.stdout
    return line


def assert_names(r, seq):
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert re.search(rf"\bentry {seq}\b", out), out


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A data directory with eight entries: office.create (1), checkpoints at 2, 4 and 6,
    site exports at 3, 5, 7 and 8."""
    root = tmp_path_factory.mktemp("journal")
    data = str(root / "data")
    r = init(data, "testheide")
    assert r.returncode == 0, r.stderr
    cps = {}
    n = 0
    for step in ["cp", "export", "cp", "export", "cp", "export", "export"]:
        if step == "cp":
            line = checkpoint(data)
            cps[int(line.split("-")[1])] = line
        else:
            n += 1
            r = run("export-site", "--data", data, str(root / f"site{n}"))
            assert r.returncode == 0, r.stderr
    assert sorted(cps) == [2, 4, 6]
    return data, cps


@pytest.fixture
def data(base, tmp_path):
    copy = str(tmp_path / "data")
    shutil.copytree(base[0], copy)
    return copy


def test_entries_and_key_as_written(base):
    data, _ = base
    st = os.stat(os.path.join(data, "journal.key"))
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_size == 32
    rs = rows(data)
    assert [r["seq"] for r in rs] == list(range(1, 9))
    assert [r["action"] for r in rs] == ["office.create", "journal.checkpoint", "site.export",
                                         "journal.checkpoint", "site.export",
                                         "journal.checkpoint", "site.export", "site.export"]
    assert rs[0]["object"] == "office/testheide" and rs[0]["office_id"] == 1
    assert rs[1]["office_id"] is None
    assert rs[2]["object"] == "site/testheide" and rs[2]["office_id"] == 1
    assert all(r["actor"] == "cli" for r in rs)
    # the documented encoding reproduces every stored hash
    prev = ZERO
    for r in rs:
        assert r["prev_hash"] == prev
        assert entry_hash(r, prev) == r["hash"], r["seq"]
        prev = r["hash"]


def test_intact_journal_verifies(base):
    data, cps = base
    r = verify(data)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1, r.stdout
    assert "intact" in lines[0] and "8 entries" in lines[0] and "3 signed checkpoints" in lines[0]
    for line in cps.values():
        r = verify(data, "--checkpoint", line)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "matches the given checkpoint" in r.stdout


def test_help_and_bad_checkpoint_text(base):
    for command, opts in [("checkpoint", ["--data"]), ("verify", ["--data", "--checkpoint"])]:
        r = run("journal", command, "--help")
        assert r.returncode == 0
        assert r.stdout.startswith(f"usage: notbetrieb journal {command} ")
        for opt in opts:
            assert f"  {opt}" in r.stdout
    r = verify(base[0], "--checkpoint", "nbj1-6-nonsense")
    assert r.returncode == 2
    assert "--checkpoint" in r.stderr


def test_triggers_refuse_changes(data):
    assert sql(data, "UPDATE journal SET summary = 'x' WHERE seq = 3").returncode != 0
    assert sql(data, "DELETE FROM journal WHERE seq = 8").returncode != 0
    assert sql(data, "DELETE FROM journal_checkpoints").returncode != 0
    assert verify(data).returncode == 0


def test_edited_summary_is_named(data):
    tamper(data, "UPDATE journal SET summary = 'nothing happened' WHERE seq = 3;")
    assert_names(verify(data), 3)


def test_edited_time_is_named(data):
    tamper(data, "UPDATE journal SET at = at - 86400 WHERE seq = 7;")
    assert_names(verify(data), 7)


def test_deleted_row_is_named(data):
    tamper(data, "DELETE FROM journal WHERE seq = 5;")
    r = verify(data)
    assert_names(r, 5)
    assert "missing" in r.stdout


def test_forged_row_inserted_in_the_middle_is_named(data):
    rs = rows(data)
    forged = {"seq": 4, "at": rs[2]["at"], "office_id": 1, "actor": "admin",
              "action": "account.role", "object": "account/mallory",
              "summary": "role changed to admin", "prev_hash": rs[2]["hash"]}
    forged["hash"] = entry_hash(forged, forged["prev_hash"])  # even a self-consistent one
    tamper(data, "UPDATE journal SET seq = seq + 1000 WHERE seq >= 4;"
                 " UPDATE journal SET seq = seq - 999 WHERE seq >= 1004;" + insert_sql(forged))
    assert [r["seq"] for r in rows(data)] == list(range(1, 10))
    # the forged entry itself: the checkpoint signed at 4 names another hash
    assert_names(verify(data), 4)


def test_forged_row_between_checkpoints_is_named(data):
    rs = rows(data)
    forged = {"seq": 8, "at": rs[6]["at"], "office_id": 1, "actor": "admin",
              "action": "account.role", "object": "account/mallory",
              "summary": "role changed to admin", "prev_hash": rs[6]["hash"]}
    forged["hash"] = entry_hash(forged, forged["prev_hash"])
    tamper(data, "UPDATE journal SET seq = 9 WHERE seq = 8;" + insert_sql(forged))
    # the forged 8 is consistent in itself and indistinguishable from a genuine append;
    # the old 8, moved to 9, is the first entry that no longer verifies
    r = verify(data)
    assert_names(r, 9)
    assert "moved" in r.stdout


def test_forged_row_with_made_up_hash_is_named(data):
    rs = rows(data)
    forged = {"seq": 9, "at": rs[-1]["at"], "office_id": None, "actor": "system",
              "action": "journal.note", "object": "journal", "summary": "all fine",
              "prev_hash": rs[-1]["hash"], "hash": hashlib.blake2b(b"x", digest_size=32).hexdigest()}
    tamper(data, insert_sql(forged))
    assert_names(verify(data), 9)


def test_swapped_rows_are_named(data):
    tamper(data, "UPDATE journal SET seq = 1000 WHERE seq = 3;"
                 " UPDATE journal SET seq = 3 WHERE seq = 6;"
                 " UPDATE journal SET seq = 6 WHERE seq = 1000;")
    assert_names(verify(data), 3)


def test_stored_checkpoint_tampering_is_found(data):
    tamper(data, "DROP TRIGGER journal_checkpoints_no_update;"
                 " UPDATE journal_checkpoints SET signature = replace(signature, substr(signature,"
                 " 1, 1), CASE substr(signature, 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END)"
                 " WHERE seq = 4;")
    r = verify(data)
    assert_names(r, 4)
    assert "signature" in r.stdout


def rewrite_tail(data, from_seq, new_summaries):
    """Replaces the entries from from_seq on with new ones and hashes them correctly, and
    removes the stored checkpoints they would contradict: the chain is consistent again."""
    rs = [r for r in rows(data) if r["seq"] < from_seq]
    prev = rs[-1]["hash"]
    statements = [f"DELETE FROM journal WHERE seq >= {from_seq};",
                  f"DELETE FROM journal_checkpoints WHERE seq >= {from_seq};"]
    for i, summary in enumerate(new_summaries):
        row = {"seq": from_seq + i, "at": rs[-1]["at"], "office_id": 1, "actor": "cli",
               "action": "site.export", "object": "site/testheide", "summary": summary,
               "prev_hash": prev}
        row["hash"] = entry_hash(row, prev)
        prev = row["hash"]
        statements.append(insert_sql(row))
    tamper(data, "".join(statements))


def test_rewritten_tail_fails_the_written_down_checkpoint(data, base):
    cps = base[1]
    rewrite_tail(data, 5, ["public site exported as files", "nothing to see",
                           "public site exported as files", "public site exported as files"])
    plain = verify(data)
    assert plain.returncode == 0, plain.stdout  # the chain itself is consistent again
    assert "8 entries" in plain.stdout
    r = verify(data, "--checkpoint", cps[6])
    assert_names(r, 6)
    assert "no longer hash" in r.stdout
    # what was written down before the rewritten part still holds
    assert verify(data, "--checkpoint", cps[4]).returncode == 0


def test_cut_tail_fails_the_written_down_checkpoint(data, base):
    cps = base[1]
    tamper(data, "DELETE FROM journal WHERE seq >= 6; DELETE FROM journal_checkpoints"
                 " WHERE seq >= 6;")
    assert verify(data).returncode == 0
    r = verify(data, "--checkpoint", cps[6])
    assert_names(r, 6)
    assert "ends at entry 5" in r.stdout


def test_cut_tail_without_removing_checkpoints_is_found(data):
    tamper(data, "DELETE FROM journal WHERE seq >= 6;")
    r = verify(data)
    assert_names(r, 6)


def test_checkpoint_of_another_instance_is_refused(data, tmp_path):
    other = str(tmp_path / "other")
    assert init(other, "anderswo").returncode == 0
    line = checkpoint(other)
    r = verify(data, "--checkpoint", line)
    assert r.returncode == 1
    assert "not signed by this instance" in r.stdout


def test_key_readable_by_others_is_refused(data):
    key = os.path.join(data, "journal.key")
    os.chmod(key, 0o644)
    r = run("journal", "checkpoint", "--data", data)
    assert r.returncode == 1
    assert "chmod 600" in r.stderr
    r = verify(data)
    assert r.returncode == 1
    assert "chmod 600" in r.stderr
    os.chmod(key, 0o600)
    assert verify(data).returncode == 0


def test_init_keeps_an_existing_key(data):
    key = os.path.join(data, "journal.key")
    before = open(key, "rb").read()
    r = init(data, "zweitamt", name="Amt Zwei")
    assert r.returncode == 0, r.stderr
    assert open(key, "rb").read() == before
    rs = rows(data)
    assert rs[-1]["action"] == "office.create" and rs[-1]["object"] == "office/zweitamt"
    assert verify(data).returncode == 0


def test_demo_creates_the_key(tmp_path):
    from conftest import Server
    data = str(tmp_path / "demo")
    os.makedirs(data)
    server = Server(["demo"], data)
    assert server.stop() == 0, server.read_log()
    st = os.stat(os.path.join(data, "journal.key"))
    assert stat.S_IMODE(st.st_mode) == 0o600
    r = verify(data)
    assert r.returncode == 0, r.stdout + r.stderr
    line = checkpoint(data)
    assert verify(data, "--checkpoint", line).returncode == 0
