"""Who is who, checked (pure): the identity invariants a store must keep, and the violations of them.

Each store finds the facts (:meth:`graphapp.store.base.GraphStore.identity_violations`); this module
says what the rules are, compares lookup keys the way the rules mean them (normalised, so that
``Jane@Example.com`` and ``jane@example.com`` are one address), and words each violation once for
``graphapp doctor``, the import that is refused and the tests alike.

The rules (docs/identity.md):

- ``shared-email`` / ``shared-linkedin``: no two people share a normalised e-mail address or LinkedIn URL;
- ``rep-shares-person``: no two reps are one person; ``rep-without-person``: a rep's person exists;
- ``no-evidence``: every person, organisation and relationship has at least one evidence row (a rep's
  person is also backed by the rep record: ``graphapp reps add`` writes no evidence);
- ``self-relationship``: no relationship joins a person to themself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

RULES: dict[str, str] = {
    "shared-email": "two people share an e-mail address",
    "shared-linkedin": "two people share a LinkedIn profile URL",
    "rep-shares-person": "two reps are one person",
    "rep-without-person": "a rep's person does not exist",
    "no-evidence": "a person, organisation or relationship has no evidence row",
    "self-relationship": "a relationship joins a person to themself",
}

NAMED = 5  # the people a shared-key violation names in its words (its ids hold them all)

_FIX = {
    "shared-email": "merge them with `graphapp merge KEEP_ID OTHER_ID`, or split the wrong one with `graphapp split`",
    "shared-linkedin": "merge them with `graphapp merge KEEP_ID OTHER_ID`, or split the wrong one with `graphapp split`",
    "rep-shares-person": "remove one of the reps",
    "rep-without-person": "add the rep again with `graphapp reps add`",
    "no-evidence": "undo the import that left it, or forget it with `graphapp forget`",
    "self-relationship": "undo the import that brought it",
}


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: which (``rule``, a key of :data:`RULES`), about what (``subject``: person,
    organization, relationship or rep, and the ``ids`` involved) and in words (``text``)."""

    rule: str
    subject: str
    ids: tuple[str, ...]
    text: str

    def line(self) -> str:
        """One line for a person: the rule, what breaks it, and how to fix it."""
        return f"{self.rule}: {self.text}; {_FIX[self.rule]}"

    def as_dict(self) -> dict:
        return {"rule": self.rule, "subject": self.subject, "ids": list(self.ids), "text": self.text,
                "fix": _FIX[self.rule]}


# -- normalised keys ---------------------------------------------------------------------------------------
_LINKEDIN = re.compile(r"(?:[a-z]+://)?(?:www\.)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.I)


def normal_key(key: str) -> str | None:
    """The form of a person's lookup key the rules compare: ``email:`` lower-case and trimmed (without
    ``mailto:``), ``linkedin:`` as ``https://www.linkedin.com/in/<slug>`` with the slug lower-case; None for
    other keys (name keys are meant to be shared)."""
    kind, _, value = key.partition(":")
    if kind == "email":
        value = value.strip().lower().removeprefix("mailto:")
        return f"email:{value}" if value else None
    if kind == "linkedin":
        match = _LINKEDIN.match(value.strip())
        slug = unquote(match.group(1)).strip().lower() if match else value.strip().lower().rstrip("/")
        return f"linkedin:https://www.linkedin.com/in/{slug}" if match else (f"linkedin:{slug}" if slug else None)
    return None


def shared_key_violations(keys: Iterable[tuple[str, str]], names: Mapping[str, str]) -> list[Violation]:
    """``shared-email`` and ``shared-linkedin`` violations among (lookup key, person id) pairs.

    Parameters:
        keys: every ``email:``/``linkedin:`` key of the people to check, with its person's id (other keys
            are ignored); a key may come once per person holding it.
        names: person id -> name, for the words (missing ids are shown bare).

    Returns:
        One violation per normalised key that two or more people hold, in key order.
    """
    holders: dict[str, dict[str, None]] = {}
    for key, person_id in keys:
        normal = normal_key(key)
        if normal is not None:
            holders.setdefault(normal, {})[person_id] = None
    found = []
    for normal, people in sorted(holders.items()):
        if len(people) < 2:
            continue
        kind, _, value = normal.partition(":")
        ids = tuple(sorted(people))
        who = ", ".join(person_label(i, names) for i in ids[:NAMED])
        who += f" and {len(ids) - NAMED} more" if len(ids) > NAMED else ""
        what = "e-mail" if kind == "email" else "LinkedIn URL"
        found.append(Violation(f"shared-{kind}", "person", ids, f"{what} {value} is on {len(ids)} people: {who}"))
    return found


def person_label(person_id: str, names: Mapping[str, str]) -> str:
    name = names.get(person_id)
    return f"{person_id} ({name})" if name else person_id


def no_evidence(subject: str, key: str, label: str = "") -> Violation:
    """A person or organisation (``key``: its id), or a relationship (``key``: ``source -> target``, with
    ``label``: its kind and owner), that no evidence row backs."""
    what = f"{subject} {key}" + (f" ({label})" if label else "")
    return Violation("no-evidence", subject, (key,), f"{what} has no evidence row")


def self_relationship(person_id: str, label: str, names: Mapping[str, str]) -> Violation:
    """A relationship (``label``: its kind and owner) from a person to themself."""
    return Violation("self-relationship", "relationship", (person_id,),
                     f"relationship {label} joins {person_label(person_id, names)} to themself")


def rep_violations(reps: Iterable[tuple[str, str | None]], names: Mapping[str, str]) -> list[Violation]:
    """``rep-shares-person`` and ``rep-without-person`` among (rep e-mail, person id; None: no such person)."""
    by_person: dict[str, list[str]] = {}
    found = []
    for email, person_id in sorted(reps, key=lambda r: (r[1] or "", r[0])):
        if person_id is None:
            found.append(Violation("rep-without-person", "rep", (email,), f"rep {email} points at no person"))
        else:
            by_person.setdefault(person_id, []).append(email)
    for person_id, emails in sorted(by_person.items()):
        if len(emails) > 1:
            found.append(Violation("rep-shares-person", "rep", (person_id, *emails),
                                   f"{len(emails)} reps are one person {person_label(person_id, names)}: "
                                   + ", ".join(emails)))
    return found


def refusal(violations: list[Violation], import_id: str) -> str:
    """The message of an import refused because it would commit ``violations`` (the first three named)."""
    shown = "; ".join(v.line() for v in violations[:3])
    more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
    return (f"Import {import_id} was refused and nothing was committed: it would break who is who. {shown}{more}. "
            "`graphapp doctor` lists the problems the store already has.")
