"""Live preview: build, serve on 127.0.0.1, rebuild on change, reload open pages.

The server injects a small script into the HTML it serves (never into the files on
disk). The script asks the server for the build's status; when a new build is ready
the page reloads itself, and when a build failed it shows the error over the page
until the next good save.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .errors import MentorbookError
from .pipeline import BuildOptions, build
from .paths import SAMPLE_WORKBOOK

HOST = "127.0.0.1"  # the preview is for the person at this machine only
STATUS_PATH = "/__mentorbook__/status"
POLL_SECONDS = 0.4

RELOAD_SCRIPT = """<script>
(function () {
  "use strict";
  var seen = null;
  function overlay(text) {
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
    box.textContent = "The last edit could not be built:\\n\\n" + text + "\\n\\nShowing the last good build.";
  }
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (status) {
      if (seen === null) { seen = status.version; }
      if (status.version !== seen) { location.reload(); return; }
      overlay(status.error);
    }).catch(function () {}).then(function () { setTimeout(poll, 700); });
  }
  poll();
}());
</script>""" % STATUS_PATH


class PreviewServer:
    """Build once, serve the site, and rebuild whenever a watched file changes."""

    def __init__(self, options: BuildOptions, port: int = 8000, say: Callable[[str], None] = print):
        self.options = replace(options, format="html")  # the PDF is slow; the preview is the site
        self.say = say
        self.version = 0
        self.error: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.site = self.options.out_dir / "site"
        self.httpd = http.server.ThreadingHTTPServer((HOST, port), self._handler())
        self._stamps = self._snapshot()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def watched(self) -> list[Path]:
        project = self.options.project
        files = [self.options.workbook or SAMPLE_WORKBOOK]
        folders = [*project.guide_dirs, *project.worksheet_dirs, *project.template_dirs, *project.asset_dirs]
        for folder in folders:
            files += [p for p in folder.rglob("*") if p.is_file()]
        if project.config_file:
            files.append(project.config_file)
        return files

    def _snapshot(self) -> dict[Path, float]:
        stamps = {}
        for path in self.watched():
            try:
                stamps[path] = path.stat().st_mtime_ns
            except OSError:
                stamps[path] = -1
        return stamps

    def rebuild(self) -> bool:
        try:
            result = build(self.options)
        except MentorbookError as exc:
            with self._lock:
                self.error = exc.format_message()
            self.say(f"Build failed; still serving the last good site:\n{self.error}")
            return False
        with self._lock:
            self.error = None
            self.version += 1
        if not result.up_to_date:
            self.say(f"Rebuilt at {time.strftime('%H:%M:%S')}.")
        return True

    def watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            stamps = self._snapshot()
            if stamps != self._stamps:
                time.sleep(0.15)  # let an editor finish writing
                self._stamps = self._snapshot()
                self.rebuild()

    def serve_forever(self) -> None:
        watcher = threading.Thread(target=self.watch, name="mentorbook-watch", daemon=True)
        watcher.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self._stop.set()
            watcher.join(timeout=2)

    def shutdown(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def status(self) -> dict:
        with self._lock:
            return {"version": self.version, "error": self.error}

    def _handler(self):
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.site), **kwargs)

            def log_message(self, *args):  # the terminal is for build messages
                pass

            def end_headers(self):
                self.send_header("Cache-Control", "no-store")
                super().end_headers()

            def do_GET(self):  # noqa: N802 - http.server's name
                if self.path.split("?")[0] == STATUS_PATH:
                    return self._send(json.dumps(server.status()).encode(), "application/json")
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if path.suffix == ".html" and path.is_file():
                    html = path.read_text(encoding="utf-8")
                    html = html.replace("</body>", RELOAD_SCRIPT + "\n</body>", 1)
                    return self._send(html.encode("utf-8"), "text/html; charset=utf-8")
                return super().do_GET()

            def _send(self, body: bytes, content_type: str):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
