"""Cleaning values as files write them: whitespace, e-mails, LinkedIn URLs, domains, phones and dates (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import unquote, urlsplit

from graphapp.domain.identity import normalize_email
from graphapp.errors import InputError

SHOWN_CHARS = 80
"""A message quotes at most this many characters of a value (a cell may hold 100,000)."""


def quote_value(value: object, limit: int = SHOWN_CHARS, *, quotes: bool = True) -> str:
    """A value as a warning or error quotes it: its ``repr`` (without ``quotes``: the text as it is),
    cut after ``limit`` characters, then how long the whole value is (``'xxxx…' (100,000 characters)``).

    Every message of ``ingest`` that repeats a value from a file (a cell, a column name, an archive
    member's name) goes through here, so a 100,000-character cell is never repeated in full in a report,
    a log line or the rejected-rows download.
    """
    text = value if isinstance(value, str) else str(value)
    cut = len(text) > limit
    shown = text[:limit] if cut else text
    shown = repr(shown) if quotes else shown
    return f"{shown}… ({len(text):,} characters)" if cut else shown


def clean(value: str | None) -> str | None:
    """Collapse whitespace; empty becomes None. Text is otherwise kept verbatim ("NA", "0123", "=1+1")."""
    if not value:
        return None
    # Fast path: a printable string holds no whitespace but the ASCII space (no tab, newline or nbsp).
    if value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
        return value
    return " ".join(value.split()) or None  # str.split() splits on every Unicode space, nbsp included


def clean_all(values: Sequence[str]) -> list[str | None]:
    """``[clean(v) for v in values]``, without a call for each of the (common) values already clean."""
    if "".join(values).isprintable():  # no whitespace in any value but the ASCII space
        return [v if v and "  " not in v and v[0] != " " and v[-1] != " " else clean(v) for v in values]
    return [clean(v) for v in values]


def email(value: str | None) -> str | None:
    """A normalised e-mail address, or None for an empty or invalid value."""
    text = clean(value)
    if not text:
        return None
    try:
        return normalize_email(text)
    except InputError:
        return None


_EMAIL_SEPARATORS = re.compile(r"\s*(?::::|;|,)\s*")


def emails(*values: str | None) -> tuple[str, ...]:
    """Valid e-mails among values (each may hold several joined by ' ::: ', ';' or ',')."""
    found: list[str] = []
    for value in values:
        for part in _EMAIL_SEPARATORS.split(value or ""):
            e = email(part.lstrip("* "))
            if e and e not in found:
                found.append(e)
    return tuple(found)


# An optional scheme, an optional ``www.``, an optional country prefix, then the profile path.
_LINKEDIN = re.compile(r"(?:[a-z]+://)?(?:www\.)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.I)


def linkedin_url(value: str | None) -> str | None:
    """Canonical profile URL ``https://www.linkedin.com/in/<slug>`` (any scheme, ``www.``, case,
    trailing slash or query), or None when the value is not a LinkedIn profile URL."""
    text = clean(value)
    return linkedin_url_of_clean(text) if text else None


_CANONICAL = "https://www.linkedin.com/in/"
_SLUG_AT = len(_CANONICAL)
_PLAIN_SLUG = re.compile(r"[^/?#%\s]+")  # what _LINKEDIN captures, with nothing to unquote or strip


def linkedin_url_of_clean(text: str) -> str | None:
    """:func:`linkedin_url` of an already cleaned, non-empty value."""
    if text[:_SLUG_AT] == _CANONICAL and _PLAIN_SLUG.fullmatch(text, _SLUG_AT):  # already canonical but the case
        slug = text[_SLUG_AT:]
        lower = slug.lower()
        return text if lower == slug else _CANONICAL + lower
    match = _LINKEDIN.match(text)
    if not match:
        return None
    slug = match.group(1)
    if "%" in slug:
        slug = unquote(slug)
    slug = slug.strip().lower()
    return "https://www.linkedin.com/in/" + slug if slug else None


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
    "%Y-%m-%d %H:%M UTC",
    "%m/%d/%y, %I:%M %p",  # invitations, recommendations
    "%m/%d/%Y",  # Salesforce en_US
    "%m/%d/%Y %I:%M %p",  # Salesforce en_US date-time (3/15/2024 2:30 PM)
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y",
    # Day first with dots (German, Scandinavian, Eastern European locales): never month first, so a
    # dotted date is not ambiguous; slashes stay month first (US exports), whatever the day.
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%y",
    "%b %Y",  # Positions.csv
    "%a %b %d %H:%M:%S UTC %Y",  # Company Follows (Java Date.toString)
    "%d %B %Y",
    "%B %Y",
)
_last_format = [_DATE_FORMATS[0]]
_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# The two shapes nearly every row has, read without strptime (ASCII digits only, as strptime's fields):
# ``08 Jan 2024`` (%d %b %Y) and ``2024-01-08`` optionally followed by a time (the ISO-like formats above).
_DAY_MON_YEAR = re.compile(r"([0-9]{1,2}) ([A-Za-z]{3}) ([0-9]{4})")
_ISO_DAY = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:( )(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?( UTC)?|T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?"
)


def _fast_date(text: str) -> date | None:
    """The date of the common shapes, exactly as strptime reads them; None to take the general path."""
    if len(text) >= 10 and text[4] == "-":
        match = _ISO_DAY.fullmatch(text)
        if match is None:
            return None
        try:
            parsed = date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            return None
        if len(text) == 10:
            _last_format[0] = "%Y-%m-%d"
        elif text[10] == "T":
            _last_format[0] = "%Y-%m-%dT%H:%M:%S"
        elif match.group(2):
            _last_format[0] = "%Y-%m-%d %H:%M:%S UTC" if len(text) == 23 else "%Y-%m-%d %H:%M UTC"
        else:
            _last_format[0] = "%Y-%m-%d %H:%M:%S" if len(text) == 19 else "%Y-%m-%d %H:%M"
        return parsed
    match = _DAY_MON_YEAR.fullmatch(text)
    if match is None:
        return None
    month = _MONTHS.get(match.group(2).lower())
    if month is None:
        return None
    try:
        parsed = date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None
    _last_format[0] = "%d %b %Y"
    return parsed


def parse_date(value: str | None) -> date | None:
    """A date from any shape the supported exports write; None for empty or ``0/0/00``.

    Raises:
        ValueError: a non-empty value that is not a date (the caller reports it).
    """
    text = clean(value)
    if not text or text in ("0/0/00", "0/0/0000"):
        return None
    parsed = _fast_date(text)
    if parsed is not None:
        return parsed
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1)
    for fmt in (_last_format[0], *_DATE_FORMATS):
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        _last_format[0] = fmt  # a file writes one shape: try it first next time
        return parsed
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"{quote_value(text)} is not a date") from None


_CREDENTIAL_WORDS = r"\b(?:PhD|Ph\.D\.|MBA|CPA|CFA|PE|P\.E\.|AIA|Esq\.?|MD|M\.D\.|JD|CFP|PMP|SHRM-CP|LEED AP|Jr\.?|Sr\.?|II|III|IV)\b"
_CREDENTIALS = re.compile(r",?\s*" + _CREDENTIAL_WORDS + r"\.?", re.I)
# Matches where _CREDENTIALS does (its prefix and suffix are optional), a third faster to search.
_HAS_CREDENTIAL = re.compile(_CREDENTIAL_WORDS, re.I)


def split_credentials(name: str) -> tuple[str, tuple[str, ...]]:
    """``"Harold Fitch, CPA"`` -> ``("Harold Fitch", ("CPA",))``."""
    if _HAS_CREDENTIAL.search(name) is None:  # the common case: nothing to remove
        return clean(name) or name, ()
    found = tuple(m.group(0).strip(" ,") for m in _CREDENTIALS.finditer(name))
    return clean(_CREDENTIALS.sub("", name)) or name, found


def full_name(first: str | None, last: str | None) -> str | None:
    """Join first and last name, dropping credential suffixes written into the last name."""
    return _full_name(clean(first), clean(last))


def _spellings(word: str) -> frozenset[str]:
    """Every upper/lower-case spelling of an ASCII word."""
    found = {""}
    for ch in word:
        found = {w + c for w in found for c in {ch.lower(), ch.upper()}}
    return frozenset(found)


_LEED, _AP = _spellings("leed"), _spellings("ap")


class NameParts:
    """:func:`full_name` for the rows of a file, remembering which first and last names hold a
    credential: the same names come back row after row, and most hold none."""

    def __init__(self) -> None:
        self.plain: set[str] = set()  # parts holding no credential
        self.credentialed: set[str] = set()

    def _plain(self, part: str) -> bool:
        if part in self.credentialed:
            return False
        if _HAS_CREDENTIAL.search(part) is None:
            self.plain.add(part)
            return True
        self.credentialed.add(part)
        return False

    def full_name(self, first: str | None, last: str | None) -> str | None:
        """:func:`full_name` of already cleaned parts."""
        plain = self.plain
        if first and last and (first in plain or self._plain(first)) and (last in plain or self._plain(last)):
            text = first + " " + last
            # No credential in either part, and none across the space: the only credential with a space
            # is "LEED AP" (ASCII text: the case-insensitive match is plain ASCII lower-casing).
            if not (first[-4:] in _LEED and last[:2] in _AP) and text.isascii():
                return text  # split_credentials(text)[0]: a clean text without credentials is itself
        return _full_name(first, last)


def _full_name(first: str | None, last: str | None) -> str | None:
    """:func:`full_name` of already cleaned parts."""
    if first and last:
        text = first + " " + last
    else:
        text = first or last
        if not text:
            return None
    return split_credentials(text)[0]


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
