"""The Import page before importing: each upload's detected format, an archive's members (read or
ignored), the first rows, and a column mapping for a CSV of unknown layout."""

from __future__ import annotations

import re

import streamlit as st

from app_pages.common import md
from graphapp import service

UNMAPPED = "(not used)"
PREVIEWS_KEY = "import_previews"  # session: {(upload id, mapping): FilePreview} for the current uploads
_SYNONYMS = {"e_mail": "email", "email_address": "email", "e_mail_address": "email", "full_name": "name",
             "organisation": "company", "organization": "company", "job_title": "title", "linkedin_url": "linkedin",
             "profile_url": "linkedin", "mobile": "phone", "city": "location"}


def guess_field(column: str) -> str:
    """The mapping field a column's name already says (``E-mail`` → email), or :data:`UNMAPPED`."""
    name = re.sub(r"[^a-z]+", "_", column.lower()).strip("_")
    name = _SYNONYMS.get(name, name)
    if name in service.MAPPING_FIELDS:
        return name
    return next((field for field in ("email", "linkedin") if field in name.split("_")), UNMAPPED)


def forget_other_uploads(uploads) -> None:
    """Drop the kept previews of files no longer uploaded."""
    current = {u.file_id for u in uploads or []}
    kept = st.session_state.get(PREVIEWS_KEY, {})
    st.session_state[PREVIEWS_KEY] = {k: v for k, v in kept.items() if k[0] in current}


def preview_of(upload, mapping: dict[str, str] | None = None) -> service.FilePreview:
    """The upload's preview, kept in the session per upload and mapping so reruns do not read it again."""
    cache = st.session_state.setdefault(PREVIEWS_KEY, {})
    key = (upload.file_id, tuple(sorted((mapping or {}).items())))
    if key not in cache:
        cache[key] = service.preview_upload(upload.name, upload.getvalue(), mapping=mapping)
    return cache[key]


def look_at(upload, slug: str) -> tuple[str | None, dict[str, str] | None]:
    """Show one upload before importing.

    Returns:
        Why it cannot be imported (None: it can), and its column mapping (None: not a mapped CSV).
    """
    with st.container(border=True):
        preview, mapping = preview_of(upload), None
        problem = preview.problem
        unusable = preview.needs_mapping and (  # not a table at all (prose, a note): nothing worth mapping
            not preview.columns or (len(preview.columns) == 1 and guess_field(preview.columns[0]) == UNMAPPED))
        label = "not readable" if unusable or not preview.label else preview.label
        st.markdown(f"**{md(upload.name)}** · {md(label)} · {preview.size:,} bytes")
        if unusable:
            problem = (f"{upload.name}: no columns found; it is not a CSV, vCard, calendar or LinkedIn archive "
                       "we can read.")
        if problem and (not preview.needs_mapping or unusable):
            st.error(refusal(upload.name, problem), icon=":material/error:")
            return problem, None
        if preview.needs_mapping:
            mapping = mapping_form(preview, slug)
            if mapping:
                preview = preview_of(upload, mapping)
                if preview.problem:
                    st.warning(md(preview.problem), icon=":material/warning:")
        if preview.members or preview.ignored:
            show_members(preview)
        with st.expander("First rows", expanded=preview.needs_mapping or not preview.members):
            for item in preview.members or (preview,):
                show_rows(item, mapping, titled=bool(preview.members))
        if not preview.importable:
            return (preview.problem if mapping else f"{upload.name}: its columns are not mapped yet."), None
        return None, mapping


def refusal(name: str, problem: str) -> str:
    """Why an upload cannot be imported, in a line that names the file (Markdown, escaped)."""
    text = md(problem) if name in problem else f"**{md(name)}**: {md(problem)}"
    return f"Cannot import this file. {text}"


def show_members(archive: service.FilePreview) -> None:
    """Which files of an archive are read (and as what), and which are not (and why). (``st.table`` cells are
    Markdown: every value is escaped.)"""
    rows = [{"File in the archive": md(m.name.rsplit("/", 1)[-1]), "Read as": md(m.label)} for m in archive.members]
    for item in archive.ignored:
        name, _, why = item.partition(": ")
        rows.append({"File in the archive": md(name), "Read as": f"not read: {md(why)}"})
    st.table(rows)


def show_rows(preview: service.FilePreview, mapping: dict[str, str] | None, *, titled: bool) -> None:
    """The first rows of a file, columns marked with the field they are mapped to."""
    if titled:
        st.caption(f"{md(preview.name.rsplit('/', 1)[-1])} · {md(preview.label)}")
    if preview.rows:  # st.table renders its header and cells as Markdown: the file's own text, escaped
        header = _unique([md(f"{c} → {mapping[c]}" if mapping and c in mapping else c) for c in preview.columns])
        st.table([dict(zip(header, (md(cell) for cell in row), strict=False)) for row in preview.rows])
    elif preview.columns:
        st.caption("Columns: " + ", ".join(md(c) for c in preview.columns) + " (no data rows).")
    else:
        st.caption("No rows.")


def mapping_form(preview: service.FilePreview, slug: str) -> dict[str, str]:
    """A select box per column of an unknown CSV; returns {column: field} for the mapped ones."""
    st.info("This CSV's layout is not one we know. Choose what each column holds (at least a name, e-mail or "
            "LinkedIn column); the first rows below show the result.", icon=":material/table_edit:")
    options = [UNMAPPED, *service.MAPPING_FIELDS]
    mapping: dict[str, str] = {}
    grid = st.columns(4)
    for n, column in enumerate(preview.columns):
        with grid[n % 4]:
            field = st.selectbox(md(column) or f"(column {n + 1})", options, index=options.index(guess_field(column)),
                                 key=f"import_map_{slug}_{n}")
        if field != UNMAPPED and column:
            mapping[column] = field
    return mapping


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
