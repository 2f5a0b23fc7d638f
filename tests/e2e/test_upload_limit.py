"""A 200 MB file in a real browser and at the server (IMP-7, case 22): the upload widget refuses it before
sending a byte, and the server answers an upload PUT over `server.maxUploadSize` with 413, even with a valid
session and XSRF token (taken from the browser's own small upload)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from graphapp.store.sqlite.store import open_sqlite

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test

MB = 1024 * 1024
THEO = "theo.marchbanks@tidewell.example.com"


def is_upload(request) -> bool:
    return "/_stcore/upload_file/" in request.url and request.method == "PUT"


def test_a_200_mb_upload_is_refused_in_the_browser_and_by_the_server(app_server, page, tmp_path):
    uploads = []
    page.on("request", lambda r: uploads.append(r) if is_upload(r) else None)
    page.goto(f"{app_server.url}/import")
    owner = page.get_by_role("textbox", name="Their e-mail")
    owner.fill(THEO)
    owner.press("Enter")
    files = page.get_by_test_id("stFileUploader").locator("input[type=file]")

    small = tmp_path / "small.csv"
    small.write_text("Name,Email\nAda Quill,ada@example.com\n")
    with page.expect_request(is_upload) as request:
        files.set_input_files(str(small))
    sent = request.value
    expect(page.get_by_text("small.csv").first).to_be_visible()

    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:
        f.write(b"Name,Email\n")
        f.truncate(200 * MB)  # sparse: 200 MB to the browser, little on disk
    files.set_input_files(str(huge))
    expect(page.get_by_text("huge.csv").first).to_be_visible()
    expect(page.get_by_text("100.0MB or smaller").or_(page.get_by_text("100MB or smaller")).first).to_be_visible()
    page.wait_for_timeout(500)
    assert uploads == [sent]  # nothing was sent for it
    with open_sqlite(app_server.db, create=False) as store:
        assert store.counts().imports == 0

    # The same PUT the browser made, with its session, cookie and XSRF token, but announcing 200 MB.
    url = urlsplit(sent.url)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.putrequest("PUT", url.path.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000413")
    for name, value in sent.all_headers().items():
        if name.lower() in ("x-xsrftoken", "content-type", "origin"):
            connection.putheader(name, value)
    connection.putheader("Cookie", cookies)
    connection.putheader("Content-Length", str(200 * MB))
    connection.endheaders()  # the body never follows: the server answers from the header alone
    response = connection.getresponse()
    assert response.status == 413, (response.status, response.read()[:200])
    connection.close()
