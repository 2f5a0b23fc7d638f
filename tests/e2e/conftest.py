"""A real ``streamlit run`` on a free port and Debian's headless Chromium driven by Playwright.

Browsers are never downloaded: Playwright launches /usr/bin/chromium. The tests carry the ``e2e`` marker:
plain ``pytest`` leaves them out, ``pytest -m e2e`` runs them. Without Chromium they are skipped, unless
GRAPHAPP_E2E_REQUIRED=1 (set by scripts/test and so by CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("GRAPHAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@dataclass
class Server:
    url: str
    db: Path
    process: subprocess.Popen
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited early ({server.process.returncode}):\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{server.log.read_text()}")


def _serve(tmp_path: Path, db: Path, *, env: dict[str, str] | None = None,
           script: Path = ROOT / "streamlit_app.py") -> Iterator[Server]:
    port = _free_port()
    log = tmp_path / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "GRAPHAPP_DB": str(db), **(env or {})})
    server = Server(f"http://127.0.0.1:{port}", db, process, log)
    try:
        _wait_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def app_server(tmp_path) -> Iterator[Server]:
    """The app on an empty database of its own."""
    yield from _serve(tmp_path, tmp_path / "e2e.db")


@pytest.fixture
def demo_server(tmp_path, demo_file) -> Iterator[Server]:
    """The app on a copy of the demo network (see ``demo_file`` in tests/conftest.py)."""
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    yield from _serve(tmp_path, db)


@pytest.fixture
def privacy_server(tmp_path) -> Iterator[Server]:
    """The app with the test identity shim on (``?as=EMAIL``; ``GRAPHAPP_TEST_IDENTITY=1`` and a loopback
    bind) over the canary fixture of tests/test_privacy.py: Dana keeps a private contact (Pia) and an
    existence-only one (Eve) whose names, e-mails, LinkedIn URL and title are unique canary strings;
    Grace is the other rep."""
    from tests.test_privacy import build

    db = tmp_path / "privacy.db"
    build(db)
    yield from _serve(tmp_path, db, env={"GRAPHAPP_TEST_IDENTITY": "1"})


@pytest.fixture
def markup_server(tmp_path) -> Iterator[Server]:
    """The app over tests/fixtures/markup's team files (a target account and a customer whose names carry
    Markdown and HTML), for rep Rosa Quill; her LinkedIn connections are left for the test to import."""
    from tests.test_app_markup import build_team

    db = tmp_path / "markup.db"
    build_team(db)
    yield from _serve(tmp_path, db)


@pytest.fixture
def markdown_probe(tmp_path) -> Iterator[Server]:
    """tests/e2e/markdown_probe.py: Streamlit rendering every payload of tests/test_text_safety.py, escaped."""
    yield from _serve(tmp_path, tmp_path / "unused.db", script=Path(__file__).with_name("markdown_probe.py"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("GRAPHAPP_E2E_REQUIRED") == "1":
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package (scripts/test does).")
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a busy 2-core machine: wait on state, generously
    yield pg
    context.close()


def local_pick(store):
    """The rep a browser looks as in local mode before choosing: local mode's first pick (never an admin)."""
    from graphapp import service

    reps = service.list_reps(store)
    email = service.default_local_rep(reps)
    return next(r for r in reps if r.email == email)


def settled(page) -> None:
    """Wait until the script run that drew the page has finished (the app's own run state)."""
    from playwright.sync_api import expect

    expect(page.locator("[data-testid=stApp]")).to_have_attribute("data-test-script-state", "notRunning", timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)


def click_until(page, button, done, *, attempts: int = 3, seconds: float = 15.0) -> None:
    """Click ``button`` until ``done()`` (the outcome, read from the store) holds: a click that lands while
    the page is being redrawn is lost and records nothing, so it is clicked again, at most ``attempts`` times."""
    import time

    from playwright.sync_api import expect

    for _ in range(attempts):
        settled(page)
        expect(button).to_be_enabled()
        button.click()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if done():
                return
            page.wait_for_timeout(250)
