"""Who is who, where resolution needs a key's text and not only its number: equally strong first keys,
and one person of several records who links two people the graph already holds."""

from __future__ import annotations

from graphapp import service
from graphapp.domain.identity import stable_id

OWNER = "dana@example.com"
HEADER = b"Name,Email,Company\n"


def test_a_new_person_of_several_records_takes_the_id_of_their_smallest_strongest_key(tmp_path):
    """Two records joined by name at the same company, each with its own e-mail: the id is made of the
    e-mail that sorts first, whichever file comes first."""
    a = ("a.csv", HEADER + b"Jo Ann Vale,zed@vale.example.com,Acme Corp\n")
    b = ("b.csv", HEADER + b"Jo Ann Vale,amy@vale.example.com,Acme Corp\n")
    for n, files in enumerate(([a, b], [b, a])):
        with service.open_graph(str(tmp_path / f"g{n}.db")) as store:
            report = service.import_uploads(store, files, owner=OWNER)
            assert report.people_added == 2 and report.people_merged == 1  # Jo Ann and the rep
            [jo] = service.search_people(store, "Jo Ann")
            assert jo.id == stable_id("p", "email:amy@vale.example.com")
            assert [m[2] for m in report.merges] == ["same name at the same organisation"]  # the rule that joined them


def test_records_that_link_two_known_people_make_them_one(tmp_path):
    """The graph holds Ada (one e-mail) and A. Quill at another company (another e-mail); a file whose two
    rows are the same person (same name at the same company) with both e-mails links them: one person."""
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("one.csv", HEADER + b"Ada Quill,ada@quill.example.com,Initech\n")], owner=OWNER)
        service.import_uploads(store, [("two.csv", HEADER + b"A. Quill,aq@home.example.com,Globex\n")], owner=OWNER)
        assert store.counts().people == 3
        both = HEADER + b"Ada Quill,ada@quill.example.com,Hooli\nAda Quill,aq@home.example.com,Hooli\n"
        report = service.import_uploads(store, [("both.csv", both)], owner=OWNER)
        assert report.people_added == 0 and store.counts().people == 2
        assert ("one record links two known people" in [m[2] for m in report.merges])
        [ada] = service.search_people(store, "Quill")
        assert ada.id == stable_id("p", "email:ada@quill.example.com")  # the first known key, by text
        assert report.files[0].warnings == ((3, None, "same person as row 2 (same name at the same organisation): merged into one"),)


def test_a_report_lists_the_first_merges_by_row_and_counts_them_all(tmp_path, monkeypatch, capsys):
    """A new export of contacts the graph holds matches every row to a known person: each is counted,
    and only the first ``MERGES_LISTED`` (by row) are listed by name, so that a large re-export does
    not hold a list of everyone; the command line says how many more there are."""
    from graphapp.cli import main
    from ingest.resolve import people as resolve_people

    monkeypatch.setattr(resolve_people, "MERGES_LISTED", 3)
    rows = [f"Person {n:02},p{n:02}@example.com,Acme Corp\n".encode() for n in range(10)]
    db = str(tmp_path / "g.db")
    with service.open_graph(db) as store:
        service.import_uploads(store, [("crm.csv", HEADER + b"".join(rows))], owner=OWNER)
        again = HEADER + b"".join(reversed(rows))  # another file: the same people, the last first
        report = service.import_uploads(store, [("crm-again.csv", again)], owner=OWNER)
        assert report.people_added == 0 and report.people_merged == 10 and report.merges_made == 10
        assert [name for _, name, _ in report.merges] == ["Person 09", "Person 08", "Person 07"]
        assert {reason for _, _, reason in report.merges} == {"same e-mail address"}
        assert [m.name_in_graph for m in service.describe_merges(store, report)] == ["Person 09", "Person 08", "Person 07"]
    third = tmp_path / "crm-third.csv"
    third.write_bytes(HEADER + b"".join(rows[1::2]) + b"Someone New,new@example.com,Acme Corp\n")
    assert main(["--db", db, "import", str(third), "--owner", OWNER]) == 0
    out = capsys.readouterr().out
    assert "people already known, recognised 5 by e-mail address" in out
    assert [line for line in out.splitlines() if line.startswith("  merged ")] == [
        f"  merged Person {n:02} (same e-mail address)" for n in (1, 3, 5)]
    assert "  ... and 2 more merges" in out


def test_records_read_again_to_decide_who_is_who_are_read_in_one_pass(tmp_path, monkeypatch):
    """Ten people of six records each, spread over the file (same name at the same company, a different
    e-mail on each row): the first keys tie, so their text decides each id. The records are read again
    in one pass, a block at a time, not one by one (which read a block of 20,000 records for each)."""
    from ingest import spool

    monkeypatch.setattr(spool, "BLOCK_ROWS", 5)
    loads = []
    load = spool.Spool._load
    monkeypatch.setattr(spool.Spool, "_load", lambda self, n: loads.append(n) or load(self, n))
    rows = [f"Jo Vale{k % 10},jo{k}@vale{k % 10}.example.com,Acme Corp\n".encode() for k in range(60)]
    with service.open_graph(str(tmp_path / "g.db")) as store:
        report = service.import_uploads(store, [("crm.csv", HEADER + b"".join(rows))], owner=OWNER)
        assert report.people_added == 11 and store.counts().people == 11  # ten and the rep
        for k in range(10):
            [jo] = service.search_people(store, f"Jo Vale{k}")
            smallest = min(f"email:jo{j}@vale{k}.example.com" for j in range(k, 60, 10))  # of the six, as text
            assert jo.id == stable_id("p", smallest)
    blocks = 60 // 5
    # A few passes over the file (six today), not a block for each record read again (120 loads before).
    assert len(loads) <= 8 * blocks, len(loads)


def test_records_kept_apart_for_their_linkedin_profiles_are_noted_from_one_pass(tmp_path, monkeypatch):
    """Sixty people of a CRM export share info@ but each has their own LinkedIn profile: sixty people,
    and a note on every row but the first. The rows the notes name are read again in one pass (before,
    two blocks were read for each note: 10,030 block reads for 6,000 such rows in blocks of 1,000)."""
    from ingest import spool

    monkeypatch.setattr(spool, "BLOCK_ROWS", 5)
    loads = []
    load = spool.Spool._load
    monkeypatch.setattr(spool.Spool, "_load", lambda self, n: loads.append(n) or load(self, n))
    rows = b"".join(f"Person {n},info@acme.example.com,Acme,https://www.linkedin.com/in/person-{n}\n".encode()
                    for n in range(60))
    mapping = {"crm.csv": {"Full Name": "name", "Work Email": "email", "Org": "company", "Profile": "linkedin"}}
    with service.open_graph(str(tmp_path / "g.db")) as store:
        report = service.import_uploads(store, [("crm.csv", b"Full Name,Work Email,Org,Profile\n" + rows)],
                                        owner=OWNER, mappings=mapping)
    assert report.people_added == 61  # sixty and the rep
    [f] = report.files
    assert [row for row, _, _ in f.warnings] == list(range(3, 62))
    assert f.warnings[-1][2] == ("info@acme.example.com is also on row 2, with another LinkedIn profile: kept as two "
                                 "people (two LinkedIn profiles are never one person)")
    assert len(loads) <= 8 * (60 // 5), len(loads)
