"""Account: the ranked warm paths into one account, drawn and explained, with a drafted intro request; champions
who moved (people a rep knew as a customer, partner or referrer elsewhere) are marked."""

import streamlit as st

from app_pages.common import current_viewer, link_params, may, md, rep_choices, store, user_errors
from graphapp import service

st.title("Warm paths into an account")
graph = store()
viewer = current_viewer()

with user_errors():
    targets = service.target_rows(graph, viewer=viewer)
if not targets:
    st.info("**No target accounts yet.** Add some on the Target accounts page (or import a targets.csv), "
            "then come back to see who can introduce you.", icon=":material/target:")
    st.page_link("app_pages/targets.py", label="Go to Target accounts", icon=":material/target:",
                 query_params=link_params())
    st.stop()

names = {t.id: t.name for t in targets}
wanted = st.query_params.get("account")
ids = list(names)
chosen = st.selectbox("Target account", ids, index=ids.index(wanted) if wanted in names else 0,
                      format_func=lambda i: names[i], key="account_pick")
other = st.text_input("…or any organisation by name or domain", key="account_other",
                      placeholder="e.g. globex.example.com")
account = other.strip() or chosen
if not other.strip():
    st.query_params["account"] = chosen

reps = rep_choices(graph)
with st.expander("Filters", icon=":material/filter_list:", expanded=False):
    c1, c2, c3 = st.columns(3)
    rep = c1.selectbox("Starting from", [None, *reps], format_func=lambda e: "Anyone on the team" if e is None
                       else reps[e], key="account_rep")
    max_hops = c2.slider("Most relationships per path", 1, 4, int(service.team_setting(graph, "paths_max_hops")),
                         key="account_max_hops")
    top = c3.number_input("Paths to show", 1, 50, int(service.team_setting(graph, "paths_top")), key="account_top")
    kinds_all = list(service.RELATIONSHIP_KINDS)
    kinds = st.multiselect("Relationship kinds a path may use", kinds_all, default=kinds_all, key="account_kinds",
                           format_func=service.kind_name,
                           help="\u201cWorked together\u201d includes people who work at the same organisation now.")
    floors = {"weak": 0.0, "medium": service.MEDIUM_FROM, "strong": service.STRONG_FROM}
    weakest = st.select_slider("Weakest tie allowed", list(floors), value="weak", key="account_min_tier",
                               help="Strong ties only, medium and strong, or any tie at all.")
    min_strength = floors[weakest]

with user_errors():
    result = service.account_paths(graph, account, rep=rep, top=int(top), max_hops=max_hops,
                                   kinds=None if len(kinds) == len(kinds_all) else kinds, min_strength=min_strength,
                                   viewer=viewer)
# The viewer's own paths first (marked), then everyone else's, each group in rank order.
paths = service.own_paths_first(result.as_dict()["paths"], viewer.email)
st.subheader(md(result.account_name))
with user_errors():
    moved = {c.person["id"]: c for c in service.moved_champions(graph, account=result.account_id, viewer=viewer)}
if moved:  # the warmest signal there is: people a rep knew as a customer, partner or referrer elsewhere
    with st.container(border=True, key="account_champions"):
        st.badge("Champions who moved", icon=":material/star:", color="green")
        st.markdown("\n".join(f"- {md(c.sentence)}" for c in moved.values()))
if not paths:
    st.warning(f"**No warm path yet into {md(result.account_name)}** with these filters. Import the reps' LinkedIn "
               "exports and CRM contacts, allow more relationships per path, or see who to meet next on the "
               "Target accounts page.", icon=":material/route:")
    st.stop()

st.graphviz_chart(service.paths_dot(paths, result.account_name, you=viewer.email))

for path in paths:
    hops = path["hops"]
    connector = hops[0]["to"]["name"]
    mine = bool(viewer.email) and (path["rep"].get("email") or "").casefold() == viewer.email.casefold()
    title = f"**{path['rank']}. {md(path['rep']['name'])}** → " + " → ".join(md(h["to"]["name"]) for h in hops)
    with st.container(border=True, key=f"account_path_{path['rank']}"):
        left, right = st.columns([3, 1])
        left.markdown(title)
        right.markdown(service.tier_bar(path["tier"]), help="How strong the path is: as strong as its weakest tie.")
        if mine:
            st.badge("Your path", icon=":material/person:", color="blue")
        if path["target"]["id"] in moved:
            st.badge("Champion who moved", icon=":material/star:", color="green")
        st.markdown(md(path["sentence"]))
        with st.expander("Details, drawing and intro request", icon=":material/forward_to_inbox:"):
            st.caption(f"Score {service.number(path['score'])}, what the paths are ranked by. Each step, with what "
                       "it rests on and its strength:")
            for hop in hops:
                st.markdown(f"- **{md(hop['from']['name'])} → {md(hop['to']['name'])}**: "
                            f"{md(service.tier_bar(hop['tier']))}, {md(hop['label'])} "
                            f"({md(service.kind_name(hop['kind']))}, strength {service.number(hop['strength'])}). "
                            + "; ".join(md(e) for e in hop["evidence"]))
            # Drawn on request: each drawing costs the browser a few hundred milliseconds.
            if st.toggle("Draw this path on its own", key=f"account_draw_{result.account_id}_{path['rank']}"):
                st.graphviz_chart(service.paths_dot([path], result.account_name, you=viewer.email))
            key = f"account_draft_{result.account_id}_{path['rank']}"
            draft = st.text_area(f"Message to {md(connector)}", service.draft_request(path, result.account_name),
                                 height=200, key=key)
            c1, c2 = st.columns(2)
            c1.download_button("Download the message", draft, file_name=f"intro-request-{path['rank']}.txt",
                               mime="text/plain", key=f"{key}_download", icon=":material/download:",
                               on_click=service.record_export, args=(graph, "intro-draft", 1),
                               kwargs={"viewer": viewer})  # AUD-1: a download is an export
            if may("intro") and c2.button("Record that I asked", key=f"{key}_record", icon=":material/done:",
                         help="Keeps the request with this path, so the weekly list follows it up.",
                         disabled=not may("intro", reps=[path["rep"].get("email")])):
                with user_errors():
                    intro = service.request_intro(graph, path, result.account_id, draft=draft, viewer=viewer)
                st.success(f"Recorded: {md(intro.rep_email)} asked {md(connector)}. The weekly list follows it up.",
                           icon=":material/done:")

with user_errors():
    requests = service.list_intros(graph, account_id=result.account_id)
if requests:
    st.subheader("Introduction requests for this account")
    st.dataframe([{"Requested": r.created.strftime("%Y-%m-%d"), "Rep": r.rep_email,
                   "Connector": r.path["hops"][0]["to"]["name"], "Target": r.path["target"]["name"],
                   "Status": r.state.value, "Updated": r.updated.strftime("%Y-%m-%d")} for r in requests],
                 hide_index=True, width="stretch", key="account_requests", column_config={
                     "Requested": st.column_config.TextColumn(width="small"),
                     "Status": st.column_config.TextColumn(width="small"),
                     "Updated": st.column_config.TextColumn(width="small")})
