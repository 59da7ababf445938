"""Live preview: build, serve on 127.0.0.1, rebuild on change, reload open pages.

The server injects a small script into the HTML it serves (never into the files on
disk). The script asks the server for the build's status; when a new build is ready
the page reloads itself, and when a build failed it shows the error over the page
until the next good save.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from msgspec.structs import replace

from ..base.errors import MentorbookError
from ..base.paths import SAMPLE_WORKBOOK
from ..core.incremental import files_under
from ..pipeline import BuildOptions, build
from ..program.project import PROJECT_FOLDERS
from .pdfkeeper import PDF_SCRIPT, PDF_STATUS_PATH

HOST = "127.0.0.1"  # the preview is for the person at this machine only
STATUS_PATH = "/__mentorbook__/status"
POLL_SECONDS = 0.4
SETTLE_SECONDS = 0.2  # a change counts once the files have stopped changing for this long
SETTLE_LIMIT = 3.0
QUIET_SECONDS = 0.02  # with inotify: a change counts once nothing has changed for this long
FINISHED_SECONDS = 0.005  # ... or for this long after a save's last step (a file closed or renamed into place)

RELOAD_SCRIPT = """<script>
(function () {
  "use strict";
  var seen = null;
  function overlay(text, good) {
    var box = document.getElementById("mentorbook-error");
    if (!text) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "mentorbook-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;z-index:99;max-height:50vh;overflow:auto;" +
        "background:#fff4f0;color:#5a1a00;border:2px solid #b84d1c;border-radius:10px;padding:1rem;" +
        "font:14px/1.45 monospace;white-space:pre-wrap;box-shadow:0 10px 30px rgba(0,0,0,.2)";
      document.body.appendChild(box);
    }
    box.textContent = "The last edit could not be built:\\n\\n" + text +
      (good ? "\\n\\nShowing the last good build." : "");
  }
  function poll() {
    var wait = 700;
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (status) {
      if (seen === null) { seen = status.version; }
      if (status.version !== seen) { location.reload(); return; }
      overlay(status.error, status.good);
    }).catch(function () { wait = 3000; }).then(function () { setTimeout(poll, wait); });
  }
  poll();
}());
</script>""" % STATUS_PATH

# Every response carries this policy: only the site's own scripts (and the reload script above, by
# its hash, and the PDF's note beside it), styles, fonts and images; nothing may frame the preview,
# post a form or load a plugin.
def _script_hash(script: str) -> str:
    body = script[len("<script>"):-len("</script>")]
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self' {_script_hash(RELOAD_SCRIPT)} {_script_hash(PDF_SCRIPT)}; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
BACKLOG = 256  # connections the system queues while every thread is busy
CLIENT_TIMEOUT = 30  # seconds a client may take to send its request


class _Server(http.server.ThreadingHTTPServer):
    """A thread per request, a real listen backlog, and clients that misbehave never print a traceback."""

    request_queue_size = BACKLOG
    daemon_threads = True
    say: Callable[[str], None] = print

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):  # the client hung up or stalled: nothing to say
            return
        self.say(f"A request could not be answered: {type(exc).__name__}: {exc}")


WAITING_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mentorbook preview</title></head>
<body style="font:16px/1.5 sans-serif;margin:2rem">
<main><h1>Waiting for a good build</h1>
<p>The workbook could not be built yet. Fix the error below and save: this page updates itself.</p></main>
</body>
</html>
"""


class PreviewServer:
    """Build once, serve the site, and rebuild whenever a watched file changes.

    With a program's project, its mentorbook.yml is read again before every build, so
    edits to the branding, the page order or the folders take effect on save.
    """

    pdf_note = True  # pages say when a new PDF is ready (the editor's pages say it their own way)

    def __init__(self, options: BuildOptions, port: int = 8000, say: Callable[[str], None] = print,
                 pdf: bool = False):
        self.options = replace(options, format="html")  # the site is built at once, the PDF behind it
        self.say = say
        self.pdf = self._pdf_keeper(pdf)
        self.version = 0
        self.error: str | None = None
        self.good = False  # a build has succeeded: there is a site to fall back on
        self.looks = 0  # times the watcher has looked at the files (and rebuilt on a change)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.site = self.options.out_dir / "site"
        self.httpd = _Server((HOST, port), self._handler())
        self.httpd.say = say
        self._stamps = self._snapshot()

    def _pdf_keeper(self, wanted: bool):
        """With ``wanted``, the PDF is kept current too, in the background (live/pdfkeeper.py)."""
        if not wanted:
            return None
        from .pdfkeeper import PdfKeeper

        self.options = replace(self.options, pdf_beside=True)
        return PdfKeeper(self.options.out_dir, self.say)

    def _writing(self):
        """Held while the site is written, so that the PDF is not written at the same time."""
        import contextlib

        return self.pdf.writing if self.pdf else contextlib.nullcontext()

    def _keep_pdf(self, options: BuildOptions) -> None:
        if self.pdf:
            self.pdf.request(options)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def watched(self) -> list[Path]:
        """Every file a build reads, and the folders where new ones may appear."""
        project = self.options.project
        files = [self.options.workbook or SAMPLE_WORKBOOK]
        folders = set(project.source_dirs)
        if project.root:  # folders the project may gain while the preview runs
            folders |= {project.root / name for name in PROJECT_FOLDERS}
            files.append(project.config_file or project.root / "mentorbook.yml")
        for folder in sorted(folders):
            files += files_under(folder)
        return files

    def _snapshot(self) -> dict[Path, tuple[int, int] | None]:
        stamps = {}
        for path in self.watched():
            try:
                stat = path.stat()
                stamps[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                stamps[path] = None
        return stamps

    def _options(self) -> BuildOptions:
        """The build options, with the project's config read again."""
        root = self.options.project.root
        if root:
            from ..program.config import load_project

            self.options = replace(self.options, project=load_project(root))
        return self.options

    def rebuild(self) -> bool:
        """Build; on failure keep the last good site and report the error. True on success."""
        try:
            options = self._options()
            self._keep_pdf(options)  # laid out in another process while the site is built here
            with self._writing():
                result = build(options)
        except MentorbookError as exc:
            return self._failed(exc.format_message())
        except Exception as exc:  # whatever breaks, the preview keeps running
            self.say("".join(traceback.format_exception(exc)).rstrip())
            return self._failed(f"{type(exc).__name__}: {exc}")
        with self._lock:
            recovered = self.error is not None
            self.error = None
            if result.files or not self.good:
                self.version += 1  # open pages reload
            self.good = True
        if result.files:
            self.say(f"Rebuilt at {time.strftime('%H:%M:%S')}.")
        elif recovered:
            self.say("Fixed; the site is as it was before the broken edit.")
        return True

    def _failed(self, message: str) -> bool:
        with self._lock:
            self.error = message
        fallback = "still serving the last good site" if self.good else "fix it and save to see the site"
        self.say(f"Build failed; {fallback}:\n{message}")
        return False

    def _folders(self) -> set[Path]:
        """The folders of the watched files, and the project's folders."""
        project = self.options.project
        folders = {path.parent for path in self.watched()} | set(project.source_dirs)
        if project.root:
            folders |= {project.root, *(project.root / name for name in PROJECT_FOLDERS)}
        return folders

    def _wait_for_change(self, changes) -> bool:
        """Wait until a file may have changed (at once with inotify, else POLL_SECONDS); True to stop."""
        if changes is None:
            return self._stop.wait(POLL_SECONDS)
        changes.wait(POLL_SECONDS)
        return self._stop.is_set()

    def _quiet(self, changes) -> dict[Path, tuple[int, int] | None]:
        """The files' stamps once the editor has finished: nothing has changed for QUIET_SECONDS, or
        for FINISHED_SECONDS after a change that ends a save (a file written and closed, or renamed
        into place) when every file that was there still is, so that a save is built at once while
        a write still under way, or a save that moved the file aside first (a backup), is waited for."""
        deadline = time.monotonic() + SETTLE_LIMIT
        there = [path for path, stamp in self._stamps.items() if stamp is not None]
        while changes.wait(FINISHED_SECONDS if changes.finished and all(map(os.path.exists, there))
                           else QUIET_SECONDS) and time.monotonic() < deadline and not self._stop.is_set():
            pass
        return self._snapshot()

    def _settled(self, changes=None) -> dict[Path, tuple[int, int] | None]:
        """The files' stamps once an editor has finished writing them."""
        if changes is not None:
            return self._quiet(changes)
        stamps = self._snapshot()
        deadline = time.monotonic() + SETTLE_LIMIT
        while not self._stop.wait(SETTLE_SECONDS):
            again = self._snapshot()
            if again == stamps or time.monotonic() > deadline:
                return again
            stamps = again
        return stamps

    def watch(self) -> None:
        from .changes import open_changes

        changes = open_changes(self._folders())
        try:
            while not self._wait_for_change(changes):
                if self._snapshot() != self._stamps:
                    self._stamps = self._settled(changes)
                    if not self._stop.is_set():
                        self.rebuild()  # edits made during the build are seen by the next poll
                    if changes is not None:
                        changes.watch(self._folders())  # folders the project may have gained
                self.looks += 1
        finally:
            if changes is not None:
                changes.close()

    def serve_forever(self) -> None:
        watcher = threading.Thread(target=self.watch, name="mentorbook-watch", daemon=True)
        watcher.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self._stop.set()
            watcher.join(timeout=5)
            self._stop_pdf()

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread) and close the socket."""
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._stop_pdf()

    def _stop_pdf(self) -> None:
        if self.pdf:
            self.pdf.close()

    def status(self) -> dict:
        with self._lock:
            return {"version": self.version, "error": self.error, "good": self.good}

    def _handler(self):
        return type("Handler", (_Handler,), {"preview": self})


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Answers the preview's requests; ``preview`` is the PreviewServer (set per server, see _handler)."""

    preview: PreviewServer
    timeout = CLIENT_TIMEOUT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.preview.site), **kwargs)

    def log_message(self, *args):  # the terminal is for build messages
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")  # "no-referrer" would make a form post's Origin "null"
        super().end_headers()

    def local_host(self) -> bool:
        # Another site's page could point its own name at 127.0.0.1 (DNS rebinding)
        # and read the workbook; only requests addressed to this machine are answered.
        host = (self.headers.get("Host") or "").lower()
        return host in {f"{HOST}:{self.preview.port}", f"localhost:{self.preview.port}"}

    def plain_path(self) -> str | None:
        """The request's path, decoded; None when it cannot name a file (a NUL, half a
        character, bytes that are not UTF-8, a path too long for any file)."""
        raw = self.path.split("?", 1)[0].split("#", 1)[0]
        try:
            path = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if len(path) > 2048 or any(ch == "\0" or "\ud800" <= ch <= "\udfff" for ch in path):
            return None
        return path

    def answer(self) -> None:
        head_only = self.command == "HEAD"
        if not self.local_host():
            return self.send_error(403, "The preview answers only requests for 127.0.0.1")
        path = self.plain_path()
        if path is None:
            return self.send_error(404)
        if path == STATUS_PATH:
            return self._send(json.dumps(self.preview.status()).encode(), "application/json")
        if self.preview.pdf and path == PDF_STATUS_PATH:
            return self._send(json.dumps(self.preview.pdf.status()).encode(), "application/json")
        try:
            file = Path(self.translate_path(self.path))
            if file.is_dir() or path.endswith("/"):
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                return self._send_page(file.read_text(encoding="utf-8", errors="replace"))
            if file.suffix == ".html" and not (self.preview.site / "index.html").is_file():
                return self._send_page(WAITING_PAGE)  # no good build yet
            if path == "/favicon.ico" and not file.is_file():
                self.send_response(204)  # browsers ask for one; a 404 would be a console error
                return self.end_headers()
            return super().do_HEAD() if head_only else super().do_GET()
        except (ValueError, UnicodeError, OSError):
            return self.send_error(404)

    def do_HEAD(self):  # http.server's name
        return self.answer()

    def do_GET(self):  # http.server's name
        return self.answer()

    def _send_page(self, html: str):
        at = html.rfind("</body>")
        script = RELOAD_SCRIPT + (PDF_SCRIPT if self.preview.pdf and self.preview.pdf_note else "")
        html = html[:at] + script + "\n" + html[at:] if at != -1 else html + script
        return self._send(html.encode("utf-8"), "text/html; charset=utf-8")

    def _send(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
