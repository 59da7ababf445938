"""Benchmark of `mentorbook serve`: one answer changed in the workbook file, until the
new site page and the new PDF are written.

A running `mentorbook serve` (a process of its own, as a person runs it, with its PDF
kept by live/pdfkeeper.py) watches a copy of the sample. Each run saves the file with
one answer changed (written beside it and renamed over it, as editors save) and times,
from that moment, until the site page showing the answer holds the new text and until
a new PDF is written beside the site. Between saves, full builds of the same workbook
in fresh processes (`build --format pdf` and `build --format html`, each into an empty
folder) are the yardsticks, so each pair is measured in turns on the same machine.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

OLD = "I plan in weekly blocks"  # an answer of the sample's self-reflection worksheet
PAGE = "self-reflect.html"  # the site page that shows it
POLL = 0.005  # seconds between looks at the output files


def _status(port: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/__mentorbook__/pdf")
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def _pdf_ready(port: int, version: int, limit: float = 600) -> dict:
    """The keeper's status once it has written a PDF after ``version`` and has nothing more to do."""
    deadline = time.monotonic() + limit
    while True:
        status = _status(port)
        if status["state"] == "failed":
            raise SystemExit(f"serve could not make the PDF: {status['error']}")
        if status["state"] == "ready" and status["version"] > version:
            return status
        if time.monotonic() > deadline:
            raise SystemExit("serve made no PDF in time")
        time.sleep(0.05)


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _save(workbook: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one."""
    temporary = workbook.with_name(workbook.name + ".saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, workbook)


def _start(mentorbook: str, workbook: Path, out: Path, env: dict) -> tuple[subprocess.Popen, int, queue.Queue]:
    process = subprocess.Popen([mentorbook, "serve", str(workbook), "--port", "0", "--out", str(out)],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    lines: queue.Queue = queue.Queue()

    def drain():  # a full pipe would stop serve; its messages are kept for errors
        for line in process.stderr:
            lines.put(line)

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if process.poll() is not None:
                raise SystemExit("`mentorbook serve` stopped before serving") from None
            continue
        if line.startswith("Serving http://"):
            return process, int(line.split()[1].rstrip("/").rsplit(":", 1)[1]), lines
    raise SystemExit("`mentorbook serve` did not start")


def serve_edits(mentorbook: str, sample: Path, work: Path, runs: int, env: dict,
                full_build: Callable[[str, Path], float]) -> dict:
    """The shortest times, over ``runs`` saves, to the new page and the new PDF, and of the
    full builds of the same file between them (``full_build("pdf", workbook)``, and "html")."""
    folder = work / "serve"
    folder.mkdir(parents=True, exist_ok=True)
    workbook, out = folder / "me.yml", folder / "out"
    shutil.copy(sample, workbook)
    original = workbook.read_text(encoding="utf-8")
    if OLD not in original:
        raise SystemExit(f"the sample no longer holds the answer the benchmark changes ({OLD!r})")
    process, port, _ = _start(mentorbook, workbook, out, env)
    page, pdf = out / "site" / PAGE, out / "site" / "workbook.pdf"
    times: dict[str, list[float]] = {"page": [], "pdf": [], "full pdf": [], "full html": []}
    laid_out = []
    try:
        status = _pdf_ready(port, 0)
        for run in range(runs):
            new = f"{OLD} (draft {run + 1})"
            before = _stamp(pdf)
            started = time.perf_counter()
            _save(workbook, original.replace(OLD, new))
            shown = written = None
            while shown is None or written is None:
                time.sleep(POLL)
                now = time.perf_counter()
                if shown is None and page.is_file() and new in page.read_text(encoding="utf-8", errors="replace"):
                    shown = now - started
                if written is None and _stamp(pdf) != before:
                    written = now - started
                if now - started > 600:
                    raise SystemExit("serve did not rewrite the page and the PDF in 10 minutes")
            status = _pdf_ready(port, status["version"])
            laid_out.append((status["laid_out"], status["parts"]))
            times["page"].append(shown)
            times["pdf"].append(written)
            times["full pdf"].append(full_build("pdf", workbook))
            times["full html"].append(full_build("html", workbook))
    finally:
        process.terminate()
        process.wait(timeout=60)
    best = {name: min(values) for name, values in times.items()}
    best["laid out"] = laid_out
    return best
