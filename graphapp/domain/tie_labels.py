"""Why a tie is as strong as it is, in words a sales rep reads at a glance, and its tier (pure).

A rep acts on "strong: 3 meetings, last in May 2026" faster and more safely than on "met, 0.67": the
*tier* says how far to lean on the tie, the *label* says what it rests on. The numbers behind both stay
in the details (the app's expanders and `--json`).

Tiers cut the pair strength (docs/ranking.md, "Strength tiers"):

    strong  >= STRONG_FROM (0.6)    ask for the introduction
    medium  >= MEDIUM_FROM (0.35)   ask, with context
    weak    above 0                 warm it up first
    none    0                       no relationship (a CRM owner who never reached the person)

A label is built from what the graph view holds per relationship (:class:`TieFacts`): its kind, whether
the team sheet asserted it, the interaction counts, when it was first seen and the last interaction.
Two people tied by several relationships get one label naming the strongest first, then the others
briefly ("two-way messages, last in October 2026 + LinkedIn connection").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from graphapp.model import RelationshipKind

K = RelationshipKind

STRONG_FROM = 0.6
MEDIUM_FROM = 0.35
TIERS = ("strong", "medium", "weak", "none")
MAX_EXTRAS = 2  # other relationships a pair's label names after the strongest; the rest as "+ N more"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def tier_of(strength: float) -> str:
    """``strong``, ``medium``, ``weak`` or ``none`` (strength 0: no relationship) for a pair strength."""
    if strength >= STRONG_FROM:
        return "strong"
    if strength >= MEDIUM_FROM:
        return "medium"
    return "weak" if strength > 0 else "none"


TIER_BARS = {"strong": "▰▰▰", "medium": "▰▰▱", "weak": "▰▱▱", "none": "▱▱▱"}


def tier_bar(tier: str | None) -> str:
    """``"▰▰▱ medium"``: a tier with a three-segment bar, text that reads the same in a card, a table cell
    and at phone width; ``""`` for no tier (an account with no path). Sorted as text, strong comes first."""
    return f"{TIER_BARS[tier]} {tier}" if tier else ""


def tiered(strength: float, label: str) -> str:
    """``"strong: 3 meetings, last in May 2026"``."""
    return f"{tier_of(strength)}: {label}"


@dataclass(frozen=True)
class TieFacts:
    """One relationship as the label needs it (the graph view's columns for it).

    ``count_out`` counts interactions from the relationship's source, ``count_in`` from its target; for
    ``met`` they are the meetings that count fully and those that count less (tentative, large, no answer
    recorded). ``owner_is_target``: the rep who keeps it is its target person, so "you" is the target (an
    endorsement received is asserted from the endorser). Dates are ordinals, 0 unknown.
    ``keeper``: set when the viewer may not see the relationship's details, to the rep to ask.
    """

    kind: RelationshipKind
    team: bool = False  # asserted by the team sheet (owner ``team``)
    count_out: int = 0
    count_in: int = 0
    first_seen: int = 0
    last_interaction: int = 0
    overridden: bool = False  # its owner set the strength by hand
    owner_is_target: bool = False
    keeper: str | None = None

    @property
    def from_you(self) -> int:
        return self.count_in if self.owner_is_target else self.count_out

    @property
    def from_them(self) -> int:
        return self.count_out if self.owner_is_target else self.count_in


def month(day: int) -> str:
    """``"October 2026"`` for a date ordinal (month names in English, whatever the machine's locale)."""
    d = date.fromordinal(day)
    return f"{_MONTHS[d.month - 1]} {d.year}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _last(day: int, what: str = "last") -> str:
    return f", {what} in {month(day)}" if day else ""


# What the team sheet's relationship types read as after "team sheet: ".
_TEAM_NOUNS = {K.CUSTOMER: "customer", K.PARTNER: "partner", K.INFLUENCER: "circle of influence",
               K.REFERRAL: "referral source", K.KNOWS: "known", K.COLLEAGUE: "former colleagues"}
# A relationship named briefly after a pair's strongest one ("+ LinkedIn connection").
_SHORT = {K.LINKEDIN: "LinkedIn connection", K.COLLEAGUE: "former colleagues", K.CUSTOMER: "customer",
          K.INFLUENCER: "circle of influence", K.PARTNER: "partner", K.REFERRAL: "referral source",
          K.MET: "meetings", K.MESSAGED: "messages", K.ENDORSED: "endorsement", K.RECOMMENDED: "recommendation",
          K.TEAMMATE: "teammates", K.KNOWS: "know each other", K.PROSPECT: "open opportunity",
          K.OWNER: "CRM owner", K.INVITED: "LinkedIn invitation"}


def relationship_label(t: TieFacts, *, alone: bool = True) -> str:
    """Why this one relationship counts, e.g. ``"two-way messages, last in October 2026"``.

    ``alone``: it is the only relationship of the two people (a LinkedIn connection then reads
    "LinkedIn connection only").
    """
    if t.keeper is not None:
        return f"{_SHORT[t.kind]}, kept by {t.keeper}: details private"
    label = _label(t, alone)
    return label + (", strength set by its owner" if t.overridden else "")


def _label(t: TieFacts, alone: bool) -> str:
    kind, first, last = t.kind, t.first_seen, t.last_interaction
    since = f" since {date.fromordinal(first).year}" if first else ""
    if t.team and kind in _TEAM_NOUNS:
        return f"team sheet: {_TEAM_NOUNS[kind]}{since}{_last(last, 'last contact')}"
    if kind is K.MESSAGED:
        you, them = t.from_you, t.from_them
        words = ("two-way messages" if you and them else "inbound messages only" if them
                 else "your messages only, no reply" if you else "messages")
        return words + _last(last)
    if kind is K.MET:
        full, weak = t.count_out, t.count_in
        if full:
            words = _plural(full, "meeting") + (f" (+{weak} tentative or large)" if weak else "")
        elif weak:
            words = f"{_plural(weak, 'tentative or large meeting')} only"
        else:
            words = "met"
        return words + _last(last)
    if kind is K.LINKEDIN:
        return ("LinkedIn connection only" if alone else "LinkedIn connection") + (
            f", connected in {month(first)}" if first else "")
    if kind in (K.ENDORSED, K.RECOMMENDED):
        verb = "endorsed" if kind is K.ENDORSED else "recommended"
        you, them = t.from_you, t.from_them
        words = (f"{verb} each other" if you and them else f"you {verb} them" if you and not them
                 else f"{verb} you")
        return words + (f" in {month(last)}" if last else "")
    if kind is K.INVITED:
        return "invited you on LinkedIn" + (f" in {month(last or first)}" if last or first else "") + \
            ", not accepted yet"
    if kind is K.OWNER:
        return "CRM owner, no contact yet"
    if kind is K.CUSTOMER:
        return ("CRM customer" + _last(last, "last activity")) if last else f"customer{since}"
    if kind is K.PROSPECT:
        return "open opportunity" + _last(last, "last activity")
    if kind is K.PARTNER:
        return f"partner salesperson{since}{_last(last, 'last contact')}"
    if kind is K.INFLUENCER:
        return f"circle of influence{since}{_last(last, 'last contact')}"
    if kind is K.REFERRAL:
        return f"has referred business{since}{_last(last, 'last contact')}"
    if kind is K.COLLEAGUE:
        return f"worked together{since}"
    if kind is K.TEAMMATE:
        return "teammates"
    return f"know each other{since}{_last(last, 'last contact')}"  # K.KNOWS


def _short(t: TieFacts) -> str:
    if t.keeper is None and t.kind is K.MET and t.count_out + t.count_in:
        return _plural(t.count_out + t.count_in, "meeting")
    if t.keeper is None and t.team and t.kind in _TEAM_NOUNS:
        return f"team sheet: {_TEAM_NOUNS[t.kind]}"
    return _SHORT[t.kind]


def pair_label(ties: Sequence[TieFacts]) -> str:
    """The label of two people's relationships, ``ties`` strongest first: the strongest one's label, then
    up to :data:`MAX_EXTRAS` others briefly, e.g. ``"3 meetings, last in May 2026 + LinkedIn connection"``.

    A CRM owner entry (no relationship) is named only when it is all there is.
    """
    real = [t for t in ties if t.kind is not K.OWNER] or list(ties[:1])
    if not real:
        return "no relationship"
    label = relationship_label(real[0], alone=len(real) == 1)
    extras: list[str] = []
    for t in real[1:]:
        word = _short(t)
        if word != _short(real[0]) and word not in extras:
            extras.append(word)
    shown = extras[:MAX_EXTRAS]
    more = len(extras) - len(shown)
    return label + "".join(f" + {e}" for e in shown) + (f" + {more} more" if more else "")


def colleague_label(org_name: str) -> str:
    """The label of an implicit colleague tie (both work at the organisation now)."""
    return f"colleagues at {org_name}"


# -- kinds and whole paths in plain words ------------------------------------------------------------
KIND_NAMES = {K.LINKEDIN: "LinkedIn connection", K.COLLEAGUE: "worked together", K.CUSTOMER: "customer",
              K.INFLUENCER: "circle of influence", K.PARTNER: "partner", K.REFERRAL: "referral source",
              K.MET: "meetings", K.MESSAGED: "messages", K.ENDORSED: "LinkedIn endorsement",
              K.RECOMMENDED: "LinkedIn recommendation", K.TEAMMATE: "teammates", K.KNOWS: "know each other",
              K.PROSPECT: "open opportunity", K.OWNER: "CRM owner, no contact yet", K.INVITED: "LinkedIn invitation"}
"""What each relationship kind reads as on a page (the kind names stay in ``--json`` and the CLI)."""

# "Dana's partner Mabel …": the kinds that make the first person of a longer path someone's <noun>.
_ROLE_NOUNS = {K.CUSTOMER: "customer", K.PARTNER: "partner", K.INFLUENCER: "influencer",
               K.REFERRAL: "referral source", K.COLLEAGUE: "former colleague", K.TEAMMATE: "teammate",
               K.LINKEDIN: "LinkedIn connection", K.PROSPECT: "prospect"}


def kind_name(kind: RelationshipKind | str) -> str:
    """``"LinkedIn connection"`` for ``linkedin``: a kind in plain words."""
    return KIND_NAMES[RelationshipKind(kind)]


def role_noun(t: TieFacts) -> str | None:
    """What the other person is to the first one, as a noun ("partner", "customer"), or None when the
    relationship names no role (meetings, messages: those read better as a clause)."""
    return _ROLE_NOUNS.get(t.kind) if t.keeper is None else None


def possessive(name: str) -> str:
    """``"Dana's"``."""
    return f"{name}'s"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def tie_clause(t: TieFacts, other: str, *, forward: bool = True) -> str:
    """What the person before it did with ``other``, to follow that person's name: ``"has exchanged 19
    messages with Wren, last in October 2026"``.

    ``forward``: the relationship was recorded from that person to ``other`` (who sent, who endorsed).
    """
    if t.keeper is not None:
        return f"knows {other} ({_SHORT[t.kind]}; details private: ask {t.keeper})"
    kind, first, last = t.kind, t.first_seen, t.last_interaction
    mine, theirs = (t.count_out, t.count_in) if forward else (t.count_in, t.count_out)
    since = f" since {date.fromordinal(first).year}" if first else ""
    if kind is K.MESSAGED:
        n = mine + theirs
        words = (f"has exchanged {_plural(n, 'message')} with {other}" if mine and theirs
                 else f"has messaged {other} {_times(mine)}, no reply yet" if mine
                 else f"has had {_plural(theirs, 'message')} from {other}" if theirs else f"has messaged {other}")
        return words + _last(last)
    if kind is K.MET:  # counts: the meetings that count fully, then the tentative or large ones
        full, weak = t.count_out, t.count_in
        words = (f"has met {other} {_times(full)}" if full else
                 f"has had {_plural(weak, 'tentative or large meeting')} with {other}" if weak else f"has met {other}")
        return words + _last(last)
    if kind is K.LINKEDIN:
        return f"is connected with {other} on LinkedIn" + (f" since {month(first)}" if first else "")
    if kind in (K.ENDORSED, K.RECOMMENDED):
        verb = "endorsed" if kind is K.ENDORSED else "recommended"
        when = f" in {month(last)}" if last else ""
        if mine and theirs:
            return f"and {other} {verb} each other on LinkedIn{when}"
        return (f"{verb} {other} on LinkedIn" if mine or not theirs else f"was {verb} by {other} on LinkedIn") + when
    if kind is K.INVITED:
        return f"has a LinkedIn invitation pending with {other}"
    if kind is K.OWNER:
        return f"owns {other} in the CRM, no contact yet"
    if kind is K.PROSPECT:
        return f"has an open opportunity with {other}" + _last(last, "last activity")
    if kind is K.COLLEAGUE:
        return f"worked with {other}{since}" + (" (team sheet)" if t.team else "")
    if kind is K.TEAMMATE:
        return f"works with {other} on the team"
    sheet = " (team sheet)" if t.team else ""
    if kind is K.KNOWS:
        known = f"has known {other}{since}" if first else f"knows {other}"
        return f"{known}{_last(last, 'last contact')}{sheet}"
    noun = _ROLE_NOUNS[kind]
    role = f"knows {other} as a {noun}" if forward else f"is {possessive(other)} {noun}"
    what = "last activity" if kind is K.CUSTOMER else "last contact"
    return f"{role}{since}{_last(last, what)}{sheet}"
