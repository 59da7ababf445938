"""The editor's requests: the preview's (site pages, live reload), plus the edit pages,
saving, the earlier versions and the editor's own script and stylesheet.

Every request needs the launch's secret (its cookie, set from the printed address);
every request that writes needs it in its body too (see edit.py ``check_request``).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from http import cookies
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from markupsafe import escape

from ..base.errors import MentorbookError
from . import pages, saving
from .forms import PostedForm, parse_pairs
from .preview import HOST

MAX_BODY = 4 * 1024 * 1024  # a form of a whole worksheet is far below; the workbook itself is at most 2 MiB
STATUS = f"/{pages.ASSETS}/edit-status"
PDF = f"/{pages.ASSETS}/workbook.pdf"

_WORKSHEET = re.compile(r'(<section class="worksheet[^"]*" id="ws-([A-Za-z0-9_-]+)"[^>]*>.*?</header>)', re.S)
_LOCAL_PATH = re.compile(r"/(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)?")  # where the key may lead: a page here
_HERO_TITLE = re.compile(r'(<section class="hero">.*?</h1>)', re.S)
REFUSED = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s</title></head><body style="font:16px/1.5 sans-serif;margin:2rem"><main><h1>%(title)s</h1>
<p>%(text)s</p></main></body></html>
"""


def check_request(handler: Any, server: Any, writing: bool) -> tuple[int, str] | None:
    """(status, reason) when a request must be refused, else None."""
    if not handler.local_host():
        return 403, "the editor answers only requests for 127.0.0.1"
    if not writing:
        return None
    own = {f"http://{HOST}:{server.port}", f"http://localhost:{server.port}"}
    origin = handler.headers.get("Origin")
    if origin is not None and origin not in own:
        return 403, "a page of another site cannot write the workbook"
    if handler.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return 403, "a page of another site cannot write the workbook"
    if handler.headers.get("Transfer-Encoding"):
        return 411, "the request must say its length"
    length = handler.headers.get("Content-Length", "")
    if not length.isdigit():
        return 411, "the request must say its length"
    if int(length) > MAX_BODY:
        return 413, f"the request is larger than {MAX_BODY // (1024 * 1024)} MiB"
    if (handler.headers.get("Content-Type") or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return 415, "the editor takes form posts only"
    return None


def read_form(handler: Any, server: Any) -> PostedForm | None:
    """The posted form, when it carries the secret; None otherwise (nothing is written)."""
    body = handler.rfile.read(int(handler.headers["Content-Length"]))
    try:
        form = PostedForm(parse_pairs(body))
    except ValueError:  # more fields than any page makes
        return None
    return form if server.is_secret(form.controls.get("!secret", "")) else None


def pdf_status(keeper: Any, lang: Any) -> dict[str, str]:
    """What the editor's pages say of the PDF the keeper (live/pdfkeeper.py) lays out after each save."""
    _ = lang.gettext
    if keeper is None:
        return {"state": "off", "text": ""}
    status = keeper.status()
    if status["state"] == "ready":
        return {"state": "ready", "text": _("The PDF is up to date (made at %(time)s).") % {"time": status["made"]},
                "href": PDF.lstrip("/"), "link": _("Open the PDF")}
    if status["state"] == "failed":
        return {"state": "failed", "text": _("The PDF could not be made: %(error)s") % {"error": status["error"]}}
    return {"state": "building", "text": _("The PDF is being made again; the site is up to date.")}


def status_json(server: Any) -> bytes:
    from ..base.safepath import UnreadableFile, read_limited
    from ..base.yamlio import MAX_BYTES

    try:
        digest = hashlib.sha256(read_limited(server.workbook, MAX_BYTES)).hexdigest()
    except UnreadableFile:
        digest = ""
    pdf = pdf_status(server.pdf, server.lang)
    return json.dumps({**server.status(), "digest": digest, "pdf": pdf}).encode()


def quoted(value: str) -> str:
    return quote(value, safe="")


def query_of(path: str) -> tuple[str, dict[str, list[str]]]:
    url = urlsplit(path)
    return url.path, parse_qs(url.query, max_num_fields=20)


def cookie_value(handler: Any, name: str) -> str:
    jar = cookies.SimpleCookie()
    try:
        jar.load(handler.headers.get("Cookie") or "")
    except cookies.CookieError:
        return ""
    return jar[name].value if name in jar else ""


class EditRequests:
    """What the editor answers besides the preview's requests (mixed into its handler class)."""

    timeout = 60  # a client that stops sending is dropped

    @property
    def editor(self) -> Any:
        return self.server.editor  # the EditServer (self.server is its HTTP server)

    # -- answers ------------------------------------------------------------------
    def _reply(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, html: str, status: int = 200):
        return self._reply(status, html.encode("utf-8"), "text/html; charset=utf-8")

    def _refuse(self, status: int, reason: str):
        self.close_connection = True
        title = {403: "Forbidden", 404: "Not found", 411: "Length required", 413: "Too large",
                 415: "Not a form"}.get(status, "Refused")
        body = REFUSED % {"title": f"{status} {title}", "text": escape(reason)}
        return self._reply(status, body.encode(), "text/html; charset=utf-8")

    def _see(self, location: str, headers: dict[str, str] | None = None):
        return self._reply(303, b"", "text/plain", {"Location": location, **(headers or {})})

    # -- reading ------------------------------------------------------------------
    def do_HEAD(self):  # http.server's name
        return self.do_GET()

    def do_GET(self):  # http.server's name
        refused = check_request(self, self.editor, writing=False)
        if refused:
            return self._refuse(*refused)
        path, query = query_of(self.path)
        key = query.get("key", [""])[0]
        if key:
            if not self.editor.is_secret(key):
                return self._refuse(403, "this key is not the one mentorbook edit printed")
            cookie = f"{self.editor.cookie}={self.editor.secret}; Path=/; HttpOnly; SameSite=Strict"
            return self._see(path if _LOCAL_PATH.fullmatch(path) else "/", {"Set-Cookie": cookie})
        if not self.editor.is_secret(cookie_value(self, self.editor.cookie)):
            return self._refuse(403, "open the address that mentorbook edit printed: it holds the key to "
                                     "this workbook")
        route = {f"/{pages.EDIT_PAGE}": self.edit_page, f"/{pages.HISTORY_PAGE}": self.history_page,
                 STATUS: self.edit_status, PDF: self.pdf_file,
                 f"/{pages.ASSETS}/editor.js": self.script, f"/{pages.ASSETS}/editor.css": self.style}.get(path)
        if route is not None:
            return self._safely(route, query)
        if path.startswith("/assets/") and not (self.editor.site / path.lstrip("/")).is_file():
            made = pages.site_asset(self.editor.renderer().speaking(self.editor.lang), path)
            if made is not None:
                return self._reply(200, *made)
        return super().do_HEAD() if self.command == "HEAD" else super().do_GET()

    def _safely(self, route: Any, *args: Any):
        """Run a route; whatever breaks, the editor keeps running and says what."""
        try:
            return route(*args)
        except Exception as exc:  # a page that cannot be drawn is a 500, not a dropped connection
            import traceback

            self.editor.say("".join(traceback.format_exception(exc)).rstrip())
            message = exc.format_message() if isinstance(exc, MentorbookError) else f"{type(exc).__name__}: {exc}"
            body = REFUSED % {"title": "500 The page could not be made", "text": escape(message)}
            return self._reply(500, body.encode(), "text/html; charset=utf-8")

    def _send_page(self, html: str):
        """A site page, with an Edit control on each worksheet and on the trainee's details."""
        edit = escape(self.editor.labels.get("edit", "Edit"))
        html = _WORKSHEET.sub(lambda m: f'{m[1]}\n<p class="ws-edit"><a href="{pages.EDIT_PAGE}?sheet='
                              f'{quoted(m[2])}">{edit}</a></p>', html)
        details = escape(self.editor.labels.get("details", "Edit your details"))
        html = _HERO_TITLE.sub(lambda m: f'{m[1]}\n<p class="ed-edit-details"><a href="{pages.EDIT_PAGE}?sheet='
                               f'{pages.TRAINEE}">{details}</a></p>', html, count=1)
        html = html.replace("</head>", f'<link rel="stylesheet" href="{pages.ASSETS}/editor.css">\n</head>', 1)
        if "<h1>Waiting for a good build</h1>" in html:  # no site yet: the forms are the way to fix it
            links = "".join(f'<li><a href="{pages.EDIT_PAGE}?sheet={quoted(s.id)}">{escape(s.title)}</a></li>'
                            for s in pages.sections(self.editor.state()).values())
            html = html.replace("</main>", f"<h2>Edit the workbook</h2><ul>{links}</ul></main>", 1)
        return super()._send_page(html)

    def edit_page(self, query: dict[str, list[str]]):
        state = self.editor.state()
        found = pages.sections(state)
        sheet = query.get("sheet", ["trainee"])[0]
        if sheet not in found:
            return self._refuse(404, "the workbook has no worksheet of that name")
        notice = dict(self.editor.notices.get(query.get("saved", [""])[0], {}))
        if query.get("discard"):
            notice["discard"] = True
        html = pages.edit_page(self.editor.renderer(), state, self.editor.options, found[sheet],
                               self.editor.controls(state), notice)
        return self._page(html)

    def history_page(self, query: dict[str, list[str]], notice: str = "", status: int = 200):
        state = self.editor.state()
        renderer = self.editor.renderer().speaking(state.lang)
        context = pages.chrome(renderer, state, self.editor.options, None, state.lang.gettext("Earlier versions"))
        shown = None
        name = query.get("version", [""])[0]
        if name:
            data = saving.read_version(state.path, name)
            if data is None:
                return self._refuse(404, "there is no such earlier version")
            old = data.decode("utf-8", "replace")
            shown = {"when": saving._when(name, state.lang), "diff": saving.diff(state.text, old)}
        from ..base.writer import HISTORY_KEEP, history_dir

        html = renderer.render("edit_history.html", **context, state=state, controls=self.editor.controls(state),
                               versions=saving.versions(state.path, state.lang), shown=shown, notice=notice,
                               folder=str(history_dir(state.path)), keep=HISTORY_KEEP,
                               history_page=pages.HISTORY_PAGE)
        return self._page(pages.with_editor_assets(html), status)

    def edit_status(self, query):
        return self._reply(200, status_json(self.editor), "application/json")

    def pdf_file(self, query):
        from ..base.safepath import UnreadableFile, read_limited
        from ..core.options import PDF_NAME

        if self.editor.pdf is None or self.editor.pdf.status()["state"] != "ready":
            return self._refuse(404, "the PDF is not ready yet")
        try:
            with self.editor.pdf.writing:
                data = read_limited(self.editor.options.out_dir / PDF_NAME, 512 * 1024 * 1024)
        except UnreadableFile:
            return self._refuse(404, "the PDF is not ready yet")
        return self._reply(200, data, "application/pdf")

    def script(self, query):
        renderer = self.editor.renderer().speaking(self.editor.lang)
        body = renderer.render("editor.js", status_url=STATUS.lstrip("/"))
        return self._reply(200, body.encode("utf-8"), "text/javascript; charset=utf-8")

    def style(self, query):
        return self._reply(200, self.editor.renderer().asset("editor.css").encode("utf-8"), "text/css; charset=utf-8")

    # -- writing ------------------------------------------------------------------
    def do_POST(self):  # http.server's name
        refused = check_request(self, self.editor, writing=True)
        if refused:
            return self._refuse(*refused)
        path, query = query_of(self.path)
        if path not in (f"/{pages.EDIT_PAGE}", f"/{pages.HISTORY_PAGE}"):
            return self._refuse(404, "nothing is written there")
        form = read_form(self, self.editor)
        if form is None:
            return self._refuse(403, "the request does not carry this editor's key; nothing was written")
        with self.editor.saving:
            if path == f"/{pages.HISTORY_PAGE}":
                return self._safely(self.restore, form)
            return self._safely(self.save, query.get("sheet", [""])[0], form)

    def save(self, sheet: str, form: Any):
        state = self.editor.state()
        section = pages.sections(state).get(sheet)
        if section is None:
            return self._refuse(404, "the workbook has no worksheet of that name")
        if state.broken is not None:
            return self._see(f"{pages.EDIT_PAGE}?sheet={quoted(sheet)}")
        base_text = self.editor.texts.get(form.controls.get("!base", ""))
        try:
            saved = saving.save_form(state, section, form, self.editor.options, base_text)
        except MentorbookError as exc:
            return self._page(pages.edit_page(self.editor.renderer(), state, self.editor.options, section,
                                              self.editor.controls(state), {"failed": exc.format_message()}), 500)
        if saved.conflict is not None:
            return self.conflict(section, form, base_text)
        _ = state.lang.gettext
        if saved.lines == 0:
            notice = {"unchanged": _("Nothing to save: the form holds what the file holds.")}
        else:
            self.editor.saved()  # the site is up to date before the page comes back
            notice = {"saved": state.lang.ngettext("Saved at %(time)s: %(num)s line of %(file)s changed.",
                                                   "Saved at %(time)s: %(num)s lines of %(file)s changed.",
                                                   saved.lines)
                      % {"time": time.strftime("%H:%M:%S"), "num": saved.lines, "file": state.path.name}}
        return self._see(f"{pages.EDIT_PAGE}?sheet={quoted(sheet)}&saved={self.editor.keep_notice(notice)}")

    def conflict(self, section: Any, form: Any, base_text: str | None):
        state = self.editor.state()
        renderer = self.editor.renderer().speaking(state.lang)
        context = pages.chrome(renderer, state, self.editor.options, section, section.title)
        both = saving.conflict_context(state, section, form, self.editor.options, base_text)
        html = renderer.render("edit_conflict.html", **context, **both, section=section, state=state,
                               controls=self.editor.controls(state), edit_page=pages.EDIT_PAGE)
        return self._page(pages.with_editor_assets(html), 409)

    def restore(self, form: Any):
        state = self.editor.state()
        why = saving.restore(state, form.controls.get("!version", ""), form.controls.get("!base", ""))
        _ = state.lang.gettext
        if why:
            return self.history_page({}, _("Nothing was brought back: %(reason)s.") % {"reason": _(why)}, 409)
        self.editor.saved()
        return self.history_page({}, _("The earlier version is back; the one it replaced is kept below."))


def editing(base: type) -> type:
    """The preview's request handler class, with the editor's requests added (the handler finds
    the EditServer as ``server.editor``, its HTTP server's)."""
    return type("EditHandler", (EditRequests, base), {})
