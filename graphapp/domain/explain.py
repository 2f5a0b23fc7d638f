"""Ranked paths in words: every hop's evidence, the weakest link, one sentence per path (pure).

    Dana Whitfield -> Raj Patel (customer, 0.82) -> Mei Lin, VP Finance at Globex (knows, 0.51).
    Weakest link: Raj Patel -> Mei Lin (0.51).
"""

from __future__ import annotations

from datetime import date

from graphapp.domain.path_index import PathIndex
from graphapp.domain.paths import Hop, RankedPath, pair_between
from graphapp.domain.privacy import hidden_label
from graphapp.model import KIND_ORDER, RelationshipKind

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
    """The path in one sentence, with each hop's kind and strength and the weakest link."""
    view = index.view
    parts = [name_of(index, path.rep)]
    for hop in path.hops:
        last = hop.target == path.target
        label = person_label(index, hop.target, target_title, account_name) if last else name_of(index, hop.target)
        where = f" at {view.org_names[hop.via_org]}" if hop.via_org >= 0 else ""
        parts.append(f"{label} ({hop.kind.value}{where}, {hop.strength:.2f})")
    weak = path.weakest
    weakest = (f"Weakest link: {name_of(index, weak.source)} -> {name_of(index, weak.target)} "
               f"({weak.strength:.2f}).")
    return " -> ".join(parts) + f". Score {path.score:.3f} (relevance of the target {path.relevance:.2f}). " + weakest
