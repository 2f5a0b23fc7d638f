"""Regenerate the screenshots of every page into docs/screenshots/, on the invented demo network: at a
desktop width (1400 px, ``docs/screenshots/NAME.png``) and at a phone's (390 px,
``docs/screenshots/phone/NAME.png``).

    .venv/bin/python scripts/screenshots.py

Starts ``streamlit run`` on a free port with a fresh demo database (as the browser tests do, with the
same helpers), drives Debian's Chromium (/usr/bin/chromium) with Playwright and saves one PNG per page
and width. The Audit log is taken as the demo team's admin; every other page as the rep local mode picks.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from graphapp import service  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _serve  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


WIDTHS = {"": (1400, 1000), "phone/": (390, 844)}  # folder under docs/screenshots -> viewport


def pages(db: Path) -> list[tuple[str, str, str]]:
    """(file name, url path, text that shows the page is ready): every page as the rep local mode picks
    first, the Audit log as the demo team's admin (each named in the address, so one never becomes the
    machine's remembered pick for the other's pages)."""
    with service.open_graph(str(db), create=False) as store:
        account = service.target_rows(store)[0]
        path = service.account_paths(store, account.id).as_dict()["paths"][0]
        reps = service.list_reps(store)
    rep = service.default_local_rep(reps)
    admin = next(r.email for r in reps if r.role == "admin")
    person = path["hops"][0]["to"]["id"]
    shots = [("home", "?", "Who brought which relationships"), ("targets", "targets?", "Who should I meet next"),
             ("account", f"account?account={account.id}&", "Details, drawing and intro request"),
             ("person", f"people?person={person}&", path["hops"][0]["to"]["name"]),
             ("organization", f"organizations?org={account.id}&", account.name),
             ("weekly", "weekly?", "Requests to follow up"), ("import", "import?", "Import"),
             ("settings", "settings?", "Preview")]
    return [(name, f"{url}you={rep}", ready) for name, url, ready in shots] + [
        ("audit", f"audit?you={admin}", "Graph database")]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        with service.open_graph(str(db)) as store:
            service.load_demo(store, today=date.today())
        server = _serve(Path(tmp), db)
        app = next(server)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                expect.set_options(timeout=60_000)
                for folder, (width, height) in WIDTHS.items():
                    (OUT / folder).mkdir(parents=True, exist_ok=True)
                    page = browser.new_page(viewport={"width": width, "height": height})
                    for name, url, ready in pages(db):
                        page.goto(f"{app.url}/{url}")
                        expect(page.get_by_text(ready, exact=False).first).to_be_visible()
                        page.wait_for_timeout(1500)  # let the run finish and charts draw
                        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
                        expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
                        target = OUT / folder / f"{name}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(f"wrote {target.relative_to(ROOT)}")
                    page.close()
                browser.close()
        finally:
            next(server, None)


if __name__ == "__main__":
    main()
