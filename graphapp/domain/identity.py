"""Who is who: match keys for people and organisations, and the merge decisions built on them (pure).

Strong keys first: a normalised LinkedIn profile URL, an e-mail (several per person). Then a name
key joined with an organisation: names are compared without case, accents, emoji, credential
suffixes and punctuation, with common nicknames mapped to one form (Jon = Jonathan, Bill = William)
and family-name-first order undone. Organisation names are compared without legal suffixes
(Inc, Corp, LLC, Ltd, GmbH...), with "&" = "and". Two people whose LinkedIn URLs differ are never
merged; two people with the same name at different organisations are not merged without another link.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

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


# Nicknames and short forms -> one canonical given name. Both directions of each pair meet here.
_NICKNAME_GROUPS = (
    "jonathan jon jonny", "william bill billy will willy liam", "robert rob bob bobby robbie",
    "richard rick ricky dick rich", "katherine kate katie kathy cathy catherine kat kathryn",
    "elizabeth liz lizzie beth betty eliza libby", "margaret maggie meg peggy marge", "patricia trish patty pat tricia",
    "deborah debbie deb debra", "nicholas nick nicky nico", "matthew matt matty", "edward ned ed eddie ted teddy",
    "gregory greg", "timothy tim timmy", "frederick fred freddie freddy", "michael mike mikey mick",
    "christopher chris kit", "alexander alex sandy alec", "alexandra alex sasha", "andrew andy drew",
    "anthony tony", "benjamin ben benny", "charles charlie chuck chas", "daniel dan danny", "david dave davey",
    "james jim jimmy jamie", "joseph joe joey", "joshua josh", "jennifer jen jenny", "jessica jess jessie",
    "kenneth ken kenny", "lawrence larry", "leonard leo len lenny", "nathaniel nate nathan nat",
    "peter pete", "rebecca becky becca", "samuel sam sammy", "samantha sam sammie", "stephen steve stephan steven",
    "susan sue susie suzanne", "theodore theo ted", "thomas tom tommy", "victoria vicky tori", "zachary zach zack",
    "abigail abby", "albert al bert", "christine chris tina kristine", "donald don donnie", "douglas doug",
    "eleanor ellie nora elle", "gerald gerry jerry", "harold harry hal", "henry hank harry", "jacqueline jackie",
    "jeffrey jeff", "johnathan john johnny jack", "josephine jo josie", "lucas luke", "madeline maddie",
    "philip phil pip", "raymond ray", "ronald ron ronnie", "sebastian seb", "walter walt", "wilhelmina mina",
)
NICKNAMES: dict[str, str] = {}
for _group in _NICKNAME_GROUPS:
    _canonical, *_others = _group.split()
    for _name in (_canonical, *_others):
        NICKNAMES.setdefault(_name, _canonical)

_CREDENTIAL = re.compile(
    r"\b(phd|ph d|mba|cpa|cfa|pe|aia|esq|md|jd|cfp|pmp|leed ap|jr|sr|ii|iii|iv|cpa cfp)\b", re.I
)
# The words a _CREDENTIAL match can start with: folded ASCII text holding none of them has no credential.
_CREDENTIAL_STARTS = frozenset("phd ph mba cpa cfa pe aia esq md jd cfp pmp leed jr sr ii iii iv".split())
_COOP = re.compile(r"\bco-?op\b", re.I)
_LEGAL = {
    "inc", "incorporated", "corp", "corporation", "llc", "l l c", "ltd", "limited", "gmbh", "co", "company", "plc",
    "sa", "sarl", "sas", "ag", "bv", "nv", "llp", "lp", "pty", "pc", "pllc", "oy", "ab", "as", "kg", "srl", "spa",
    "group",  # "Marlowe Steelworks Group" is Marlowe Steelworks to a rep looking for a way in
}


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_ALIAS = re.compile(r"\"[^\"]*\"|\([^)]*\)|“[^”]*”")  # a short name in quotes or brackets: not part of the name


@lru_cache(maxsize=1 << 16)
def fold_text(value: str) -> str:
    """Lower-case, accents and emoji removed, punctuation turned into spaces, whitespace collapsed."""
    return _fold(value)


def _fold(value: str) -> str:
    """:func:`fold_text`, not remembered (for callers that remember their own answers)."""
    if value.isascii():  # the common case, 20x faster than the character walk below
        text = value.lower()
        if text.replace(" ", "").isalnum() and "  " not in text and text[0] != " " and text[-1] != " ":
            return text  # already words of [a-z0-9] between single spaces
        return _NOT_ALNUM.sub(" ", text).strip()
    decomposed = unicodedata.normalize("NFKD", value)
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        category = unicodedata.category(ch)
        if category.startswith(("L", "N")):
            kept.append(ch.lower())
        elif category.startswith("S") and ord(ch) > 0x2000:  # emoji and other symbols: drop
            continue
        else:
            kept.append(" ")
    text = "".join(kept).replace("ł", "l").replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    return " ".join(text.split())


@lru_cache(maxsize=1 << 18)  # an import asks twice per contact (resolving, then the store's name keys): 100,000 contacts fit
def name_key(name: str | None) -> str | None:
    """A key equal for spellings of one name: ``"Kate Ashdown"`` and ``"Katherine Ashdown, PhD"``.

    Family-name-first with a comma (``"Fitch, Harold"``) is turned around before folding.
    """
    if not name:
        return None
    if "," not in name and name.isascii():  # the common case, without a call to _fold (same answer)
        folded = name.lower()
        if not (folded.replace(" ", "").isalnum() and "  " not in folded and folded[0] != " " and folded[-1] != " "):
            folded = _NOT_ALNUM.sub(" ", folded).strip()
        ascii_text = True
    else:
        text = name
        head, _, tail = name.partition(",")
        if tail and not _CREDENTIAL.fullmatch(_fold(tail)) and " " not in head.strip():
            text = f"{tail} {head}"  # "Fitch, Harold" -> "Harold Fitch"
        folded = _fold(text)
        ascii_text = folded.isascii()
    tokens = folded.split()
    if not ascii_text or not _CREDENTIAL_STARTS.isdisjoint(tokens):  # else nothing to remove
        tokens = _CREDENTIAL.sub(" ", folded).split()
    if not tokens:
        return None
    if len(tokens) == 1:
        return tokens[0]
    first = NICKNAMES.get(tokens[0], tokens[0])
    return f"{first} {tokens[-1]}"


@lru_cache(maxsize=1 << 16)
def org_key(name: str | None) -> str | None:
    """A key equal for spellings of one organisation: ``"Hollin Bank & Trust"`` = ``"Hollin Bank and Trust"``,
    ``"Marlowe Precision Castings, LLC"`` = ``"Marlowe Precision Castings"``."""
    if not name:
        return None
    text = _ALIAS.sub(" ", name).replace("&", " and ").replace("+", " and ")  # Hollis & Grant "HG" LLP
    if "op" in text.lower():
        text = _COOP.sub("cooperative", text)
    tokens = _fold(text).split()
    while len(tokens) > 1 and tokens[-1] in _LEGAL:
        tokens.pop()
    if len(tokens) > 2 and " ".join(tokens[-2:]) == "l l c":
        tokens = tokens[:-2]
    return " ".join(tokens) or None


FREE_MAIL = frozenset("""
gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com hotmail.com hotmail.co.uk outlook.com live.com msn.com
icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.com gmx.de gmx.net web.de mail.com zoho.com
yandex.com yandex.ru fastmail.com hey.com tutanota.com qq.com 163.com 126.com naver.com daum.net
privaterelay.appleid.com example.com
""".split())
"""Domains of personal addresses: a free-mail domain never names a company (nor does a bare example.com,
the domain of this project's invented data; its subdomains do)."""


def is_free_mail(domain: str) -> bool:
    return domain in FREE_MAIL


def domain_label(domain: str) -> str:
    """The part of a domain that may spell a company's brand: its first label, without ``www.`` and trailing
    digits (``brackenridge153.example.com``: brackenridge)."""
    return domain.removeprefix("www.").split(".")[0].rstrip("0123456789")


def domain_fits(company: str, domain: str) -> bool:
    """Whether an e-mail domain is plausibly the company's own: its first label spells the company's
    name (``northpine.example.com`` for "Northpine Freight Inc."), without "and"/"the" (``hollisgrant``
    for "Hollis & Grant"), or its initials (``hg``); for a name without Latin letters, any company domain.
    A personal address or a former employer's does not."""
    if is_free_mail(domain):
        return False
    if not any("a" <= ch <= "z" for ch in fold_text(company)):
        return True  # a name in another script (北松物流): its people's work domain is the only way to compare it
    key = org_key(company)
    if not key:
        return False
    label = domain.removeprefix("www.").split(".")[0]  # as written: a looser reading would take stale addresses
    words = key.split()
    compact = "".join(words)
    plain = "".join(w for w in words if w not in ("and", "the", "of"))
    if len(label) >= 4 and (compact.startswith(label) or plain.startswith(label) or label in (compact, plain)):
        return True
    return len(words) >= 2 and label == "".join(w[0] for w in words if w not in ("and", "the", "of"))


def person_name_keys(names: list[str], org_ids: list[str]) -> list[str]:
    """Store lookup keys ``name:<name key>|<org id>`` for every spelling at every organisation."""
    keys = {name_key(n) for n in names} - {None}
    return sorted(f"name:{k}|{o}" for k in keys for o in org_ids)


def brand_keys(names: list[str], domains: list[str]) -> set[str]:
    """``brand:<word>`` keys: a company written as its brand alone ("Corvane") meets the company whose
    domain spells it (``corvane.example.com``, "Corvane Textiles"). Only one-word names and the first label
    of a company's own domain (four letters or more, never a free-mail one) make one."""
    keys = set()
    for name in names:
        key = org_key(name)
        if key and " " not in key and len(key) >= 4:
            keys.add(f"brand:{key}")
    for d in domains:
        label = domain_label(d) if d else ""
        if len(label) >= 4 and not is_free_mail(d):
            keys.add(f"brand:{label}")
    return keys


def lead_keys(names: list[str]) -> set[str]:
    """``lead:<first word>`` keys: the first word of a longer name ("Brackenridge Marine Supply"), by which a
    work address's domain (``brackenridge.example.com``) finds the one company it can be. Never joins two
    companies (two names that share a first word are not one company); only places a lone address."""
    keys = set()
    for name in names:
        words = (org_key(name) or "").split()
        if len(words) > 1 and len(words[0]) >= 4:
            keys.add(f"lead:{words[0]}")
    return keys


def org_lookup_keys(names: list[str], domains: list[str]) -> list[str]:
    """Store lookup keys ``org:<org key>``, ``domain:<domain>``, ``brand:<word>`` and ``lead:<word>`` of an
    organisation."""
    keys = {f"org:{k}" for k in map(org_key, names) if k}
    keys |= {f"domain:{d}" for d in domains if d}
    return sorted(keys | brand_keys(names, domains) | lead_keys(names))
