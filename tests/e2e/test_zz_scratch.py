import time
import pytest
from playwright.sync_api import expect
from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.e2e.conftest import settled
from tests.e2e.test_page_speed import PAGES, _ready
pytestmark = pytest.mark.e2e

JS = """() => { window.__marks = []; const app = document.querySelector('[data-testid=stApp]');
 const t0 = performance.now();
 new MutationObserver(() => window.__marks.push([app.getAttribute('data-test-script-state'), performance.now()-t0])).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
 return 1; }"""

@pytest.fixture
def timed_server(tmp_path, demo_file):
    import shutil
    from pathlib import Path
    from tests.e2e.conftest import _serve, ROOT
    db = tmp_path / 'demo.db'; shutil.copy(demo_file, db)
    yield from _serve(tmp_path, db, script=ROOT / '_timed_app.py')

def test_breakdown(timed_server, page, capsys):
    demo_server = timed_server
    with open_sqlite(demo_server.db, create=False) as store:
        accounts = [(t.id, t.name) for t in service.target_rows(store)[:4]]
    page.goto(demo_server.url); _ready(page, PAGES["home"][1])
    out = []
    for rnd in range(2):
      for path in [*list(PAGES)[1:], "home"]:
        link, title = PAGES[path]
        settled(page)
        page.evaluate(JS)
        started = time.perf_counter()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
        _ready(page, title)
        total = time.perf_counter() - started
        marks = page.evaluate("window.__marks")
        out.append(f"{path}: total {total:.2f} marks {[(s, round(t)) for s, t in marks]}")
    page.goto(f"{demo_server.url}/account?account={accounts[0][0]}"); _ready(page, PAGES["account"][1])
    for _id, name in accounts[1:]:
        settled(page)
        page.get_by_test_id("stSelectbox").filter(has_text="Target account").first.click()
        opt = page.get_by_role("option", name=name, exact=True)
        expect(opt).to_be_visible()
        page.evaluate(JS)
        started = time.perf_counter()
        opt.click()
        expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=60_000)
        settled(page)
        total = time.perf_counter() - started
        marks = page.evaluate("window.__marks")
        out.append(f"switch {name}: total {total:.2f} marks {[(s, round(t)) for s, t in marks]}")
    with capsys.disabled():
        print("\n" + "\n".join(out))
