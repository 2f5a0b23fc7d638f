"""The owner of a file is who the user said (identity issue, item 2): a rep's own archive never makes a
second person beside the rep, and a file whose own profile is someone else never renames or rebinds a rep."""

from __future__ import annotations

from graphapp import service
from tests.ingest.helpers import SAMPLES

THEO = "theo.marchbanks@tidewell.example.com"
THEO_URL = "https://www.linkedin.com/in/theo-marchbanks-tidewell"
MARA = "mara.quill@tidewell.example.com"
CONNECTIONS = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ARCHIVE = ("Profile.csv", "Positions.csv", "Connections.csv", "messages.csv")


def archive() -> list[tuple[str, bytes]]:
    return [(name, (SAMPLES / "linkedin" / name).read_bytes()) for name in ARCHIVE]


def people_with_key(store, key: str) -> list[str]:
    return sorted(set(store.people_by_keys([key]).get(key, ())))


def teammate_names_theo(store, name: bytes = b"Theo,Marchbanks") -> None:
    row = name + b"," + THEO_URL.encode() + b",,Tidewell Systems,Senior Account Executive,06 Jan 2021\n"
    service.import_uploads(store, [("Connections.csv", CONNECTIONS + row)], owner=MARA)


def assert_one_theo(store) -> str:
    [theo] = [r for r in store.list_reps() if r.email == THEO]
    assert people_with_key(store, "linkedin:" + THEO_URL) == [theo.person_id]
    assert people_with_key(store, f"email:{THEO}") in ([], [theo.person_id])  # a rep added by hand has no key row
    assert [p.id for p in service.search_people(store, "Marchbanks")] == [theo.person_id]
    return theo.person_id


def test_a_reps_own_archive_after_a_teammate_named_them_is_one_person(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        teammate_names_theo(store)
        known = people_with_key(store, "linkedin:" + THEO_URL)
        service.import_uploads(store, archive(), owner=THEO)
        assert assert_one_theo(store) == known[0]  # the person the graph knew became the rep


def test_a_teammates_export_after_the_reps_own_archive_finds_the_rep(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.import_uploads(store, archive(), owner=THEO)
        teammate_names_theo(store, b"Theodore,Marchbanks")
        assert_one_theo(store)


def test_a_known_rep_absorbs_the_contact_a_teammate_made_of_them(tmp_path):
    """Theo is a rep (the team sheet) and, separately, a contact with his URL at a company spelt
    unlike the team's: his own archive makes the two one person, the rep."""
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.add_rep(store, name="Theo Marchbanks", email=THEO)
        service.import_uploads(store, [("Connections.csv", CONNECTIONS + b"Theo,M.," + THEO_URL.encode()
                                        + b",,Tidewell,AE,06 Jan 2021\n")], owner=MARA)
        assert len(service.search_people(store, "Theo")) == 2
        report = service.import_uploads(store, archive(), owner=THEO)
        assert_one_theo(store)
        assert ("Theo Marchbanks" in [name for _, name, why in report.merges if why.startswith("the rep's own profile")])


def test_a_profile_naming_someone_else_never_renames_the_rep(tmp_path):
    profile = (b"First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location\n"
               b"Ivo,Brandt,,,,CFO at Elsewhere,,,,\n")
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.add_rep(store, name="Theo Marchbanks", email=THEO)
        report = service.import_uploads(store, [("Profile.csv", profile)], owner=THEO)
        [theo] = [r for r in store.list_reps() if r.email == THEO]
        assert theo.name == "Theo Marchbanks"
        assert store.get_people([theo.person_id])[theo.person_id].name == "Theo Marchbanks"
        assert service.search_people(store, "Brandt") == []
        assert any("names Ivo Brandt, not Theo Marchbanks" in note for note in report.notes), report.notes


def test_a_profile_that_is_another_reps_is_not_applied(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        service.add_rep(store, name="Theo Marchbanks", email=THEO)
        service.add_rep(store, name="Mara Quill", email=MARA)
        service.import_uploads(store, archive(), owner=THEO)
        report = service.import_uploads(store, [a for a in archive() if a[0] == "Profile.csv"], owner=MARA)
        [mara] = [r for r in store.list_reps() if r.email == MARA]
        assert store.get_people([mara.person_id])[mara.person_id].name == "Mara Quill"
        assert any("names Theo Marchbanks, not Mara Quill" in note for note in report.notes), report.notes
        assert_one_theo(store)


def test_a_messages_file_whose_owner_is_unclear_is_read_as_the_reps_never_rebinding_them(tmp_path):
    """One conversation only, with one other member: both are in as many conversations. Imported by the
    rep the graph knows by LinkedIn URL, it is the rep's; by a rep the graph knows nothing of, it is refused."""
    header = (b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
              b"CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n")
    row = (b"c1,,Kim Ode,https://www.linkedin.com/in/kim-ode,Theo Marchbanks," + THEO_URL.encode()
           + b",2025-09-03 16:05:10 UTC,,Hello,INBOX,,No\n")
    with service.open_graph(str(tmp_path / "g.db")) as store:
        teammate_names_theo(store)
        service.import_uploads(store, archive()[:1], owner=THEO)  # Profile.csv: Theo's URL becomes the rep's
        report = service.import_uploads(store, [("messages.csv", header + row)], owner=THEO)
        assert report.committed
        [theo] = [r for r in store.list_reps() if r.email == THEO]
        assert store.get_people([theo.person_id])[theo.person_id].name == "Theo Marchbanks"
        [kim] = service.search_people(store, "Kim Ode")
        assert {(r.source_id, r.target_id) for r in store.relationships_of(kim.id)} <= {(theo.person_id, kim.id),
                                                                                        (kim.id, theo.person_id)}
        assert store.relationships_of(kim.id)
        refused = service.import_uploads(store, [("messages.csv", header + row)], owner="new.rep@tidewell.example.com")
        assert not refused.committed
        assert "the file's owner is unclear" in refused.files[0].errors[0][2]
        assert assert_one_theo(store)
