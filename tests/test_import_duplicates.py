"""Case 9: the same person twice in one file (the same e-mail, in another case) is one person with one
relationship; re-importing the file adds nothing (case 10)."""

from __future__ import annotations

from graphapp import service

FILE = (b"Name,Email,Company\nAda Quill,ada@example.com,Initech\nBob Ray,bob@example.com,Initech\n"
        b"Ada Quill,ADA@Example.com,Initech\n")


def test_a_duplicate_row_is_merged_into_one_person(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        report = service.import_uploads(store, [("c.csv", FILE)], owner="dana@example.com")
        assert report.files[0].rows_accepted == 3 and report.files[0].errors == ()  # merged, not an error
        assert report.files[0].warnings == ((4, None, "same person as row 2 (same e-mail address): merged into one"),)
        assert [r.name for r in service.search_people(store, "Ada")] == ["Ada Quill"]
        assert store.counts().people == 3 and store.counts().relationships == 2  # Ada, Bob and the rep
        again = service.import_uploads(store, [("c.csv", FILE)], owner="dana@example.com")
        assert (again.people_added, again.relationships_added) == (0, 0)
        assert again.added_nothing and again.people_known == 2  # the report says so: Ada and Bob, known


def test_a_person_on_several_rows_of_a_relationships_sheet_is_not_a_duplicate(tmp_path):
    """A sheet of ties names a person once per tie: that is not a duplicate row, and nothing is noted."""
    sheet = (b"rep_email,person_name,person_email,company,relationship\n"
             b"theo@tidewell.example.com,Kate Ashdown,kate@brackenridge.example.com,Brackenridge,customer\n"
             b"ruth@tidewell.example.com,Kate Ashdown,kate@brackenridge.example.com,Brackenridge,knows\n")
    with service.open_graph(str(tmp_path / "g.db")) as store:
        report = service.import_uploads(store, [("relationships.csv", sheet)])
        assert report.files[0].format == "team-relationships" and report.files[0].warnings == ()
        assert [r.name for r in service.search_people(store, "Kate")] == ["Kate Ashdown"]
        assert report.relationships_added == 2


def test_an_import_counts_only_what_is_new_to_the_store(tmp_path):
    """Relationships and jobs are counted as added only when the store did not hold them."""
    first = b"Name,Email,Company\nAda Quill,ada@example.com,Initech\nBob Ray,bob@example.com,Initech\n"
    second = b"Name,Email,Company\nAda Quill,ada@example.com,Initrode\nCara Lind,cara@example.com,Initech\n"
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("a.csv", first)], owner="dana@example.com")
        report = service.import_uploads(store, [("b.csv", second)], owner="dana@example.com")
        assert (report.people_added, report.relationships_added) == (1, 1)  # Cara; the tie to Ada is known
        counts = dict(next(r for r in service.list_imports(store) if r.id == report.import_id).counts)
        assert (counts["relationships_added"], counts["employments_added"]) == (1, 2)  # Ada at Initrode, Cara
        again = service.import_uploads(store, [("b2.csv", second + b"Bob Ray,bob@example.com,Initech\n")],
                                       owner="dana@example.com")
        assert (again.people_added, again.relationships_added) == (0, 0)
        counts = dict(next(r for r in service.list_imports(store) if r.id == again.import_id).counts)
        assert counts["employments_added"] == 0


CONFLICT = b"Name,Email,LinkedIn,Company\n"
ADA_A = b"Ada Quill,ada@example.com,https://www.linkedin.com/in/ada-quill,Initech\n"
ADA_B = b"Ada Quill,ada@example.com,https://www.linkedin.com/in/ada-quill-2,Initech\n"


def _urls(store) -> list[str | None]:
    people = store.get_people([p.id for p in service.search_people(store, "Ada Quill")])
    return sorted(p.linkedin_url or "" for p in people.values())


def test_one_e_mail_on_two_linkedin_profiles_in_one_file_is_two_people_and_the_row_says_so(tmp_path):
    """Case 40: two rows that map to one key with conflicting data are not merged; the row says why."""
    with service.open_graph(str(tmp_path / "g.db")) as store:
        report = service.import_uploads(store, [("c.csv", CONFLICT + ADA_A + ADA_B)], owner="dana@example.com")
        assert report.files[0].errors == () and report.people_added == 3  # the two Adas and the rep
        assert report.files[0].warnings == ((3, None, "ada@example.com is also on row 2, with another LinkedIn "
                                                      "profile: kept as two people (two LinkedIn profiles are never one person)"),)
        assert _urls(store) == ["https://www.linkedin.com/in/ada-quill", "https://www.linkedin.com/in/ada-quill-2"]
        assert len(store.people_by_keys(["email:ada@example.com"])["email:ada@example.com"]) == 1  # the first row's only
        assert service.check_identity(store) == []


def test_an_e_mail_never_joins_a_record_to_a_known_person_with_another_linkedin_profile(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, [("a.csv", CONFLICT + ADA_A)], owner="dana@example.com")
        report = service.import_uploads(store, [("b.csv", CONFLICT + ADA_B)], owner="dana@example.com")
        assert report.people_added == 1 and report.people_known == 0
        assert report.files[0].warnings == ((2, None, "ada@example.com is Ada Quill's in the graph, who has another "
                                                      "LinkedIn profile: kept as two people (two LinkedIn profiles are "
                                                      "never one person)"),)
        # The known Ada keeps her profile and her address: the new row's do not move.
        assert _urls(store) == ["https://www.linkedin.com/in/ada-quill", "https://www.linkedin.com/in/ada-quill-2"]
        assert len(store.people_by_keys(["email:ada@example.com"])["email:ada@example.com"]) == 1
        # A row with the e-mail and no profile still finds a person by it.
        again = service.import_uploads(store, [("c.csv", b"Name,Email\nAda Quill,ada@example.com\n")],
                                       owner="dana@example.com")
        assert again.people_added == 0
