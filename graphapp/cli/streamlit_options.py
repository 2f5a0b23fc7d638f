"""The browser app's Streamlit settings, passed by ``graphapp serve`` on the ``streamlit run`` command line.

Streamlit reads ``.streamlit/config.toml`` from the folder it runs in, and only the source folder has
one: an installed package (``pip install .``) ships no such file, and the app would fall back to
Streamlit's defaults (a 200 MB upload cap, error details shown). Flags on the command line apply
however graphapp is installed, and win over any config file. The repository's ``.streamlit/config.toml``
holds the same values for a bare ``streamlit run streamlit_app.py`` (a test keeps the two equal).
"""

from __future__ import annotations

STREAMLIT_OPTIONS: dict[str, bool | int | str] = {
    "server.headless": True,  # never ask for an e-mail address on a first run (graphapp opens the browser)
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.maxUploadSize": 100,  # MB; graphapp serve passes the max_file_mb setting
    "server.fileWatcherType": "none",  # no "source file changed" prompt under a running app
    "server.enableStaticServing": False,
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "browser.gatherUsageStats": False,
    "theme.primaryColor": "#2563eb",
}
"""Every setting of the repository's ``.streamlit/config.toml`` but ``server.address`` (``serve --address``)."""


def streamlit_flags(max_upload_mb: int | None = None) -> list[str]:
    """The ``streamlit run`` flags that apply :data:`STREAMLIT_OPTIONS`.

    Parameters:
        max_upload_mb: the upload cap in MB (the ``max_file_mb`` setting); None: 100.

    Returns:
        ``["--server.headless", "true", ...]``, booleans written ``true``/``false``.
    """
    options = dict(STREAMLIT_OPTIONS)
    if max_upload_mb is not None:
        options["server.maxUploadSize"] = int(max_upload_mb)
    flags: list[str] = []
    for name, value in options.items():
        flags += [f"--{name}", str(value).lower() if isinstance(value, bool) else str(value)]
    return flags
