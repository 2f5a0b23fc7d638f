"""Every refused file is audited (AUD-1, issue 20): an import where a file is refused (empty, binary,
unknown layout, missing, no owner) writes one "import-refused" row naming the import and each file's
SHA-256, also when nothing at all was imported; never the file's name or the reason's text."""

from __future__ import annotations

import hashlib
import json

import pytest

from graphapp import service
from graphapp.errors import InputError
from graphapp.store.sqlite.store import open_sqlite
from tests.cli import run

DANA = "dana@example.com"
EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def refusals(store) -> list:
    return store.audit_log(action="import-refused")


def raw_audit(db) -> str:
    with open_sqlite(db) as store:
        return json.dumps([e.as_dict() for e in store.audit_log(limit=1000)])


def test_graphapp_import_of_an_empty_file_alone_writes_an_audit_row(tmp_path):
    db, empty = tmp_path / "g.db", tmp_path / "Whitfield private contacts.csv"
    empty.write_bytes(b"")
    done = run("--db", str(db), "import", str(empty), "--owner", DANA, env={"GRAPHAPP_ACTOR": "ops"})
    assert "the file is empty" in done.stdout + done.stderr
    with open_sqlite(db) as store:
        [row] = refusals(store)
        assert row.objects[1:] == (f"sha256:{EMPTY_SHA}",) and row.counts == {"files": 1} and row.actor == "ops"
        assert store.counts().imports == 0 and store.audit_log(action="import") == []
    assert "Whitfield" not in raw_audit(db) and "empty" not in raw_audit(db)


def test_refused_files_beside_an_imported_one_get_one_row_and_the_import_its_own(tmp_path):
    good = tmp_path / "contacts.csv"
    good.write_text("Name,Email\nAnn Lee,ann@example.com\n")
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    unknown = tmp_path / "odd.csv"
    unknown.write_text("Colour,Shade\nred,blue\n")
    with open_sqlite(tmp_path / "g.db") as store:
        report = service.import_files(store, [good, png, unknown, tmp_path / "missing.csv"], owner=DANA,
                                      actor="rep:p-dana")
        assert report.committed and sum(not f.committed for f in report.files) == 3
        [row] = refusals(store)
        assert row.actor == "rep:p-dana" and row.counts == {"files": 3}
        digests = {f"sha256:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in (png, unknown)}
        assert set(row.objects[1:]) == digests  # the missing file has no bytes to name
        [imported] = store.audit_log(action="import")
        assert imported.objects[0] == row.objects[0] == report.import_id  # the same import


def test_a_file_whose_owner_is_unknown_is_refused_and_audited(tmp_path):
    connections = tmp_path / "Connections.csv"
    connections.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                           "Ann,Lee,,ann@example.com,Initech,CTO,08 Jan 2024\n")
    with open_sqlite(tmp_path / "g.db") as store:
        report = service.import_files(store, [connections])
        assert not report.committed
        [row] = refusals(store)
        assert row.objects[1:] == (f"sha256:{hashlib.sha256(connections.read_bytes()).hexdigest()}",)


def test_with_strict_the_first_refusal_is_raised_and_audited(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with open_sqlite(tmp_path / "g.db") as store:
        with pytest.raises(InputError, match="the file is empty"):
            service.import_files(store, [empty], owner=DANA, strict=True)
        [row] = refusals(store)
        assert row.objects[1:] == (f"sha256:{EMPTY_SHA}",) and row.counts == {"files": 1}


def test_an_upload_refused_in_the_browser_flow_is_audited(tmp_path):
    with open_sqlite(tmp_path / "g.db") as store:
        report = service.import_uploads(store, [("empty.csv", b"")], owner=DANA)
        assert not report.committed
        [row] = refusals(store)
        assert row.objects[1:] == (f"sha256:{EMPTY_SHA}",)
