"""Shared helpers for the tests of `mentorbook edit`: an editor server in a thread, HTTP
requests with or without its key, and a form submitted the way a browser submits it."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import TODAY

from mentorbook.live.edit import EditServer
from mentorbook.pipeline import BuildOptions
from mentorbook.program.config import load_project


def start_editor(workbook: Path, out: Path, project: Path | None = None, pdf: bool = False):
    """An editor on a free port, serving in a thread (``stop`` ends it)."""
    options = BuildOptions(workbook=workbook, out_dir=out, today=TODAY,
                           **({"project": load_project(project)} if project else {}))
    messages: list[str] = []
    server = EditServer(options, port=0, say=messages.append, pdf=pdf)
    server.rebuild()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.messages = messages
    server.thread = thread
    return server


def stop(server) -> None:
    server.shutdown()
    server.thread.join(timeout=30)
    assert not server.thread.is_alive(), "the editor did not stop"


def request(server, method: str, path: str, body=None, headers: dict | None = None, key: bool = True):
    """(status, headers, text) of one request; ``key``: with the cookie the printed address sets."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    sent = dict(headers or {})
    if key:
        sent.setdefault("Cookie", f"{server.cookie}={server.secret}")
    if body is not None and not isinstance(body, (bytes, str)):
        body = urllib.parse.urlencode(body)
    if body is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response.headers, text


def edit_page(server, sheet: str) -> BeautifulSoup:
    status, _, html = request(server, "GET", f"/mentorbook-edit.html?sheet={sheet}")
    assert status == 200, html[:2000]
    return BeautifulSoup(html, "html.parser")


def form_pairs(page: BeautifulSoup, selector: str = "form.editor") -> list[tuple[str, str]]:
    """What a browser posts for a form: named inputs (ticked ones for boxes and radio
    buttons), selected options and text areas, in document order."""
    pairs = []
    for element in page.select_one(selector).select("input[name], select[name], textarea[name]"):
        if element.find_parent("template") is not None:
            continue
        name = element["name"]
        if element.name == "textarea":
            pairs.append((name, element.get_text()))
        elif element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            pairs.append((name, chosen.get("value", "")))
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                pairs.append((name, element.get("value", "on")))
        else:
            pairs.append((name, element.get("value", "")))
    return pairs


def post(server, sheet: str, pairs, headers: dict | None = None, key: bool = True):
    origin = {"Origin": f"http://127.0.0.1:{server.port}"}
    return request(server, "POST", f"/mentorbook-edit.html?sheet={sheet}", pairs, {**origin, **(headers or {})},
                   key=key)


def changed(pairs, name: str, value: str) -> list[tuple[str, str]]:
    """The pairs with the (first) value of ``name`` replaced."""
    assert any(n == name for n, _ in pairs), f"the form has no field {name}"
    out, done = [], False
    for n, v in pairs:
        if n == name and not done:
            out.append((n, value))
            done = True
        else:
            out.append((n, v))
    return out
