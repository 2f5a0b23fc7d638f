"""Several files parsed at once, by helper processes (``ingest.parallel``), give exactly what parsing
them one after the other gives, and an import of them the same graph and report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from benchmarks.import_speed import OWNER, write_files
from graphapp import service
from graphapp.errors import InputError
from graphapp.store.sqlite.store import open_sqlite
from ingest import ParsedSource, parallel
from ingest.files import Limits, Source
from tests.ingest.helpers import SAMPLES


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """A rep's export large enough to spool: 21,000 connections (two blocks on disk) and 30,000 messages,
    a HubSpot export, and a file that is refused."""
    folder = tmp_path_factory.mktemp("export")
    files = write_files(folder, 21_000, 30_000)
    shutil.copy(SAMPLES / "hubspot_contacts.csv", folder / "hubspot_contacts.csv")
    (folder / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return [*files, folder / "hubspot_contacts.csv", folder / "photo.csv"]


@pytest.fixture
def helpers(monkeypatch):
    """Helpers for any size, on a machine of two cores or more (CI's may have one)."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)


def _what(result):
    if isinstance(result, InputError):
        return str(result)
    return [(f.name, f.format, f.sha256, f.rows_read, f.issues, list(f.contacts), list(f.ties), list(f.positions),
             f.companies, f.employers_as_of, f.owner) for f in result.files]


def test_files_parsed_by_helpers_are_those_parsed_one_after_the_other(exports):
    items = [*exports, Source("upload.csv", data=(SAMPLES / "google_contacts.csv").read_bytes())]
    mappings = [None] * len(items)
    alone = dict(parallel.parse_sources(items, Limits(), mappings, cores=1))
    together = dict(parallel.parse_sources(items, Limits(), mappings, cores=2))
    assert sorted(together) == sorted(alone) == list(range(len(items)))
    assert [_what(together[n]) for n in range(len(items))] == [_what(alone[n]) for n in range(len(items))]
    connections = together[0].files[0]
    assert isinstance(together[0], ParsedSource) and connections.rows_read == 21_000
    assert connections.contacts._file is not None  # its records came back as the helper's file on disk
    hubspot = 2  # 12 rows, held in memory when parsed here; a helper writes them before sending the file back
    assert alone[hubspot].files[0].contacts._file is None and together[hubspot].files[0].contacts._file is not None
    assert "PNG" in str(together[3]) and isinstance(together[3], InputError)


@pytest.mark.parametrize("helper", ["/nonexistent/python", "/bin/true"], ids=["cannot-start", "stops-at-once"])
def test_files_a_helper_did_not_parse_are_parsed_here(exports, monkeypatch, helper):
    items = exports[:3]
    alone = dict(parallel.parse_sources(items, Limits(), [None] * 3, cores=1))
    monkeypatch.setattr(sys, "executable", helper)
    together = dict(parallel.parse_sources(items, Limits(), [None] * 3, cores=2))
    assert [_what(together[n]) for n in range(3)] == [_what(alone[n]) for n in range(3)]


def test_helpers_start_only_where_they_pay(exports, monkeypatch):
    sizes = [p.stat().st_size for p in exports]
    assert parallel._helpers(sizes, cores=1) == 0
    assert parallel._helpers(sizes[:1], cores=4) == 0
    assert parallel._helpers(sizes, cores=2) == 1 and parallel._helpers(sizes, cores=8) == 3
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 10 * 2**20)  # the files beyond the largest are smaller
    assert parallel._helpers(sizes, cores=8) == 0


def test_the_members_of_an_archive_are_parsed_by_helpers_too(exports, tmp_path, helpers):
    """A LinkedIn archive: its Connections.csv and messages.csv are read at once, and the archive gives
    what it gives read one member after the other (files, ignored members, in member order)."""
    archive = tmp_path / "Basic_LinkedInDataExport_12-03-2026.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(exports[0], "Connections.csv")
        z.writestr("Rich_Media.txt", "not a CSV")
        z.write(exports[1], "messages.csv")
        z.writestr("Ads_Clicked.csv", "Ad clicked Date,Ad Title/Id\n")
    items = [archive, SAMPLES / "Basic_LinkedInDataExport_09-16-2025.zip", exports[3]]
    alone = dict(parallel.parse_sources(items, Limits(), [None] * 3, cores=1))
    together = dict(parallel.parse_sources(items, Limits(), [None] * 3, cores=2))
    for n in range(3):
        assert _what(together[n]) == _what(alone[n])
        if n < 2:
            assert together[n].ignored == alone[n].ignored
    assert [f.name for f in together[0].files] == [f"{archive.name}/Connections.csv", f"{archive.name}/messages.csv"]
    # The smaller member came back from a helper: the 1,000 records past its spool's first block were
    # written to the file before it was sent; read here, they are still in memory.
    assert len(alone[0].files[0].contacts._tail) == 1_000 and together[0].files[0].contacts._tail == []
    assert [why.split(":")[0] for why in together[0].ignored] == ["Rich_Media.txt", "Ads_Clicked.csv"]


def test_an_import_of_files_parsed_by_helpers_is_the_same_import(exports, tmp_path, helpers, monkeypatch):
    reports, digests = [], []
    for name, cores in (("alone", 1), ("together", 2)):
        monkeypatch.setattr(parallel, "_cores", lambda cores=cores: cores)
        steps = []
        store = open_sqlite(tmp_path / f"{name}.db")
        report = service.import_files(store, exports, owner=OWNER, progress=steps.append)
        reports.append([(f.path, f.format, f.rows_read, f.rows_accepted, f.errors) for f in report.files])
        digests.append((store.digest(), report.people_added, report.relationships_added))
        store.close()
        assert str(steps[0]) == "Reading Connections.csv and 3 more"
        assert sorted(str(s) for s in steps if str(s).startswith(("Read ", "Refused "))) == [
            "Read Connections.csv: 21,000 rows (linkedin-connections)",
            "Read hubspot_contacts.csv: 12 rows (hubspot-contacts)",
            "Read messages.csv: 30,000 rows (linkedin-messages)",
            "Refused photo.csv: photo.csv is a PNG image, not a text/CSV file.",
        ]
    assert reports[0] == reports[1] and digests[0] == digests[1]
    assert [Path(path).name for path, *_ in reports[0]] == [p.name for p in exports]  # in the order given, not as finished
    assert digests[0][1] > 21_000


def test_strict_refuses_for_the_first_refused_file_in_the_order_given(exports, tmp_path, helpers):
    store = open_sqlite(tmp_path / "g.db")
    with pytest.raises(InputError, match="photo.csv is a PNG image"):
        service.import_files(store, [exports[3], *exports[:3]], owner=OWNER, strict=True)
    assert store.counts().people == 0
    store.close()


def test_a_script_without_a_main_guard_runs_once(exports, tmp_path):
    """Helpers do not import the program that started them (``multiprocessing`` would: a team's cron
    script without ``if __name__ == "__main__"`` would run again in each helper)."""
    script = tmp_path / "nightly.py"
    runs = tmp_path / "runs.txt"
    script.write_text(f"""
from pathlib import Path
from ingest import parallel
from ingest.files import Limits
with open({str(runs)!r}, "a") as out:
    out.write("run\\n")
files = [Path(p) for p in {[str(p) for p in exports[:2]]!r}]
results = dict(parallel.parse_sources(files, Limits(), [None, None], cores=2))
print(sorted(f.rows_read for r in results.values() for f in r.files))
""")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(parallel.__file__).parents[1])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[21000, 30000]"
    assert runs.read_text() == "run\n"
