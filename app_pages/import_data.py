"""Import: upload exports for a rep (or the whole team), look at what each file is, map unknown CSVs,
import with progress, read the report, and undo an import from the history."""

from __future__ import annotations

import re

import streamlit as st

from app_pages.common import LOOK_ONLY, current_viewer, may, md, rep_choices, store, user_errors
from app_pages.import_history import show_history
from app_pages.import_preview import forget_other_uploads, look_at
from app_pages.import_report import REPORT_KEY, ImportOutcome, show_report
from graphapp import service
from graphapp.errors import GraphAppError

TEAM, NEW = "@team", "@new"  # owner choices besides the reps' e-mails
VISIBILITY = {
    "existence": "Existence: teammates see a path, not who",
    "team": "Team: everyone sees everything",
    "private": "Private: only the rep",
}


def choose_owner(graph) -> tuple[str | None, str | None]:
    """The owner select box; returns (owner e-mail or None for the team, why importing cannot start yet).

    A rep imports as themself (the team's sheets only when they name no one else); an admin for anyone."""
    reps = {e: label for e, label in rep_choices(graph).items() if may("import", reps=[e])}
    labels = {**reps, TEAM: "The whole team (files that name their reps)"}
    if may("add-rep"):
        labels[NEW] = "Someone new: enter their e-mail"
    choice = st.selectbox("Whose data is this?", list(labels), format_func=labels.get, key="import_owner",
                          index=0 if reps else len(labels) - 1,
                          help="The rep whose LinkedIn, CRM, address book or calendar the files are. "
                               "Team sheets (relationships.csv, targets.csv) name a rep on every row.")
    if choice == TEAM:
        return None, None
    if choice != NEW:
        return choice, None
    email = st.text_input("Their e-mail", key="import_new_owner", placeholder="dana@example.com",
                          help="They join the team as a rep with this import.").strip()
    return (email or None), (None if email else "Enter the e-mail of the rep whose data this is.")


def run_import(graph, uploads, *, owner, mappings, visibility, strict) -> service.ImportReport:
    """Import with a live status: each step the service reports, and a progress bar."""
    with st.status("Importing…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")
        shown = {"share": 0.0}

        def say(message: str) -> None:
            # Each step says how far the whole import has got (service_import.Step): the bar never goes back.
            shown["share"] = max(shown["share"], getattr(message, "share", shown["share"]))
            st.write(md(message))  # a step names the file it reads
            bar.progress(shown["share"], text=md(message))

        try:
            report = service.import_uploads(graph, uploads, owner=owner, mappings=mappings, strict=strict,
                                            visibility=visibility, progress=say, viewer=current_viewer())
        except GraphAppError:
            status.update(label="Nothing was imported", state="error")
            raise
        bar.progress(1.0, text="Done")
        status.update(label="Import finished" if report.committed else "Nothing was imported",
                      state="complete" if report.committed else "error", expanded=False)
    return report


st.title("Import")
st.caption("LinkedIn archives (ZIP) and their CSVs, CRM and address-book exports (CSV, vCard), calendars (ICS) "
           "and the team's sheets. The format is read from each file's content; nothing is imported until you "
           "press Import.")
graph = store()
if not may("import"):
    st.info(LOOK_ONLY + " Ask a rep to import their files, or an admin.", icon=":material/visibility:")
    show_history(graph)
    st.stop()

left, right = st.columns(2)
with left:
    owner, owner_missing = choose_owner(graph)
with right:
    visibility = st.selectbox("Who sees the relationships", list(VISIBILITY), format_func=VISIBILITY.get,
                              key="import_visibility")
strict = st.checkbox("All or nothing: import nothing if any row is rejected", key="import_strict")
# No type filter: a file is judged by its content, and one we cannot read is refused below with the reason
# in words (the uploader's own filter would only show a red mark, its reason on hover).
uploads = st.file_uploader("Files to import", accept_multiple_files=True, key="import_files",
                           help="CSV, ZIP, vCard (.vcf) or calendar (.ics) files; the format is read from the content.")
forget_other_uploads(uploads)

ready, mappings, skipped, refused = [], {}, [], []
if not uploads:
    st.info("Choose one or more files above: your LinkedIn archive (`Basic_LinkedInDataExport_….zip`), a HubSpot or "
            "Salesforce export, Google or Outlook contacts, a vCard or calendar file.", icon=":material/upload_file:")
for n, upload in enumerate(uploads or []):
    problem, mapping = look_at(upload, f"{n}_{re.sub(r'[^A-Za-z0-9]+', '_', upload.name)}")
    if problem:
        skipped.append(problem)
        refused.append(upload.getvalue())
        continue
    ready.append((upload.name, upload.getvalue()))
    if mapping:
        mappings[upload.name] = mapping

audited = st.session_state.setdefault("import_refused_audited", set())  # each refused upload audited once
new_refusals = [data for data in refused if hash(data) not in audited]
if new_refusals:
    with user_errors():
        service.audit_refused_uploads(graph, new_refusals, viewer=current_viewer())
    audited.update(hash(data) for data in new_refusals)


def start_import(as_owner: str | None) -> None:
    """Import the files that can be, as ``as_owner``'s data, and keep the outcome for the report."""
    with user_errors():
        report = run_import(graph, ready, owner=as_owner, mappings=mappings, visibility=visibility, strict=strict)
        matches = tuple(service.describe_merges(graph, report, viewer=current_viewer())) if report.committed else ()
    st.session_state[REPORT_KEY] = ImportOutcome(report, matches, tuple(skipped))


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def ask_whose(question, signature: tuple) -> str | bool:
    """Ask before importing an archive that names another owner than the one chosen (its own Profile.csv):
    import it as theirs (when this viewer may), as the chosen owner's anyway, or cancel. Returns the owner to
    import as (an e-mail), or False while nothing is decided (and after Cancel)."""
    theirs, chosen = question.owner.label, question.chosen_name
    with st.container(border=True, key="import_owner_question"):
        if question.rep is not None:
            st.warning(f"This looks like {md(theirs)}'s archive ({md(question.owner.file)} names them), not "
                       f"{md(chosen)}'s. Import it as {md(first_name(question.rep.name))}'s?", icon=":material/help:")
        else:
            st.warning(f"This looks like {md(theirs)}'s archive ({md(question.owner.file)} names them), and "
                       f"{md(theirs)} is not on the team. Import it as {md(chosen)}'s anyway?", icon=":material/help:")
        c1, c2, c3 = st.columns(3)
        if question.rep is not None and may("import", reps=[question.rep.email]):
            if c1.button(f"Import as {first_name(question.rep.name)}'s", type="primary", key="import_as_detected",
                         icon=":material/person:"):
                return question.rep.email
        elif question.rep is not None:
            c1.caption(f"Only {md(question.rep.name)} or an admin can import it as theirs.")
        elif question.rep is None and question.owner.emails and may("add-rep"):
            if c1.button(f"Add {first_name(theirs)} to the team and import as theirs", key="import_as_new",
                         icon=":material/person_add:", help=f"As a new rep with {question.owner.emails[0]}."):
                return question.owner.emails[0]
        if c2.button(f"Import as {first_name(chosen)}'s anyway", key="import_as_chosen", icon=":material/upload:"):
            return question.chosen_email
        if c3.button("Cancel", key="import_cancel", icon=":material/close:"):
            st.session_state["import_cancelled"] = signature
            st.rerun()
    return False


if uploads:
    blocker = owner_missing or (None if ready else "None of these files can be imported as they are; see above.")
    if blocker:
        st.warning(blocker)
    signature = (owner, *((name, hash(data)) for name, data in ready))  # these files, for this chosen owner
    decided = st.session_state.get("import_owner_decided")  # (signature, answer): the question answered
    answered = bool(decided) and decided[0] == signature
    if answered:
        owner = decided[1]
    with user_errors():
        question = None if blocker or answered else service.owner_question(graph, ready, owner)
    if question is not None and st.session_state.get("import_cancelled") == signature:
        st.info("Cancelled: nothing was imported. Remove these files above, or choose whose data they are.",
                icon=":material/close:")
    elif question is not None:
        answer = ask_whose(question, signature)
        if answer is not False:  # import on the next run, which no longer asks
            st.session_state["import_owner_decided"] = (signature, answer)
            st.session_state["import_go"] = True
            st.rerun()
    else:
        label = f"Import {len(ready)} file{'s' if len(ready) != 1 else ''}"
        go = st.session_state.pop("import_go", False)
        if st.button(label, type="primary", key="import_run", disabled=bool(blocker), icon=":material/upload:") or go:
            start_import(owner)

outcome = st.session_state.get(REPORT_KEY)
if outcome is not None:
    st.header("Last import")
    show_report(outcome)

st.divider()
show_history(graph)
