"""Settings: the team's ranking weights and buyer persona, previewed on one account before saving."""

import pandas as pd
import streamlit as st

from app_pages.common import current_viewer, may, store, user_errors
from graphapp import service

st.title("Ranking settings")
st.caption("These settings apply to the whole team. Change them, preview how an account's ranking moves, then save.")
graph = store()
with user_errors():
    settings = {s.name: s for s in service.team_settings(graph)}

changes: dict[str, object] = {}


def field(name: str, *, step: float | None = None, text: bool = False) -> None:
    s = settings[name]
    help_text = s.help + (f" Fixed by {s.fixed_by}." if s.fixed_by else f" Default: {s.default}.") \
        + f" In a settings file: `{name}`."
    key, label = f"settings_{name}", s.label or name
    if text:
        value = st.text_input(label, str(s.value), key=key, help=help_text, disabled=bool(s.fixed_by))
    elif isinstance(s.default, int):
        value = st.number_input(label, value=int(s.value), step=1, key=key, help=help_text, disabled=bool(s.fixed_by))
    else:
        value = st.number_input(label, value=float(s.value), step=step or 0.05, format="%.2f", key=key,
                                help=help_text, disabled=bool(s.fixed_by))
    if value != s.value and not s.fixed_by:
        changes[name] = value


paths_tab, kinds_tab, interactions_tab, colleagues_tab, persona_tab = st.tabs(
    ["Paths", "Relationship kinds", "Interactions", "Colleagues", "Buyer persona"])
with paths_tab:
    columns = st.columns(5)
    for col, name in zip(columns, ("paths_top", "paths_max_hops", "paths_per_target", "paths_repeat_discount",
                                   "meet_next"), strict=True):
        with col:
            field(name)
with kinds_tab:
    st.caption("Strength: what a relationship of this kind is worth on its own. Willingness: how readily someone "
               "tied by it passes an introduction on. Both in (0, 1].")
    kinds = list(service.RELATIONSHIP_KINDS)
    table = pd.DataFrame({"kind": kinds, "strength": [settings[f"strength_{k}"].value for k in kinds],
                          "willingness": [settings[f"willingness_{k}"].value for k in kinds]})
    edited = st.data_editor(table, hide_index=True, disabled=["kind"], key="settings_kinds", width="stretch",
                            column_config={"kind": st.column_config.TextColumn("Relationship kind", width="medium"),
                                           **{c: st.column_config.NumberColumn(c.capitalize(), min_value=0.01,
                                                                               max_value=1.0, step=0.05, format="%.2f")
                                              for c in ("strength", "willingness")}})
    for _, row in edited.iterrows():
        for column in ("strength", "willingness"):
            name = f"{column}_{row['kind']}"
            if float(row[column]) != settings[name].value and not settings[name].fixed_by:
                changes[name] = float(row[column])
with interactions_tab:
    c1, c2 = st.columns(2)
    with c1:
        for name in ("half_life_days", "two_way_weight", "one_way_weight", "meeting_weight"):
            field(name, step=1.0 if name == "half_life_days" else 0.05)
    with c2:
        for name in ("interaction_scale", "interaction_boost", "age_boost", "age_full_years"):
            field(name, step=0.5 if name in ("interaction_scale", "age_full_years") else 0.05)
with colleagues_tab:
    for name in ("colleague_strength", "colleague_small_org", "colleague_tenure_years"):
        field(name, step=1.0 if name == "colleague_small_org" else 0.05)
with persona_tab:
    field("persona_keywords", text=True)
    field("persona_miss")
    field("seniority_keywords", text=True)
    field("seniority_floor")

st.divider()
st.subheader("Preview")
with user_errors():
    targets = service.target_rows(graph, viewer=current_viewer())
if not targets:
    st.info("Add target accounts to preview how a ranking changes.")
else:
    names = {t.id: t.name for t in targets}
    account = st.selectbox("Account", list(names), format_func=names.get, key="settings_preview_account")
    with user_errors():
        proposed = {n: str(v) for n, v in service.check_settings(changes).items()}
        now = service.account_paths(graph, account, viewer=current_viewer()).as_dict()["paths"]
        then = service.account_paths(graph, account, weights=service.scoring_weights(graph, proposed),
                                     viewer=current_viewer(),
                                     top=int(changes.get("paths_top", settings["paths_top"].value)),
                                     max_hops=int(changes.get("paths_max_hops", settings["paths_max_hops"].value)),
                                     per_target=int(changes.get("paths_per_target",
                                                                settings["paths_per_target"].value)),
                                     repeat_discount=float(changes.get("paths_repeat_discount",
                                                                       settings["paths_repeat_discount"].value))
                                     ).as_dict()["paths"]

    def label(p: dict) -> str:
        return " → ".join([p["rep"]["name"], *(h["to"]["name"] for h in p["hops"])])

    before = {label(p): (p["rank"], p["score"]) for p in now}
    rows = [{"Rank": p["rank"], "Path": label(p), "Score": round(p["score"], 2),
             "Was": (f"#{before[label(p)][0]} ({before[label(p)][1]:.2f})" if label(p) in before else "new")}
            for p in then]
    st.caption(f"{len(changes)} unsaved change(s)." if changes else "No changes yet: this is the current ranking.")
    st.dataframe(rows, hide_index=True, width="stretch", key="settings_preview",
                 column_config={"Rank": st.column_config.NumberColumn("Rank", width="small"),
                                "Path": st.column_config.TextColumn("Path", width="large")})

if not may("settings"):  # the team's settings are an admin's: no save button for anyone else
    st.info("Only an admin can save the team's settings: you can try changes here and preview them.",
            icon=":material/lock:")
    st.stop()
c1, c2 = st.columns([1, 4])
if c1.button("Save for the team", type="primary", disabled=not changes, key="settings_save",
             icon=":material/save:"):
    with user_errors():
        service.save_team_settings(graph, changes, viewer=current_viewer())
    st.toast(f"Saved {len(changes)} setting(s).")
    st.rerun()
if c2.button("Back to the defaults", key="settings_reset", icon=":material/restart_alt:"):
    with user_errors():
        service.save_team_settings(graph, {n: s.default for n, s in settings.items() if not s.fixed_by},
                                   viewer=current_viewer())
    for name in settings:
        st.session_state.pop(f"settings_{name}", None)
    st.session_state.pop("settings_kinds", None)
    st.rerun()
