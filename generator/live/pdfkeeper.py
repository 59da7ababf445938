"""The PDF kept current while ``serve`` runs, laid out in the background.

After each save, the preview asks a process of its own (started once, with WeasyPrint
loaded) for the workbook's PDF. That process keeps the PDFs of the workbook's parts
and of its frame by their content (print/workers.PartCache): a change to one answer
lays out only the part it is in (and the frame, if the pages moved). The preview
writes the PDF beside the site (OUT/workbook.pdf and OUT/site/workbook.pdf) through
its Writer, and its pages poll ``PDF_STATUS_PATH`` to say when the new PDF is ready.

A request made while a PDF is being laid out waits, and only the latest one is laid
out: saving three times in a row lays out once more, not three times.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from msgspec.structs import replace

PDF_STATUS_PATH = "/__mentorbook__/pdf"

PDF_SCRIPT = """<script>
(function () {
  "use strict";
  var KEY = "mentorbook-pdf-version", box = null, seen = null, shown = 0;
  try { seen = sessionStorage.getItem(KEY); seen = seen === null ? null : Number(seen); } catch (e) { seen = null; }
  function say(text, href) {
    if (!box) {
      box = document.createElement("div");
      box.id = "mentorbook-pdf";
      box.setAttribute("role", "status");
      box.style.cssText = "position:fixed;inset:auto auto 1rem 1rem;z-index:98;background:#fff;color:#1f2933;" +
        "border:1px solid #5f6b7a;border-radius:8px;padding:.5rem .75rem;font:14px/1.4 sans-serif;" +
        "box-shadow:0 4px 14px rgba(0,0,0,.15)";
      document.body.appendChild(box);
    }
    box.textContent = text;
    if (href) {
      var link = document.createElement("a");
      link.href = href; link.textContent = "Open it";
      box.appendChild(document.createTextNode(" "));
      box.appendChild(link);
    }
  }
  function poll() {
    var wait = 1000;
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (pdf) {
      if (pdf.state === "building") { say("Updating the PDF\\u2026"); }
      else if (pdf.state === "failed") { say("The PDF could not be updated: " + pdf.error); }
      else if (pdf.state === "ready" && seen !== null && pdf.version !== seen) {
        var href = "%s?v=" + pdf.version;
        document.querySelectorAll("a.pdf-link").forEach(function (a) { a.href = href; });
        say("The PDF is up to date (" + pdf.seconds + " s).", href);
        shown = Date.now();
      } else if (pdf.state === "ready" && box && Date.now() - shown > 8000) { box.remove(); box = null; }
      if (pdf.state === "ready" || pdf.state === "failed") {
        seen = pdf.version;
        try { sessionStorage.setItem(KEY, String(seen)); } catch (e) { /* private browsing */ }
      }
    }).catch(function () { wait = 3000; }).then(function () { setTimeout(poll, wait); });
  }
  poll();
}());
</script>""" % (PDF_STATUS_PATH, "workbook.pdf")


def _send(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the other side has gone")
    size, = struct.unpack("!Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side has gone")
    return pickle.loads(data)


class _Pipes:
    """The PDF process's side of its pipes (its standard input and output), as a connection."""

    def __init__(self, reading, writing):
        self.reading, self.writing = reading, writing

    def recv(self):
        return _receive(self.reading)

    def send(self, value) -> None:
        _send(self.writing, value)


def main() -> None:
    """The PDF process (``python -m mentorbook.live.pdfkeeper``): requests on standard input. It ends
    with the command that started it, even one killed in the middle of a layout."""
    import signal

    from ..base.bounded import end_with_parent
    from ..base.writer import end_scratch

    # end_scratch is imported before the handler can run: a SIGTERM during an import ends it cleanly
    signal.signal(signal.SIGTERM, lambda signum, frame: _terminated(end_scratch, signum))
    end_with_parent(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else None)
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever else prints goes to standard error, never into the answers
    _serve(_Pipes(sys.stdin.buffer, answers))


def _terminated(end_scratch: Callable[[], None], signum: int) -> None:
    """SIGTERM (``serve`` stopping, or its end): the process's temporary folder goes with it
    (WeasyPrint's copy of the fonts, 1 MB), then it ends at once. It imports nothing: the
    signal may come in the middle of an import, which another import would find half done."""
    end_scratch()
    os._exit(128 + signum)


def _serve(connection) -> None:
    """Lay out PDFs: options in, (kind, PDF or message, seconds) out."""
    from ..base.errors import MentorbookError
    from ..pipeline import prepare
    from ..print.pdf import metadata_date, pdf_from_print_files, render_print_files
    from ..print.workers import PartCache, cores

    cache = PartCache(jobs=cores())
    while True:
        try:
            options = connection.recv()
        except (EOFError, OSError):
            return
        if options is None:
            return
        started = time.monotonic()
        try:
            workbook = prepare(options)
            files = render_print_files(workbook, options.render_options, options.project)
            made = cache.pdf(files, options.project.allowed_roots, metadata_date(workbook), options.fillable)
            data = made[0] if made else pdf_from_print_files(files, workbook, options.render_options,
                                                             options.project)[0]
            answer = ("ok", data, time.monotonic() - started, cache.last if made else (1, 1))
        except MentorbookError as exc:
            answer = ("error", exc.format_message(), 0.0, (0, 0))
        except Exception as exc:  # the preview keeps running, and says why
            answer = ("error", "".join(traceback.format_exception(exc)).rstrip(), 0.0, (0, 0))
        try:
            connection.send(answer)
        except OSError:
            return


class PdfKeeper:
    """Lays out the PDF in a process of its own after each change, and writes it beside the site."""

    def __init__(self, out_dir: Path, say: Callable[[str], None] = print):
        self.out_dir, self.say = out_dir, say
        self.version = 0
        self.state = "waiting"  # waiting (for a first good build), building, ready or failed
        self.error: str | None = None
        self.seconds = 0.0
        self.made = ""  # when the last PDF was written (HH:MM:SS)
        self.parts = (0, 0)  # parts laid out for the last PDF, of all its parts
        self.writing = threading.Lock()  # held while the site or the PDF is written
        self._wanted = None
        self._changed = threading.Condition()
        self._stop = False
        # a fresh interpreter (serve runs threads: no fork), fed through its standard input
        # (given this process's id: it ends at once if this one is gone before it has started)
        self._process = subprocess.Popen([sys.executable, "-m", __name__, str(os.getpid())], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE)
        self._connection = _Pipes(self._process.stdout, self._process.stdin)
        self._thread = threading.Thread(target=self._run, name="mentorbook-pdf", daemon=True)
        self._thread.start()

    def request(self, options) -> None:
        """Lay out the PDF of ``options`` when the one being laid out is done (the latest wins)."""
        with self._changed:
            self._wanted = replace(options, format="pdf")
            self.state = "building"
            self._changed.notify()

    def status(self) -> dict:
        with self._changed:
            return {"version": self.version, "state": self.state, "error": self.error, "made": self.made,
                    "seconds": round(self.seconds, 1), "laid_out": self.parts[0], "parts": self.parts[1]}

    def _run(self) -> None:
        while True:
            with self._changed:
                while self._wanted is None and not self._stop:
                    self._changed.wait()
                if self._stop:
                    return
                options, self._wanted = self._wanted, None
            try:
                self._connection.send(options)
                kind, value, seconds, parts = self._connection.recv()
            except (EOFError, OSError, ValueError):
                return  # closed
            self._done(kind, value, seconds, parts)

    def _done(self, kind: str, value, seconds: float, parts: tuple[int, int]) -> None:
        from ..base.errors import MentorbookError
        from ..base.writer import Writer
        from ..print.pdf import PDF_NAME

        if self._stop:
            return
        if kind == "ok":
            try:
                with self.writing:
                    Writer(self.out_dir).write_all({PDF_NAME: value, f"site/{PDF_NAME}": value})
            except (MentorbookError, OSError) as exc:
                kind, value = "error", str(exc)
        with self._changed:
            waiting = self._wanted is not None
            if kind == "ok":
                self.version += 1
                self.error, self.seconds, self.parts = None, seconds, parts
                self.made = time.strftime("%H:%M:%S")
                self.state = "building" if waiting else "ready"
            else:
                self.error = value.splitlines()[-1] if value else "unknown error"
                self.state = "building" if waiting else "failed"
        if kind == "ok":
            self.say(f"PDF updated at {time.strftime('%H:%M:%S')} ({seconds:.1f} s; {parts[0]} of its {parts[1]} "
                     "parts laid out again).")
        else:
            self.say(f"The PDF could not be updated:\n{value}")

    def close(self) -> None:
        with self._changed:
            if self._stop:
                return
            self._stop = True
            self._changed.notify()
        try:
            self._connection.send(None)
            self._process.stdin.close()
        except (OSError, ValueError):
            pass
        self._process.terminate()  # a layout under way is not waited for: the PDF process writes nothing
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._thread.join(timeout=10)
        self._process.stdout.close()


if __name__ == "__main__":
    main()
