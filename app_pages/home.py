"""Home: what the graph holds, who contributed it, recent imports; a first-run state on an empty store."""

import pandas as pd
import streamlit as st

from app_pages.common import current_viewer, may, store, user_errors
from app_pages.import_history import HISTORY_COLUMNS, history_rows
from graphapp import service

st.title("Warm paths into your target accounts")
graph = store()

with user_errors():
    summary = service.summary(graph)
    reps = {r.email: r.name for r in service.list_reps(graph)}
    imports = service.list_imports(graph)

counts = summary.counts
if counts.people == 0:
    st.info(
        "**No data yet.** Load the demo network to look around, or import your LinkedIn export.",
        icon=":material/waving_hand:",
    )
    if may("load-demo") and st.button("Load the demo network", key="home_load_demo", type="primary"):
        with st.spinner("Loading the demo network (about 3,000 people)…"), user_errors():
            result = service.load_demo(graph, viewer=current_viewer())
        st.success(f"Loaded {result.counts.people:,} people and {result.counts.relationships:,} relationships.")
        st.rerun()
    st.markdown(
        "**Getting your LinkedIn export:** on linkedin.com open *Me → Settings & Privacy → Data privacy → "
        "Get a copy of your data*, choose *Connections* (or the whole archive) and request it. LinkedIn e-mails "
        "you a link to a ZIP file (`Basic_LinkedInDataExport_….zip`) within minutes to a day."
    )
    st.stop()

COUNT_WORDS = {"organizations": "Organisations"}
cols = st.columns(5)
for col, (label, value) in zip(cols, counts.as_dict().items(), strict=True):
    col.metric(COUNT_WORDS.get(label, label.capitalize()), f"{value:,}")

with user_errors():
    targets = service.target_rows(graph, viewer=current_viewer())
st.subheader("Coverage of the target accounts")
if targets:
    covered = sum(1 for t in targets if t.covered)
    st.caption(f"{covered:,} of {len(targets):,} target accounts have a warm path; the bar is the best path's score. "
               "Open one on the Account page.")
    chart = pd.DataFrame({"Account": [t.name for t in targets], "Best path score": [t.best_score for t in targets],
                          "Warm path": ["yes" if t.covered else "not yet" for t in targets]})
    # Bars across, one line per account, its whole name beside it (names under upright bars were cut off).
    st.vega_lite_chart(chart, {
        "mark": {"type": "bar", "tooltip": True},
        "height": {"step": 18},
        "encoding": {
            "y": {"field": "Account", "type": "nominal", "sort": "-x", "title": None,
                  "axis": {"labelLimit": 360, "labelOverlap": False}},
            "x": {"field": "Best path score", "type": "quantitative", "scale": {"domain": [0, 1]}},
            "color": {"field": "Warm path", "type": "nominal", "scale": {"domain": ["yes", "not yet"]},
                      "legend": {"orient": "top"}},
        },
    }, width="stretch")
else:
    st.info("No target accounts yet: add them on the Target accounts page.", icon=":material/target:")

left, right = st.columns(2)
with left:
    st.subheader("Who brought which relationships")
    rows = [
        {"Owner": reps.get(c.owner, "Team" if c.owner == "team" else c.owner), "Relationships": c.relationships}
        for c in summary.contributions
    ]
    st.dataframe(rows, hide_index=True, width="stretch", key="home_contributions")
with right:
    st.subheader("Recent imports")
    st.dataframe(history_rows(imports[:10], service.actor_names(graph)), hide_index=True, width="stretch",
                 key="home_imports", column_config=HISTORY_COLUMNS)  # imports run in the app name the rep
