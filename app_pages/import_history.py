"""The Import page's history: every import with its counts, and undo of one import behind a confirmation."""

from __future__ import annotations

import streamlit as st

from app_pages.common import current_viewer, may, md, user_errors
from app_pages.import_report import REPORT_KEY
from graphapp import service

KIND_WORDS = {"demo": "the demo network"}  # an import of no files, by its kind
UNDONE_KEY = "import_undone"  # session: the message about the last undo, shown once after the rerun


def describe(record) -> str:
    """What an import brought, in a few words: its files (an archive once, with its member count) or its kind."""
    names: dict[str, int] = {}
    for f in record.files:
        archive, sep, _member = f.name.partition(".zip/")
        key = archive + ".zip" if sep else f.name
        names[key] = names.get(key, 0) + 1
    parts = [f"{name} ({n} files)" if n > 1 else name for name, n in names.items()]
    return ", ".join(parts) or KIND_WORDS.get(record.kind, record.kind)


STATUS_WORDS = {"committed": "imported", "undone": "undone", "failed": "failed"}
_ADDED_WORDS = {"people": "people", "organizations": "organisations", "employments": "jobs",
                "relationships": "relationships"}


def added_words(record) -> str:
    """What an import added, in words, most telling first and nothing said of what it did not add: "398
    people, 411 relationships, 51 organisations, 12 jobs" ("nothing new" for a re-import)."""
    counts = {k.removesuffix("_added"): v for k, v in record.counts if k.endswith("_added")}
    order = [*(k for k in ("people", "relationships", "organizations", "employments") if k in counts),
             *(k for k in counts if k not in _ADDED_WORDS)]
    return ", ".join(f"{counts[k]:,} {_ADDED_WORDS.get(k, k)}" for k in order if counts[k]) or "nothing new"


def who_ran(actor: str, names: dict[str, str]) -> str:
    """The rep who ran an import or change (``rep:<person id>``) by name; never their id."""
    return names.get(actor) or ("a former rep" if actor.startswith("rep:") else actor)


def history_rows(records, names: dict[str, str]) -> list[dict]:
    """The import history's rows, in words (no ids): when, what, by whom, its state, what it added."""
    return [{"When": r.time.strftime("%Y-%m-%d %H:%M"), "What": describe(r), "By": who_ran(r.actor, names),
             "Status": STATUS_WORDS.get(r.status.value, r.status.value), "Added": added_words(r)} for r in records]


HISTORY_COLUMNS = {"When": st.column_config.TextColumn("When", width=130),
                   "What": st.column_config.TextColumn("What", width="medium"),
                   "Status": st.column_config.TextColumn("Status", width=90),
                   "Added": st.column_config.TextColumn("Added", width="large")}


def show_history(graph) -> None:
    """The import history table and the undo control."""
    st.subheader("Import history")
    message = st.session_state.pop(UNDONE_KEY, None)
    if message:
        st.success(message, icon=":material/undo:")
    with user_errors():
        records = service.list_imports(graph)
        who = service.actor_names(graph)  # imports run in the app name the rep who ran them
    if not records:
        st.info("No imports yet. Upload your LinkedIn archive or a contacts export above to start the graph.")
        return
    st.dataframe(history_rows(records, who), hide_index=True, width="stretch", key="import_history_table",
                 column_config=HISTORY_COLUMNS)
    committed = {r.id: r for r in records if r.status.value == "committed"}
    if not committed:
        st.caption("Every import has been undone; there is nothing left to undo.")
        return
    committed = {i: r for i, r in committed.items() if may("undo-import", import_id=i)}
    if not committed:
        st.caption("You can undo only the imports you ran (an admin can undo any); there is none to undo.")
        return
    choice = st.selectbox(
        "Undo an import", list(committed), index=None, key="import_undo_choice",
        format_func=lambda i: f"{committed[i].time:%Y-%m-%d %H:%M} · {describe(committed[i])} · {who_ran(committed[i].actor, who)}",
        placeholder="Choose an import to undo", help="Removes exactly what one import brought.",
    )
    if choice is None:
        return
    record = committed[choice]
    st.warning(
        f"Undoing **{md(describe(record))}** (imported {record.time:%Y-%m-%d %H:%M}) removes what it brought: "
        f"{added_words(record)}. "
        "People, organisations and relationships that other imports also brought stay.",
        icon=":material/warning:",
    )
    confirmed = st.checkbox("Yes, remove what this import brought", key="import_undo_confirm")
    if st.button("Undo this import", key="import_undo", disabled=not confirmed, icon=":material/undo:"):
        with user_errors():
            before = service.stats(graph)
            service.undo_import(graph, record.id, viewer=current_viewer())
            after = service.stats(graph)
        removed = {"people": before.people - after.people, "organisations": before.organizations - after.organizations,
                   "relationships": before.relationships - after.relationships, "reps": before.reps - after.reps}
        st.session_state[UNDONE_KEY] = (
            f"Undid the import of {md(describe(record))} ({record.time:%Y-%m-%d %H:%M}): removed "
            + ", ".join(f"{n:,} {what}" for what, n in removed.items()) + "."
        )
        outcome = st.session_state.get(REPORT_KEY)
        if outcome is not None and outcome.report.import_id == record.id:
            st.session_state.pop(REPORT_KEY)  # its report no longer describes the graph
        for key in ("import_undo_choice", "import_undo_confirm"):
            st.session_state.pop(key, None)
        st.rerun()
