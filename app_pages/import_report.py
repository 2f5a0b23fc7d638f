"""The Import page's report of one import: what happened in one sentence (the CLI prints the same), the
counts (rows read, new and already known people and relationships), files, rejected rows (with a safe CSV
download), warnings, who was recognised as one person and how, and what was skipped."""

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
    """Render an import's report: what happened in one sentence, the counts, each file, then the details."""
    report = outcome.report
    if report.committed:
        st.success(md(report.headline()), icon=":material/check_circle:")
    else:
        st.error("Nothing was imported. The reasons are below; fix them and upload again.", icon=":material/block:")
    for f in report.files:
        if not f.committed:
            st.error(f"**{md(f.path)}** was refused: " + "; ".join(md(why) for _, _, why in f.errors[:3]))
    for item in outcome.skipped:
        st.warning(f"Not imported: {md(item)}")
    if report.committed:
        figures = list(report.figures().items())
        for row in (figures[:4], figures[4:]):
            for col, (label, value) in zip(st.columns(4), row, strict=False):
                col.metric(label, f"{value:,}")
        said = ([f"People already known were recognised {md(report.known_how())}."] if report.people_known else []) \
            + (["Relationships already known gained this import's rows as evidence."] if report.relationships_known else [])
        if said:
            st.caption(" ".join(said))
    st.dataframe(
        [{"File": f.path, "Read as": service.format_label(f.format), "Rows read": f.rows_read,
          "Imported": f.rows_accepted, "Rejected": f.rows_rejected,
          "Status": ("imported" if report.committed else "not imported") if f.committed else "refused"}
         for f in report.files],
        hide_index=True, width="stretch", key="import_report_files",
        column_config={"File": st.column_config.TextColumn("File", width="large"),
                       "Read as": st.column_config.TextColumn("Read as", width="medium")},
    )
    _rejected(report)
    _warnings(report)
    _matches(outcome.matches, report.merges_made)
    for item in report.ignored:
        st.caption(f"Ignored: {md(item)}")
    for text in report.notes:
        st.caption(f"Note: {md(text)}")


# Rows of a file: the row number and column narrow, the reason as wide as the table allows.
_ROW_COLUMNS = {"Row": st.column_config.NumberColumn("Row", width="small", format="%d"),
                "Column": st.column_config.TextColumn("Column", width="small"),
                "Reason": st.column_config.TextColumn("Reason", width="large"),
                "Warning": st.column_config.TextColumn("Warning", width="large")}


def _rejected(report: service.ImportReport) -> None:
    rows = [(f.path, row, column, reason) for f in report.files if f.committed for row, column, reason in f.errors]
    if not rows:
        return
    st.subheader(f"Rejected rows ({len(rows):,})")
    st.dataframe([{"File": p, "Row": r, "Column": c or "", "Reason": why} for p, r, c, why in rows[:SHOWN_ROWS]],
                 hide_index=True, width="stretch", key="import_report_rejected", column_config=_ROW_COLUMNS)
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
        st.dataframe(rows[:SHOWN_ROWS], hide_index=True, width="stretch", key="import_report_warnings",
                     column_config=_ROW_COLUMNS)


def _matches(matches: tuple[service.Match, ...], made: int) -> None:
    if not matches:
        return
    st.subheader(f"Recognised as one person ({made:,})")
    st.caption("Each of these was found to be someone the graph already holds from other files, or someone "
               "another file of this import names, so they were merged rather than added twice.")
    st.dataframe([{"In the file": m.name_in_file, "Recognised as": m.name_in_graph, "How": _how(m.reason)}
                  for m in matches[:SHOWN_ROWS]],
                 hide_index=True, width="stretch", key="import_report_matches",
                 column_config={"How": st.column_config.TextColumn("How", width="large")})
    if made > len(matches[:SHOWN_ROWS]):
        st.caption(f"The first {len(matches[:SHOWN_ROWS]):,} are listed here; the count above is of them all.")


def _how(reason: str) -> str:
    """A match's rule in the words of a sentence: "same e-mail address" -> "matched by the same e-mail address"."""
    return f"matched by the {reason}" if reason.startswith("same ") else reason
