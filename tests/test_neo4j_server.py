"""The Neo4j test server's set-up says what is missing where it cannot run (tests/neo4j_server.py)."""

from __future__ import annotations

from tests import neo4j_server


def test_without_java_and_maven_the_reason_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no java, no mvn
    assert neo4j_server.missing_tools() == ("java and mvn not found: install a JDK 17 and Maven "
                                            "(Debian: apt-get install openjdk-17-jdk-headless maven)")


def test_with_both_on_the_path_nothing_is_missing(monkeypatch, tmp_path):
    for tool in ("java", "mvn"):
        (tmp_path / tool).write_text("#!/bin/sh\n")
        (tmp_path / tool).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert neo4j_server.missing_tools() is None
