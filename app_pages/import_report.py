"""The Import page's report of one import: counts, files, rejected rows (with a safe CSV download),
warnings, matches made, and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app_pages.common import current_viewer, md, store
from graphapp import service

SHOWN_ROWS = 1000  # more rejected rows or warnings than this are in the download only
REPORT_KEY = "import_outcome"  # session: the last import's ImportOutcome


@dataclass(frozen=True)
class ImportOutcome:
    """What the page keeps in the session after an import: the report and its context."""

    report: service.ImportReport
    matches: tuple[service.Match, ...] = ()
    skipped: tuple[str, ...] = ()  # uploads not sent to the import, with the reason


def show_report(outcome: ImportOutcome) -> None:
    """Render an import's report."""
    report = outcome.report
    files = [f for f in report.files if f.committed]
    accepted, rejected = sum(f.rows_accepted for f in files), sum(f.rows_rejected for f in files)
    if report.added_nothing:
        st.success(f"Import {report.import_id} committed: {accepted:,} rows accepted, {rejected:,} rejected. Nothing "
                   f"new: the {report.people_known:,} people these files name were all in the graph already, with "
                   "these relationships.", icon=":material/check_circle:")
    elif report.committed:
        st.success(f"Import {report.import_id} committed: {accepted:,} rows accepted, {rejected:,} rejected.",
                   icon=":material/check_circle:")
    else:
        st.error("Nothing was imported. The reasons are below; fix them and upload again.", icon=":material/block:")
    for f in report.files:
        if not f.committed:
            st.error(f"**{md(f.path)}** was refused: " + "; ".join(md(why) for _, _, why in f.errors[:3]))
    for item in outcome.skipped:
        st.warning(f"Not imported: {md(item)}")
    cols = st.columns(6)
    figures = {"Rows accepted": accepted, "Rows rejected": rejected, "New people": report.people_added,
               "Matched to known people": report.people_merged, "New organisations": report.organizations_added,
               "New relationships": report.relationships_added}
    for col, (label, value) in zip(cols, figures.items(), strict=True):
        col.metric(label, f"{value:,}")
    st.dataframe(
        [{"File": f.path, "Format": f.format, "Rows read": f.rows_read, "Accepted": f.rows_accepted,
          "Rejected": f.rows_rejected, "Status": "imported" if f.committed and report.committed else "not imported"}
         for f in report.files],
        hide_index=True, width="stretch", key="import_report_files",
    )
    _rejected(report)
    _warnings(report)
    _matches(outcome.matches, report.merges_made)
    for item in report.ignored:
        st.caption(f"Ignored: {md(item)}")
    for text in report.notes:
        st.caption(f"Note: {md(text)}")


def _rejected(report: service.ImportReport) -> None:
    rows = [(f.path, row, column, reason) for f in report.files if f.committed for row, column, reason in f.errors]
    if not rows:
        return
    st.subheader(f"Rejected rows ({len(rows):,})")
    st.dataframe([{"File": p, "Row": r, "Column": c or "", "Reason": why} for p, r, c, why in rows[:SHOWN_ROWS]],
                 hide_index=True, width="stretch", key="import_report_rejected")
    if len(rows) > SHOWN_ROWS:
        st.caption(f"The first {SHOWN_ROWS:,} are shown; the download has all {len(rows):,}.")
    st.download_button(
        "Download the rejected rows (CSV)", service.rejected_rows_csv(report).encode("utf-8-sig"),
        file_name=f"rejected-rows-{report.import_id or 'not-imported'}.csv", mime="text/csv",
        key="import_rejected_download", icon=":material/download:", on_click=service.record_export,
        args=(store(), "rejected-rows-csv", len(rows)), kwargs={"viewer": current_viewer()},
    )


def _warnings(report: service.ImportReport) -> None:
    rows = [{"File": f.path, "Row": r, "Column": c or "", "Warning": text}
            for f in report.files for r, c, text in f.warnings]
    if rows:
        st.subheader(f"Warnings ({len(rows):,})")
        st.caption("These rows were imported with a change.")
        st.dataframe(rows[:SHOWN_ROWS], hide_index=True, width="stretch", key="import_report_warnings")


def _matches(matches: tuple[service.Match, ...], made: int) -> None:
    if not matches:
        return
    st.subheader(f"Matched to people already known ({made:,})")
    st.caption("Each of these rows was recognised as a person the graph already holds (or another file "
               "of this import names), so they were merged rather than added twice.")
    st.dataframe([{"In the file": m.name_in_file, "Matched to": m.name_in_graph, "Why": m.reason,
                  "Person id": m.person_id} for m in matches[:SHOWN_ROWS]],
                 hide_index=True, width="stretch", key="import_report_matches")
    if made > len(matches[:SHOWN_ROWS]):
        st.caption(f"The first {len(matches[:SHOWN_ROWS]):,} are listed here; the count above is of them all.")
