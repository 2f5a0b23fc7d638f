"""Who is who, where resolution needs a key's text and not only its number: equally strong first keys,
and one person of several records who links two people the graph already holds."""

from __future__ import annotations

from graphapp import service
from graphapp.identity import stable_id

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
            assert [m[2] for m in report.merges] == ["same e-mail address"]


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
