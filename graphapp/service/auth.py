"""Sign-in for the browser app (part of the service, no Streamlit here): which mode the app runs in,
the start-up checks, who a verified e-mail is on the team, and the session's age (SEC-1..4).

Three modes:

- ``oidc``: an ``[auth]`` section in ``.streamlit/secrets.toml`` (Streamlit's ``st.login``). Every page
  needs a signed-in user whose verified e-mail belongs to a rep; the session ends ``session_max_hours``
  after the identity token was issued (``iat``), since Streamlit checks neither expiry nor age and
  its cookie lasts 30 days. Start-up refuses an ``[auth]`` section without a ``cookie_secret`` of at
  least 32 characters.
- ``test``: the identity shim of the browser tests. The e-mail comes from the page address
  (``?as=EMAIL``) and is treated like a verified OIDC claim. Only with ``GRAPHAPP_TEST_IDENTITY=1``
  *and* a loopback bind (``--server.address 127.0.0.1``); otherwise start-up refuses.
- ``local``: no sign-in configured, for one trusted machine: the server must bind to loopback only
  (start-up refuses any other address, unless ``GRAPHAPP_INSECURE_LOCAL_MODE_ON_NETWORK=1``, which
  ``graphapp serve --insecure-local-mode-on-network`` sets and every page then warns about). The user
  picks who they are from the reps (the sidebar says so; the first pick is never an admin); an empty
  store (the first run's demo) sees everything. The pick is kept in the page address (``?you=EMAIL``)
  and, on this machine only (not with ``--insecure-local-mode-on-network``), in a file next to the
  database (:func:`remember_local_rep`), so a reload, a bookmark and a new tab are the same rep.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from graphapp.audit import set_actor
from graphapp.domain.identity import normalize_email
from graphapp.domain.privacy import Viewer
from graphapp.errors import ConfigError, NotAllowed
from graphapp.service.roles import actor_of
from graphapp.store import GraphStore, is_server_location

TEST_FLAG = "GRAPHAPP_TEST_IDENTITY"
INSECURE_FLAG = "GRAPHAPP_INSECURE_LOCAL_MODE_ON_NETWORK"
LOCAL_ONLY = (
    "Without sign-in, graphapp serves this machine only (--address 127.0.0.1 or localhost): anyone who can open "
    "the page picks who they are, admins included. To serve the team, configure sign-in ([auth] in "
    ".streamlit/secrets.toml, see docs/privacy.md, Sign-in) and put a TLS proxy in front. On a network where "
    "everyone may see and change everything, `graphapp serve --insecure-local-mode-on-network` starts anyway."
)
MIN_COOKIE_SECRET = 32
NOT_AUTHORISED = "not authorised"


def check_auth_section(auth: Mapping | None) -> bool:
    """Whether OIDC sign-in is configured (an ``[auth]`` section), after checking it can be used safely.

    Raises:
        ConfigError: the section has no ``cookie_secret`` of at least 32 characters, or no ``redirect_uri``.
    """
    if not auth:
        return False
    secret = auth.get("cookie_secret")
    if not isinstance(secret, str) or len(secret) < MIN_COOKIE_SECRET:
        raise ConfigError(
            f"Sign-in is configured ([auth] in .streamlit/secrets.toml) but cookie_secret is "
            f"{'missing' if not secret else f'{len(str(secret))} characters'}; it must be a random string of at "
            f"least {MIN_COOKIE_SECRET} characters (e.g. `python -c \"import secrets; print(secrets.token_hex(32))\"`). "
            "The app does not start without it.")
    if not auth.get("redirect_uri"):
        raise ConfigError("Sign-in is configured but [auth] has no redirect_uri (the app's URL ending in "
                          "/oauth2callback); the app does not start without it.")
    return True


def check_secrets_file(path: str | Path) -> bool:
    """:func:`check_auth_section` on a ``secrets.toml`` file (``graphapp serve`` checks before starting).

    Returns whether sign-in is configured there (False: no file, or no ``[auth]`` section).
    """
    path = Path(path)
    if not path.is_file():
        return False
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}.") from None
    return check_auth_section(data.get("auth"))


def is_loopback(address: str | None) -> bool:
    """Whether the server binds only to this machine (127.0.0.0/8, ::1 or localhost)."""
    if not address:
        return False  # unset: Streamlit listens on every interface
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def identity_shim_enabled(env: Mapping[str, str], address: str | None) -> bool:
    """Whether the browser tests' identity shim is on: the flag set *and* a loopback bind.

    Raises:
        ConfigError: the flag is set but the server binds beyond this machine (refusing to start).
    """
    if env.get(TEST_FLAG, "") in ("", "0"):
        return False
    if not is_loopback(address):
        raise ConfigError(f"{TEST_FLAG} is set, but the server binds to {address or 'every interface'}; the test "
                          "identity shim runs only with --server.address 127.0.0.1. Unset it in production.")
    return True


def local_mode_on_network(env: Mapping[str, str], address: str | None) -> bool:
    """For local mode (no sign-in): whether it is served beyond this machine, on the user's explicit say-so.

    Returns:
        False for a loopback bind; True for any other address when :data:`INSECURE_FLAG` is ``1``.

    Raises:
        ConfigError: any other address without the flag (start-up refuses; the message says how to
            configure sign-in).
    """
    if is_loopback(address):
        return False
    if env.get(INSECURE_FLAG, "") in ("", "0"):
        raise ConfigError(f"Refusing to serve {address or 'every interface'} without sign-in. {LOCAL_ONLY}")
    return True


def auth_mode(auth: Mapping | None, env: Mapping[str, str], address: str | None) -> str:
    """``test``, ``oidc`` or ``local`` (see the module's description). Raises ConfigError as the checks do,
    and for local mode beyond loopback without the flag (:func:`local_mode_on_network`)."""
    if identity_shim_enabled(env, address):
        return "test"
    if check_auth_section(auth):
        return "oidc"
    local_mode_on_network(env, address)
    return "local"


def check_serve_address(address: str, signed_in: bool, insecure: bool) -> None:
    """``graphapp serve``'s check before starting: without sign-in (``signed_in`` False) the address must be
    loopback, unless ``insecure`` (``--insecure-local-mode-on-network``).

    Raises:
        ConfigError: a non-loopback address without sign-in and without the flag.
    """
    if not signed_in:
        local_mode_on_network({INSECURE_FLAG: "1" if insecure else ""}, address)


def session_expired(iat: object, now: float, max_hours: float) -> bool:
    """Whether a token issued at ``iat`` (seconds since the epoch) is older than ``max_hours`` (or has no usable ``iat``)."""
    try:
        issued = float(iat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return now - issued > max_hours * 3600 or issued > now + 300  # from the future: a clock or a forgery


def authorise(store: GraphStore, email: str | None, *, verified: bool = True) -> Viewer:
    """The rep a verified sign-in e-mail belongs to, as a :class:`Viewer` with the rep's role.

    An e-mail that is unverified or not a rep's is refused, and the refusal is audited with a salted
    hash of the e-mail (never the address).

    Raises:
        NotAllowed: "not authorised".
    """
    normal = normalize_email(email) if email else None
    rep = next((r for r in store.list_reps() if r.email == normal), None) if normal and verified else None
    if rep is None:
        try:
            store.record_audit("sign-in-refused", [f"verified:{int(bool(verified))}"], hashed=[normal or ""])
        except NotImplementedError:
            pass
        raise NotAllowed(f"{NOT_AUTHORISED}: this account is not on the team. Ask an admin to add you as a rep "
                         "(`graphapp reps add`).")
    return Viewer(rep.email, rep.role)


def record_sign_in(store: GraphStore, viewer: Viewer, mode: str) -> None:
    """Audit a sign-in (once per session): the rep's person id, never the e-mail."""
    rep = next((r for r in store.list_reps() if r.email == viewer.email), None)
    objects = [f"rep:{rep.person_id}" if rep else "everyone", f"mode:{mode}", f"role:{viewer.role}"]
    try:
        store.record_audit("sign-in", objects)
    except NotImplementedError:
        pass


def default_local_rep(reps: list) -> str | None:
    """Local mode's first pick among ``reps`` (in the order given): never an admin. The first viewer (who can
    change nothing), else the first rep; None when every rep is an admin (the user must choose)."""
    for role in ("viewer", "rep"):
        found = next((r.email for r in reps if r.role == role), None)
        if found:
            return found
    return None


def local_viewer(store: GraphStore, email: str | None) -> Viewer:
    """Local single-team mode: the chosen rep, or everything on a store with no reps.

    Without a choice (or an unknown e-mail), :func:`default_local_rep`: never an admin.

    Raises:
        NotAllowed: nobody chosen and every rep is an admin.
    """
    reps = store.list_reps()
    if not reps:
        return Viewer.everything()
    chosen = email if any(r.email == email for r in reps) else default_local_rep(reps)
    rep = next((r for r in reps if r.email == chosen), None)
    if rep is None:
        raise NotAllowed("Choose who you are: local mode picks no admin for you.")
    return Viewer(rep.email, rep.role)


REMEMBERED_SUFFIX = ".local-rep"
"""The file next to the database that keeps local mode's last pick (one e-mail address, owner-only)."""


def _remembered_file(location: str) -> Path | None:
    return None if is_server_location(location) else Path(str(location) + REMEMBERED_SUFFIX)


def remembered_local_rep(location: str) -> str | None:
    """Local mode's last pick on this machine for the database at ``location`` (None: none kept, unreadable,
    or a Neo4j server, which keeps no file here). The caller checks it is still a rep."""
    path = _remembered_file(location)
    try:
        text = path.read_text(encoding="utf-8").strip() if path else ""
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def remember_local_rep(location: str, email: str) -> None:
    """Keep local mode's pick for the next tab opened without ``?you=`` on this machine: a file next to the
    database (``<file>.local-rep``, readable by its owner only, as the database itself should be). A
    file that cannot be written only means the next new tab starts from the first pick."""
    path = _remembered_file(location)
    if path is None:
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(email + "\n")
    except OSError:
        pass


def local_pick(reps: list, *, asked: str | None, remembered: str | None) -> str | None:
    """Who a new browser session is in local mode, among ``reps``: the rep the page address names
    (``?you=``), else the one this machine picked last, else :func:`default_local_rep` (never an admin).
    A name that is no longer a rep is passed over."""
    emails = {r.email for r in reps}
    for email in (asked, remembered):
        normal = email.strip().lower() if email else None
        if normal in emails:
            return normal
    return default_local_rep(reps)


def act_as(store: GraphStore, viewer: Viewer) -> None:
    """Make ``viewer`` the audit actor of the rest of this script run / thread (``rep:<person id>``)."""
    set_actor(actor_of(store, viewer))
