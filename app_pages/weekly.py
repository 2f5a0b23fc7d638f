"""Weekly: each rep's suggested introductions and cadence reminders, downloads, and the requests to follow up."""

from datetime import date, timedelta

import streamlit as st

from app_pages.common import current_viewer, may, md, rep_choices, store, user_errors
from graphapp import service

st.title("This week's suggested introductions")
graph = store()
reps = rep_choices(graph)
if not reps:
    st.info("No reps yet: add the team with `graphapp reps add` or load the demo network on Home.")
    st.stop()

this_monday = date.today() - timedelta(days=date.today().weekday())
weeks = [service.week_of(this_monday - timedelta(weeks=n)) for n in range(0, 8)]
viewer = current_viewer()
c1, c2 = st.columns(2)
week = c1.selectbox("Week", weeks, key="weekly_week")
if viewer.sees_all:
    who = c2.selectbox("Rep", [None, *reps], format_func=lambda e: "The whole team" if e is None else reps[e],
                       key="weekly_rep")
else:  # a list holds the rep's own contacts: each rep sees their own
    who = viewer.email
    c2.text_input("Rep", reps.get(who, who), disabled=True, key="weekly_rep_shown")

with st.spinner("Ranking the week's paths…"), user_errors():
    result = service.weekly_lists(graph, week=week, rep=who, record=False)
data = result.as_dict()

d1, d2, d3 = st.columns(3)
shown = sum(len(r["items"]) for r in data["reps"])


def audited(kind: str, rows: int) -> dict:
    """A download's audit row (AUD-1), written when it is clicked."""
    return {"on_click": service.record_export, "args": (graph, kind, rows), "kwargs": {"viewer": viewer}}


d1.download_button("CSV (all shown)", service.weekly_csv(data), file_name=f"weekly-{week}.csv", mime="text/csv",
                   key="weekly_csv", icon=":material/download:", **audited("weekly-csv", shown))
d2.download_button("Markdown", service.weekly_markdown(data), file_name=f"weekly-{week}.md", mime="text/markdown",
                   key="weekly_md", icon=":material/download:", **audited("weekly-md", shown))

for r, r_data in zip(result.reps, data["reps"], strict=True):
    rep = r.rep
    champions = [i for i in r.items if i.kind == "champion"]
    intros = [i for i in r.items if i.kind == "intro"]
    cadence = [i for i in r.items if i.kind == "cadence"]
    st.subheader(md(rep["name"]))
    st.download_button(f"{md(rep['name'])}'s list as a page to e-mail", service.weekly_html(data, rep, r_data["items"]),
                       file_name=service.weekly_html_name(week, rep), mime="text/html", key=f"weekly_html_{rep['id']}",
                       **audited("weekly-html", len(r_data["items"])))
    for n, item in enumerate(champions, 1):  # the list opens with them: the warmest signal a rep can get
        key = f"weekly_champion_{rep['id']}_{n}"
        with st.container(border=True, key=key):
            st.badge("Champion who moved", icon=":material/star:", color="green")
            st.markdown(md(item.reason))
            with st.expander("Draft message"):
                st.text_area("Message", item.draft, height=180, key=f"{key}_draft")
    if not intros:
        st.caption("No new paths this week: import more contacts or add target accounts.")
    for n, item in enumerate(intros, 1):
        path = item.path
        key = f"weekly_{rep['id']}_{path['target']['id']}"
        with st.container(border=True, key=key):
            left, right = st.columns([4, 1])
            left.markdown(f"**{n}.** {md(item.reason)}")
            right.markdown(service.tier_bar(path["tier"]), help="How strong the path is: as strong as its weakest tie.")
            with st.expander("Path, details and draft request"):
                st.markdown(md(path["sentence"]))
                st.caption(f"Score {service.number(item.score)}. Strengths: " + "; ".join(
                    f"{md(h['from']['name'])} → {md(h['to']['name'])}: {md(service.kind_name(h['kind']))}, "
                    f"{service.number(h['strength'])}" for h in path["hops"]))
                draft = st.text_area("Message", item.draft, height=180, key=f"{key}_draft")
                if st.button("I asked", key=f"{key}_asked", icon=":material/done:",
                             disabled=not may("intro", reps=[path["rep"].get("email")])):
                    with user_errors():
                        intro = service.request_intro(graph, path, item.account_id, draft=draft, viewer=viewer)
                    st.success("Recorded that you asked; follow it up below.")
    if cadence:
        st.markdown("**Cadence**")
        st.markdown("\n".join(f"- {md(i.reason)}" for i in cadence))

st.divider()
st.subheader("Requests to follow up")
with user_errors():
    requests = [i for i in service.list_intros(graph, rep_email=who) if service.next_states(i.state)
                and i.state.value != "suggested"]
if not requests:
    st.caption("No open requests. When a rep asks a connector, record it here or on the Account page.")
for intro in requests:
    with st.container(border=True, key=f"weekly_req_{intro.id}"):
        st.markdown(f"**{md(intro.path['hops'][0]['to']['name'])} → {md(intro.path['target']['name'])}** "
                    f"({md(intro.rep_email)}): {md(intro.state.value)} since {intro.updated:%Y-%m-%d}")
        c1, c2, c3 = st.columns([2, 3, 1])
        state = c1.selectbox("Now", [s.value for s in service.next_states(intro.state)], key=f"weekly_state_{intro.id}")
        note = c2.text_input("Note", key=f"weekly_note_{intro.id}", placeholder="optional")
        if c3.button("Update", key=f"weekly_update_{intro.id}", disabled=not may("intro", reps=[intro.rep_email])):
            with user_errors():
                service.update_intro(graph, intro.id, state, note=note or None, viewer=viewer)
            st.rerun()
