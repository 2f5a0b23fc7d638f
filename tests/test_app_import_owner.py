"""The right owner (issue 23, item 2): an uploaded archive names its owner in its own files (Profile.csv,
Email Addresses.csv); the Import page asks before importing it as someone else's, and the history, the audit
log and the command line name the rep who ran the import (never the server's OS user). AppTest on a real
SQLite file; the fixture archive is Theo Marchbanks's (tests/fixtures/samples/README.md)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.ingest.helpers import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
ZIP = "Basic_LinkedInDataExport_09-16-2025.zip"
ARCHIVE = (SAMPLES / ZIP).read_bytes()
DANA, THEO, ADA = "dana.whitfield@example.com", "theo.marchbanks@tidewell.example.com", "ada@example.com"
PROFILE = (SAMPLES / "linkedin" / "Profile.csv").read_bytes()
EMAILS = b"Email Address,Confirmed,Primary,Updated On\ntheo.m@example.net,Yes,Yes,2020-01-01\n"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """Dana (rep) and Ada (admin); Theo joins in the tests that need him."""
    path = tmp_path / "app.db"
    with open_sqlite(path) as store:
        service.add_rep(store, name="Dana Whitfield", email=DANA)
        service.add_rep(store, name="Ada Admin", email=ADA, role="admin")
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def add_theo(db: Path) -> None:
    with open_sqlite(db) as store:
        service.add_rep(store, name="Theo Marchbanks", email=THEO)


def import_page(who: str, *files: tuple[str, bytes]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["you"] = who
    at.run()
    at.switch_page("app_pages/import_data.py").run()
    at.file_uploader(key="import_files").set_value([(n, d, "application/octet-stream") for n, d in files]).run()
    assert not at.exception, at.exception
    return at


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button}


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def imports(db: Path) -> list:
    """(e-mail of the rep who ran it, record) of every import."""
    with open_sqlite(db, create=False) as store:
        reps = {f"rep:{r.person_id}": r.email for r in store.list_reps()}
        return [(reps.get(r.actor, r.actor), r) for r in store.list_imports()]


def test_the_archive_names_its_owner_from_its_own_files():
    found = service.archive_owner([(ZIP, ARCHIVE)])
    assert (found.file, found.name, found.emails) == (ZIP, "Theo Marchbanks", ())
    # Uploaded as loose files, with the addresses of Email Addresses.csv.
    found = service.archive_owner([("notes.csv", b"Name\nNobody\n"), ("Profile.csv", PROFILE),
                                   ("Email Addresses.csv", EMAILS)])
    assert (found.name, found.emails) == ("Theo Marchbanks", ("theo.m@example.net",))
    assert service.archive_owner([("contacts.vcf", (SAMPLES / "contacts.vcf").read_bytes())]) is None
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Profile.csv", b"\x00\x01 not a profile")  # unreadable: names nobody, the import says why
    assert service.archive_owner([("broken.zip", archive.getvalue())]) is None


def test_a_rep_is_asked_before_importing_another_reps_archive_and_may_only_import_it_as_their_own(db):
    add_theo(db)
    at = import_page(DANA, (ZIP, ARCHIVE))
    assert ("This looks like Theo Marchbanks's archive (Basic_LinkedInDataExport_09-16-2025.zip names them), "
            "not Dana Whitfield's. Import it as Theo's?") in texts(at.warning)
    assert "import_run" not in keys(at)  # no plain Import button while the question is open
    assert "import_as_detected" not in keys(at)  # a rep imports only their own data
    assert "Only Theo Marchbanks or an admin can import it as theirs." in texts(at.caption)
    assert at.button(key="import_as_chosen").label == "Import as Dana's anyway"

    at.button(key="import_cancel").click().run()
    assert "Cancelled: nothing was imported." in texts(at.info)
    assert not {"import_as_chosen", "import_cancel", "import_run"} & keys(at)
    assert imports(db) == []

    at = import_page(DANA, (ZIP, ARCHIVE))
    at.button(key="import_as_chosen").click().run()
    assert not at.exception
    [(by, record)] = imports(db)
    assert by == DANA and record.status.value == "committed"
    history = next(d.value for d in at.dataframe if "By" in d.value.columns)
    assert list(history["By"]) == ["Dana Whitfield"]  # the rep who ran it, never the OS user
    assert "This looks like" not in texts(at.warning)  # answered: not asked again for these files


def test_an_admin_imports_it_as_the_rep_it_names_and_is_named_as_the_one_who_ran_it(db):
    add_theo(db)
    at = import_page(ADA, (ZIP, ARCHIVE))
    at.selectbox(key="import_owner").set_value(DANA).run()
    assert "not Dana Whitfield's. Import it as Theo's?" in texts(at.warning)
    at.button(key="import_as_detected").click().run()
    assert not at.exception
    [(by, record)] = imports(db)
    assert by == ADA
    with open_sqlite(db, create=False) as store:
        theo = next(r for r in store.list_reps() if r.email == THEO)
        assert {r.owner for r in store.relationships_of(theo.person_id)} >= {THEO}  # Theo's data, not Dana's
        dana = next(r for r in store.list_reps() if r.email == DANA)
        assert not [r for r in store.relationships_of(dana.person_id) if r.owner == DANA]
        ada = next(r for r in store.list_reps() if r.email == ADA)
        assert [e.actor for e in store.audit_log(action="import")] == [f"rep:{ada.person_id}"]
    history = next(d.value for d in at.dataframe if "By" in d.value.columns)
    assert list(history["By"]) == ["Ada Admin"]
    at.switch_page("app_pages/audit.py").run()
    audit = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert set(audit[audit["Action"] == "import"]["Who"]) == {"Ada Admin (rep)"}


def test_someone_not_on_the_team_is_asked_about_too(db):
    at = import_page(DANA, (ZIP, ARCHIVE))
    assert ("This looks like Theo Marchbanks's archive (Basic_LinkedInDataExport_09-16-2025.zip names them), and "
            "Theo Marchbanks is not on the team. Import it as Dana Whitfield's anyway?") in texts(at.warning)
    assert "import_as_new" not in keys(at)  # no address in the archive to add him with (and Dana may not)

    # An admin, with the owner's address in the upload, may bring them in as a new rep.
    at = import_page(ADA, ("Profile.csv", PROFILE), ("Email Addresses.csv", EMAILS))
    at.selectbox(key="import_owner").set_value(DANA).run()
    assert "Theo Marchbanks is not on the team" in texts(at.warning)
    at.button(key="import_as_new").click().run()
    assert not at.exception
    with open_sqlite(db, create=False) as store:
        assert {r.email: r.name for r in store.list_reps()}["theo.m@example.net"] == "Theo Marchbanks"


def test_the_owners_own_archive_and_a_team_import_are_not_asked_about(db):
    add_theo(db)
    at = import_page(THEO, (ZIP, ARCHIVE))
    assert at.selectbox(key="import_owner").value == THEO
    assert "This looks like" not in texts(at.warning) and "import_run" in keys(at)
    with open_sqlite(db, create=False) as store:
        assert service.owner_question(store, [(ZIP, ARCHIVE)], None) is None  # the files name their reps
        question = service.owner_question(store, [(ZIP, ARCHIVE)], DANA)
        assert (question.rep.email, question.chosen.email, question.owner.name) == (THEO, DANA, "Theo Marchbanks")
        # A new rep and Theo's archive: asked; an archive of nobody on the team: a name alone cannot tell
        # them from the new rep, so not asked.
        assert service.owner_question(store, [("Profile.csv", PROFILE)], "new.rep@example.com").rep.email == THEO
        nora = PROFILE.replace(b"Theo,Marchbanks", b"Nora,Quillfeather")
        assert service.owner_question(store, [("Profile.csv", nora)], "new.rep@example.com") is None
