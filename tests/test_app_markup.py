"""Imported text is text in the app (issue 20, item 4), in Streamlit's AppTest: every string the pages hand
Streamlit as Markdown (bodies of markdown, captions, headings and alerts; labels of widgets, expanders and
buttons; tooltips) after importing names, titles, a company, notes and LinkedIn URLs carrying Markdown and
HTML (tests/fixtures/markup). The browser's side is tests/e2e/test_markup.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from graphapp import service
from graphapp.export.text_safety import WORD_JOINER
from tests.test_text_safety import rendered

ROOT = Path(__file__).resolve().parents[1]
MARKUP = ROOT / "tests" / "fixtures" / "markup"
ROSA = "rosa.quill@example.com"
MARKDOWN_FIELDS = {"body", "label", "help", "text"}  # what Streamlit renders as Markdown ("options" and "default" are plain)
# What a value would bring if it were not escaped: an image, a link, raw HTML, a bare URL, code, a colour, LaTeX.
RAW = re.compile(r"!\[|(?<!\\)\]\(|(?<!\\)<(img|script|http)|(?<![\\\w])(https?://|www\.)|`x`|:red\[|\$z\$|\*\*CEO|\*\*Bold")
OWN_LINK = re.compile(r"\[LinkedIn profile\]\(https://www\.linkedin\.com/in/[^\s()\[\]<>]+\)")  # the one link we make


def build_team(db: Path) -> None:
    """Rep Rosa Quill and the hostile team files: a target account and a customer (tests/fixtures/markup)."""
    with service.open_graph(str(db)) as store:
        service.add_rep(store, name="Rosa Quill", email=ROSA)
        service.import_files(store, [MARKUP / "targets.csv", MARKUP / "relationships.csv"])


def build(db: Path) -> None:
    """:func:`build_team` and Rosa's three hostile LinkedIn connections, all at the target account."""
    build_team(db)
    with service.open_graph(str(db)) as store:
        service.import_files(store, [MARKUP / "Connections.csv"], owner=ROSA)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "markup.db"
    build(path)
    monkeypatch.setenv("GRAPHAPP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(element.field, text) of every string of the page that Streamlit renders as Markdown."""
    found: list[tuple[str, str]] = []

    def walk(message: Message, kind: str) -> None:
        for field, value in message.ListFields():
            values = value if type(value).__name__.startswith("Repeated") else [value]
            for v in values:
                if isinstance(v, Message):
                    walk(v, type(v).__name__)
                elif isinstance(v, str) and field.name in MARKDOWN_FIELDS:
                    found.append((f"{kind}.{field.name}", v))

    def nodes(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from nodes(child)

    for node in nodes(at._tree):  # noqa: SLF001 (AppTest has no public walk of every element)
        if isinstance(getattr(node, "proto", None), Message):
            walk(node.proto, type(node.proto).__name__)
    return found


def open_page(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def assert_only_text(at: AppTest, page: str) -> int:
    """No Markdown from the data on the page; returns how many strings carried (escaped) data."""
    carried = 0
    for where, text in markdown_strings(at):
        bare = OWN_LINK.sub("", text)
        assert not RAW.search(bare), (page, where, text)
        if "\\<img" in text or "!\\[" in text or WORD_JOINER in text:
            carried += 1
            assert "<img" in rendered(bare) or "![" in rendered(bare) or "://" in rendered(bare)
    return carried


def ids(db: Path) -> tuple[str, list[str]]:
    with service.open_graph(str(db)) as store:
        org = service.search_organizations(store, "evilcorp.example.com")[0].id
        people = [p.id for p in service.search_people(store, "evilcorp")]
    return org, people


def test_no_page_renders_markup_from_imported_names_titles_companies_notes_or_urls(db):
    org, people = ids(db)
    assert len(people) == 3
    visits = {"home": open_page("app_pages/home.py"), "targets": open_page("app_pages/targets.py"),
              "account": open_page("app_pages/account.py", account=org), "weekly": open_page("app_pages/weekly.py"),
              "organisation": open_page("app_pages/organizations.py", org=org),
              "duplicates": open_page("app_pages/people.py", view="duplicates"),
              "import": open_page("app_pages/import_data.py"), "settings": open_page("app_pages/settings_page.py")}
    for n, query in enumerate(("evilcorp", "![q](http://127.0.0.2:9/q.png) nobody")):  # results; "No one matches"
        visits[f"people search {n}"] = search = open_page("app_pages/people.py")
        search.text_input(key="people_q").input(query).run()
        assert not search.exception
    for n, person in enumerate(people):
        visits[f"person {n}"] = open_page("app_pages/people.py", person=person)
    carried = {page: assert_only_text(at, page) for page, at in visits.items()}
    # The data is there, as text: the hostile company, people and titles on every page that shows them.
    for page in ("account", "weekly", "organisation", "person 0", "person 1", "person 2", "people search 1"):
        assert carried[page] >= 1, page
    assert carried["account"] >= 20  # paths, explanations, evidence, message labels


def test_a_persons_linkedin_link_is_made_only_from_a_checked_url(db):
    _, people = ids(db)
    shown = {}
    for person in people:
        at = open_page("app_pages/people.py", person=person)
        shown[at.title[0].value] = [m.value for m in at.markdown if "LinkedIn" in m.value]
    cleo = next(v for k, v in shown.items() if k.startswith("Cleo"))
    ada = next(v for k, v in shown.items() if k.startswith("Ada"))
    bram = next(v for k, v in shown.items() if k.startswith("Bram"))
    assert cleo == ["[LinkedIn profile](https://www.linkedin.com/in/cleo-vance)"]
    # Ada's stored URL holds a space and a second link ("[verify your account](https://evil.example/login"):
    # no link at all, the address shown as text.
    assert ada[0].startswith("LinkedIn: https") and "](" not in ada[0].replace("\\](", "")
    assert "verify your account\\]" in ada[0]
    # Bram's has no space: one link, to linkedin.com, with the rest percent-encoded inside it.
    assert bram == ["[LinkedIn profile](https://www.linkedin.com/in/bram-okafor%29%5Bverify%5D%28https:)"]


def test_the_path_drawing_keeps_imported_names_inside_dot_strings(db):
    org, _ = ids(db)
    at = open_page("app_pages/account.py", account=org)
    specs = [e.proto.spec for e in at.get("graphviz_chart")]
    assert specs
    for spec in specs:
        outside = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', spec)
        assert "<" not in outside and "image" not in outside and "URL" not in outside
        assert "<img src=http://127.0.0.2:9/bram.png" in spec  # the name is there, as label text
