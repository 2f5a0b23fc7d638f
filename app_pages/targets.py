"""Target accounts: coverage of every target, filters, who to meet next; add, change, end or upload targets."""

import pandas as pd
import streamlit as st

from app_pages.common import LOOK_ONLY, current_viewer, link_params, may, md, rep_choices, store, user_errors
from graphapp import service

st.title("Target accounts")
graph = store()
viewer = current_viewer()
reps = rep_choices(graph)
short = {email: label.rsplit(" (", 1)[0] for email, label in reps.items()}  # the name alone, for the table

with user_errors():
    rows = service.target_rows(graph, viewer=viewer)

if rows:
    uncovered = [r for r in rows if not r.covered]
    c1, c2, c3 = st.columns(3)
    c1.metric("Target accounts", f"{len(rows):,}")
    c2.metric("With a warm path", f"{len(rows) - len(uncovered):,}")
    c3.metric("No warm path yet", f"{len(uncovered):,}")

    f1, f2, f3, f4 = st.columns([2, 2, 2, 1])
    search = f1.text_input("Account", key="targets_search", placeholder="Filter by name or domain")
    owner = f2.selectbox("Owner", ["(anyone)", "(the whole team)", *reps], key="targets_owner",
                         format_func=lambda e: reps.get(e, e))
    priorities = f3.multiselect("Priority", [*service.PRIORITIES, "(none)"], key="targets_priority")
    only_uncovered = f4.toggle("No path only", key="targets_uncovered")

    def keep(r) -> bool:
        text = search.strip().lower()
        return ((not text or text in r.name.lower() or any(text in d for d in r.domains))
                and (owner == "(anyone)" or (owner == "(the whole team)" and r.owner is None) or r.owner == owner)
                and (not priorities or (r.priority or "(none)") in priorities)
                and (not only_uncovered or not r.covered))

    shown = [r for r in rows if keep(r)]
    table = pd.DataFrame([{
        "Account": r.name, "Priority": r.priority or "",
        "Owner": short.get(r.owner, r.owner) if r.owner else "Team", "Known people": r.known_people,
        "Best path": service.tier_bar(r.best_tier), "Best-placed rep": short.get(r.best_rep, r.best_rep or ""),
        "Warm path": "yes" if r.covered else "no path yet"} for r in shown],
        columns=["Account", "Priority", "Owner", "Known people", "Best path", "Best-placed rep", "Warm path"])
    # A click on a row opens its account in this tab (a link column would open a new one), carrying who looks.
    opened = st.dataframe(table, hide_index=True, width="stretch", key="targets_table", on_select="rerun",
                          selection_mode="single-row", column_config={
        "Priority": st.column_config.TextColumn(width="small"),
        "Best path": st.column_config.TextColumn(
            "Best path", help="How strong the best path in is: as strong as its weakest tie."),
    })
    if opened.selection.rows:
        st.switch_page("app_pages/account.py", query_params=link_params(account=shown[opened.selection.rows[0]].id))
    st.caption(f"{len(shown):,} of {len(rows):,} accounts, best covered first. Click a row to open its warm paths; "
               "sort by clicking a column header.")
    with st.expander("Details: best path scores", icon=":material/analytics:"):
        st.dataframe(pd.DataFrame([{"Account": r.name, "Best score": service.number(r.best_score) if r.covered else ""}
                                   for r in shown], columns=["Account", "Best score"]),
                     hide_index=True, width="stretch", key="targets_scores")

    if uncovered:
        st.subheader("Who should I meet next")
        with user_errors():
            meet = service.coverage(graph, viewer=viewer).as_dict()["meet_next"]
        if meet:
            st.caption("People we know of who are one relationship away from the most accounts with no warm path, "
                       "and the teammate who knows them.")
            told: list[list[str]] = []  # the paths already put in words: a longer one through them says no more
            for n, m in enumerate(meet, 1):
                with st.container(border=True, key=f"targets_meet_{n}"):
                    accounts = m["accounts"]
                    opens = ", ".join(md(a) for a in accounts[:-1]) + (" and " if len(accounts) > 1 else "") + \
                        md(accounts[-1])
                    st.markdown(f"**{md(m['name'])}** would open {opens}.")
                    known = m["known_by"]
                    if known:
                        st.markdown(f"**{md(known['name'])}** knows them ({md(service.tier_bar(known['tier']))}): "
                                    + " → ".join(md(p) for p in known["people"]))
                        if not any(known["people"][:len(t)] == t for t in told):
                            st.caption(md(known["sentence"]))
                        told.append(known["people"])
                    else:
                        st.caption("No one on the team knows them yet: whoever meets them first opens these accounts.")
        else:
            st.info("Nobody we know is one relationship away from the uncovered accounts yet: import more of "
                    "the team's contacts, or add people there you already know.")
else:
    st.info("**No target accounts yet.** Add the accounts you want to win below, or upload a `targets.csv` "
            "(`account,domain,owner_rep_email,priority`).", icon=":material/target:")

if not may("target"):
    st.info(LOOK_ONLY, icon=":material/visibility:")
    st.stop()

left, right = st.columns(2)
with left, st.form("targets_add", clear_on_submit=True, border=True):
    st.markdown("**Add a target account**")
    name = st.text_input("Name", key="targets_add_name", placeholder="Globex Corporation")
    domain = st.text_input("Web domain (optional)", key="targets_add_domain", placeholder="globex.example.com")
    add_owner = st.selectbox("Owner", [None, *reps], format_func=lambda e: "The whole team" if e is None else reps[e],
                             key="targets_add_owner")
    add_priority = st.selectbox("Priority", [None, *service.PRIORITIES], format_func=lambda p: p or "—",
                                key="targets_add_priority")
    if st.form_submit_button("Add", type="primary", icon=":material/add:"):
        with user_errors():
            org = service.add_target(graph, name, domain=domain, owner=add_owner, priority=add_priority, viewer=viewer)
        st.success(f"{md(org.name)} is a target account.")
        st.rerun()

with right:
    if rows:
        with st.container(border=True):
            st.markdown("**Change or end a target**")
            by_id = {r.id: r for r in rows}
            pick = st.selectbox("Account", list(by_id), format_func=lambda i: by_id[i].name, key="targets_edit_pick")
            current = by_id[pick]
            owners = [None, *reps]
            new_owner = st.selectbox("Owner", owners, index=owners.index(current.owner) if current.owner in owners else 0,
                                     format_func=lambda e: "The whole team" if e is None else reps[e],
                                     key=f"targets_edit_owner_{pick}")
            levels = [None, *service.PRIORITIES]
            new_priority = st.selectbox("Priority", levels, index=levels.index(current.priority),
                                        format_func=lambda p: p or "—", key=f"targets_edit_priority_{pick}")
            b1, b2 = st.columns(2)
            if b1.button("Save", key="targets_edit_save", icon=":material/save:"):
                with user_errors():
                    service.set_target(graph, pick, True, owner=new_owner, priority=new_priority, viewer=viewer)
                st.rerun()
            if b2.button("No longer a target", key="targets_edit_remove", icon=":material/remove_circle:"):
                with user_errors():
                    service.set_target(graph, pick, False, viewer=viewer)
                st.toast(f"{md(current.name)} is no longer a target account.")
                st.rerun()
    with st.container(border=True):
        st.markdown("**Upload targets.csv**")
        upload = st.file_uploader("targets.csv", type=["csv"], key="targets_upload", label_visibility="collapsed",
                                  help="Columns (by name, any order): account, domain, owner_rep_email, priority.")
        if upload is not None and st.button("Import the targets", key="targets_upload_go", icon=":material/upload:"):
            with st.spinner("Importing…"), user_errors():
                report = service.import_uploads(graph, [(upload.name, upload.getvalue())], viewer=viewer)
            for f in report.files:
                (st.success if f.committed else st.error)(  # committed: its rows are in the graph
                    f"{md(f.path)}: {f.rows_accepted:,} accepted, {f.rows_rejected:,} rejected.")
                for row, _column, reason in f.errors[:20]:
                    st.caption(f"row {row}: {md(reason)}" if row else md(reason))
