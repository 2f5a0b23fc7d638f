"""A real Neo4j Community server for the tests: built from ``tests/neo4j_server/`` (a Maven project of one
class that runs Neo4j 5.26 LTS as a library, with its Bolt connector) and started on 127.0.0.1 at a free
port, with a generated password and its data in a temporary folder.

The first build downloads Neo4j from Maven Central into Maven's cache (about 120 MB); later builds are
skipped while ``target/`` is newer than the sources. The server stops when the test process closes its
standard input.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent / "neo4j_server"
JAR = PROJECT / "target" / "neo4j-test-server-1.jar"
INSTALL_HINT = "install a JDK 17 and Maven (Debian: apt-get install openjdk-17-jdk-headless maven)"


@dataclass
class Neo4jServer:
    uri: str
    user: str
    password: str
    process: subprocess.Popen | None  # None: a server the tests were pointed at (NEO4J_URI)
    log: Path | None = None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.stdin:
            self.process.stdin.close()  # the server shuts its database down when its input closes
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def missing_tools() -> str | None:
    """Why the server cannot be built here (None: it can)."""
    lacking = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    return f"{' and '.join(lacking)} not found: {INSTALL_HINT}" if lacking else None


def build() -> None:
    """Compile the server and gather its class path, unless ``target/`` is newer than the sources."""
    sources = [PROJECT / "pom.xml", *PROJECT.glob("src/**/*.java")]
    if JAR.exists() and all(JAR.stat().st_mtime >= s.stat().st_mtime for s in sources):
        return
    done = subprocess.run(["mvn", "-q", "-B", "package", "-DskipTests"], cwd=PROJECT, capture_output=True,
                          text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"Building the Neo4j test server failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: Path, wait_seconds: float = 180.0, *, port: int | None = None,
          password: str | None = None, heap: str = "3g") -> Neo4jServer:
    """Start the server with its data in ``folder`` and return once Bolt answers.

    Parameters:
        port, password: to start it again where a client already points (default: a free port, a new password).
        heap: the JVM's heap (``-Xmx``); Neo4j lets one transaction use up to 70% of it.

    Raises:
        RuntimeError: the server exited or did not answer in time; the message holds its log's end.
    """
    port, password = port or _free_port(), password or secrets.token_urlsafe(18)
    log = folder / "neo4j.log"
    classpath = f"{JAR}:{PROJECT / 'target' / 'dependency'}/*"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["java", f"-Xmx{heap}", "-cp", classpath, "graphapp.testserver.TestServer", str(folder / "data"), str(port),
             password], stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
    server = Neo4jServer(f"bolt://127.0.0.1:{port}", "neo4j", password, process, log)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The Neo4j test server exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        if "READY" in log.read_text() and _answers(port):
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"The Neo4j test server did not answer in {wait_seconds:.0f} s:\n{log.read_text()[-4000:]}")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
