"""A later export of the same network (other bytes, mostly the same rows): the import leaves alone what
a row repeats, and folds in what it changes, in row order, as if every row were folded one by one."""

from __future__ import annotations

from datetime import date

from graphapp import service

REP = "dana@example.com"
HEADER = b"Name,Email,Company,Title\n"


def _import(store, name: str, rows: bytes):
    report = service.import_uploads(store, [(name, HEADER + rows)], owner=REP)
    assert report.committed
    return report


def _ada(store):
    (ada,) = [p for p in service.search_people(store, "Ada Quill")]
    return store.get_people([ada.id])[ada.id]


def test_a_repeated_row_changes_nothing_and_a_changed_one_is_folded_in_row_order(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        _import(store, "first.csv", b"Ada Quill,ada@example.com,Initech,Engineer\nBob Ray,bob@example.com,Initech,Sales\n")
        # The same rows in other bytes (a later export): nothing new, nothing changed.
        again = _import(store, "second.csv", b"Bob Ray,bob@example.com,Initech,Sales\nAda Quill,ada@example.com,Initech,Engineer\n")
        assert again.added_nothing and _ada(store).title == "Engineer"
        # A changed row, then one that repeats what the store held: the later row wins, as in any fold.
        _import(store, "third.csv", b"Ada Quill,ada@example.com,Initech,Director\nAda Quill,ada@example.com,Initech,Engineer\n")
        assert _ada(store).title == "Engineer"
        # The other way round: the change is the newer row.
        _import(store, "fourth.csv", b"Ada Quill,ada@example.com,Initech,Engineer\nAda Quill,ada@example.com,Initech,Director\n")
        assert _ada(store).title == "Director"
        # A new e-mail is added to what the store holds.
        _import(store, "fifth.csv", b"Ada Quill,ada.q@example.com,Initech,Director\n")
        assert set(_ada(store).emails) == {"ada@example.com", "ada.q@example.com"}


SHEET = b"rep_email,person_name,person_email,company,relationship,since,last_contact,profession\n"


def _kate_tie(store):
    (kate,) = service.search_people(store, "Kate Ashdown")
    (tie,) = [r for r in store.relationships_of(kate.id) if r.owner == REP]
    return tie


def test_a_tie_asserted_again_keeps_or_widens_its_dates_and_takes_a_new_profession(tmp_path):
    with service.open_graph(str(tmp_path / "g.db")) as store:
        row = REP.encode() + b",Kate Ashdown,kate@brackenridge.example.com,Brackenridge,influencer,"
        service.import_uploads(store, [("r1.csv", SHEET + row + b"2022-05-10,2025-09-03,\n")])
        tie = _kate_tie(store)
        assert (tie.first_seen, tie.last_interaction) == (date(2022, 5, 10), date(2025, 9, 3))
        # Dates within the known ones: the tie is as it was.
        service.import_uploads(store, [("r2.csv", SHEET + row + b"2023-01-01,2024-01-01,\n")])
        tie = _kate_tie(store)
        assert (tie.first_seen, tie.last_interaction) == (date(2022, 5, 10), date(2025, 9, 3))
        # An earlier first date widens them, then a later last one.
        service.import_uploads(store, [("r3.csv", SHEET + row + b"2021-03-01,2024-01-01,\n")])
        tie = _kate_tie(store)
        assert (tie.first_seen, tie.last_interaction) == (date(2021, 3, 1), date(2025, 9, 3))
        widening = service.import_uploads(store, [("r4.csv", SHEET + row + b"2023-01-01,2026-02-01,\n")])
        tie = _kate_tie(store)
        assert (tie.first_seen, tie.last_interaction) == (date(2021, 3, 1), date(2026, 2, 1))
        # Undoing the import that widened the last one gives it back.
        service.undo_import(store, widening.import_id)
        tie = _kate_tie(store)
        assert (tie.first_seen, tie.last_interaction) == (date(2021, 3, 1), date(2025, 9, 3))
        # A profession given later is the tie's, even with nothing else new.
        assert tie.profession is None
        service.import_uploads(store, [("r5.csv", SHEET + row + b"2023-01-01,2024-01-01,CPA\n")])
        assert _kate_tie(store).profession == "CPA"
