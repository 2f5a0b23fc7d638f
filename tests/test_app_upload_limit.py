"""The Import page's own size check (IMP-7, case 22): AppTest does not enforce `server.maxUploadSize`, as
a client that bypasses the browser does not, so a 200 MB upload reaches the page, which refuses it by its
size before reading it (the browser widget and the server's 413: tests/e2e/test_upload_limit.py)."""

from __future__ import annotations

from tests.test_app_import import counts, db, rep_app, texts  # noqa: F401  (db and rep_app are fixtures)

MB = 1024 * 1024


def test_a_200_mb_upload_is_refused_by_its_size_before_any_parsing(rep_app, db):  # noqa: F811
    big = b"Name,Email\n" + b"\x00" * (200 * MB)  # binary after the header: parsing would say so, not the size
    rep_app.file_uploader(key="import_files").set_value([("huge.csv", big, "text/csv")]).run()
    assert not rep_app.exception
    errors = texts(rep_app.error)
    assert "huge.csv is 200 MB; files over 100 MB are refused." in errors
    assert "binary" not in errors and "CSV" not in errors  # refused by size, before anything read the content
    assert rep_app.button(key="import_run").disabled
    assert "None of these files can be imported" in texts(rep_app.warning)
    assert counts(db).imports == 0


def test_the_cap_is_the_max_file_mb_setting(rep_app, db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("GRAPHAPP_MAX_FILE_MB", "1")
    rep_app.file_uploader(key="import_files").set_value(
        [("two.csv", b"Name,Email\n" + b"Ann,ann@example.com\n" * (2 * MB // 20), "text/csv")]).run()
    assert "two.csv is 2 MB; files over 1 MB are refused." in texts(rep_app.error)
    assert counts(db).imports == 0
