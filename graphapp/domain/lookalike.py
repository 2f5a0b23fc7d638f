"""Look-alike text (pure): a "skeleton" of a name or an e-mail address under which strings a reader
cannot tell apart are equal, so a new rep cannot pass for one the team has (a Cyrillic ``а`` or a
full-width ``ｄ`` in "Dana Whitfield" or in dana@example.com).

The skeleton follows the idea of Unicode's confusable detection (UTS #39): compatibility forms are
folded (NFKC: full-width, ligatures, superscripts), invisible format characters dropped, case folded,
and the letters of other scripts that are drawn like Latin ones mapped to those (Cyrillic, Greek and
a few Latin variants), as are the shapes that differ only in the font (``0``/``o``, ``1``/``l``/``I``,
``rn``/``m``, ``vv``/``w``). It is meant for comparing, never for storing or showing.
"""

from __future__ import annotations

import re
import unicodedata

# After NFKC and casefold: every letter drawn like a Latin one -> that Latin letter (lower case).
_LIKE_LATIN = {
    # Cyrillic
    "а": "a", "б": "6", "в": "b", "г": "r", "е": "e", "з": "3", "к": "k", "м": "m", "н": "h",
    "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ь": "b", "ѕ": "s", "і": "i",
    "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "һ": "h", "ӏ": "l", "ɡ": "g", "ԍ": "g",
    "ո": "n", "ս": "u", "օ": "o",  # Armenian
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "σ": "o", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    # Latin look-alikes and shapes that differ only by font
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɩ": "i", "ɪ": "i", "ʟ": "l", "ǀ": "l", "ɵ": "o", "ø": "o",
    "0": "o", "1": "l", "i": "l", "|": "l", "!": "l",
}
_SEQUENCES = (("rn", "m"), ("vv", "w"))
_SPACES = re.compile(r"\s+")


def skeleton(text: str) -> str:
    """The form under which look-alike strings are equal (for comparing only).

    Parameters:
        text: a name or an e-mail address, as typed or imported.

    Returns:
        The folded text: equal for ``"Dana Whitfield"``, ``"Dаna Whitfield"`` (Cyrillic ``а``) and
        ``"Ｄana WhitfieId"`` (full-width ``Ｄ``, capital ``I`` for ``l``).

    >>> skeleton("dana@example.com") == skeleton("dаna@examp1e.com")
    True
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")  # zero-width and other invisibles
    folded = unicodedata.normalize("NFKC", folded.casefold())
    # Accents are kept (Dána is not Dana), but a mark on a letter that has none of its own in the mapping
    # stays on the mapped letter: decompose, map the base letters, compose again.
    decomposed = unicodedata.normalize("NFD", folded)
    mapped = "".join(_latin(ch) for ch in decomposed)
    for seq, like in _SEQUENCES:
        mapped = mapped.replace(seq, like)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", mapped)).strip()


def _latin(ch: str) -> str:
    once = _LIKE_LATIN.get(ch, ch)
    return _LIKE_LATIN.get(once, once)  # Cyrillic і -> i -> l, as a Latin i goes to l


def look_alike(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ but a reader could take one for the other."""
    return a != b and skeleton(a) == skeleton(b)
