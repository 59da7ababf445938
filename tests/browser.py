"""Shared helpers for the tests that drive Debian's Chromium through Playwright."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python

CHROMIUM = "/usr/bin/chromium"
# one renderer process for pages of one test (no site isolation: they are all ours), no crash
# reporter, no extensions: the same pages, with a tenth less processor time spent in Chromium
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
        "--disable-features=site-per-process,IsolateOrigins,Translate,OptimizationHints,MediaRouter",
        "--disable-breakpad", "--disable-crash-reporter", "--renderer-process-limit=2", "--disable-extensions",
        "--mute-audio"]
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"


def launch(playwright):
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs it with apt"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
