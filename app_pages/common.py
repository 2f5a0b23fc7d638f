"""What every page shares: the store (one per process), the sidebar, and the one place errors become UI text."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from graphapp import service
from graphapp.errors import GraphAppError
from graphapp.settings import get_setting

log = logging.getLogger("graphapp.app")


@st.cache_resource(show_spinner="Opening the graph database…")
def _open_store(location: str):
    # Shared by every session on purpose: the store is a thread-safe connection, not per-user data.
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
        st.error(str(exc), icon=":material/error:")
        st.stop()
    except Exception:
        ref = secrets.token_hex(4)
        log.exception("unexpected error, reference %s", ref)
        st.error(f"Something went wrong on our side (reference {ref}). Nothing was changed; please try again.")
        st.stop()


def sidebar() -> None:
    with st.sidebar:
        st.caption(f"Graph database: `{get_setting('db')}`")


def rep_choices(graph) -> dict[str, str]:
    """The team's reps, e-mail -> "Name (e-mail)", in name order."""
    with user_errors():
        reps = service.list_reps(graph)
    return {r.email: f"{r.name} ({r.email})" for r in sorted(reps, key=lambda r: (r.name.lower(), r.email))}
