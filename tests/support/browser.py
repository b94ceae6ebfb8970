"""Real Chromium for the web tests: Playwright (PyPI) driving Debian's /usr/bin/chromium.

Playwright's own browser download cannot work here, so the system executable is used. In CI
(CI=true) a missing browser fails the test; on a developer's machine it is skipped and the
session summary says so plainly (tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--lang=vi-VN"]
SKIPPED: list[str] = []  # reasons, reported in the terminal summary


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def require_chromium() -> str:
    path = chromium_path()
    try:
        import playwright  # noqa: F401
    except ImportError:
        path = None
    if path is not None:
        return path
    reason = ("Chromium (apt-get install chromium) or Playwright (pip install playwright) is missing: "
              "the web board's browser tests did not run")
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason + " — required in CI.", pytrace=False)
    SKIPPED.append(reason)
    pytest.skip(reason)
