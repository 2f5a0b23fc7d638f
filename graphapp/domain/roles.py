"""Who may do what (pure): the one table of roles and actions behind every check the service makes
(:func:`graphapp.service.roles.require`), the app's disabled buttons and docs/privacy.md ("Who may do what").

Three roles. A ``viewer`` looks and changes nothing. A ``rep`` changes their own part of the graph: imports
of their own data, imports they ran, relationships they keep, people only they know, their own intro
requests; anything of another rep's, the team's settings and the store as a whole need an ``admin``.
Whoever holds the database file (the command line without ``--as``) is not checked here: see
:func:`graphapp.service.roles.require`.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "rep", "admin")
_REP_OR_ADMIN = frozenset({"rep", "admin"})
_ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class Rule:
    """Which roles may take one action: on their own data (``own``) and on anyone's (``others``).

    ``what`` names the action in messages and in the docs' table; ``own_scope`` says what "their own" is
    (empty: the action has no owner, the role alone decides) and ``not_theirs`` is the message when a
    role allowed on its own acts on someone else's."""

    action: str
    what: str
    own: frozenset[str]
    others: frozenset[str]
    own_scope: str = ""
    not_theirs: str = ""

    def allows(self, role: str, *, own: bool) -> bool:
        return role in (self.own if own else self.others)


RULES: dict[str, Rule] = {r.action: r for r in (
    Rule("import", "import files", _REP_OR_ADMIN, _ADMIN, "as themself (their own data)",
         "A rep imports only their own data (choose yourself as the owner); only an admin can import for "
         "another rep or bring in a new one."),
    Rule("add-rep", "add a rep to the team", _ADMIN, _ADMIN),
    Rule("undo-import", "undo an import", _REP_OR_ADMIN, _ADMIN, "imports they ran",
         "A rep can undo only the imports they ran; only an admin can undo someone else's."),
    Rule("merge", "merge or split people", _REP_OR_ADMIN, _ADMIN, "people known only from their data",
         "A rep can merge or split only people known only from their own data; a merge across reps' "
         "(or the team's) data needs an admin."),
    Rule("keep-apart", "decide that two people are different", _REP_OR_ADMIN, _REP_OR_ADMIN),
    Rule("set-strength", "set the strength of a relationship", _REP_OR_ADMIN, _ADMIN, "relationships they keep",
         "Only the rep who keeps a relationship (or an admin) can set its strength."),
    Rule("set-visibility", "change who sees a relationship", _REP_OR_ADMIN, _ADMIN, "relationships they keep",
         "Only the rep who keeps a relationship (or an admin) can change who sees it."),
    Rule("mark-person", "mark someone as a customer, influencer or partner", _REP_OR_ADMIN, _ADMIN,
         "as their own", "A rep can mark people only as their own; only an admin can mark them for another rep."),
    Rule("target", "change the target accounts", _REP_OR_ADMIN, _REP_OR_ADMIN),
    Rule("intro", "request or move an introduction", _REP_OR_ADMIN, _ADMIN, "their own requests",
         "A rep can request and move only their own introductions; only an admin can act on another rep's."),
    Rule("forget", "forget a person", _REP_OR_ADMIN, _ADMIN, "people known only from their data",
         "Only an admin, or the rep who keeps every relationship with this person, can forget them."),
    Rule("settings", "change the team's settings", _ADMIN, _ADMIN),
    Rule("weekly-record", "record the week's suggestions for the team", _ADMIN, _ADMIN),
    Rule("load-demo", "load the demo network", _ADMIN, _ADMIN),
    Rule("unsuppress", "lift a suppression", _ADMIN, _ADMIN),
    Rule("backup", "back up the database", _ADMIN, _ADMIN),
    Rule("restore", "restore a backup", _ADMIN, _ADMIN),
    Rule("sync", "copy the whole store", _ADMIN, _ADMIN),
    Rule("audit-log", "see the audit log", _ADMIN, _ADMIN),
    Rule("suppression-list", "see the suppression list", _ADMIN, _ADMIN),
    Rule("check-identity", "check the whole store", _ADMIN, _ADMIN),
)}


def rule(action: str) -> Rule:
    """The rule of ``action`` (a programming error, not a user's, when there is none: KeyError)."""
    return RULES[action]


def allowed(role: str, action: str, *, own: bool = True) -> bool:
    """Whether ``role`` may take ``action`` on its own data (``own``) or on anyone's."""
    return RULES[action].allows(role, own=own)


def refusal(role: str, action: str) -> str:
    """The one message a refused ``action`` gets: what was refused, why, and who can do it (refused for
    the role itself, or, for a role allowed on its own, for acting on someone else's)."""
    r = RULES[action]
    if role not in r.own:
        if r.own == _ADMIN:
            text = f"Only an admin can {r.what}; you are signed in as a {role}."
        else:
            text = f"A {role} cannot {r.what}: viewers look but change nothing. Ask a rep or an admin."
    else:  # allowed on their own, and this is not theirs
        text = r.not_theirs
    return text + " Nothing was changed."


def cell(r: Rule, role: str) -> str:
    """What ``role`` may do under ``r``, as the docs' table says it: yes, no, or own only (and what that is)."""
    if r.allows(role, own=False):
        return "yes"
    if r.allows(role, own=True):
        return f"own only: {r.own_scope}"
    return "no"
