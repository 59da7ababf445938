"""Benchmark of `mentorbook edit`: from pressing Save to the page showing the saved answer.

A running editor (a process of its own, as a person runs it) gets a save of one answer of
the sample, as the browser posts it; the time runs until the site page that shows the
answer comes back with it. The yardstick is a full `mentorbook build --format html` of the
same workbook in a fresh process.
"""

from __future__ import annotations

import hashlib
import http.client
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path


def _request(port: int, method: str, path: str, cookie: str = "", body: str | None = None) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"})
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, dict(response.headers), text


def _idle(port: int, cookie: str) -> None:
    """Wait until the editor has made the PDF of the last save (a person does not save twice a second)."""
    import json

    deadline = time.monotonic() + 300
    while json.loads(_request(port, "GET", "/__mentorbook__/edit-status", cookie)[2])["pdf"]["state"] == "building":
        if time.monotonic() > deadline:
            raise SystemExit("the editor's PDF was not made in 5 minutes")
        time.sleep(0.2)


def save_to_reload(mentorbook: str, sample: Path, work: Path, runs: int, env: dict) -> float:
    """The shortest time, over ``runs`` saves, from posting a form to the site page showing its answer."""
    folder = work / "edit"
    folder.mkdir(parents=True, exist_ok=True)
    workbook = folder / "me.yml"
    shutil.copy(sample, workbook)
    process = subprocess.Popen([mentorbook, "edit", str(workbook), "--port", "0", "--no-browser",
                                "--out", str(folder / "out")], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = ""
        while "Editing" not in line:
            line = process.stderr.readline()
            if not line and process.poll() is not None:
                raise SystemExit("`mentorbook edit` did not start")
        address = urllib.parse.urlsplit(line.split(" at ")[1].split()[0])
        port, key = address.port, urllib.parse.parse_qs(address.query)["key"][0]
        cookie = _request(port, "GET", f"/?key={key}")[1]["Set-Cookie"].split(";")[0]
        times = []
        for run in range(runs):
            _idle(port, cookie)
            base = hashlib.sha256(workbook.read_bytes()).hexdigest()
            role = f"PGY-2 resident, run {run}"
            body = urllib.parse.urlencode([("!secret", key), ("!base", base), ("trainee.name", "Dr. Lena Marchetti"),
                                           ("trainee.role", role)])
            started = time.perf_counter()
            status, headers, _ = _request(port, "POST", "/mentorbook-edit.html?sheet=trainee", cookie, body)
            if status != 303:
                raise SystemExit(f"the save was refused ({status})")
            _request(port, "GET", "/" + headers["Location"].lstrip("/"), cookie)  # the form, as the browser loads it
            while role not in _request(port, "GET", "/index.html", cookie)[2]:  # the page that shows the answer
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
        return min(times)
    finally:
        process.terminate()
        process.wait(timeout=60)
