"""`mentorbook serve`: local only, rebuilds on save, reloads the page, survives broken edits."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from conftest import TODAY
from playwright.sync_api import expect

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.live.preview import HOST, STATUS_PATH, PreviewServer
from mentorbook.pipeline import BuildOptions
from mentorbook.program.config import load_project


def start(options: BuildOptions, pdf: bool = False):
    """A preview on a free port, serving in a thread: (preview, thread, messages); ``stop`` ends it."""
    messages: list[str] = []
    preview = PreviewServer(options, port=0, say=messages.append, pdf=pdf)
    preview.rebuild()
    thread = threading.Thread(target=preview.serve_forever, daemon=True)
    thread.start()
    return preview, thread, messages


def stop(preview, thread, timeout: float = 10) -> None:
    preview.shutdown()
    thread.join(timeout=timeout)
    assert not thread.is_alive(), "the server did not stop"


def wait_until(predicate, timeout: float = 20, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def get(preview, path: str, host: str | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, preview.port, timeout=5)
    connection.request("GET", path, headers={"Host": host} if host else {})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def status(preview) -> dict:
    with urllib.request.urlopen(preview.url + STATUS_PATH.lstrip("/"), timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture
def server(tmp_path):
    workbook = tmp_path / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    preview, thread, messages = start(BuildOptions(workbook=workbook, out_dir=tmp_path / "out", today=TODAY))
    assert status(preview) == {"version": 1, "error": None, "good": True}
    yield preview, workbook, messages
    stop(preview, thread)


def test_binds_to_loopback_only(server):
    preview, _, _ = server
    assert preview.httpd.server_address[0] == HOST == "127.0.0.1"
    assert preview.httpd.socket.getsockname()[0] == "127.0.0.1"
    assert preview.url.startswith("http://127.0.0.1:")


def test_edit_reloads_page_and_broken_edit_shows_error_then_recovers(browser, server):
    preview, workbook, messages = server
    original = workbook.read_text()
    page = browser.new_page()
    try:
        problems: list[str] = []
        page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text} {msg.location}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("request", lambda req: problems.append(f"request leaves the preview: {req.url}")
                if not req.url.startswith(preview.url) else None)
        page.goto(preview.url + "index.html")
        assert page.inner_text("main h1") == "Dr. Lena Marchetti"
        page.evaluate("window.__notReloaded = true")

        workbook.write_text(original.replace("name: Dr. Lena Marchetti", "name: Dr. Lena Marchetti-Okafor"))
        expect(page.locator("main h1")).to_have_text("Dr. Lena Marchetti-Okafor", timeout=20000)  # no eval: CSP
        assert page.evaluate("window.__notReloaded === undefined"), "the page reloaded by itself"

        workbook.write_text(original.replace("  name: Dr. Lena Marchetti", "  name: [Dr. Lena"))
        page.wait_for_selector("#mentorbook-error", timeout=20000)
        overlay = page.inner_text("#mentorbook-error")
        assert f"{workbook}:6" in overlay and "YAML syntax error" in overlay
        assert status(preview)["error"], "the server still answers"
        assert get(preview, "/index.html")[0] == 200
        assert any("Build failed" in m and f"{workbook}:6" in m for m in messages), messages
        assert page.inner_text("main h1") == "Dr. Lena Marchetti-Okafor", "the last good site stays up"

        workbook.write_text(original)
        expect(page.locator("main h1")).to_have_text("Dr. Lena Marchetti", timeout=20000)
        expect(page.locator("#mentorbook-error")).to_have_count(0, timeout=20000)
        assert status(preview)["error"] is None
        assert problems == []
    finally:
        page.close()


def test_files_on_disk_do_not_get_the_reload_script(server):
    preview, _, _ = server
    code, served = get(preview, "/index.html")
    assert code == 200 and STATUS_PATH in served
    assert STATUS_PATH in get(preview, "/")[1]
    assert STATUS_PATH not in (preview.site / "index.html").read_text()


def test_requests_for_other_host_names_are_refused(server):
    preview, _, _ = server
    # a web page that points its own name at 127.0.0.1 must not read the workbook
    code, body = get(preview, "/index.html", host=f"attacker.example:{preview.port}")
    assert code == 403 and "Lena" not in body
    assert get(preview, STATUS_PATH, host="attacker.example")[0] == 403
    assert get(preview, "/index.html", host=f"localhost:{preview.port}")[0] == 200


def test_saving_unchanged_content_does_not_reload(server):
    preview, workbook, _ = server
    looked = preview.looks
    os.utime(workbook, ns=(time.time_ns(), time.time_ns() + 10**9))
    # a look that started after the save has ended (and built, had anything changed)
    wait_until(lambda: preview.looks >= looked + 2, what="the watcher to look again")
    assert status(preview) == {"version": 1, "error": None, "good": True}


def test_program_config_and_templates_are_watched(tmp_path):
    root = tmp_path / "program"
    shutil.copytree(CONTENT_DIR / "examples" / "program", root)
    preview, thread, messages = start(BuildOptions(out_dir=tmp_path / "out", blank=True, project=load_project(root)))
    try:
        assert "Harbor View Mentoring Collaborative" in get(preview, "/index.html")[1]
        config = root / "mentorbook.yml"
        config.write_text(config.read_text().replace("program: Harbor View Mentoring Collaborative",
                                                     "program: Bayside Mentoring Circle"))
        wait_until(lambda: "Bayside Mentoring Circle" in get(preview, "/index.html")[1], what="the new name")

        config.write_text(config.read_text().replace('primary_color: "#0f5c5c"', 'primary_colour: "#123456"'))
        error = wait_until(lambda: status(preview)["error"], what="the config error")
        assert re.search(rf"{re.escape(str(config))}:\d+", error) and "did you mean 'primary_color'" in error
        assert "Bayside Mentoring Circle" in get(preview, "/index.html")[1], "the last good site stays up"
        config.write_text(config.read_text().replace("primary_colour", "primary_color"))
        wait_until(lambda: status(preview)["error"] is None, what="the fix")
        assert "#123456" in get(preview, "/index.html")[1]

        templates = root / "templates"  # a folder the project did not have when the preview started
        templates.mkdir()
        (templates / "page.html").write_text(
            "{% extends 'base.html' %}{% block content %}<h1>Our own page layout</h1>{% endblock %}\n")
        wait_until(lambda: "Our own page layout" in get(preview, "/introduction.html")[1], what="the override")
        (templates / "page.html").write_text("{% extends 'base.html' %}\n"
                                             "{% block content %}{{ oops( }}{% endblock %}\n")
        error = wait_until(lambda: status(preview)["error"], what="the template error")
        assert f"{templates / 'page.html'}:2" in error and "template error" in error
        (templates / "page.html").unlink()
        wait_until(lambda: status(preview)["error"] is None, what="the fix")
        assert "Our own page layout" not in get(preview, "/introduction.html")[1]
        assert thread.is_alive()
    except AssertionError:
        print("\n".join(messages))
        raise
    finally:
        stop(preview, thread)


def test_a_first_build_that_fails_waits_for_the_fix(browser, tmp_path):
    workbook = tmp_path / "me.yml"
    good = SAMPLE_WORKBOOK.read_text()
    workbook.write_text(good.replace("  name: Dr. Lena Marchetti", "  name: [Dr. Lena"))
    preview, thread, messages = start(BuildOptions(workbook=workbook, out_dir=tmp_path / "out", today=TODAY))
    try:
        assert f"{workbook}:6" in status(preview)["error"] and not status(preview)["good"]
        assert any("fix it and save" in m for m in messages), messages
        code, body = get(preview, "/")
        assert code == 200 and "Waiting for a good build" in body and STATUS_PATH in body
        page = browser.new_page()
        page.goto(preview.url)
        page.wait_for_selector("#mentorbook-error", timeout=20000)
        assert f"{workbook}:6" in page.inner_text("#mentorbook-error")
        workbook.write_text(good)
        expect(page.locator("main h1")).to_have_text("Dr. Lena Marchetti", timeout=20000)
        expect(page.locator("#mentorbook-error")).to_have_count(0, timeout=20000)
        page.close()
        assert status(preview) == {"version": 1, "error": None, "good": True}
    finally:
        stop(preview, thread)


def test_port_in_use_is_a_clear_error(server, capsys):
    preview, _, _ = server
    assert main(["serve", "--port", str(preview.port)]) == 2
    assert f"cannot listen on 127.0.0.1:{preview.port}" in capsys.readouterr().err


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_serve_command_serves_and_stops_cleanly(tmp_path, stop_signal, short_guide):
    workbook = tmp_path / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    command = [sys.executable, "-c", "import sys; from mentorbook.cli import main; sys.exit(main())",
               "serve", str(workbook), "--port", "0", "--out", str(tmp_path / "out"), "--today", TODAY.isoformat(),
               "--project", str(short_guide)]
    scratch = tmp_path / "tmp"  # the temporary folders of serve and its PDF process
    scratch.mkdir()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                               env={**os.environ, "TMPDIR": str(scratch)})
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            if line.startswith("Serving") or not line:
                break
        match = re.search(r"Serving (http://127\.0\.0\.1:(\d+)/)", "".join(lines))
        assert match, lines
        with urllib.request.urlopen(match.group(1), timeout=5) as response:
            assert "Dr. Lena Marchetti" in response.read().decode()
        process.send_signal(stop_signal)
        _, rest = process.communicate(timeout=60)  # a bound, not a goal: a build under way finishes first
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, rest
    assert "Stopped." in rest and "Traceback" not in rest
    assert list(scratch.iterdir()) == [], "no temporary folder (WeasyPrint's fonts, 1 MB) is left behind"
