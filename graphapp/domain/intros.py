"""Introduction requests: the message a rep sends the first connector, and which state may follow which (pure).

A request moves ``suggested -> requested -> accepted | declined``, an accepted one ``-> introduced ->
meeting -> opportunity -> won | lost``; a step may be skipped forwards (a connector who makes the
introduction at once goes from requested to introduced) but never back, and ``declined``, ``won``
and ``lost`` are final.
"""

from __future__ import annotations

from graphapp.domain.privacy import HIDDEN_PREFIX, keeper_of_label
from graphapp.model import IntroState

S = IntroState
INTRO_FLOW: tuple[IntroState, ...] = (S.SUGGESTED, S.REQUESTED, S.ACCEPTED, S.INTRODUCED, S.MEETING,
                                      S.OPPORTUNITY, S.WON)
FINAL: frozenset[IntroState] = frozenset({S.DECLINED, S.WON, S.LOST})


def next_states(state: IntroState) -> tuple[IntroState, ...]:
    """The states a request in ``state`` may move to, in order."""
    if state in FINAL:
        return ()
    later = list(INTRO_FLOW[INTRO_FLOW.index(state) + 1:])
    if state in (S.SUGGESTED, S.REQUESTED):
        later.insert(later.index(S.ACCEPTED) + 1, S.DECLINED)
    return (*later, S.LOST)


def _first(name: str) -> str:
    return name.split()[0] if name.strip() else name


def draft_request(path: dict, account_name: str) -> str:
    """A short, editable message from the rep to the first connector of ``path`` (a path as
    ``graphapp paths --json`` prints it), asking to be introduced onwards.

    Example:
        >>> path = {"rep": {"name": "Dana Whitfield"}, "target": {"name": "Mei Lin", "title": "VP Finance"},
        ...         "hops": [{"from": {"name": "Dana Whitfield"}, "to": {"name": "Raj Patel"}},
        ...                  {"from": {"name": "Raj Patel"}, "to": {"name": "Mei Lin", "title": "VP Finance"}}]}
        >>> print(draft_request(path, "Globex").splitlines()[2])
        Would you be open to introducing me to Mei Lin (VP Finance at Globex)? I believe you know each other.
    """
    rep, target, hops = path["rep"], path["target"], path["hops"]
    connector = hops[0]["to"]
    keeper = keeper_of_label(connector["name"]) if connector["id"].startswith(HIDDEN_PREFIX) else None
    if keeper:  # the first connector is someone only a teammate knows: ask the teammate
        return (f"Hi {_first(keeper)},\n\nOur ranking shows a warm path into {account_name} through one of your "
                f"contacts, towards {target['name']}. Would you be open to asking them for an introduction, or "
                f"introducing me yourself?\n\nThanks,\n{_first(rep['name'])}")
    who = f"{target['name']} ({target['title']} at {account_name})" if target.get("title") else \
        f"{target['name']} at {account_name}"
    if len(hops) == 1:
        return (f"Hi {_first(target['name'])},\n\n"
                f"I'd love to reconnect: could we find 20 minutes in the next couple of weeks? I'd like to hear "
                f"what {account_name} is focused on this year and share what we've been doing with teams like yours."
                f"\n\nBest,\n{_first(rep['name'])}")
    if len(hops) == 2:
        ask = f"Would you be open to introducing me to {who}? I believe you know each other."
    else:
        nxt = hops[1]["to"]["name"]
        ask = (f"Would you be open to introducing me to {nxt}? I'm hoping to reach {who}, and I believe "
               f"{_first(nxt)} knows them well.")
    return (f"Hi {_first(connector['name'])},\n\n{ask}\n\n"
            f"A short note from you would mean a lot; I'm happy to send a blurb you can forward. "
            f"And if there's anyone I can introduce you to in return, just say.\n\n"
            f"Thanks,\n{_first(rep['name'])}")


MADE = frozenset({S.INTRODUCED, S.MEETING, S.OPPORTUNITY, S.WON})
YIELD = frozenset({S.MEETING, S.OPPORTUNITY, S.WON})


def connector_records(intros) -> dict[str, tuple[int, int, int, int]]:
    """Per connector id: (asked, introductions made, declined, introductions that became meetings or deals).

    Suggestions nobody acted on do not count."""
    out: dict[str, list[int]] = {}
    for intro in intros:
        states = {e.state for e in intro.events} | {intro.state}
        if states <= {S.SUGGESTED}:
            continue
        record = out.setdefault(intro.connector_id, [0, 0, 0, 0])
        record[0] += 1
        record[1] += bool(states & MADE)
        record[2] += S.DECLINED in states
        record[3] += bool(states & YIELD)
    return {k: (a, m, d, y) for k, (a, m, d, y) in out.items()}


def willingness_factor(made: int, declined: int, yielded: int = 0) -> float:
    """What a connector's record does to their willingness: each introduction made raises it by 15%
    (meetings and deals from them by 10% more each), up to 1.6x; two declines or more halve it."""
    up = min(1.6, 1 + 0.15 * made + 0.10 * yielded)
    return up * (0.5 if declined >= 2 else 1.0)
