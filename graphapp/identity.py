"""Identity keys for people and organisations (pure). The importers' merge rules build on these."""

from __future__ import annotations

import hashlib
import re

from graphapp.errors import InputError

_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")


def normalize_email(value: str) -> str:
    """Lower-case, trimmed e-mail address.

    Raises:
        InputError: the value is not an e-mail address.
    """
    email = value.strip().lower()
    if email.startswith("mailto:"):
        email = email[len("mailto:") :]
    if not _EMAIL.match(email):
        raise InputError(f"{value!r} is not an e-mail address (expected something like dana@example.com).")
    return email


def stable_id(prefix: str, key: str) -> str:
    """A short id derived from a natural key, the same on every machine: ``p-3f2a...``."""
    return f"{prefix}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"
