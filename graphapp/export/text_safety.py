r"""Imported text shown as text: escaping for Markdown (Streamlit and the Markdown export), HTML and DOT,
and links built only from validated ``https://`` URLs of known hosts.

Names, titles, companies, notes, file names and URLs come from files anyone can write. Wherever such a
value is put into Markdown, HTML or DOT it goes through one of these functions, so that ``![p](http://host/x.png)``
fetches no image, ``<img src=x onerror=...>`` stays text and a crafted URL cannot turn into a link to
somewhere else. Pure and standard-library only.

>>> print(markdown_text("**Dana** ![p](x.png) <img src=x>"))
\*\*Dana\*\* !\[p\](x.png) \<img src=x>
>>> html_text("<img src=x onerror=alert(1)>")
'&lt;img src=x onerror=alert(1)&gt;'
>>> safe_url("https://www.linkedin.com/in/dana-whitfield")
'https://www.linkedin.com/in/dana-whitfield'
>>> safe_url("javascript:alert(1)") is None
True
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

LINKEDIN_HOSTS = ("linkedin.com",)
"""The hosts a profile link may point to (and their subdomains, such as ``www.linkedin.com``)."""

# Backslash-escaped, a punctuation character is only text (CommonMark). Escaped wherever they are: code (`),
# emphasis (*, and _ unless inside a word), strikethrough (~), links, images, footnotes and Streamlit's
# ``:red[…]`` colours ([ ]), raw HTML and autolinks (<), LaTeX ($), table cells (|), and the backslash.
# Escaped where they would mean something: an entity's & (``&lt;``); a colon before a letter or digit (Streamlit
# reads ``:red``, ``:small`` or ``:blue-badge`` as a directive even without its ``[…]``) and the closing colon of
# a ``:smile:`` emoji or ``:material/…:`` icon; and at the start of a line a heading (#), quote (>), list
# (- + "1." "1)") or setext underline (=). The rest (. , ( ) ! ' " / - and ": " and so on) is left as it is,
# for readability: without an unescaped ``[`` or ``<`` nothing can make a link or an image of it.
_ALWAYS = frozenset("\\`*~[]<$|")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_COLON = re.compile(r":(?=\w)")
_SHORTCODE = re.compile(r":(?=([\w+\-/]+):)")
_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")
# GFM turns a bare ``http://…``, ``https://…`` or ``www.…`` in text into a link, and the renderers do it on the
# text after escapes are resolved, so escaping cannot stop it: an invisible WORD JOINER (U+2060) after
# ``http``/``https``/``www`` does. (A bare e-mail address still becomes a ``mailto:`` link to itself: it
# shows where it goes, and an address shown must stay copyable.)
_AUTOLINK_START = re.compile(r"(?i)(?<![0-9a-z])(https?|www)(?=\\?:|\.)")
WORD_JOINER = "\u2060"
# Kept as they are in a rebuilt URL's path: RFC 3986 path characters, less any that Markdown or HTML could
# read inside a link (parentheses end one, & starts an entity, quotes end an attribute) and the % of a
# percent-encoding (the path is decoded first, then encoded again).
_URL_PATH_SAFE = "/-._~!+,;=:@"


def plain_text(value: object) -> str:
    """``value`` as one line of text: ``None`` is empty; line breaks, tabs, NUL and the other control
    characters (Unicode category Cc) and the line and paragraph separators (U+2028, U+2029) become spaces.

    Parameters:
        value: anything; text from an import, usually.

    Returns:
        The text, on one line, with every printable character kept.
    """
    if value is None:
        return ""
    text = str(value)
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)


def markdown_text(value: object) -> str:
    """``value`` as Markdown that renders as exactly its text, on one line.

    Each character that could start Markdown syntax is backslash-escaped (see the rules above), and a
    word joiner follows a bare ``http``/``https``/``www`` that GFM would make a link of, so nothing in it
    can become a link, an image, emphasis, code, raw HTML, a heading or list, a table cell, LaTeX, or a
    Streamlit colour, icon or emoji. It renders as exactly the text (an e-mail address still becomes a
    ``mailto:`` link showing itself). Use it for every imported value put into
    ``st.markdown``, ``st.caption``, ``st.info``/``success``/``warning``/``error``, ``st.write`` of a
    string, widget labels, ``st.table`` cells and the Markdown export.

    Parameters:
        value: the text (``None`` gives ``""``; anything else is ``str()``-ed).

    Returns:
        The escaped text.
    """
    text = plain_text(value).strip()  # Markdown drops outer spaces anyway; four in front would make a code block
    marked = {m.start() for pattern in (_ENTITY, _COLON) for m in pattern.finditer(text)}
    marked.update(m.end(1) for m in _SHORTCODE.finditer(text))  # the closing colon of :name:
    out = []
    for i, ch in enumerate(text):
        if ch in _ALWAYS or i in marked or (ch == "_" and not (_in_word(text, i - 1) and _in_word(text, i + 1))):
            out.append("\\" + ch)
        elif ch == "/" and text.endswith(":material", 0, i):
            out.append("\\/")  # Streamlit rewrites ":material/" in the source, escaped or not
        else:
            out.append(ch)
    escaped = _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)),
                              "".join(out), count=1)
    return _AUTOLINK_START.sub(lambda m: m.group(1) + WORD_JOINER, escaped)


def _in_word(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a letter or a digit (an ``_`` between two of them cannot make emphasis)."""
    return 0 <= i < len(text) and text[i].isalnum()


def html_text(value: object) -> str:
    """``value`` as HTML text (quotes escaped too, so it is safe in an attribute), on one line.

    Parameters:
        value: the text (``None`` gives ``""``).

    Returns:
        The escaped text.
    """
    return html.escape(plain_text(value), quote=True)


def html_block(value: object) -> str:
    """Like :func:`html_text` but keeping line breaks (for a ``<pre>`` block such as a drafted message)."""
    if value is None:
        return ""
    return "\n".join(html_text(line) for line in str(value).splitlines())


def dot_string(value: object) -> str:
    """``value`` as a DOT string literal (quoted, one line, backslashes and quotes escaped).

    Graphviz reads ``\\N``, ``\\G``, ``\\l`` and the like inside a label as commands, so every backslash is
    doubled; a quoted string can never become an HTML-like label (``<...>``) or another attribute.
    Use it for every value in a drawing; join several lines of a label with :func:`dot_label`.
    """
    return '"' + plain_text(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_label(*lines: object) -> str:
    """A DOT string literal of several lines, each escaped as by :func:`dot_string`, joined by ``\\n``."""
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


def safe_url(url: object, hosts: tuple[str, ...] = LINKEDIN_HOSTS) -> str | None:
    """The URL rebuilt from its parts when it is an ``https://`` address on one of ``hosts``, else None.

    Accepted: scheme ``https`` (any case), a host equal to one of ``hosts`` or a subdomain of one, no user
    name or password, no port other than 443, no whitespace or control character anywhere. The result
    keeps the path only (query and fragment are dropped: a profile needs neither) with every character
    Markdown or HTML could read as syntax (``()<>"'[]&`` and spaces) percent-encoded, so it can be put
    in ``[text](...)`` or ``href="..."`` as it is.

    Parameters:
        url: the address, as imported.
        hosts: the allowed hosts (lower case, without ``www.``).

    Returns:
        The safe URL, or None when it is not acceptable.
    """
    if not isinstance(url, str):
        return None
    raw = url.strip()
    if not raw or any(unicodedata.category(ch)[0] in "CZ" for ch in raw):
        return None  # whitespace, control and format characters (including bidi overrides) inside
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme.lower() != "https" or parts.username is not None or parts.password is not None:
        return None
    if port not in (None, 443) or not re.fullmatch(r"[a-z0-9.-]+", host):
        return None
    if not any(host == h or host.endswith("." + h) for h in hosts):
        return None
    path = quote(unquote(parts.path or "/"), safe=_URL_PATH_SAFE)
    return f"https://{host}{path}"


def markdown_link(text: object, url: object, hosts: tuple[str, ...] = LINKEDIN_HOSTS) -> str:
    """``[text](url)`` when ``url`` passes :func:`safe_url`, else ``text`` alone; the text is escaped either way.

    Parameters:
        text: what the link says.
        url: where it goes, as imported.
        hosts: the allowed hosts.

    Returns:
        Markdown: a link to the rebuilt URL, or the escaped text (no link at all) for anything else.
    """
    safe = safe_url(url, hosts)
    return f"[{markdown_text(text)}]({safe})" if safe else markdown_text(text)


def html_link(text: object, url: object, hosts: tuple[str, ...] = LINKEDIN_HOSTS) -> str:
    """``<a href="url">text</a>`` when ``url`` passes :func:`safe_url`, else the escaped text alone."""
    safe = safe_url(url, hosts)
    if not safe:
        return html_text(text)
    return f'<a href="{html.escape(safe, quote=True)}" rel="noopener noreferrer">{html_text(text)}</a>'
