"""Cleaning values as files write them: whitespace, e-mails, LinkedIn URLs, domains, phones and dates (pure)."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import unquote, urlsplit

from graphapp.errors import InputError
from graphapp.identity import normalize_email


def clean(value: str | None) -> str | None:
    """Collapse whitespace; empty becomes None. Text is otherwise kept verbatim ("NA", "0123", "=1+1")."""
    if value is None:
        return None
    text = " ".join(value.replace("\u00a0", " ").split())
    return text or None


def email(value: str | None) -> str | None:
    """A normalised e-mail address, or None for an empty or invalid value."""
    text = clean(value)
    if not text:
        return None
    try:
        return normalize_email(text)
    except InputError:
        return None


def emails(*values: str | None) -> tuple[str, ...]:
    """Valid e-mails among values (each may hold several joined by ' ::: ', ';' or ',')."""
    found: list[str] = []
    for value in values:
        for part in re.split(r"\s*(?::::|;|,)\s*", value or ""):
            e = email(part.lstrip("* "))
            if e and e not in found:
                found.append(e)
    return tuple(found)


_LINKEDIN = re.compile(r"^(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.I)


def linkedin_url(value: str | None) -> str | None:
    """Canonical profile URL ``https://www.linkedin.com/in/<slug>`` (any scheme, ``www.``, case,
    trailing slash or query), or None when the value is not a LinkedIn profile URL."""
    text = clean(value)
    if not text:
        return None
    text = re.sub(r"^[a-z]+://", "", text, flags=re.I)
    text = re.sub(r"^www\.", "", text, flags=re.I)
    match = _LINKEDIN.match(text)
    if not match:
        return None
    slug = unquote(match.group(1)).strip().lower()
    return f"https://www.linkedin.com/in/{slug}" if slug else None


def domain(value: str | None) -> str | None:
    """A bare lower-case domain from ``https://www.Example.com/``, ``www.example.com`` or an e-mail."""
    text = clean(value)
    if not text:
        return None
    text = text.lower()
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    if "://" not in text:
        text = "//" + text
    host = (urlsplit(text).hostname or "").removeprefix("www.").strip(".")
    return host if "." in host and re.fullmatch(r"[a-z0-9.-]+", host) else None


def phone(value: str | None) -> str | None:
    """A phone number as written (trimmed), None when it has no digits."""
    text = clean(value)
    return text if text and any(ch.isdigit() for ch in text) else None


_DATE_FORMATS = (
    "%d %b %Y",  # 08 Jan 2024 (LinkedIn Connected On)
    "%d-%b-%y",  # 7-Feb-22 (Excel re-save)
    "%d-%b-%Y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S UTC",  # messages.csv
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",  # HubSpot
    "%Y-%m-%dT%H:%M:%S",  # messages.csv before 2020
    "%Y/%m/%d %H:%M:%S UTC",  # endorsements
    "%m/%d/%y, %I:%M %p",  # invitations, recommendations
    "%m/%d/%Y",  # Salesforce en_US
    "%m/%d/%y",
    "%b %Y",  # Positions.csv
    "%a %b %d %H:%M:%S UTC %Y",  # Company Follows (Java Date.toString)
    "%d %B %Y",
    "%B %Y",
)


def parse_date(value: str | None) -> date | None:
    """A date from any shape the supported exports write; None for empty or ``0/0/00``.

    Raises:
        ValueError: a non-empty value that is not a date (the caller reports it).
    """
    text = clean(value)
    if not text or text in ("0/0/00", "0/0/0000"):
        return None
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None


_CREDENTIALS = re.compile(
    r",?\s*\b(?:PhD|Ph\.D\.|MBA|CPA|CFA|PE|P\.E\.|AIA|Esq\.?|MD|M\.D\.|JD|CFP|PMP|SHRM-CP|LEED AP|Jr\.?|Sr\.?|II|III|IV)\b\.?",
    re.I,
)


def split_credentials(name: str) -> tuple[str, tuple[str, ...]]:
    """``"Harold Fitch, CPA"`` -> ``("Harold Fitch", ("CPA",))``."""
    found = tuple(m.group(0).strip(" ,") for m in _CREDENTIALS.finditer(name))
    return clean(_CREDENTIALS.sub("", name)) or name, found


def full_name(first: str | None, last: str | None) -> str | None:
    """Join first and last name, dropping credential suffixes written into the last name."""
    parts = [p for p in (clean(first), clean(last)) if p]
    if not parts:
        return None
    return split_credentials(" ".join(parts))[0]


def display_name(value: str | None) -> str | None:
    """A one-field name: ``"Fitch, Harold"`` becomes ``"Harold Fitch"``; credentials are dropped."""
    text = clean(value)
    if not text:
        return None
    text, _ = split_credentials(text)
    if text.count(",") == 1:
        last, first = (p.strip() for p in text.split(","))
        if first and last and " " not in last:
            text = f"{first} {last}"
    return text
