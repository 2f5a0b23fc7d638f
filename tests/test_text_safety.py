"""Imported text is text (issue 20, item 4): graphapp/export/text_safety.py and the exports that use it.

Markdown, HTML and DOT built from names, titles and URLs carrying Markdown (``![p](http://host/px.png)``,
``[x](javascript:...)``, ``**``, backticks), HTML (``<img src=x onerror=...>``, ``<script>``) and
``javascript:`` payloads. What Streamlit's own renderer makes of the escaped text is checked in a real
browser by tests/e2e/test_markup.py; here the escaping itself, character by character.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphapp.export.dot import paths_dot
from graphapp.export.text_safety import (
    WORD_JOINER,
    dot_label,
    dot_string,
    html_block,
    html_link,
    html_text,
    markdown_link,
    markdown_text,
    plain_text,
    safe_url,
)
from graphapp.export.weekly import weekly_html, weekly_markdown

PAYLOADS = [
    "![p](http://127.0.0.2:9/px.png)", "Ada ![p](http://host/px.png) Lovell", "[x](javascript:alert(1))",
    "[Verify your account](https://evil.example/login)", "**CEO** _it_ `code` ~~gone~~", "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>", "<http://evil.example>", "javascript:alert(1)", "https://evil.example/login",
    "WWW.evil.example", "(www.evil.example)", "_http://evil.example", ":red[red] :blue-badge[b] :small[s]",
    ":material/warning: :smile: :+1:", "$x^2$ costs $5", "# Heading", "> quote", "- item", "+ item", "1. first",
    "12) twelfth", "=== setext", "a | b | c", "&lt;img src=x&gt; &#60;b&#62;", "back\\slash \\*", "line1\nline2\r\nline3",
    "tab\tand\x00nul\u2028sep", "[^1] footnote", "[a]: http://evil.example", "![p][a]", "x<!-- hidden -->y",
    "    indented code", "Dana O'Brien (VP: Sales/Ops) 100% @ACME!", "snake_case_name", "__dunder__", "a*b*c",
]
ALWAYS = set("\\`*~[]<$|")


def tokens(md: str) -> list[tuple[str, bool]]:
    """(character, escaped) pairs of Markdown text: a backslash before ASCII punctuation escapes it."""
    out, i = [], 0
    while i < len(md):
        if md[i] == "\\" and i + 1 < len(md) and md[i + 1] in string.punctuation:
            out.append((md[i + 1], True))
            i += 2
        else:
            out.append((md[i], False))
            i += 1
    return out


def rendered(md: str) -> str:
    """The text a CommonMark renderer shows for escaped Markdown (escapes resolved, word joiners invisible)."""
    return "".join(ch for ch, _ in tokens(md)).replace(WORD_JOINER, "")


def assert_inert(md: str) -> None:
    """Nothing in ``md`` can start Markdown (or Streamlit) syntax."""
    toks = tokens(md)
    raw = [(i, ch) for i, (ch, escaped) in enumerate(toks) if not escaped]
    text = "".join(ch for ch, _ in toks)
    for i, ch in raw:
        assert ch not in ALWAYS, (md, ch)
        if ch == "_":
            assert text[i - 1:i].isalnum() and text[i + 1:i + 2].isalnum(), (md, "emphasis _")
        if ch == "&":
            assert not re.match(r"&#?[0-9A-Za-z]+;", text[i:]), (md, "entity")
        if ch == ":":
            assert not re.match(r":\w", text[i:]), (md, "directive or shortcode")
            assert not re.search(r":[\w+\-/]+$", text[:i]), (md, "shortcode end")
    start = len(text) - len(text.lstrip())  # the first character that is not a space
    if start < len(toks) and toks[start][0] in "#>+=-":
        assert toks[start][1], (md, "block at line start")
    if number := re.match(r"\s*\d+[.)]", text):
        assert toks[number.end() - 1][1], (md, "ordered list at line start")
    assert not re.search(r"(?i)(?<![0-9a-z])(https?://|www\.)", text.replace(WORD_JOINER, "§")), (md, "autolink")
    assert "\n" not in md and "\r" not in md


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_is_inert_and_renders_as_exactly_the_text(payload):
    md = markdown_text(payload)
    assert_inert(md)
    assert rendered(md) == plain_text(payload).strip()


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
       | st.lists(st.sampled_from(["![", "](", "[", "]", "<", ">", "`", "*", "_", "~", "$", "|", ":", "&", "#",
                                   "http://", "www.", "1.", "-", " ", "\n", "a", "é", "lt;", "red", "material/"]),
                  max_size=20).map("".join))
def test_any_text_is_inert_and_keeps_its_characters(text):
    md = markdown_text(text)
    assert_inert(md)
    assert rendered(md) == plain_text(text).strip()


def test_readable_text_stays_readable():
    # Only what could make syntax is escaped: names, titles and sentences read as they are.
    for text in ("Dana Whitfield", "Hollis & Grant LLP", "VP: Sales", "O'Brien-Smith (Ops) 100%!", "a -> b",
                 "snake_case", "dana@example.com", "In 2024. A year", "x - y", "C# + F#"):
        assert markdown_text(text) == text


def test_plain_text_makes_one_line_of_any_control_characters():
    assert plain_text("a\nb\r\nc\td\x00e\x1bf\u2028g\u2029h\x85i") == "a b  c d e f g h i"
    assert plain_text(None) == "" and plain_text(3) == "3"
    assert plain_text("José 山田 \u200dZWJ") == "José 山田 \u200dZWJ"  # letters and joiners stay


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_escapes_every_tag_quote_and_entity(payload):
    out = html_text(payload)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert re.sub(r"&(lt|gt|quot|#x27|amp);", "", out).count("&") == 0
    assert "\n" not in out


def test_html_block_keeps_line_breaks_for_a_drafted_message():
    assert html_block("Hi <b>Ada</b>,\n\nthanks") == "Hi &lt;b&gt;Ada&lt;/b&gt;,\n\nthanks"


SAFE = {
    "https://www.linkedin.com/in/dana-whitfield": "https://www.linkedin.com/in/dana-whitfield",
    "https://linkedin.com/in/dana": "https://linkedin.com/in/dana",
    "HTTPS://WWW.LINKEDIN.COM/in/Dana": "https://www.linkedin.com/in/Dana",
    "https://de.linkedin.com/in/dana/?trk=x#y": "https://de.linkedin.com/in/dana/",
    "https://www.linkedin.com:443/in/dana": "https://www.linkedin.com/in/dana",
    # A crafted slug stays inside the one link: what Markdown or HTML could read is percent-encoded.
    "https://www.linkedin.com/in/x)[v](https:": "https://www.linkedin.com/in/x%29%5Bv%5D%28https:",
    'https://www.linkedin.com/in/a"onmouseover=x<b>': "https://www.linkedin.com/in/a%22onmouseover=x%3Cb%3E",
}
UNSAFE = [
    None, "", "javascript:alert(1)", "JaVaScRiPt:alert(1)//https://www.linkedin.com/in/x", "data:text/html,x",
    "http://www.linkedin.com/in/dana", "//www.linkedin.com/in/dana", "www.linkedin.com/in/dana",
    "https://www.linkedin.com.evil.example/in/dana", "https://evil.example/?u=https://www.linkedin.com/in/x",
    "https://notlinkedin.com/in/dana", "https://user@www.linkedin.com/in/dana", "https://linkedin.com\\@evil.example",
    "https://www.linkedin.com:8443/in/dana", "https://www.linkedin.com/in/ada-lovell) [verify](https://evil.example/login",
    "https://www.linkedin.com/in/x\nhttps://evil.example", "https://www.linkedin.com/in/x\u202etxt.exe",
    "https://www.linkedin.com/in/x\u200b", "https://[::1]/in/x", "https://127.0.0.1/in/x", 42,
]


@pytest.mark.parametrize("url", list(SAFE))
def test_a_linkedin_https_url_is_rebuilt_from_its_parts(url):
    assert safe_url(url) == SAFE[url]


@pytest.mark.parametrize("url", UNSAFE)
def test_anything_else_is_no_url(url):
    assert safe_url(url) is None


def test_links_are_made_only_from_safe_urls():
    assert markdown_link("LinkedIn profile", "https://www.linkedin.com/in/ada") == \
        "[LinkedIn profile](https://www.linkedin.com/in/ada)"
    crafted = "https://www.linkedin.com/in/ada-lovell) [Verify your account](https://evil.example/login"
    assert markdown_link("LinkedIn profile", crafted) == "LinkedIn profile"  # no link at all
    link = markdown_link("Ada ![p](http://h/p.png)", "https://www.linkedin.com/in/x)[v](https:")
    assert len(re.findall(r"(?<!\\)\]\(", link)) == 1  # one link, to the rebuilt address
    assert link.endswith("](https://www.linkedin.com/in/x%29%5Bv%5D%28https:)")
    assert_inert(link[1:link.rindex("](")])  # the link's text is escaped too
    assert html_link("<b>Ada</b>", "https://www.linkedin.com/in/ada") == \
        '<a href="https://www.linkedin.com/in/ada" rel="noopener noreferrer">&lt;b&gt;Ada&lt;/b&gt;</a>'
    assert html_link("Ada", "javascript:alert(1)") == "Ada"


DOT_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


@pytest.mark.parametrize("payload", PAYLOADS + ['say "hi" \\N \\G \\l', 'a"; image="http://h/x.png'])
def test_a_dot_string_is_one_quoted_token(payload):
    for quoted in (dot_string(payload), dot_label(payload, payload)):
        assert DOT_STRING.fullmatch(quoted), quoted
        body = quoted[1:-1]
        assert "\n" not in body and not re.search(r'(?<!\\)(?:\\\\)*"', body)
        assert not re.search(r"(?<!\\)\\[NGELTH]", body.replace("\\\\", ""))  # no Graphviz escape from the data


def hostile_paths(value: str) -> list[dict]:
    rep, target = {"id": "r", "name": value}, {"id": "t", "name": value, "title": value}
    return [{"rep": rep, "target": target, "hops": [
        {"from": rep, "to": {"id": "c", "name": value, "title": value}, "kind": "customer", "strength": 0.8},
        {"from": {"id": "c", "name": value}, "to": target, "kind": "colleague", "strength": 0.4}]}]


@pytest.mark.parametrize("payload", ['<img src=x onerror=alert(1)>', 'Ada", URL="https://evil.example", x="',
                                     'Mei"]; evil [image="http://127.0.0.2:9/p.png"', "a\\\"b\nc"])
def test_the_path_drawing_keeps_every_name_inside_its_quotes(payload):
    dot = paths_dot(hostile_paths(payload), account_name=payload)
    outside = DOT_STRING.sub('""', dot)  # the drawing with every string literal emptied
    for word in ("<", "URL", "href", "image", "evil", "onerror"):
        assert word not in outside, word
    # 3 people, the account, 2 edges, and the legend's 6 (its title, 3 colours, 2 lines): nothing more from a name
    assert outside.count("label=") == 6 + 6
    assert dot.count("subgraph cluster_account") == 1


def weekly(value: str) -> dict:
    path = {"rep": {"name": value}, "target": {"name": value, "title": value}, "hops": [{"to": {"name": value}}]}
    rep = {"id": "p1", "name": value, "email": "rep@example.com"}
    return {"week": "2026-W49", "reps": [{"rep": rep, "items": [
        {"kind": "intro", "reason": f"You know {value} directly: reach out.", "score": 0.5, "path": path,
         "draft": f"Hi {value},\nthanks"},
        {"kind": "cadence", "reason": f"Ask {value} for a referral.", "score": None, "path": None, "draft": None}]}]}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_weekly_markdown_export_holds_no_markup_from_a_value(payload):
    text = weekly_markdown(weekly(payload))
    for line in text.splitlines():
        for prefix in ("# Suggested introductions, week ", "## ", "1. ", "- "):
            if line.startswith(prefix):
                assert_inert(line[len(prefix):])
                break
        else:
            assert line in ("", "Cadence:"), line
    assert "<img" not in text.replace("\\<img", "") and "<script" not in text.replace("\\<script", "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_weekly_html_export_escapes_every_value(payload):
    data = weekly(payload)
    page = weekly_html(data, data["reps"][0]["rep"], data["reps"][0]["items"])
    tags = re.findall(r"<(/?[a-z0-9!]+)", page)
    assert set(tags) <= {"!doctype", "html", "/html", "head", "/head", "meta", "title", "/title", "style", "/style",
                         "body", "/body", "h1", "/h1", "ol", "/ol", "li", "/li", "span", "/span", "details",
                         "/details", "summary", "/summary", "pre", "/pre", "h2", "/h2", "ul", "/ul"}
    assert "<a " not in page and "href" not in page
