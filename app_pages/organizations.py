"""Organisations: find one by name or domain; an organisation's page (``?org=ID``) with its flags, the
people we know there now and before, and the ranked warm paths into it, each explained."""

import streamlit as st

from app_pages.common import current_viewer, link_params, md, store, user_errors
from graphapp import service

graph = store()


def open_org(org_id: str) -> None:
    st.query_params["org"] = org_id
    st.rerun()


def back_to_search() -> None:
    """Button callback: leave the organisation's page for the search, keeping what was typed."""
    st.query_params.pop("org", None)
    st.session_state["org_q"] = st.session_state.get("org_last_q", "")


def org_table(rows, key: str) -> None:
    """Organisations as a table; clicking a row opens one."""
    table = [{"Organisation": r.name, "Domains": ", ".join(r.domains), "Is": ", ".join(r.flags),
              "People we know there now": r.known_now, "Found by": r.matched} for r in rows]
    event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key=key)
    if event.selection.rows:
        open_org(rows[event.selection.rows[0]].id)
    labels = {r.id: r.name for r in rows}
    chosen = st.selectbox("Open an organisation's page", list(labels), index=None, format_func=labels.get,
                          placeholder="Choose an organisation", key=f"{key}_open")
    if chosen:
        open_org(chosen)


def search_view() -> None:
    st.title("Organisations")
    query = st.text_input("Search organisations", key="org_q", placeholder="A name or a domain: globex, initech.example.com")
    if not query.strip():
        with user_errors():
            targets = service.target_organizations(graph)
        if not targets:
            st.info("Type part of an organisation's name or domain to find it. There are no target accounts yet: "
                    "mark some on the Target accounts page or import a targets.csv.", icon=":material/domain:")
            return
        st.caption(f"Type part of a name or domain to find any organisation. The {len(targets)} target accounts:")
        org_table(targets, "org_targets")
        return
    with user_errors():
        rows = service.search_organizations(graph, query)
    if not rows:
        st.info(f"No organisation matches **{md(query.strip())}**. Try fewer letters or the domain; organisations come "
                "from imports (Import page).", icon=":material/search_off:")
        return
    st.session_state["org_last_q"] = query
    st.caption(f"{len(rows)} organisation{'s' if len(rows) != 1 else ''}. Click a row to open its page.")
    org_table(rows, "org_results")


def people_table(rows, key: str, when: str) -> None:
    table = [{"Name": r.name, "Title there": r.title or "", "Works at now": r.organization or "",
              "E-mail": r.email or ""} for r in rows]
    event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key=key)
    if event.selection.rows:
        st.switch_page("app_pages/people.py", query_params=link_params(person=rows[event.selection.rows[0]].id))
    labels = {r.id: r.name for r in rows}
    chosen = st.selectbox(f"Open the page of someone who works there {md(when)}", list(labels), index=None,
                          format_func=labels.get, placeholder="Choose a person", key=f"{key}_open")
    if chosen:
        st.switch_page("app_pages/people.py", query_params=link_params(person=chosen))


def paths_section(page) -> None:
    paths, name = page.paths.paths, page.org.name
    st.subheader("Warm paths in")
    if not page.current:
        st.info(f"We know no one who works at {md(name)} now, so there is no one to be introduced to. Import the reps' "
                "LinkedIn exports and CRM contacts to find people there.", icon=":material/route:")
        return
    if not paths:
        st.info(f"No rep reaches anyone at {md(name)} within the allowed number of relationships. Meeting one of the "
                "people below, or allowing longer paths in Settings, would open one.", icon=":material/route:")
        return
    viewer = current_viewer()
    for path in service.own_paths_first(paths, viewer.email):  # the viewer's own first, then in rank order
        hops = path["hops"]
        with st.container(border=True, key=f"org_path_{path['rank']}"):
            st.markdown(f"**{path['rank']}. {md(path['rep']['name'])}** → " + " → ".join(md(h["to"]["name"]) for h in hops)
                        + f" · {md(service.tier_bar(path['tier']))}")
            if viewer.email and (path["rep"].get("email") or "").casefold() == viewer.email.casefold():
                st.badge("Your path", icon=":material/person:", color="blue")
            st.markdown(md(path["sentence"]))
            with st.expander("Details: score and evidence for each step", icon=":material/fact_check:"):
                st.caption(f"Score {service.number(path['score'])}.")
                for hop in hops:
                    st.markdown(f"- **{md(hop['from']['name'])} → {md(hop['to']['name'])}** "
                                f"({md(service.kind_name(hop['kind']))}, strength {service.number(hop['strength'])}): "
                                + "; ".join(md(e) for e in hop["evidence"]))


def org_view(org_id: str) -> None:
    st.button("Search organisations", key="org_back", on_click=back_to_search, icon=":material/arrow_back:")
    with user_errors():
        page = service.organization_page(graph, org_id, viewer=current_viewer())
    org = page.org
    st.title(md(org.name))
    flags = [("Customer", org.is_customer, "green"), ("Target account", org.is_target, "orange"),
             ("Partner", org.is_partner, "violet")]
    for label, on, color in flags:
        if on:
            st.badge(label, color=color)
    facts = [f"domains: {', '.join(md(d) for d in org.domains)}"] if org.domains else []
    facts += [f"also known as {', '.join(md(a) for a in org.aliases)}"] if org.aliases else []
    if org.is_target:
        facts += [f"account owner: {md(org.target_owner or 'the whole team')}"]
        facts += [f"priority: {md(org.priority)}"] if org.priority else []
    st.caption(" · ".join(facts) or "No domain known.")
    if org.is_target:
        st.page_link("app_pages/account.py", label="Open on the Account page",
                     query_params=link_params(account=org.id), icon=":material/route:")
    paths_section(page)
    st.subheader(f"People there now ({len(page.current)})")
    if page.current:
        people_table(page.current, "org_people_now", "now")
    else:
        st.info("No one we know works there now.", icon=":material/group_off:")
    if page.past:
        st.subheader(f"Worked there before ({len(page.past)})")
        people_table(page.past, "org_people_past", "before")


wanted = st.query_params.get("org")
if wanted:
    org_view(wanted)
else:
    search_view()
