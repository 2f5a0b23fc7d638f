"""Privacy between reps in a real browser: two browser contexts on one `streamlit run`, signed in as two
reps through the test identity shim (``?as=EMAIL``), on the canary fixture of tests/test_privacy.py
(PRIV-2, PRIV-4, PRIV-5's two-context check, EXP-3; cases 31, 33).

Dana keeps a private contact (Pia) and an existence-only one (Eve) whose name, e-mail, LinkedIn URL and
title are unique canary strings. Grace browses every page, searches, opens every account and downloads
every file: the rendered pages (their whole DOM, table cells included), the downloads and the server log
hold none of them. Dana, on the same pages in the same server, sees them (so the grep can fail), and she
goes first on every page, so a cache shared between sessions would hand Grace what Dana's run put in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from graphapp import service
from graphapp.store.sqlite.store import open_sqlite
from tests.test_privacy import CANARIES, DANA, GRACE

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test

ACCOUNTS = ("o-globex", "o-initech")


def signed_in(browser, server, email: str) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)  # a busy 2-core machine: wait on state, generously
    page.goto(f"{server.url}/home?as={email}")
    expect(page.get_by_text(f"You are {email}")).to_be_visible(timeout=60_000)
    return page


def settle(page: Page) -> None:
    """Wait until the script run that drew the page has finished (the app's own run state)."""
    expect(page.locator("[data-testid=stApp]")).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


def visit(page: Page, server, email: str, path: str, marker: str) -> str:
    """Open one page as a full load (a new session, signed in again by the shim); the whole DOM as text."""
    sep = "&" if "?" in path else "?"
    page.goto(f"{server.url}/{path}{sep}as={email}")
    expect(page.get_by_text(marker).first).to_be_attached()
    settle(page)
    for details in page.get_by_test_id("stExpander").locator("details").all():
        if details.get_attribute("open") is None:
            details.locator("summary").click()  # open every expander, so what it holds is drawn
        expect(details).to_have_attribute("open", "")
    return page.content() + page.inner_text("body")


def search(page: Page, text: str) -> str:
    box = page.get_by_label("Search people")
    box.fill(text)
    box.press("Enter")
    page.wait_for_timeout(300)  # the rerun starts
    settle(page)
    expect(page.get_by_text(f"No one matches {text}").or_(page.get_by_test_id("stDataFrame")).first).to_be_visible()
    return page.content()


def click_for_download(page: Page, button, attempts: int = 3):
    """Click a download button until the browser starts a download (at most ``attempts`` clicks).

    A download button also reruns the page (its click writes the audit row); on a busy 2-core machine a
    click that lands while the previous run's elements are being replaced is occasionally lost (seen once
    in about 20 CI runs), as a user's would be, who clicks again. A button that never downloads still fails.
    """
    for attempt in range(1, attempts + 1):
        settle(page)  # a download reruns the page: a click during that run could be lost
        expect(button).to_be_visible()
        try:
            with page.expect_download(timeout=30_000) as info:
                button.click()
            return info.value
        except PlaywrightTimeout:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def downloads(page: Page, tmp_path: Path, at_least: int) -> str:
    """Click every download button on the page (``at_least`` of them); the downloaded files' text."""
    out = []
    expect(page.get_by_test_id("stDownloadButton").nth(at_least - 1)).to_be_attached()
    buttons = page.get_by_test_id("stDownloadButton").locator("button")
    for n in range(buttons.count()):
        download = click_for_download(page, buttons.nth(n))
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        out.append(target.read_text(encoding="utf-8-sig"))
        settle(page)
    return "\n".join(out)


def tour(page: Page, server, email: str, tmp_path: Path) -> tuple[str, str, int]:
    """Every page a rep can reach with contact data on it: (rendered text, downloaded text, files downloaded)."""
    seen, files, count = [], [], 0
    seen.append(visit(page, server, email, "home", "Who brought which relationships"))
    seen.append(visit(page, server, email, "targets", "Add a target account"))
    for account in ACCOUNTS:
        seen.append(visit(page, server, email, f"account?account={account}", "Warm paths into an account"))
        files.append(downloads(page, tmp_path, 1))  # the drafted message of each path
        count += 1
    seen.append(visit(page, server, email, "people", "Search people"))
    for text in ("zqx", "e", "canary"):
        seen.append(search(page, text))
    for person in ("p-carl", "p-eve"):
        seen.append(visit(page, server, email, f"people?person={person}", "People"))
    seen.append(visit(page, server, email, "organizations", "Organisations"))
    for org in ACCOUNTS:
        seen.append(visit(page, server, email, f"organizations?org={org}", "Organisations"))
    seen.append(visit(page, server, email, "weekly", "This week's suggested introductions"))
    files.append(downloads(page, tmp_path, 3))  # CSV, Markdown, the rep's HTML page
    count += 1
    return "\n".join(seen), "\n".join(files), count


def hits(text: str) -> list[str]:
    return [c for c in CANARIES if c.lower() in text.lower()]


def test_grace_never_sees_danas_hidden_contacts_anywhere_while_dana_does(privacy_server, browser, tmp_path):  # 31, 33
    dana = signed_in(browser, privacy_server, DANA)
    grace = signed_in(browser, privacy_server, GRACE)
    (tmp_path / "dana").mkdir()
    (tmp_path / "grace").mkdir()
    dana_seen, dana_files, _ = tour(dana, privacy_server, DANA, tmp_path / "dana")
    grace_seen, grace_files, grace_count = tour(grace, privacy_server, GRACE, tmp_path / "grace")

    # The grep can fail: Dana's own view of the same pages holds every kind of canary.
    assert {"Zqxprivate", "Zqxexist"} <= set(hits(dana_seen)), hits(dana_seen)
    assert hits(dana_files), "Dana's downloads name her contacts"
    # Grace: zero hits in what was drawn, downloaded or logged, yet she learns a path exists and whom to ask.
    assert hits(grace_seen) == [] and hits(grace_files) == []
    assert "a contact of Dana Whitfield" in grace_seen
    assert "a contact of Dana Whitfield" in grace_files  # the weekly CSV/HTML/Markdown and the drafted message
    assert grace_count >= 2 and "week,rep,rep_email" in grace_files
    assert "Traceback" not in grace_seen + dana_seen
    assert hits(privacy_server.log.read_text()) == []
    grace.context.close()
    dana.context.close()


def test_a_visibility_change_reaches_the_other_reps_next_rerun(privacy_server, browser):  # PRIV-4
    grace = signed_in(browser, privacy_server, GRACE)
    grace.goto(f"{privacy_server.url}/account?account=o-initech&as={GRACE}")
    expect(grace.get_by_text("a contact of Dana Whitfield").first).to_be_attached()
    settle(grace)
    assert "Zqxexist" not in grace.content()

    def change(level: str) -> None:
        with open_sqlite(privacy_server.db, create=False) as store:
            assert service.set_person_visibility(store, "p-eve", DANA, level) >= 1

    def rerun() -> None:
        grace.get_by_role("heading", name="Warm paths into an account").click()  # focus off any input
        grace.keyboard.press("r")  # Streamlit's "rerun" shortcut: the same session, no reload

    change("team")
    rerun()
    expect(grace.get_by_text("Eve Zqxexist").first).to_be_attached()
    change("private")
    rerun()
    expect(grace.get_by_text("No warm path yet into Initech")).to_be_visible()
    settle(grace)
    assert hits(grace.content()) == []
    grace.context.close()
