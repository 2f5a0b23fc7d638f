"""People: find anyone by name, e-mail or company; a person's page (``?person=ID``) with their jobs,
relationships (tier and why, strength, owner, evidence) and the reps who know them; marks, merges, splits and strengths;
possible duplicates (``?view=duplicates``) side by side, to decide "same person" or "different people"."""

import streamlit as st

from app_pages.common import LOOK_ONLY, current_viewer, link_params, may, md, rep_choices, store, user_errors
from graphapp import service

graph = store()


def open_person(person_id: str) -> None:
    st.query_params["person"] = person_id
    st.rerun()


def back_to_search() -> None:
    """Button callback: leave the person's page for the search, keeping what was typed."""
    st.query_params.pop("person", None)
    st.session_state["people_q"] = st.session_state.get("people_last_q", "")


def flash(message: str, links: tuple[tuple[str, str], ...] = ()) -> None:
    """Show ``message`` (Markdown: names in it already escaped) and links to people (name, id) after the rerun
    that follows a change."""
    st.session_state["people_flash"] = (message, links)
    st.rerun()


def show_flash() -> None:
    message, links = st.session_state.pop("people_flash", (None, ()))
    if message:
        st.success(message, icon=":material/done:")
        for label, person_id in links:
            st.page_link("app_pages/people.py", label=md(label), query_params=link_params(person=person_id),
                         icon=":material/person:")


def search_view() -> None:
    st.title("People")
    st.button("Possible duplicates", key="people_dupes_open", icon=":material/people_alt:",
               help="People of one name that no e-mail, LinkedIn profile or shared organisation joined: decide who is who",
               on_click=lambda: st.query_params.update(view="duplicates"))
    query = st.text_input("Search people", key="people_q",
                          placeholder="A name, an e-mail or a company: kowal, José, globex.example.com")
    if not query.strip():
        st.info("Type part of a name, an e-mail address or a company to find someone. Case and accents do not "
                "matter. People come from imports: the Import page adds LinkedIn, CRM and address-book exports.",
                icon=":material/person_search:")
        return
    with user_errors():
        rows = service.search_people(graph, query, viewer=current_viewer())
    if not rows:
        st.info(f"No one matches **{md(query.strip())}**. Try fewer letters, only the family name, the e-mail's "
                "domain or the company; or import the export they are in (Import page).", icon=":material/search_off:")
        return
    st.session_state["people_last_q"] = query
    more = " (the best 50: type more to narrow it)" if len(rows) == 50 else ""
    st.caption(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}{more}. Click a row to open their page.")
    table = [{"Name": r.name, "Title": r.title or "", "Works at": r.organization or "", "E-mail": r.email or "",
              "Found by": r.matched} for r in rows]
    event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key="people_results")
    if event.selection.rows:
        open_person(rows[event.selection.rows[0]].id)
    labels = {r.id: f"{r.name}" + (f", {r.organization}" if r.organization else "") for r in rows}
    chosen = st.selectbox("Open a person's page", list(labels), index=None, format_func=labels.get,
                          placeholder="Choose someone from the results", key="people_open")
    if chosen:
        open_person(chosen)


def header(page) -> None:
    person = page.person
    st.title(md(person.name))
    now = [j for j in page.jobs if j.current]
    if page.rep_email:
        st.badge(f"On the team: {md(page.rep_email)}", icon=":material/badge:", color="blue")
    facts = [md(person.title)] if person.title else []
    facts += [f"e-mail: {', '.join(md(e) for e in person.emails)}"] if person.emails else []
    facts += [f"also known as {', '.join(md(v) for v in person.name_variants)}"] if person.name_variants else []
    st.caption(" · ".join(facts) or "No title or e-mail known.")
    if person.linkedin_url:  # a link only to a checked https://…linkedin.com address; anything else is text
        st.markdown(service.markdown_link("LinkedIn profile", person.linkedin_url)
                    if service.safe_url(person.linkedin_url) else f"LinkedIn: {md(person.linkedin_url)}")
    st.subheader("Where they work")
    if not page.jobs:
        st.info("No job known. A LinkedIn or CRM import that lists their company adds it.", icon=":material/work_off:")
    for job in page.jobs:
        when = " – ".join(str(d) for d in (job.start, job.end) if d) or ("now" if job.current else "")
        label = f"{job.org_name}: {job.title or 'title unknown'}" + (f" ({when})" if when else "")
        st.page_link("app_pages/organizations.py", label=("Now at " if job.current else "Before: ") + md(label),
                     query_params=link_params(org=job.org_id), icon=":material/domain:" if job in now else ":material/history:")


WIDE = st.column_config.TextColumn(width="large")
NUMBER = st.column_config.NumberColumn(format="%.2f", width="small")  # the pages' one number format


def relationships(page) -> None:
    st.subheader("Reps who know them")
    if page.known_by:
        st.dataframe([{"Rep": t.rep_name, "Tier": service.tier_bar(t.tier), "Why": t.label}
                      for t in page.known_by], hide_index=True, width="stretch", key="people_known_by",
                     column_config={"Why": WIDE})
        with st.expander("Details: strengths and evidence", icon=":material/analytics:"):
            st.dataframe([{"Rep": t.rep_name, "Strength": t.strength, "Strongest tie": service.kind_name(t.kind),
                           "Details": "; ".join(t.evidence)} for t in page.known_by],
                         hide_index=True, width="stretch", key="people_known_by_details",
                         column_config={"Strength": NUMBER, "Details": WIDE})
    else:
        st.info("No rep knows them directly. Mark them as a rep's customer, influencer or partner below, or find a "
                "warm path through their organisation's page.", icon=":material/group_off:")
    with user_errors():
        asked, made, declined, yielded = service.connector_record(graph, page.person.id)
    if asked:
        st.caption(f"As a connector: asked {asked} time(s), made {made} introduction(s), {yielded} became meetings "
                   f"or deals (their referral yield), declined {declined}. Ranking asks proven connectors first.")
    st.subheader(f"Relationships ({len(page.ties)})")
    if not page.ties:
        st.info("No relationships recorded. Imports of LinkedIn connections, messages, meetings or the team's "
                "relationship sheet add them.", icon=":material/link_off:")
        return
    table = [{"With": t.other_name, "Tier": service.tier_bar(t.tier), "Why": t.label,
              "Kind": service.kind_name(t.kind) + (f" ({t.profession})" if t.profession else ""),
              "Kept by": t.owner_name} for t in page.ties]
    st.caption("Tier: how strong the two people's ties are together (what warm-path ranking uses); why: what this "
               "relationship rests on. Click a row to open that person.")
    # Keyed by person: a row selected on one person's page must not open someone from the next one's.
    event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key=f"people_ties_{page.person.id}", column_config={"Why": WIDE})
    if event.selection.rows:
        open_person(page.ties[event.selection.rows[0]].other_id)
    with st.expander("Details: strengths and evidence", icon=":material/analytics:"):
        st.caption("Strength: this relationship's; pair strength: every relationship between the two combined.")
        st.dataframe([{"With": t.other_name, "Kind": service.kind_name(t.kind), "Strength": t.strength,
                       "Pair strength": t.pair_strength, "Details": t.words, "Evidence": "; ".join(t.evidence)}
                      for t in page.ties], hide_index=True, width="stretch", key=f"people_ties_details_{page.person.id}",
                     column_config={"Strength": NUMBER, "Pair strength": NUMBER, "Details": WIDE, "Evidence": WIDE})


def mark_form(page, reps: dict[str, str]) -> None:
    st.caption("Records that a rep has this person as a customer, an influencer (a CPA, broker, architect… who "
               "sends business) or a partner. It is kept as an import of its own, with evidence, and can be undone.")
    if not reps:
        st.info("No reps yet: add the team on the Import page (or `graphapp reps add`).", icon=":material/group_add:")
        return
    reps = {e: label for e, label in reps.items() if may("mark-person", reps=[e])}  # a rep: only themself
    rep = st.selectbox("Rep", list(reps), index=None, format_func=reps.get, placeholder="Choose the rep",
                       key="people_mark_rep")
    kind = st.radio("As their", service.MARK_KINDS, horizontal=True, key="people_mark_kind")
    profession = st.text_input("Profession (for an influencer)", key="people_mark_profession",
                               placeholder="CPA, commercial real estate broker, architect…")
    if st.button("Mark", key="people_mark_go", icon=":material/bookmark_add:"):
        if rep is None:
            st.warning("Choose the rep whose customer, influencer or partner this is.")
            return
        with user_errors():
            record = service.mark_person(graph, page.person.id, rep, kind, profession=profession,
                                         viewer=current_viewer())
        st.session_state["people_undo"] = (record.id, page.person.id)
        flash(f"Marked {md(page.person.name)} as a {kind} of {md(reps[rep])}. Undo it below if that was a mistake.")
    undo = st.session_state.get("people_undo")
    if undo and undo[1] == page.person.id and st.button("Undo the last mark", key="people_mark_undo",
                                                         icon=":material/undo:"):
        with user_errors():
            service.undo_import(graph, undo[0], viewer=current_viewer())
        del st.session_state["people_undo"]
        flash("Undone: the mark is gone.")


def strength_form(page) -> None:
    st.caption("A rep's own judgement of how strong a relationship they keep is; it replaces the computed "
               "strength in every ranking. Only the rep whose data recorded the relationship can set it.")
    pairs = {}
    for t in page.ties:
        if t.owner_is_rep and may("set-strength", reps=[t.owner]):
            pairs.setdefault((t.other_id, t.owner), t)
    if not pairs:
        st.info("No relationship of theirs is kept by you (or, for an admin, by a rep), so there is no strength "
                "for you to set.", icon=":material/tune:")
        return
    keys = list(pairs)
    labels = {k: f"{pairs[k].other_name}: kept by {pairs[k].owner_name}" + (
        f" (set to {service.number(pairs[k].override)})" if pairs[k].override else
        f" (pair strength {service.number(pairs[k].pair_strength)})" if pairs[k].pair_strength else "") for k in keys}
    chosen = st.selectbox("Relationship", range(len(keys)), format_func=lambda i: labels[keys[i]],
                          key="people_strength_pick")
    value = st.number_input("Strength, from 0.01 to 1", 0.01, 1.0, 0.8, 0.05, key="people_strength_value")
    set_col, clear_col = st.columns(2)
    other, owner = keys[chosen]
    if set_col.button("Set the strength", key="people_strength_set", icon=":material/tune:"):
        with user_errors():
            service.set_strength(graph, page.person.id, other, owner, float(value), viewer=current_viewer())
        flash(f"{md(pairs[keys[chosen]].owner_name)} set the strength with {md(pairs[keys[chosen]].other_name)} "
              f"to {value:.2f}.")
    if clear_col.button("Clear it (back to computed)", key="people_strength_clear", icon=":material/restart_alt:"):
        with user_errors():
            service.set_strength(graph, page.person.id, other, owner, None, viewer=current_viewer())
        flash(f"Cleared the strength {md(pairs[keys[chosen]].owner_name)} had set; the computed one counts again.")


def merge_form(page) -> None:
    name = page.person.name
    st.caption(f"When the importers missed that someone else is {md(name)}: their e-mails, relationships, jobs "
               f"and evidence move to {md(name)}, who keeps this page.")
    query = st.text_input("Find the other person", key="people_merge_q", placeholder="Name or e-mail")
    if not query.strip():
        return
    with user_errors():
        rows = [r for r in service.search_people(graph, query, viewer=current_viewer()) if r.id != page.person.id]
    if not rows:
        st.info(f"No one else matches {md(query.strip())}.", icon=":material/search_off:")
        return
    labels = {r.id: f"{r.name}" + "".join(f", {v}" for v in (r.organization, r.email) if v) for r in rows}
    other = st.selectbox("The same person as", list(labels), index=None, format_func=labels.get,
                         placeholder="Choose who to merge in", key="people_merge_pick")
    allowed = other is None or may("merge", people=[page.person.id, other])
    if not allowed:
        st.info("Only an admin can merge people known from other reps' (or the team's) data.", icon=":material/lock:")
    sure = st.checkbox(f"Yes, they are {md(name)}: merge them", key="people_merge_confirm", disabled=other is None)
    if st.button("Merge", key="people_merge_go", disabled=not (other and sure and allowed), icon=":material/merge:"):
        with user_errors():
            person = service.merge_people(graph, page.person.id, other, viewer=current_viewer())
        flash(f"Merged {md(labels[other])} into {md(person.name)}.")


def split_form(page) -> None:
    st.caption("When two different people were merged into one: regroups their evidence by LinkedIn profile and "
               "e-mail into separate people; relationships and jobs follow the rows that recorded them.")
    allowed = may("merge", people=[page.person.id])
    if not allowed:
        st.info("Only an admin can split someone known from other reps' (or the team's) data.", icon=":material/lock:")
    sure = st.checkbox(f"Split {md(page.person.name)} into the identities their evidence shows", key="people_split_confirm")
    if st.button("Split", key="people_split_go", disabled=not (sure and allowed), icon=":material/call_split:"):
        with user_errors():
            people = service.split_person(graph, page.person.id, viewer=current_viewer())
        flash(f"Split into {len(people)} people.", tuple((p.name, p.id) for p in people))


def forget_form(page) -> None:
    """Forget this person for every rep (DEL-1): an admin, or the rep who keeps all their relationships."""

    name = page.person.name
    st.caption(f"Removes {md(name)} everywhere, for every rep: their relationships, jobs, evidence, lookup keys and the "
               "introduction requests naming them. It cannot be undone, except by restoring a backup from before.")
    with user_errors():
        allowed = service.may_forget(graph, page.person.id, current_viewer())
    if not allowed:
        st.info("Only an admin, or the rep who keeps every relationship with them, can forget this person.",
                icon=":material/lock:")
        return
    suppress = st.checkbox("Also block their re-import (keeps a salted hash of their e-mails and LinkedIn profile)",
                           key="people_forget_suppress", value=True)
    sure = st.checkbox(f"Yes, forget {md(name)}", key="people_forget_confirm")
    if st.button("Forget", key="people_forget_go", disabled=not sure, type="primary", icon=":material/delete_forever:"):
        with user_errors():
            result = service.forget_person(graph, page.person.id, suppress=suppress, viewer=current_viewer())
        st.query_params.pop("person", None)
        flash(f"Forgot {md(name)}: {result.counts['relationships']} relationship(s), {result.counts['evidence']} evidence "
              f"row(s) and {result.counts['intros']} request(s) removed"
              + (f"; re-import blocked ({result.counts['suppressed']} key(s))." if suppress else "."))


def forget_the_previous_person(person_id: str) -> None:
    """Reset the change forms when another person's page opens (a pick or a tick must not carry over)."""
    if st.session_state.get("people_shown") != person_id:
        for key in [k for k in st.session_state if k.startswith(("people_mark_", "people_strength_",
                                                                  "people_merge_", "people_split_",
                                                                  "people_forget_"))]:
            del st.session_state[key]
        st.session_state["people_shown"] = person_id


def person_view(person_id: str) -> None:
    forget_the_previous_person(person_id)
    st.button("Search people", key="people_back", on_click=back_to_search, icon=":material/arrow_back:")
    show_flash()
    with user_errors():
        page = service.person_page(graph, person_id, viewer=current_viewer())
    header(page)
    relationships(page)
    if current_viewer().role == "viewer":
        st.info(LOOK_ONLY, icon=":material/visibility:")
        return
    st.subheader("Change")
    mark, strength, merge, split, forget = st.tabs(["Mark as customer, influencer or partner", "Set a strength",
                                                    "Merge with someone", "Split", "Forget"])
    with mark:
        mark_form(page, rep_choices(graph))
    with strength:
        strength_form(page)
    with merge:
        merge_form(page)
    with split:
        split_form(page)
    with forget:
        forget_form(page)


def duplicate_side(column, side) -> None:
    with column:
        st.markdown(f"**{md(side.name)}**")
        facts = [("Works at", ", ".join(side.organizations) or "no organisation known"),
                 ("Before", ", ".join(side.past_organizations)), ("Title", side.title), ("Location", side.location),
                 ("E-mail", ", ".join(side.emails)), ("Phone", ", ".join(side.phones)), ("LinkedIn", side.linkedin_url)]
        st.markdown("\n".join(f"- {label}: {md(value)}" for label, value in facts if value))
        st.caption("From: " + ("; ".join(md(e) for e in side.evidence) or "files you may not see"))


def duplicates_view() -> None:
    """Pairs of people of one name, likeliest first, each with a "same person" and a "different people" button."""
    st.button("Search people", key="people_dupes_back", icon=":material/arrow_back:",
              on_click=lambda: st.query_params.pop("view", None))
    st.title("Possible duplicates")
    show_flash()
    st.caption("People with the same name whom no e-mail, LinkedIn profile or shared organisation joined: the "
               "importers never merge them on a name alone. Likeliest first (a shared phone, organisation, city or "
               "title). *Same person* merges the second into the first (the People page's Split undoes it when their "
               "e-mails or profiles differ); *Different people* is remembered and never proposed again.")
    undo = st.session_state.get("people_dupes_undo")
    if undo and st.button(f"Undo the last merge (split {md(undo[1])})", key="people_dupes_undo_go", icon=":material/undo:"):
        with user_errors():
            people = service.split_person(graph, undo[0], viewer=current_viewer())
        del st.session_state["people_dupes_undo"]
        flash(f"Split {md(undo[1])} back into {len(people)} people.", tuple((p.name, p.id) for p in people))
    with user_errors():
        result = service.possible_duplicates(graph, limit=20, viewer=current_viewer())
    if not result.pairs:
        st.info("No possible duplicates: no two people of one name are left to decide.", icon=":material/done_all:")
    more = f" ({result.total} in all: decide these to see the next)" if result.total > len(result.pairs) else ""
    kept = f" {result.kept_apart} pair(s) decided to be different people are not shown." if result.kept_apart else ""
    if result.pairs:
        st.caption(f"{len(result.pairs)} pair(s){more}.{kept}")
    for pair in result.pairs:
        first, second = pair.first, pair.second
        key = f"{first.id}_{second.id}"
        with st.container(border=True, key=f"people_dupe_{key}"):
            st.markdown(f"**{md(first.name)}** and **{md(second.name)}**: "
                        + ("; ".join(md(r) for r in pair.reasons) or "the same name, nothing else in common"))
            left, right = st.columns(2)
            duplicate_side(left, first)
            duplicate_side(right, second)
            if not pair.splittable:
                st.caption("One of them has no e-mail or LinkedIn profile: a split may not be able to undo a merge.")
            same, different = st.columns(2)
            merge_ok = may("merge", people=[first.id, second.id])
            if not merge_ok:
                st.caption("Only an admin can merge these two: they are known from other reps' (or the team's) data.")
            if same.button("Same person: merge", key=f"people_dupe_same_{key}", icon=":material/merge:",
                           disabled=not merge_ok):
                with user_errors():
                    person = service.decide_same(graph, first.id, second.id, viewer=current_viewer())
                st.session_state["people_dupes_undo"] = (person.id, person.name)
                flash(f"Merged the two people named {md(second.name)} into one.", ((person.name, person.id),))
            if different.button("Different people", key=f"people_dupe_diff_{key}", icon=":material/call_split:",
                                disabled=not may("keep-apart")):
                with user_errors():
                    service.decide_different(graph, first.id, second.id, viewer=current_viewer())
                flash(f"Kept the two people named {md(first.name)} apart: not proposed again.")


wanted = st.query_params.get("person")
if wanted:
    person_view(wanted)
elif st.query_params.get("view") == "duplicates":
    duplicates_view()
else:
    show_flash()
    search_view()
