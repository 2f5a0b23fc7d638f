"""Sign-in checks (SEC-2..4, SEC-6, SEC-7, TEST-2's shim) as unit and static tests."""

from __future__ import annotations

import time
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from graphapp import service
from graphapp.domain.privacy import Viewer
from graphapp.errors import ConfigError, NotAllowed
from graphapp.store.sqlite.store import open_sqlite

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "s", "server_metadata_url": "https://idp.example.com/.well-known"}


@pytest.mark.parametrize("secret", [None, "", "short", "x" * 31, 12345678901234567890123456789012])
def test_start_up_refuses_sign_in_without_a_strong_cookie_secret(secret):
    auth = {**GOOD, "cookie_secret": secret}
    with pytest.raises(ConfigError, match="cookie_secret"):
        service.check_auth_section(auth)
    with pytest.raises(ConfigError, match="cookie_secret"):
        service.auth_mode(auth, {}, "127.0.0.1")


def test_sign_in_is_on_only_with_an_auth_section():
    assert service.check_auth_section(GOOD) is True
    assert service.auth_mode(GOOD, {}, None) == "oidc"
    assert service.auth_mode(None, {}, "127.0.0.1") == "local"  # local mode only on loopback: test_local_mode.py
    assert service.auth_mode({}, {}, "localhost") == "local"
    with pytest.raises(ConfigError, match="redirect_uri"):
        service.check_auth_section({**GOOD, "redirect_uri": ""})


def test_the_secrets_file_is_checked_before_serving(tmp_path):
    path = tmp_path / "secrets.toml"
    assert service.check_secrets_file(path) is False
    path.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "tooshort"\n')
    with pytest.raises(ConfigError, match="at least 32"):
        service.check_secrets_file(path)
    path.write_text(f'[auth]\nredirect_uri = "http://x/oauth2callback"\ncookie_secret = "{"a" * 40}"\n')
    assert service.check_secrets_file(path) is True


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "192.168.1.20", "app.example.com"])
def test_the_identity_shim_refuses_to_start_beyond_loopback(address):
    env = {service.TEST_FLAG: "1"}
    with pytest.raises(ConfigError, match="only with --server.address 127.0.0.1"):
        service.identity_shim_enabled(env, address)
    with pytest.raises(ConfigError):
        service.auth_mode(GOOD, env, address)


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_the_identity_shim_needs_the_flag_and_a_loopback_bind(address):
    assert service.identity_shim_enabled({service.TEST_FLAG: "1"}, address) is True
    assert service.identity_shim_enabled({}, address) is False
    assert service.identity_shim_enabled({service.TEST_FLAG: "0"}, address) is False
    assert service.auth_mode(GOOD, {service.TEST_FLAG: "1"}, address) == "test"


def test_a_session_older_than_the_maximum_is_expired():
    now = time.time()
    assert service.session_expired(now - 13 * 3600, now, 12) is True  # case 30
    assert service.session_expired(now - 11 * 3600, now, 12) is False
    assert service.session_expired(None, now, 12) is True  # no iat: no trust
    assert service.session_expired("garbage", now, 12) is True
    assert service.session_expired(now + 3600, now, 12) is True  # issued in the future


def test_a_rep_e_mail_maps_to_the_rep_and_its_role(small_store):
    assert service.authorise(small_store, "Dana@Example.com") == Viewer("dana@example.com", "rep")
    assert small_store.audit_log()[0].action == "import"  # authorising alone writes nothing; the sign-in is recorded once
    service.record_sign_in(small_store, Viewer("dana@example.com", "rep"), "oidc")
    assert small_store.audit_log()[0].objects == ("rep:p-dana", "mode:oidc", "role:rep")


def test_an_unknown_e_mail_is_not_authorised_and_audited_as_a_hash(small_store):  # case 29, SEC-2
    with pytest.raises(NotAllowed, match="not authorised"):
        service.authorise(small_store, "mallory@evil.example.com")
    with pytest.raises(NotAllowed, match="not authorised"):
        service.authorise(small_store, "dana@example.com", verified=False)  # an unverified claim is not enough
    refused = small_store.audit_log(action="sign-in-refused")
    assert len(refused) == 2 and refused[1].objects[0] == "verified:1" and refused[1].objects[1].startswith("hash:")
    assert "mallory" not in str([e.as_dict() for e in refused]) and "dana" not in str([e.as_dict() for e in refused])


def test_local_mode_picks_a_rep_or_everything_on_an_empty_store(small_store, tmp_path):
    assert service.local_viewer(small_store, None) == Viewer("dana@example.com", "rep")
    assert service.local_viewer(small_store, "unknown@example.com") == Viewer("dana@example.com", "rep")
    with open_sqlite(tmp_path / "empty.db") as empty:
        assert service.local_viewer(empty, None) == Viewer.everything()


# -- static: configuration and versions (SEC-4, SEC-6, SEC-7) ----------------------------------------
def test_secrets_are_git_ignored_and_none_are_committed():
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().splitlines()
    import subprocess

    tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ".streamlit/secrets.toml" not in tracked


def test_streamlit_config_has_every_sec_6_value():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    wanted = {"enableXsrfProtection": True, "enableCORS": True, "maxUploadSize": 100, "headless": True,
              "enableStaticServing": False, "address": "127.0.0.1"}
    assert {k: config["server"].get(k) for k in wanted} == wanted
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def _at_least(package: str, wanted: tuple[int, ...]) -> bool:
    parts = tuple(int(p) for p in version(package).split(".")[: len(wanted)] if p.isdigit())
    return parts >= wanted


def test_dependency_versions_are_the_fixed_ones():
    assert _at_least("streamlit", (1, 54))  # CVE-2026-33682
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "streamlit>=1.54" in declared and "Authlib>=1.3.2" in declared
    try:
        assert _at_least("Authlib", (1, 3, 2))
    except PackageNotFoundError:
        pytest.skip("Authlib is not installed here (needed only when sign-in is configured)")
