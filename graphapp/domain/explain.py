"""Ranked paths in words: every hop's tier and label, its evidence, the weakest link, one sentence per
path (pure).

The explanation (what ``graphapp paths`` prints) names every hop with its tier and label:

    Dana Whitfield -> Raj Patel (strong: CRM customer, last activity in March 2026) -> Mei Lin, VP Finance
    at Globex (medium: team sheet: known since 2021). Score 0.312 (relevance of the target 0.90).
    Weakest link: Raj Patel -> Mei Lin (medium).

The weakest link is named only on a path of more than one step. The *sentence* is what the app shows on a
path's card, in the words a rep would say ("Dana's partner Mabel has exchanged 19 messages with Wren, last
in October 2026."): no names in arrows, no numbers (see :func:`path_sentence`).

The labels and tiers come from :mod:`graphapp.domain.tie_labels`; the numbers (strengths) stay in each
hop's evidence (:func:`hop_evidence`), which the app shows in its details.
"""

from __future__ import annotations

from datetime import date

from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import Hop, RankedPath, pair_between
from graphapp.domain.privacy import hidden_label
from graphapp.domain.tie_labels import (
    TieFacts,
    colleague_label,
    pair_label,
    possessive,
    role_noun,
    tie_clause,
    tier_of,
)
from graphapp.model import KIND_ORDER, TEAM, RelationshipKind

_KIND_WORDS = {
    RelationshipKind.LINKEDIN: "connected on LinkedIn",
    RelationshipKind.COLLEAGUE: "worked together",
    RelationshipKind.CUSTOMER: "customer relationship",
    RelationshipKind.INFLUENCER: "circle of influence",
    RelationshipKind.PARTNER: "partner salesperson",
    RelationshipKind.REFERRAL: "has referred business",
    RelationshipKind.MET: "met",
    RelationshipKind.MESSAGED: "messaged",
    RelationshipKind.ENDORSED: "endorsement on LinkedIn",
    RelationshipKind.RECOMMENDED: "recommendation on LinkedIn",
    RelationshipKind.TEAMMATE: "teammates",
    RelationshipKind.KNOWS: "knows",
    RelationshipKind.PROSPECT: "open opportunity in the CRM",
    RelationshipKind.OWNER: "owner in the CRM, no contact yet",
    RelationshipKind.INVITED: "invited to connect on LinkedIn",
}


def ago(day: int, today: int) -> str:
    """``"3 weeks ago"`` for a date ordinal, relative to ``today``."""
    days = today - day
    if days <= 0:
        return "today" if days == 0 else "in the future"
    for limit, size, unit in ((14, 1, "day"), (60, 7, "week"), (730, 30, "month"), (10**9, 365, "year")):
        if days < limit:
            n = days // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return ""  # unreachable


def _when(day: int, today: int) -> str:
    return f"{date.fromordinal(day).isoformat()} ({ago(day, today)})"


def name_of(index: PathIndex, person: int) -> str:
    """The person's name, or "a contact of <rep>" when the viewer may not see who they are."""
    view = index.view
    if index.viewer.sees_all or index.shown[person]:
        return view.person_names[person]
    keeper = index.keeper(person)
    return hidden_label(_owner_name(index, keeper) if keeper else None)


def relationship_words(index: PathIndex, rel: int) -> str:
    """One relationship's evidence in words, with its strength (only its kind and keeper when the
    viewer may not see its details)."""
    view, today = index.view, index.today
    kind = KIND_ORDER[int(view.kind[rel])]
    if not index.viewer.sees_all and not index.open_relationships[rel]:
        keeper = _owner_name(index, view.owners[int(view.owner[rel])])
        return (f"{_KIND_WORDS[kind]}, kept by {keeper}: details private, ask {keeper}"
                f" (strength {float(index.rel_strength[rel]):.2f})")
    out, inn = int(view.count_out[rel]), int(view.count_in[rel])
    first, last = int(view.first_seen[rel]), int(view.last_interaction[rel])
    words = [_KIND_WORDS[kind]]
    if out or inn:
        a, b = view.person_names[int(view.source[rel])], view.person_names[int(view.target[rel])]
        if kind == RelationshipKind.MET:
            words.append(f"{out + inn} meeting{'s' if out + inn != 1 else ''}")
        else:
            both = "both ways" if out and inn else "one way"
            words.append(f"{out + inn} messages {both} ({out} from {a}, {inn} from {b})")
    if last:
        words.append(f"last {_when(last, today)}")
    if first and kind != RelationshipKind.MET:
        words.append(f"since {date.fromordinal(first).isoformat()}")
    if view.override[rel] > 0:
        words.append(f"strength set to {float(view.override[rel]):.2f} by its owner")
    owner = view.owners[int(view.owner[rel])]
    words.append(f"recorded by {_owner_name(index, owner)}")
    return ", ".join(words) + f" (strength {float(index.rel_strength[rel]):.2f})"


def tie_facts(index: PathIndex, rel: int) -> TieFacts:
    """What the label of relationship ``rel`` is built from (only its kind and keeper when the viewer may
    not see its details)."""
    view = index.view
    kind = KIND_ORDER[int(view.kind[rel])]
    owner = view.owners[int(view.owner[rel])]
    if not index.viewer.sees_all and not index.open_relationships[rel]:
        return TieFacts(kind, keeper=_owner_name(index, owner))
    owner_is_target = owner in view.rep_emails and \
        int(view.rep_person[view.rep_emails.index(owner)]) == int(view.target[rel])
    return TieFacts(kind, team=owner == TEAM, count_out=int(view.count_out[rel]), count_in=int(view.count_in[rel]),
                    first_seen=int(view.first_seen[rel]), last_interaction=int(view.last_interaction[rel]),
                    overridden=bool(view.override[rel] > 0), owner_is_target=owner_is_target)


def hop_label(index: PathIndex, hop: Hop) -> str:
    """Why the hop's two people are tied, in words: the strongest relationship first (see
    :func:`graphapp.domain.tie_labels.pair_label`), or "colleagues at X" for an implicit colleague tie."""
    if hop.via_org >= 0:
        return colleague_label(index.view.org_names[hop.via_org])
    pair = pair_between(index, hop.source, hop.target)
    p = index.pairs
    rels = p.rel_order[p.rel_start[pair] : p.rel_start[pair + 1]].tolist()
    rels.sort(key=lambda r: -index.rel_strength[r])
    return pair_label([tie_facts(index, r) for r in rels])


def hop_tier(hop: Hop) -> str:
    """``strong``, ``medium`` or ``weak``: the tier of the hop's pair strength."""
    return tier_of(hop.strength)


def _owner_name(index: PathIndex, owner: str) -> str:
    view = index.view
    if owner in view.rep_emails:
        return view.person_names[int(view.rep_person[view.rep_emails.index(owner)])]
    return "the team" if owner == "team" else owner


def hop_evidence(index: PathIndex, hop: Hop) -> list[str]:
    """The evidence behind one hop, strongest relationship first."""
    view = index.view
    if hop.via_org >= 0:
        known = int(index.om_indptr[hop.via_org + 1] - index.om_indptr[hop.via_org])
        return [f"both work at {view.org_names[hop.via_org]} now ({known} people we know there), "
                f"an implicit colleague tie (strength {hop.strength:.2f})"]
    pair = pair_between(index, hop.source, hop.target)
    p = index.pairs
    rels = p.rel_order[p.rel_start[pair] : p.rel_start[pair + 1]].tolist()
    rels.sort(key=lambda r: -index.rel_strength[r])
    return [relationship_words(index, r) for r in rels]


def person_label(index: PathIndex, person: int, title: str | None = None, org: str | None = None) -> str:
    label = name_of(index, person)
    if not (index.viewer.sees_all or index.shown[person]):
        title = None  # a hidden person's title could give them away
    if title:
        label += f", {title}"
    if org:
        label += f" at {org}"
    return label


def explain_path(index: PathIndex, path: RankedPath, target_title: str | None, account_name: str) -> str:
    """The path in one sentence: each hop's tier and label, the score and the weakest link (the
    strengths themselves are in each hop's evidence)."""
    parts = [name_of(index, path.rep)]
    for hop in path.hops:
        last = hop.target == path.target
        label = person_label(index, hop.target, target_title, account_name) if last else name_of(index, hop.target)
        parts.append(f"{label} ({hop_tier(hop)}: {hop_label(index, hop)})")
    weak = path.weakest
    weakest = "" if len(path.hops) == 1 else \
        f" Weakest link: {name_of(index, weak.source)} -> {name_of(index, weak.target)} ({hop_tier(weak)})."
    return " -> ".join(parts) + f". Score {path.score:.2f} (relevance of the target {path.relevance:.2f})." + weakest


def _strongest(index: PathIndex, hop: Hop) -> tuple[TieFacts, bool]:
    """The facts of the hop's strongest relationship (a CRM owner entry only when it is all there is), and
    whether it was recorded from the hop's first person to its second."""
    pair = pair_between(index, hop.source, hop.target)
    p = index.pairs
    rels = p.rel_order[p.rel_start[pair] : p.rel_start[pair + 1]].tolist()
    rels.sort(key=lambda r: (KIND_ORDER[int(index.view.kind[r])] is RelationshipKind.OWNER, -index.rel_strength[r]))
    return tie_facts(index, rels[0]), int(index.view.source[rels[0]]) == hop.source


def _clause(index: PathIndex, hop: Hop, other: str) -> str:
    if hop.via_org >= 0:
        return f"works with {other} at {index.view.org_names[hop.via_org]}"
    facts, forward = _strongest(index, hop)
    return tie_clause(facts, other, forward=forward)


def path_sentence(index: PathIndex, path: RankedPath) -> str:
    """The path in one plain sentence, built from each hop's strongest relationship: "Dana's partner Mabel
    has exchanged 19 messages with Wren, last in October 2026." A longer path's first step reads as a role
    when it has one ("Dana's customer Raj"); every other step as a clause ("and" between two, semicolons
between more). No numbers: the strengths stay in each hop's evidence.
    """
    names = [name_of(index, p) for p in path.people]
    hops = path.hops
    subject, start = names[0], 0
    connector_shown = index.viewer.sees_all or bool(index.shown[path.connector])
    if len(hops) > 1 and hops[0].via_org < 0 and connector_shown:
        noun = role_noun(_strongest(index, hops[0])[0])
        if noun:
            subject, start = f"{possessive(names[0])} {noun} {names[1]}", 1
    clauses = [f"{subject if k == start else names[k]} {_clause(index, hops[k], names[k + 1])}"
               for k in range(start, len(hops))]
    text = (", and ".join(clauses) if len(clauses) < 3 else "; ".join(clauses[:-1]) + "; and " + clauses[-1]) + "."
    return text[:1].upper() + text[1:]
