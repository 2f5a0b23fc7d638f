"""Relationship strength and target relevance, from evidence, with published weights (pure).

A relationship's strength is a number in (0, 1]:

    strength = base[kind] + (1 - base[kind]) * min(1, interactions + age)

- ``base[kind]``: what the kind of tie is worth on its own (a customer more than a LinkedIn click).
- ``interactions = interaction_boost * (1 - exp(-units / interaction_scale)) * decay``, where a
  message exchanged both ways counts ``two_way_weight`` per message, a one-way message
  ``one_way_weight`` and a meeting ``meeting_weight``; ``decay = 0.5 ** (days since the last
  interaction / half_life_days)`` (an unknown date counts as one half-life ago).
- ``age = age_boost * min(1, years known / age_full_years)``: an old connection is worth a little more.
- The relationship's owner may set an override, which replaces the computed value.

Two people tied by several relationships (a LinkedIn connection, 14 messages, a meeting) have one
*pair strength*: the strongest relationship plus ``corroboration`` of what the others would add as
independent evidence (``top + (1 - top) * corroboration * (1 - prod(1 - others))``: sources about one
pair mostly describe the same relationship), or the highest override when an owner set one. Asking someone to pass an introduction on is worth the pair
strength times their *willingness* (the most willing kind among the pair's relationships).

Implicit colleagues (people the data places at the same organisation now) are tied with
``colleague_strength * size_factor(org) * sqrt(tenure_a * tenure_b)``: weaker in large
organisations (``min(1, sqrt(colleague_small_org / people known there))``) and stronger the longer
both have been there (``tenure = min(1, 0.4 + 0.6 * years / colleague_tenure_years)``, 0.6 unknown).
The product form lets ranking treat an organisation as one hub instead of materialising every pair.

A target person's relevance is ``max(seniority_floor, best seniority keyword in the title)``, times
``persona_miss`` when buyer-persona keywords are set and none is in the title (a persona keyword
matches a word that starts like it: ``finance`` matches Financial).

Every weight is a setting (``graphapp/settings.py``, documented in docs/settings.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from graphapp.domain.identity import fold_text
from graphapp.errors import ConfigError
from graphapp.model import KIND_ORDER, NOT_A_RELATIONSHIP, RelationshipKind

K = RelationshipKind
DEFAULT_STRENGTH: dict[RelationshipKind, float] = {
    K.LINKEDIN: 0.15, K.COLLEAGUE: 0.45, K.CUSTOMER: 0.7, K.INFLUENCER: 0.6, K.PARTNER: 0.65, K.REFERRAL: 0.75,
    K.MET: 0.35, K.MESSAGED: 0.3, K.ENDORSED: 0.25, K.RECOMMENDED: 0.55, K.TEAMMATE: 0.8, K.KNOWS: 0.4,
    K.PROSPECT: 0.4, K.OWNER: 0.01, K.INVITED: 0.1,
}
DEFAULT_WILLINGNESS: dict[RelationshipKind, float] = {
    K.LINKEDIN: 0.3, K.COLLEAGUE: 0.6, K.CUSTOMER: 0.9, K.INFLUENCER: 0.85, K.PARTNER: 0.9, K.REFERRAL: 0.9,
    K.MET: 0.6, K.MESSAGED: 0.5, K.ENDORSED: 0.5, K.RECOMMENDED: 0.8, K.TEAMMATE: 0.95, K.KNOWS: 0.6,
    K.PROSPECT: 0.5, K.OWNER: 0.01, K.INVITED: 0.3,
}
DEFAULT_SENIORITY = ("chief=1.0, ceo=1.0, cfo=1.0, coo=1.0, cto=1.0, cio=1.0, president=0.95, founder=0.95, "
                     "owner=0.9, evp=0.95, svp=0.95, vp=0.9, vice president=0.9, partner=0.85, head=0.85, "
                     "director=0.8, controller=0.75, comptroller=0.75, treasurer=0.75, principal=0.7, manager=0.6, "
                     "lead=0.55")
DEFAULT_PERSONA = "finance, operations, procurement, purchasing, revenue, technology"
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class ScoringWeights:
    """Every number scoring and ranking use; build it with :func:`weights_from_settings` or change
    one field with ``dataclasses.replace``. Hashable, so caches can key on it."""

    strength: tuple[float, ...] = tuple(DEFAULT_STRENGTH[k] for k in KIND_ORDER)  # by KIND_ORDER
    willingness: tuple[float, ...] = tuple(DEFAULT_WILLINGNESS[k] for k in KIND_ORDER)
    half_life_days: float = 180.0
    two_way_weight: float = 1.0
    one_way_weight: float = 0.35
    meeting_weight: float = 2.0
    weak_meeting_weight: float = 0.5
    interaction_scale: float = 12.0
    interaction_boost: float = 0.6
    age_boost: float = 0.15
    age_full_years: float = 5.0
    colleague_strength: float = 0.35
    colleague_small_org: float = 25.0
    colleague_tenure_years: float = 3.0
    corroboration: float = 0.5
    persona_keywords: tuple[str, ...] = tuple(w.strip() for w in DEFAULT_PERSONA.split(","))
    persona_miss: float = 0.7
    seniority: tuple[tuple[str, float], ...] = ()
    seniority_floor: float = 0.4

    def __post_init__(self) -> None:
        if not self.seniority:
            object.__setattr__(self, "seniority", parse_keyword_weights(DEFAULT_SENIORITY, "seniority_keywords"))
        for name, values in (("strength", self.strength), ("willingness", self.willingness)):
            if len(values) != len(KIND_ORDER) or not all(0 < v <= 1 for v in values):
                raise ConfigError(f"Every {name}_<kind> weight must be in (0, 1]; got {values}.")
        for name in ("colleague_strength", "persona_miss", "seniority_floor", "interaction_boost", "one_way_weight",
                 "weak_meeting_weight", "corroboration"):
            if not 0 < getattr(self, name) <= 1:
                raise ConfigError(f"Setting {name} must be in (0, 1]; got {getattr(self, name)}.")
        for name in ("half_life_days", "interaction_scale", "age_full_years", "colleague_small_org",
                     "colleague_tenure_years"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"Setting {name} must be above 0; got {getattr(self, name)}.")

    def kind_strength(self, kind: RelationshipKind) -> float:
        return self.strength[KIND_ORDER.index(kind)]

    def kind_willingness(self, kind: RelationshipKind) -> float:
        return self.willingness[KIND_ORDER.index(kind)]


def parse_keyword_weights(text: str, setting: str) -> tuple[tuple[str, float], ...]:
    """``"chief=1.0, vp=0.9"`` -> ``(("chief", 1.0), ("vp", 0.9))``; keywords folded like titles.

    Raises:
        ConfigError: an entry without ``=`` or with a weight outside (0, 1].
    """
    pairs = []
    for entry in filter(None, (e.strip() for e in text.split(","))):
        word, sep, value = entry.rpartition("=")
        try:
            weight = float(value)
        except ValueError:
            weight = -1.0
        if not sep or not word.strip() or not 0 < weight <= 1:
            raise ConfigError(f"Setting {setting}: {entry!r} is not keyword=weight with a weight in (0, 1].")
        pairs.append((fold_text(word), weight))
    return tuple(pairs)


def weights_from_settings(values: Mapping[str, Any]) -> ScoringWeights:
    """Build the weights from setting values by name (``strength_customer``, ``half_life_days``, ...);
    names not given keep their defaults.

    Raises:
        ConfigError: a value out of range.
    """
    w = ScoringWeights()
    changes: dict[str, Any] = {}
    for field in ("strength", "willingness"):
        current = list(getattr(w, field))
        for i, kind in enumerate(KIND_ORDER):
            if f"{field}_{kind.value}" in values:
                current[i] = float(values[f"{field}_{kind.value}"])
        changes[field] = tuple(current)
    for name in ("half_life_days", "two_way_weight", "one_way_weight", "meeting_weight", "weak_meeting_weight",
                 "interaction_scale", "interaction_boost", "age_boost", "age_full_years", "colleague_strength", "colleague_small_org",
                 "colleague_tenure_years", "persona_miss", "seniority_floor", "corroboration"):
        if name in values:
            changes[name] = float(values[name])
    if "persona_keywords" in values:
        changes["persona_keywords"] = tuple(fold_text(k) for k in str(values["persona_keywords"]).split(",")
                                            if k.strip())
    if "seniority_keywords" in values:
        changes["seniority"] = parse_keyword_weights(str(values["seniority_keywords"]), "seniority_keywords")
    return replace(w, **changes)


def relationship_strengths(kind, count_out, count_in, first_seen, last_interaction, override, today: int,
                           w: ScoringWeights) -> np.ndarray:
    """Strength of each relationship, vectorised over equal-length arrays.

    Parameters:
        kind: indices into ``KIND_ORDER``. count_out, count_in: interactions each way (meetings for
            ``met``). first_seen, last_interaction: date ordinals, 0 when unknown. override: 0 when none.
        today: the ordinal of the day to score on (no clock is read here).

    Returns:
        float64 array of strengths in (0, 1].
    """
    kind = np.asarray(kind, dtype=np.int64)
    out = np.asarray(count_out, dtype=np.float64)
    inn = np.asarray(count_in, dtype=np.float64)
    first = np.asarray(first_seen, dtype=np.int64)
    last = np.asarray(last_interaction, dtype=np.int64)
    base = np.asarray(w.strength, dtype=np.float64)[kind]
    two = np.minimum(out, inn)
    units = w.two_way_weight * 2 * two + w.one_way_weight * (np.maximum(out, inn) - two)  # messages
    graded = np.flatnonzero(_GRADED[kind])  # the kinds whose evidence may earn less than their base
    if len(graded):
        k, o, i = kind[graded], out[graded], inn[graded]
        base[graded] *= _evidence(k, o, i, w)
        met = np.flatnonzero(_MEETING_KINDS[k])
        units[graded[met]] = w.meeting_weight * (o[met] + w.weak_meeting_weight * i[met])
    age_days = np.where(last > 0, np.maximum(today - last, 0), w.half_life_days)
    decay = 0.5 ** (age_days / w.half_life_days)
    interactions = w.interaction_boost * (1 - np.exp(-units / w.interaction_scale)) * decay
    years = np.where(first > 0, np.maximum(today - first, 0) / DAYS_PER_YEAR, 0.0)
    age = w.age_boost * np.minimum(1.0, years / w.age_full_years)
    strength = base + (1 - base) * np.minimum(1.0, interactions + age)
    ov = np.asarray(override, dtype=np.float64)
    strength = np.where(ov > 0, ov, strength)
    strength[np.flatnonzero(_COLD[kind])] = 0.0
    return strength


_COLD = np.array([k in NOT_A_RELATIONSHIP for k in KIND_ORDER], dtype=np.bool_)
_MEETING_KINDS = np.array([k in (K.MET, K.TEAMMATE) for k in KIND_ORDER], dtype=np.bool_)  # counts are meetings
_GRADED = _MEETING_KINDS | np.array([k in (K.MESSAGED, K.ENDORSED, K.RECOMMENDED) for k in KIND_ORDER], dtype=np.bool_)
_ONE_WAY_KINDS = np.array([k in (K.MESSAGED, K.ENDORSED, K.RECOMMENDED) for k in KIND_ORDER], dtype=np.bool_)


def _evidence(kind: np.ndarray, out: np.ndarray, inn: np.ndarray, w: ScoringWeights) -> np.ndarray:
    """How fully the evidence asserts each relationship's kind, in (0, 1]: the share of ``base[kind]`` it earns.

    - ``messaged``: messages both ways earn it in full; one way (in practice inbound only: the importer
      makes no relationship of unanswered outbound messages) ``one_way_weight``.
    - ``endorsed``, ``recommended``: given by the other person (``count_in``) in full; given only by the
      rep (``count_out``) ``one_way_weight``.
    - ``met`` and ``teammate`` (a recurring internal meeting makes teammates): at least one meeting that
      counts fully (``count_out``: accepted, small) in full; only meetings that count less (``count_in``:
      tentative, no answer recorded, large) ``weak_meeting_weight``.
    - Every other kind: in full.
    """
    one_way = _ONE_WAY_KINDS[kind] & np.where(kind == KIND_ORDER.index(K.MESSAGED),
                                              np.minimum(out, inn) == 0, (inn == 0) & (out > 0))
    weak_met = _MEETING_KINDS[kind] & (out == 0) & (inn > 0)
    return np.where(one_way, w.one_way_weight, np.where(weak_met, w.weak_meeting_weight, 1.0))


def relationship_strength(kind: RelationshipKind, *, count_out: int = 0, count_in: int = 0, first_seen: int = 0,
                          last_interaction: int = 0, override: float = 0.0, today: int,
                          w: ScoringWeights) -> float:
    """One relationship's strength (the same arithmetic as :func:`relationship_strengths`)."""
    return float(relationship_strengths([KIND_ORDER.index(kind)], [count_out], [count_in], [first_seen],
                                        [last_interaction], [override], today, w)[0])


def combine_strengths(strengths, overrides=(), corroboration: float = 0.5) -> float:
    """Pair strength of several relationships: the highest override if any, else the strongest
    relationship plus ``corroboration`` of what the others, combined as independent evidence, would add:
    ``top + (1 - top) * corroboration * (1 - prod(1 - s_other))``. Two sources about one pair (a CRM row and
    the meetings of the same deal) mostly describe the same relationship, so the second adds less."""
    given = [o for o in overrides if o > 0]
    if given:
        return max(given)
    ordered = sorted(strengths, reverse=True)
    if not ordered:
        return 0.0
    top, others = ordered[0], 1 - math.prod(1 - s for s in ordered[1:])
    return top + (1 - top) * corroboration * others


def colleague_size_factor(known_people, w: ScoringWeights) -> np.ndarray:
    """How much an implicit colleague tie is worth given how many people we know at the organisation."""
    n = np.maximum(np.asarray(known_people, dtype=np.float64), 1.0)
    return np.minimum(1.0, np.sqrt(w.colleague_small_org / n))


def tenure_factor(start, today: int, w: ScoringWeights) -> np.ndarray:
    """Per membership: 0.6 with no start date, else rising from 0.4 to 1 over ``colleague_tenure_years``."""
    start = np.asarray(start, dtype=np.int64)
    years = np.maximum(today - start, 0) / DAYS_PER_YEAR
    known = np.minimum(1.0, 0.4 + 0.6 * years / w.colleague_tenure_years)
    return np.where(start > 0, known, 0.6)


_WORD = re.compile(r"[a-z0-9]+")


# What short titles and function words mean, so "CFO" is a finance title and "Controller" a finance one.
_TITLE_MEANS = {
    "cfo": "chief financial officer finance", "coo": "chief operating officer operations",
    "cto": "chief technology officer technology", "cio": "chief information officer technology",
    "cro": "chief revenue officer revenue", "cpo": "chief procurement officer procurement",
    "controller": "finance", "comptroller": "finance", "treasurer": "finance", "accounting": "finance",
    "plant": "operations", "facilities": "operations", "logistics": "operations", "buyer": "purchasing",
}
# General management decides for every function: no persona miss for these.
_GENERAL = (" ceo ", " chief executive ", " owner ", " co owner ", " president ", " founder ", " co founder ",
            " general manager ", " managing director ", " managing partner ")


def title_relevance(title: str | None, w: ScoringWeights) -> float:
    """How relevant a person with this job title is as the buyer, in (0, 1].

    Short titles and function words are read for what they mean first (``CFO`` is a chief financial
    officer, a ``Controller`` works in finance); general management (CEO, owner, president, founder,
    general manager...) never misses the persona.
    """
    words = _WORD.findall(fold_text(title or ""))
    words += [m for word in words if (m := _TITLE_MEANS.get(word))]
    folded = " " + " ".join(words) + " "
    seniority, rest = 0.0, folded
    for word, weight in sorted(w.seniority, key=lambda kw: -len(kw[0])):  # "vice president" before "president"
        if f" {word} " in rest:
            seniority = max(seniority, weight)
            rest = rest.replace(f" {word} ", " ")
    score = max(w.seniority_floor, seniority)
    general = any(g in folded for g in _GENERAL)
    if w.persona_keywords and not general and not any(_persona_match(k, folded) for k in w.persona_keywords):
        score *= w.persona_miss
    return score


def _persona_match(keyword: str, folded: str) -> bool:
    """A keyword matches a phrase in the title, or a word that starts like it (light stemming:
    ``finance`` matches Financial, ``operations`` Operational)."""
    if " " in keyword:
        return f" {keyword} " in folded
    stem = keyword[: max(4, len(keyword) - 2)]
    return any(word.startswith(stem) for word in folded.split())
