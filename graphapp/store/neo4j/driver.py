"""Connecting to Neo4j: the address check, credentials, one driver per process, and the one place that
turns the driver's exceptions into graphapp's one-line errors (naming the URI, never the password).

Credentials come from ``NEO4J_USER`` (default ``neo4j``) and ``NEO4J_PASSWORD``, else from the
``[neo4j]`` table (``user``, ``password``) of ``.streamlit/secrets.toml`` in the working folder, where
the browser app keeps its secrets. A server that is not on this machine must be reached over TLS
(``neo4j+s://``, ``bolt+s://``, or ``+ssc`` for a self-signed certificate) unless the
``neo4j_allow_insecure`` setting says otherwise: the password would otherwise cross the network in clear.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import neo4j
from neo4j import exceptions as nx

from graphapp.errors import ConfigError, StoreBusy, StoreError

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
T = TypeVar("T")


@dataclass(frozen=True)
class Neo4jTarget:
    """Where to connect: the URI as given (credentials removed), the host, the database (None: the
    server's default), and whether the connection is encrypted."""

    uri: str
    host: str
    database: str | None
    tls: bool

    @property
    def location(self) -> str:
        """How the store is named in messages and cache keys."""
        return self.uri if not self.database else f"{self.uri} (database {self.database})"


def parse_target(location: str, *, database: str = "", allow_insecure: bool = False) -> Neo4jTarget:
    """Check a Neo4j URI and name what it points at.

    Raises:
        ConfigError: an unknown scheme, no host, or a remote host without TLS (unless allowed).
    """
    parts = urlsplit(location)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ConfigError(f"{_without_credentials(location)} is not a Neo4j address; expected "
                          "neo4j://host:7687, neo4j+s://host, bolt://host:7687 or bolt+s://host.")
    tls = "+" in parts.scheme
    host = parts.hostname
    uri = _without_credentials(location)
    if not tls and host not in LOCAL_HOSTS and not allow_insecure:
        raise ConfigError(
            f"Refusing to send the Neo4j password unencrypted to {host}: use {parts.scheme}+s:// "
            f"(e.g. neo4j+s://{parts.netloc.split('@')[-1]}), or set GRAPHAPP_NEO4J_ALLOW_INSECURE=1 on a "
            "network you trust."
        )
    return Neo4jTarget(uri=uri, host=host, database=database or None, tls=tls)


def _without_credentials(location: str) -> str:
    parts = urlsplit(location)
    if "@" not in parts.netloc:
        return location
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


# -- one driver per process ---------------------------------------------------------------------------
_drivers: dict[tuple, tuple[Any, int]] = {}  # (uri, (user, password), retry) -> (driver, stores using it)
_drivers_lock = threading.Lock()


def acquire_driver(target: Neo4jTarget, auth: tuple[str, str], retry_seconds: float,
                   factory: Callable[..., Any] | None = None) -> Any:
    """The process's driver for this server and user (made on first use); release it with
    :func:`release_driver`. ``factory`` replaces ``neo4j.GraphDatabase.driver`` (tests)."""
    key = (target.uri, auth, float(retry_seconds))  # another login (a changed password) gets its own driver
    with _drivers_lock:
        if key in _drivers:
            driver, users = _drivers[key]
            _drivers[key] = (driver, users + 1)
            return driver
        make = factory or neo4j.GraphDatabase.driver
        # The driver logs connection failures as warnings; graphapp reports them once, in its own words.
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        with translated(target):
            driver = make(target.uri, auth=auth, max_transaction_retry_time=float(retry_seconds),
                          connection_acquisition_timeout=float(retry_seconds), connection_timeout=10.0,
                          notifications_min_severity="OFF")  # server hints (unknown property keys...) are not for users
        _drivers[key] = (driver, 1)
        return driver


def release_driver(driver: Any) -> None:
    """One store less uses ``driver``; the last one closes it."""
    with _drivers_lock:
        for key, (found, users) in list(_drivers.items()):
            if found is driver:
                if users > 1:
                    _drivers[key] = (found, users - 1)
                    return
                del _drivers[key]
                break
    driver.close()


# -- errors -------------------------------------------------------------------------------------------
_READ_ONLY = ("Neo.ClientError.General.ForbiddenOnReadOnlyDatabase", "Neo.ClientError.Cluster.NotALeader",
              "Neo.ClientError.General.WriteOnReadOnlyAccessDatabase")


def store_error(exc: Exception, target: Neo4jTarget, retry_seconds: float | None = None) -> StoreError:
    """The one-line message for a driver exception (the URI named, the password never)."""
    where = target.location
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, nx.AuthError) or code.startswith("Neo.ClientError.Security.Unauthorized"):
        return StoreError(f"Neo4j at {where} refused the user name or password; check NEO4J_USER and "
                          "NEO4J_PASSWORD. Nothing was changed.")
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return StoreError(f"Neo4j at {target.uri} has no database {target.database or '(default)'!r}; create it "
                          "or set GRAPHAPP_NEO4J_DATABASE to one that exists. Nothing was changed.")
    if code in _READ_ONLY or isinstance(exc, nx.ForbiddenOnReadOnlyDatabase | nx.NotALeader
                                        | nx.WriteServiceUnavailable):
        return StoreError(f"Neo4j at {where} is read-only here (a read replica or a read-only database); point "
                          "--db at the cluster's neo4j:// address or its primary. Nothing was changed.")
    if code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError":  # transient, but waiting will not help
        return StoreError(f"Neo4j at {where} ran out of transaction memory (dbms.memory.transaction.total.max, "
                          "or the heap); give the server more memory or import the files in smaller parts. "
                          "Nothing was changed.")
    if isinstance(exc, nx.TransientError | nx.SessionExpired) or code.startswith("Neo.TransientError"):
        waited = f" for {retry_seconds:g} s" if retry_seconds is not None else ""
        return StoreBusy(f"Neo4j at {where} stayed busy{waited} (a lock, a leader switch or a restart); "
                         "nothing was changed, try again.")
    if isinstance(exc, nx.ServiceUnavailable | nx.ConnectionAcquisitionTimeoutError | OSError):
        return StoreError(f"Cannot reach the Neo4j server at {target.uri}: is it running, and is the address "
                          "right? Nothing was changed.")
    if isinstance(exc, nx.ConfigurationError):
        return StoreError(f"The Neo4j address {target.uri} cannot be used: {type(exc).__name__}.")
    return StoreError(f"Neo4j at {where} failed ({code or type(exc).__name__}); nothing was changed.")


@contextmanager
def translated(target: Neo4jTarget, retry_seconds: float | None = None):
    """Run a block, turning driver exceptions into :class:`StoreError` s (graphapp's own pass through)."""
    try:
        yield
    except (nx.Neo4jError, nx.DriverError, OSError) as exc:
        raise store_error(exc, target, retry_seconds) from None


def rows_of(result: Any) -> list[dict[str, Any]]:
    """A result's records as dicts: what ``Result.data()`` gives for graphapp's statements, which return
    values only (never nodes or paths), without its walk through every value (a quarter of the time of
    publishing an import, and of reading a large graph, went to that walk)."""
    keys = result.keys()
    return [dict(zip(keys, values, strict=True)) for values in result]


class Sessions:
    """Units of work on one driver: each call opens a session, runs ``fn(tx)`` in a managed
    transaction (retried by the driver on transient errors, within its retry time) and closes it."""

    def __init__(self, driver: Any, target: Neo4jTarget, retry_seconds: float) -> None:
        self.driver, self.target, self.retry_seconds = driver, target, retry_seconds

    def read(self, fn: Callable[[Any], T]) -> T:
        with translated(self.target, self.retry_seconds), self.driver.session(database=self.target.database) as s:
            return s.execute_read(fn)

    def write(self, fn: Callable[[Any], T]) -> T:
        with translated(self.target, self.retry_seconds), self.driver.session(database=self.target.database) as s:
            return s.execute_write(fn)

    def verify(self) -> None:
        """Connect once (fails fast on a wrong address or password)."""
        with translated(self.target, self.retry_seconds):
            self.driver.verify_connectivity()
