"""Imported text is text, in a real browser (issue 20, item 4): a LinkedIn export whose names, titles,
company and profile URLs carry Markdown and HTML is imported on the Import page, then every page is
visited. The pages must make no request to any host but the app's own (an image in a name would), show no
image or link made from the data, and raise no dialog (``onerror=alert(1)``); the hostile text is shown as
text. A second test renders every payload of tests/test_text_safety.py through Streamlit itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from graphapp import service
from graphapp.export.text_safety import WORD_JOINER, plain_text
from tests.test_app_markup import MARKUP
from tests.test_text_safety import PAYLOADS

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test


class Watch:
    """Every request the page makes and every dialog it opens."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))


def assert_nothing_from_the_data(page, url: str, where: str) -> None:
    """No image from elsewhere, and no link but the app's own, a checked LinkedIn profile or a mailto:."""
    images = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src') || '')")
    assert all(src.startswith((url, "/", "data:", "./", "blob:")) for src in images), (where, images)
    assert "<img src=" not in page.locator("[data-testid=stMain]").inner_html().replace("&lt;img src=", ""), where
    links = page.eval_on_selector_all("[data-testid=stMain] a[href]", "els => els.map(e => e.href)")
    for href in links:
        assert href.startswith((url, "https://www.linkedin.com/in/", "mailto:")), (where, href)
        assert "//evil.example" not in href and "javascript" not in href.lower(), (where, href)


def test_a_hostile_linkedin_export_is_imported_and_every_page_shows_it_as_text(markup_server, page):
    url = markup_server.url
    watch = Watch(page)
    page.goto(f"{url}/import")
    expect(page.get_by_text("Choose one or more files above")).to_be_visible()
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(MARKUP / "Connections.csv"))
    preview = page.get_by_test_id("stTable").first  # the file's first rows: its own cells, as text
    expect(preview).to_contain_text("onerror=alert(1)>")
    expect(preview).to_contain_text("[Verify](https")
    page.get_by_role("button", name="Import 1 file").click()
    expect(page.get_by_text("Imported 3 of 3 rows:")).to_be_visible(timeout=60_000)
    assert_nothing_from_the_data(page, url, "import report")

    with service.open_graph(str(markup_server.db)) as store:
        org = service.search_organizations(store, "evilcorp.example.com")[0].id
        people = [p.id for p in service.search_people(store, "evilcorp")]
    assert len(people) == 3
    visits = [("/home", "Coverage of the target accounts"), ("/targets", "Target accounts"),
              (f"/account?account={org}", "Rosa Quill"), ("/weekly", "Cadence"),
              (f"/organizations?org={org}", "Warm paths in"), ("/organizations", "target accounts"),
              ("/people?view=duplicates", "Possible duplicates"), ("/settings", "Ranking settings"),
              ("/import", "Import history")]
    visits += [(f"/people?person={p}", "Relationships (") for p in people]
    for path, ready in visits:
        page.goto(f"{url}{path}")
        expect(page.get_by_text(ready).first).to_be_visible()
        page.wait_for_timeout(500)  # let late elements (drawings, tables) render
        assert_nothing_from_the_data(page, url, path)
        if path.startswith("/account"):  # the data is there, as text, in the titles, captions and drawing
            expect(page.get_by_role("heading", name="Corp <script>alert(1)</script>").first).to_be_visible()
            expect(page.get_by_text("**CEO** [Verify]").first).to_be_visible()
            expect(page.get_by_test_id("stGraphVizChart").first).to_contain_text("onerror=alert(1)>")
    page.goto(f"{url}/people")
    page.get_by_label("Search people").fill("evilcorp")
    page.get_by_label("Search people").press("Enter")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    assert_nothing_from_the_data(page, url, "people search")

    expect(page.get_by_text("Traceback")).to_have_count(0)
    assert sorted({r for r in watch.requests if not r.startswith(url)}) == []  # nothing from elsewhere
    assert watch.dialogs == []


def test_streamlit_shows_each_escaped_payload_as_exactly_its_text(markdown_probe, page):
    url = markdown_probe.url
    watch = Watch(page)
    page.goto(url)
    expect(page.get_by_text("PROBE DONE")).to_be_visible()
    page.wait_for_timeout(500)
    main = page.get_by_test_id("stMain")

    def shown(text: str) -> str:
        return " ".join(text.replace(WORD_JOINER, "").split())

    for n, payload in enumerate(PAYLOADS):
        want = shown(f"{plain_text(payload).strip()}")
        assert shown(main.get_by_text(f"MD{n}: ", exact=False).first.inner_text()) == f"MD{n}: {want} end", payload
        assert shown(main.get_by_text(f"CAP{n}: ", exact=False).first.inner_text()) == f"CAP{n}: {want}", payload
    cells = [shown(t) for t in main.get_by_test_id("stTable").locator("td").all_inner_texts()]
    assert cells == [shown(plain_text(p).strip()) for p in PAYLOADS for _ in range(2)]
    for element in ("strong", "em", "code", "del", "h1", "h2", "blockquote", "ol", "ul", "hr", "pre", "table table"):
        inside = main.locator(f"[data-testid=stMarkdownContainer] {element}").count()
        assert inside == (len(PAYLOADS) if element == "strong" else 0), element  # only the template's own **…**
    assert main.locator(".katex, [data-testid=stMarkdownColoredText], span[role=img]").count() == 0
    links = page.eval_on_selector_all("[data-testid=stMain] a[href]", "els => els.map(e => e.href)")
    bram = "https://www.linkedin.com/in/bram%29%5Bv%5D%28https:"  # the one checked URL; Ada's is refused
    own = f"{url}/#"  # a heading's anchor
    assert links.count(bram) == 1 and all(h == bram or h.startswith(("mailto:", own)) for h in links), links
    assert page.locator("img").count() == 0
    assert [r for r in watch.requests if not r.startswith(url)] == [] and watch.dialogs == []
