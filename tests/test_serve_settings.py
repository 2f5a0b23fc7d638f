"""The app's Streamlit settings (upload cap, XSRF, error details...) apply however graphapp is installed
(issue 20): ``graphapp serve`` passes them on the ``streamlit run`` command line, so an installed package,
which ships no ``.streamlit/config.toml``, serves with them too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from graphapp.cli.streamlit_options import STREAMLIT_OPTIONS, streamlit_flags
from tests.processes import children_of, free_port

ROOT = Path(__file__).resolve().parents[1]


def test_the_options_are_the_repositorys_config_file_but_the_address():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    flat = {f"{section}.{name}": value for section, values in config.items() for name, value in values.items()}
    assert flat.pop("server.address") == "127.0.0.1"  # serve --address; refusing a public one is its own check
    assert flat == STREAMLIT_OPTIONS


def test_the_flags_write_every_option_and_the_upload_cap_given():
    flags = streamlit_flags(40)
    pairs = dict(zip(flags[::2], flags[1::2], strict=True))
    assert pairs["--server.maxUploadSize"] == "40"
    assert pairs["--server.enableXsrfProtection"] == "true" and pairs["--server.enableStaticServing"] == "false"
    assert pairs["--client.showErrorDetails"] == "none" and pairs["--browser.gatherUsageStats"] == "false"
    assert len(pairs) == len(STREAMLIT_OPTIONS)


def installed_copy(site: Path) -> None:
    """What ``pip install .`` puts in site-packages: the packages and streamlit_app.py, no .streamlit folder."""
    for package in ("graphapp", "ingest", "app_pages"):
        shutil.copytree(ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "streamlit_app.py", site / "streamlit_app.py")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the server's command line from /proc")
def test_serve_from_an_installed_package_runs_streamlit_with_the_settings(tmp_path):
    site, elsewhere, home = tmp_path / "site", tmp_path / "work", tmp_path / "home"
    for folder in (site, elsewhere, home):
        folder.mkdir()
    installed_copy(site)
    db = tmp_path / "g.db"
    port = free_port()
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(site), "GRAPHAPP_MAX_FILE_MB": "40"}
    subprocess.run([sys.executable, "-m", "graphapp", "--db", str(db), "init"], cwd=elsewhere, env=env, check=True,
                   capture_output=True, timeout=120)
    proc = subprocess.Popen([sys.executable, "-m", "graphapp", "--db", str(db), "serve", "--port", str(port),
                             "--address", "127.0.0.1", "--headless"], cwd=elsewhere, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, healthy = time.monotonic() + 60, False
        while time.monotonic() < deadline and proc.poll() is None and not healthy:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    healthy = answer.read() == b"ok"
            except OSError:
                time.sleep(0.5)
        assert healthy, proc.stdout.read() if proc.poll() is not None else "no answer in 60 s"
        server = next(iter(children_of(proc.pid)), None)
        assert server is not None
        argv = Path(f"/proc/{server}/cmdline").read_bytes().decode().split("\0")
        cwd = Path(os.readlink(f"/proc/{server}/cwd"))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert argv[argv.index("run") + 1] == str(site / "streamlit_app.py")  # the installed copy, not the checkout
    assert not (cwd / ".streamlit").exists()  # no config file where Streamlit runs
    pairs = dict(zip(argv[argv.index("run") + 2::2], argv[argv.index("run") + 3::2], strict=False))
    assert pairs["--server.maxUploadSize"] == "40"  # the max_file_mb setting
    assert pairs["--server.enableXsrfProtection"] == "true"
    assert pairs["--client.showErrorDetails"] == "none"
    assert pairs["--server.enableStaticServing"] == "false"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert pairs["--server.address"] == "127.0.0.1"
