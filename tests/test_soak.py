"""`serve` under load: 50 clients on 127.0.0.1 keep fetching pages while the workbook and
a page are saved 100 times. Counts and time are bounded; every response is checked, the
final pages show the last save, and memory stays flat."""

from __future__ import annotations

import gc
import http.client
import json
import os
import re
import shutil
import threading
import time

from conftest import TODAY

from mentorbook.base import markup
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.live.preview import HOST, STATUS_PATH, PreviewServer
from mentorbook.pipeline import BuildOptions
from mentorbook.program.config import load_project

CLIENTS = 50
REQUESTS_PER_CLIENT = 24  # at most 1,200 requests in all
SAVES = 100
SAVE_EVERY = 0.04  # seconds: about as fast as the watcher builds, as an editor's autosave may be
TIME_LIMIT = 60  # seconds for the whole soak, even on a busy machine
PAGES = ["/", "/introduction.html", "/contacts.html", "/establish.html", STATUS_PATH]


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        return int(re.search(r"VmRSS:\s+(\d+)", handle.read()).group(1))


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_fifty_clients_while_the_workbook_is_saved_a_hundred_times(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(markup, "MEMO_SIZE", 16)  # each save adds a text: without a bound, 100 more
    root = tmp_path / "prog"
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    workbook = tmp_path / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    sample, page = workbook.read_text(), (root / "pages" / "contacts.md")
    page_text = page.read_text()
    options = BuildOptions(workbook=workbook, out_dir=tmp_path / "out", today=TODAY, project=load_project(root))
    preview = PreviewServer(options, port=0, say=lambda text: None)
    assert preview.rebuild()
    server = threading.Thread(target=preview.serve_forever, daemon=True)
    server.start()
    started = time.monotonic()
    failures: list[str] = []
    served = [0]
    lock = threading.Lock()
    done = threading.Event()

    def client(number: int) -> None:
        for i in range(REQUESTS_PER_CLIENT):
            if done.is_set() or time.monotonic() - started > TIME_LIMIT:
                return
            path = PAGES[(number + i) % len(PAGES)]
            try:
                code, body = fetch(preview.port, path)
            except OSError as exc:
                with lock:
                    failures.append(f"{path}: {exc!r}")
                continue
            ok = code == 200 and (json.loads(body)["error"] is None if path == STATUS_PATH
                                  else body.rstrip().endswith(b"</html>") and b"__mentorbook__" in body)
            with lock:
                served[0] += 1
                if not ok:  # a status's error in full: it names the file and says what was wrong
                    failures.append(f"{path}: {code} " + (body.decode("utf-8", "replace")[:600]
                                                          if path == STATUS_PATH else repr(body[:120])))
            time.sleep(0.05)

    def save(i: int) -> None:  # as editors save: a whole new file renamed into place
        for path, text in ((workbook, sample.replace("Dr. Lena Marchetti", f"Soak Trainee {i}")),
                           (page, page_text + f"\nSave number {i}.\n")):
            path.with_name(path.name + ".swp").write_text(text)
            os.replace(path.with_name(path.name + ".swp"), path)

    try:
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for i in range(SAVES):
            save(i)
            if i == 20:
                gc.collect()
                warm = rss_kib()
            time.sleep(SAVE_EVERY)
        done.set()
        for thread in threads:
            thread.join(timeout=TIME_LIMIT)
        assert not any(t.is_alive() for t in threads), "a client hung"

        def final() -> bool:
            _, index = fetch(preview.port, "/")
            _, contacts = fetch(preview.port, "/contacts.html")
            return f"Soak Trainee {SAVES - 1}".encode() in index and f"Save number {SAVES - 1}.".encode() in contacts
        deadline = time.monotonic() + 30
        while not final():
            assert time.monotonic() < deadline, "the last save never showed"
            time.sleep(0.2)
        gc.collect()
        grown = rss_kib() - warm
    finally:
        preview.shutdown()
        server.join(timeout=10)
    assert failures == [], failures[:5]
    assert 200 <= served[0] <= CLIENTS * REQUESTS_PER_CLIENT
    assert preview.version >= 2 and preview.error is None
    assert len(markup._memo) <= 16
    assert grown < 40 * 1024, f"memory grew by {grown} KiB over {SAVES - 20} saves"
    assert time.monotonic() - started < TIME_LIMIT
