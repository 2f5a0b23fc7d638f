"""What every page shares: the store (one per process), the sidebar, and the one place errors become UI text."""

from __future__ import annotations

import logging
import os
import secrets
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from graphapp import service
from graphapp.errors import GraphAppError
from graphapp.settings import get_setting

log = logging.getLogger("graphapp.app")
md = service.markdown_text  # every imported value put into Markdown (messages, captions, labels) goes through it


@st.cache_resource(show_spinner="Opening the graph database…")
def _open_store(location: str):
    # Shared by every session on purpose: the store is a thread-safe connection, not per-user data.
    service.configure_process()  # once per server process, as the CLI does per command
    return service.open_graph(location)


def store():
    """The process's store for the configured location (``GRAPHAPP_DB``)."""
    with user_errors():
        return _open_store(str(get_setting("db")))
    st.stop()


@contextmanager
def user_errors() -> Iterator[None]:
    """Show a GraphAppError as its message; anything else as a generic message with a reference."""
    try:
        yield
    except GraphAppError as exc:
        st.error(md(exc), icon=":material/error:")  # a message may quote a file name or a cell
        st.stop()
    except Exception as exc:
        ref = secrets.token_hex(4)
        # Where it failed goes to the log, not the message: it may quote a contact's data (SEC-8, PRIV-2).
        where = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        log.error("unexpected error, reference %s: %s (message withheld)\n%s", ref, type(exc).__name__, where)
        st.error(f"Something went wrong on our side (reference {ref}). Nothing was changed; please try again.")
        st.stop()


def rep_choices(graph) -> dict[str, str]:
    """The team's reps, e-mail -> "Name (e-mail)", in name order."""
    with user_errors():
        reps = service.list_reps(graph)
    return {r.email: f"{r.name} ({r.email})" for r in sorted(reps, key=lambda r: (r.name.lower(), r.email))}


# -- who is looking (sign-in modes: graphapp/service.py) ----------------------------------------
VIEWER_KEY = "graphapp_viewer"  # (e-mail, role) of this session's viewer, set first thing in every run
MODE_LABELS = {
    "local": "Local single-team mode: no sign-in; whoever uses this machine picks who they are. "
             "For a trusted machine only (see docs/privacy.md, Sign-in).",
    "network": "Served to the network WITHOUT sign-in (--insecure-local-mode-on-network): anyone who can reach "
               "this address can pick any rep, admins included, and see and change what they may. Configure "
               "sign-in to serve a team (docs/privacy.md, Sign-in).",
    "oidc": "Signed in with your organisation's account.",
    "test": "Test identity shim (browser tests only; never in production).",
}


def _auth_section():
    return st.secrets.get("auth") if st.secrets.load_if_toml_exists() else None


def sign_in() -> service.Viewer:
    """Decide who this session is, before any page runs; stops the run with the login prompt (and no
    data-layer call) when nobody is signed in, and with "not authorised" for someone not on the team."""
    with user_errors():
        mode = service.auth_mode(_auth_section(), os.environ, st.get_option("server.address"))
    if mode == "local":
        on_network = service.local_mode_on_network(os.environ, st.get_option("server.address"))
        if on_network:
            st.warning(MODE_LABELS["network"], icon=":material/public:")  # on every page: sign_in runs first
        graph = store()
        viewer = _local_viewer(graph, on_network=on_network)
    else:
        email, verified, issued = _claimed_identity(mode)
        if service.session_expired(issued, time.time(), float(get_setting("session_max_hours"))):
            _sign_out(mode, f"Your session is older than {get_setting('session_max_hours'):g} hours; please sign in again.")
        graph = store()
        if st.session_state.get("graphapp_refused") == email:
            _refused(mode, f"{service.NOT_AUTHORISED}: this account is not on the team.")
        try:
            viewer = service.authorise(graph, email, verified=verified)
        except GraphAppError as exc:
            st.session_state["graphapp_refused"] = email
            _refused(mode, str(exc))
        with st.sidebar:
            st.caption(f"{MODE_LABELS[mode]} You are {md(viewer.email)} ({viewer.role}).")
            if st.button("Sign out", key="graphapp_sign_out", icon=":material/logout:"):
                _sign_out(mode, "You are signed out.")
    with user_errors():
        service.act_as(graph, viewer)
        if st.session_state.get("graphapp_audited") != (viewer.key, mode):
            service.record_sign_in(graph, viewer, mode)
            st.session_state["graphapp_audited"] = (viewer.key, mode)
    st.session_state[VIEWER_KEY] = (viewer.email, viewer.role)
    return viewer


def current_viewer() -> service.Viewer:
    """Who is looking at this run: the rep picked in local mode, the signed-in rep otherwise
    (``Viewer.everything()`` on an empty store in local mode, so the first run's demo works)."""
    saved = st.session_state.get(VIEWER_KEY)
    if saved is None:
        return sign_in()
    return service.Viewer(*saved)


def is_admin() -> bool:
    viewer = current_viewer()
    return viewer.sees_all or viewer.role == "admin"


YOU_KEY, YOU_PARAM = "graphapp_you_are", "you"  # local mode: the "You are" pick, and its page-address parameter


def _local_viewer(graph, *, on_network: bool) -> service.Viewer:
    """Local mode's viewer: the rep picked in the sidebar. A new browser session (a reload, a bookmark, a new
    tab) starts from the page address's ``?you=``, else this machine's last pick (not on the network, where
    the browsers are not one machine's), else the first rep who is not an admin; every run puts the pick
    back in the address, so it is bookmarked and reloaded with the page."""
    with user_errors():
        reps = service.list_reps(graph)
    with st.sidebar:
        st.caption(MODE_LABELS["local"])
        if not reps:
            return service.Viewer.everything()
        labels = {r.email: f"{r.name} ({r.role})" for r in reps}
        location = str(get_setting("db"))
        if st.session_state.get(YOU_KEY) not in labels:  # a new session (or its rep has left the team)
            remembered = None if on_network else service.remembered_local_rep(location)
            st.session_state["graphapp_you_remembered"] = remembered
            st.session_state[YOU_KEY] = service.local_pick(reps, asked=st.query_params.get(YOU_PARAM),
                                                           remembered=remembered)
        email = st.selectbox("You are", list(labels), format_func=labels.get, key=YOU_KEY,
                             index=None if st.session_state[YOU_KEY] is None else 0,  # 0: not to be cleared
                             placeholder="Choose who you are")
    if email is None:
        st.query_params.pop(YOU_PARAM, None)
        st.title("graphapp")
        st.info("Choose who you are in the sidebar: every rep of this team is an admin, and local mode picks no "
                "admin for you.", icon=":material/person:")
        st.stop()
    if st.query_params.get(YOU_PARAM) != email:
        st.query_params[YOU_PARAM] = email
    if not on_network and st.session_state.get("graphapp_you_remembered") != email:
        service.remember_local_rep(location, email)  # the next tab opened without ?you= is them too
        st.session_state["graphapp_you_remembered"] = email
    with user_errors():
        return service.local_viewer(graph, email)


def link_params(**params: str) -> dict[str, str]:
    """The query parameters of a link to a page: ``params`` and, in local mode, who is looking (``you``), so
    the link opened in a new tab, or bookmarked, shows the same rep's view (``st.page_link`` and
    ``st.switch_page`` move within the tab; with sign-in the viewer is the signed-in user, never a parameter)."""
    you = st.session_state.get(YOU_KEY)
    return {**params, YOU_PARAM: you} if you else dict(params)


def _claimed_identity(mode: str) -> tuple[str | None, bool, object]:
    """(e-mail, verified, issued-at) from Streamlit's signed-in user, or from the test shim's ``?as=``."""
    if mode == "oidc":
        if not st.user.get("is_logged_in"):
            _login_prompt(mode)
        return st.user.get("email"), st.user.get("email_verified", True) is not False, st.user.get("iat")
    wanted = st.query_params.get("as")
    if wanted:
        st.session_state["graphapp_test_identity"] = (wanted, time.time())
    claimed = st.session_state.get("graphapp_test_identity")
    if not claimed:
        _login_prompt(mode)
    return claimed[0], True, claimed[1]


def _login_prompt(mode: str) -> None:
    st.title("graphapp")
    reason = st.session_state.pop("graphapp_signed_out_reason", None)
    if reason:
        st.info(reason, icon=":material/logout:")
    if mode == "oidc":
        st.write("Sign in with your organisation's account to see the team's network.")
        if st.button("Sign in", key="graphapp_sign_in", type="primary", icon=":material/login:"):
            st.login()
    else:
        st.write("Test identity shim: open the app with `?as=REP_EMAIL`.")
    st.stop()


def _sign_out(mode: str, reason: str) -> None:
    for key in (VIEWER_KEY, "graphapp_audited", "graphapp_refused", "graphapp_test_identity"):
        st.session_state.pop(key, None)
    st.session_state["graphapp_signed_out_reason"] = reason
    st.query_params.pop("as", None)
    if mode == "oidc":
        st.logout()
    st.rerun()


def _refused(mode: str, message: str) -> None:
    st.title("graphapp")
    st.error(message, icon=":material/block:")
    if st.button("Sign out", key="graphapp_sign_out_refused", icon=":material/logout:"):
        _sign_out(mode, "You are signed out.")
    st.stop()


def may(action: str, **subject) -> bool:
    """Whether this run's viewer may take ``action`` (the service's own check, so the page greys out or
    hides what the service would refuse); ``subject``: as :func:`graphapp.service.may`."""
    with user_errors():
        return service.may(store(), current_viewer(), action, **subject)


LOOK_ONLY = "You are a viewer: you can look at everything you may see, but not change it."
