"""`graphapp serve` stops the app when it is stopped (issue 23, item 8): SIGTERM to the graphapp process (a
service manager's stop, `kill`) reaches Streamlit, whose port closes and whose process is gone within a
deadline. A real `graphapp serve` on a free port against a temporary database (a few seconds: marker e2e)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import children_of, free_port

pytestmark = pytest.mark.e2e  # starts a real Streamlit server: `pytest -m e2e`, or scripts/test

ROOT = Path(__file__).resolve().parents[1]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent's wait is missing


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds:g} s")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds Streamlit's process in /proc")
def test_sigterm_to_graphapp_serve_stops_streamlit(tmp_path):
    port, db = free_port(), tmp_path / "serve.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    env.pop("GRAPHAPP_DB", None)
    log = (tmp_path / "serve.log").open("w")
    graphapp = subprocess.Popen([sys.executable, "-m", "graphapp", "--db", str(db), "serve", "--port", str(port),
                                 "--address", "127.0.0.1", "--headless"], cwd=tmp_path, env=env,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        def healthy() -> bool:
            assert graphapp.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    return answer.read() == b"ok"
            except OSError:
                return False

        wait_for(healthy, 90, "the app did not answer its health check")
        [streamlit] = children_of(graphapp.pid)
        started = time.monotonic()
        graphapp.send_signal(signal.SIGTERM)
        wait_for(lambda: not listening(port), 20, "the port is still open")
        wait_for(lambda: not alive(streamlit), 20, "Streamlit is still running")
        assert graphapp.wait(timeout=20) in (0, 128 + signal.SIGTERM)
        print(f"\ngraphapp serve stopped {time.monotonic() - started:.1f} s after SIGTERM")
    finally:  # a failed test leaves nothing running
        left = children_of(graphapp.pid)
        if graphapp.poll() is None:
            graphapp.kill()
            graphapp.wait(timeout=10)
        for pid in left:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
