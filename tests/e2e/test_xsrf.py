"""A raw upload PUT without the XSRF token is refused by a real `streamlit run` (SEC-6, case 34).

Needs no browser: plain HTTP against the server started by the ``app_server`` fixture.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid

import pytest

pytestmark = pytest.mark.e2e  # a real browser: `pytest -m e2e`, or scripts/test


def put(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def test_an_upload_put_without_the_xsrf_token_is_forbidden(app_server):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\nName,Email\r\nA,a@example.com\r\n--{boundary}--\r\n").encode()
    url = f"{app_server.url}/_stcore/upload_file/{uuid.uuid4()}/{uuid.uuid4()}"
    status, text = put(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 403, (status, text)
    assert "xsrf" in text.lower()
    # A forged token in the header without the matching cookie is refused too.
    status, _ = put(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": "2|00|00|00"})
    assert status == 403
