"""Audit log (admins only): every change, sign-in and backup with its time, actor, ids and counts; the
suppression list of forgotten people; a backup on demand."""

import streamlit as st

from app_pages.common import current_viewer, md, store, user_errors
from graphapp import service
from graphapp.settings import get_setting

st.title("Audit log")
viewer = current_viewer()
if not (viewer.sees_all or viewer.role == "admin"):
    st.error("Only an admin can see the audit log.", icon=":material/block:")
    st.stop()

graph = store()
st.caption("Append-only: every import (and failed import), undo, merge, split, strength, target, settings change, "
           "intro request, visibility change, forgotten person, backup, restore, sign-in and refused change, with ids and "
           "counts. "
           "It never holds names or e-mails: people are ids, refused sign-ins and forgotten e-mails salted hashes.")
limit = st.number_input("Newest rows", 10, 10_000, 200, 50, key="audit_limit")
with user_errors():
    entries = service.audit_log(graph, limit=int(limit), viewer=viewer)
    reps = {actor: f"{name} (rep)" for actor, name in service.actor_names(graph).items()}
if not entries:
    st.info("Nothing recorded yet.", icon=":material/policy:")
else:
    st.dataframe([{"#": e.seq, "When (UTC)": e.time.strftime("%Y-%m-%d %H:%M:%S"), "Who": reps.get(e.actor, e.actor),
                   "Action": e.action, "Objects": ", ".join(e.objects),
                   "Counts": ", ".join(f"{k} {v:,}" for k, v in e.counts.items())} for e in entries],
                 hide_index=True, width="stretch", key="audit_table",
                 column_config={"#": st.column_config.NumberColumn("#", width=60),
                                "When (UTC)": st.column_config.TextColumn("When (UTC)", width=150),
                                "Objects": st.column_config.TextColumn("Objects", width="large"),
                                "Counts": st.column_config.TextColumn("Counts", width="medium")})

st.subheader("Suppressed (forgotten people)")
with user_errors():
    suppressed = service.suppressed(graph, viewer=viewer)
if suppressed:
    st.caption("Imports skip rows carrying these e-mails or LinkedIn profiles (kept as salted hashes only).")
    st.dataframe([{"Hash": h, "Since (UTC)": t[:19], "By": reps.get(a, a)} for h, t, a in suppressed],
                 hide_index=True, width="stretch", key="audit_suppressed")
    lift = st.selectbox("Allow one back", [h for h, _, _ in suppressed], index=None, key="audit_lift_pick",
                        placeholder="Choose a hash to lift its suppression")
    if lift and st.button("Lift the suppression", key="audit_lift_go", icon=":material/lock_open:"):
        with user_errors():
            service.unsuppress(graph, lift, viewer=viewer)
        st.rerun()
else:
    st.caption("No one is suppressed. Forgetting a person on the People page can block their re-import.")

st.subheader("Where the data lives")
with st.expander("Graph database", icon=":material/database:"):
    st.caption("The store every page reads and writes (the `db` setting, `GRAPHAPP_DB`).")
    st.code(str(get_setting("db")), language=None)

st.subheader("Backups")
st.caption("Automatic backups (before undo-import, schema migrations and restores) go to `backups/` next to the "
           "database file; the newest `backup_keep` are kept. `graphapp backup PATH` / `graphapp restore PATH` too.")
if st.button("Back up now", key="audit_backup", icon=":material/backup:"):
    with user_errors():
        path = service.backup_now(graph, viewer=viewer)
    st.success(f"Backed up to {md(path)}.", icon=":material/done:")
