"""`mentorbook serve`: local only, rebuilds on save, reloads the page, survives broken edits."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

from mentorbook.cli import main
from mentorbook.paths import SAMPLE_WORKBOOK
from mentorbook.pipeline import BuildOptions
from mentorbook.preview import HOST, STATUS_PATH, PreviewServer

from browser import launch


@pytest.fixture
def server(tmp_path):
    workbook = tmp_path / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    messages: list[str] = []
    preview = PreviewServer(BuildOptions(workbook=workbook, out_dir=tmp_path / "out", today=dt.date(2026, 11, 25)),
                            port=0, say=messages.append)
    assert preview.rebuild()
    thread = threading.Thread(target=preview.serve_forever, daemon=True)
    thread.start()
    yield preview, workbook, messages
    preview.shutdown()
    thread.join(timeout=10)
    assert not thread.is_alive()


def status(preview) -> dict:
    with urllib.request.urlopen(preview.url + STATUS_PATH.lstrip("/"), timeout=5) as response:
        return json.loads(response.read())


def test_binds_to_loopback_only(server):
    preview, _, _ = server
    assert preview.httpd.server_address[0] == HOST == "127.0.0.1"
    assert preview.url.startswith("http://127.0.0.1:")


def test_edit_reloads_page_and_broken_edit_shows_error_then_recovers(server):
    preview, workbook, messages = server
    original = workbook.read_text()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(preview.url + "index.html")
        assert page.inner_text("main h1") == "Dr. Lena Marchetti"
        page.evaluate("window.__notReloaded = true")

        workbook.write_text(original.replace("name: Dr. Lena Marchetti", "name: Dr. Lena Marchetti-Okafor"))
        page.wait_for_function("document.querySelector('main h1').textContent === 'Dr. Lena Marchetti-Okafor'",
                               timeout=20000)
        assert page.evaluate("window.__notReloaded === undefined"), "the page reloaded by itself"

        workbook.write_text(original.replace("  name: Dr. Lena Marchetti", "  name: [Dr. Lena"))
        page.wait_for_selector("#mentorbook-error", timeout=20000)
        overlay = page.inner_text("#mentorbook-error")
        assert f"{workbook}:6" in overlay and "YAML syntax error" in overlay
        assert status(preview)["error"], "the server still answers"
        assert any("Build failed" in m and f"{workbook}:6" in m for m in messages), messages
        assert page.inner_text("main h1") == "Dr. Lena Marchetti-Okafor", "the last good site stays up"

        workbook.write_text(original)
        page.wait_for_function("document.querySelector('main h1').textContent === 'Dr. Lena Marchetti'"
                               " && !document.getElementById('mentorbook-error')", timeout=20000)
        assert status(preview)["error"] is None
        assert errors == []
        browser.close()


def test_files_on_disk_do_not_get_the_reload_script(server):
    preview, _, _ = server
    with urllib.request.urlopen(preview.url + "index.html", timeout=5) as response:
        served = response.read().decode()
    assert STATUS_PATH in served
    assert STATUS_PATH not in (preview.site / "index.html").read_text()


def test_port_in_use_is_a_clear_error(server, capsys):
    preview, _, _ = server
    port = preview.httpd.server_address[1]
    assert main(["serve", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
