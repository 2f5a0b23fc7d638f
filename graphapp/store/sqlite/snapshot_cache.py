"""A copy of the latest graph snapshot next to the SQLite file (``<file>.view``), so a new process (the
CLI, a restarted app) builds its in-memory view in a fraction of a second instead of reading every
relationship row again.

The copy names the data version it was made at; it is used only when that equals the store's current
version (every committed change bumps it), and it is replaced atomically, so a stale or half-written
copy is never read. It holds what the database holds and is written with the same owner-only
permissions; removing it is always safe. Any problem reading or writing it means "no copy".
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import fields
from pathlib import Path

import numpy as np

from graphapp.model import GraphSnapshot

_TEXT = ("person_ids", "person_names", "person_titles", "org_ids", "org_names", "rep_emails", "owners", "emp_titles")
_FORMAT = 1


def cache_path(location: str) -> Path:
    return Path(location + ".view")


def load(location: str, version: int) -> GraphSnapshot | None:
    """The cached snapshot of ``version``, or None."""
    path = cache_path(location)
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(bytes(data["header"]).decode("utf-8"))
            if header.get("format") != _FORMAT or header.get("version") != version:
                return None
            values = {f.name: (header["text"][f.name] if f.name in _TEXT else data[f.name])
                      for f in fields(GraphSnapshot) if f.name != "version"}
        return GraphSnapshot(version=version, **values)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError):
        return None


def save(location: str, snap: GraphSnapshot) -> None:
    """Write the snapshot atomically (a temporary file renamed over the old copy); errors are ignored."""
    path = cache_path(location)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    header = {"format": _FORMAT, "version": snap.version, "text": {name: list(getattr(snap, name)) for name in _TEXT}}
    arrays = {f.name: np.asarray(getattr(snap, f.name)) for f in fields(GraphSnapshot)
              if f.name not in _TEXT and f.name != "version"}
    try:
        buffer = io.BytesIO()
        np.savez(buffer, header=np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8), **arrays)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(buffer.getbuffer())
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
