"""``mentorbook edit``: the live preview (preview.py), plus a form for every worksheet
that writes the answers back into the workbook file.

Safe by construction: the server listens on 127.0.0.1 only and answers only requests
addressed to this machine by name (no DNS rebinding). Every request needs the secret
made at launch: the address printed holds it (``?key=``), which the browser then keeps
as a cookie for this port only; every request that writes must also carry it in its
body, come from the editor's own pages (Origin and Sec-Fetch-Site), and be of a bounded
size. Nothing but the workbook file (and its earlier versions beside it) is written.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from typing import Any

from ..base.i18n import N_, language
from ..pipeline import BuildOptions
from . import pages
from .handler import editing, pdf_status
from .preview import PreviewServer

LABELS = {"edit": N_("Edit"), "details": N_("Edit your details")}  # the controls added to the site's pages


class EditServer(PreviewServer):
    """The preview of a workbook, with an editor for it. Only ``options.workbook`` is written."""

    def __init__(self, options: BuildOptions, port: int = 8000, say: Any = print, pdf: bool = True):
        if options.workbook is None:
            raise ValueError("the editor needs a workbook file")
        self.workbook = options.workbook
        self.secret = secrets.token_urlsafe(24)
        self.saving = threading.Lock()  # one save at a time (the file lock serializes processes)
        self.building = threading.Lock()  # one site build at a time
        self.notices: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.texts: OrderedDict[str, str] = OrderedDict()  # versions forms were made from, by digest
        self.lang = language(options.project.language)
        self.labels = {"edit": "Edit", "details": "Edit your details"}
        super().__init__(options, port, say, pdf=pdf)  # the PDF kept current by the preview's keeper
        self.httpd.editor = self  # how a request finds the editor (handler.py)
        self.stopping = self._stop
        self.state()

    @property
    def address(self) -> str:
        """The address to open: it holds the secret."""
        return f"{self.url}?key={self.secret}"

    @property
    def cookie(self) -> str:
        return f"mentorbook-edit-{self.port}"

    def is_secret(self, value: str) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.secret.encode())

    def rebuild(self) -> bool:
        with self.building:
            return super().rebuild()

    def saved(self) -> bool:
        """After the editor wrote the file: build the site now (the watcher need not build it again)."""
        self._stamps = self._snapshot()
        return self.rebuild()

    def state(self) -> pages.FileState:
        state = pages.read_state(self.workbook, self._options())
        self.lang = state.lang
        self.labels = {key: state.lang.gettext(text) for key, text in LABELS.items()}
        if state.broken is None:
            self.texts[state.digest] = state.text
            self.texts.move_to_end(state.digest)
            while len(self.texts) > 16:
                self.texts.popitem(last=False)
        return state

    def controls(self, state: pages.FileState) -> dict[str, str]:
        pdf = pdf_status(self.pdf, state.lang)
        return {"secret": self.secret, "draft": hashlib.sha256(str(self.workbook.resolve()).encode()).hexdigest()[:16],
                "pdf_state": pdf["state"], "pdf_text": pdf["text"]}

    def renderer(self) -> Any:
        """The project's templates (made again when the project's config is read again)."""
        from ..core.render import make_renderer

        project = self.options.project
        if getattr(self, "_renderer", (None, None))[0] is not project:
            self._renderer = (project, make_renderer(project))
        return self._renderer[1]

    def keep_notice(self, notice: dict[str, Any]) -> str:
        key = secrets.token_hex(6)
        self.notices[key] = notice
        while len(self.notices) > 32:
            self.notices.popitem(last=False)
        return key

    def _handler(self):
        return editing(super()._handler())
