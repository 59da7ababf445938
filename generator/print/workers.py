"""A single PDF laid out on every core: runs of its parts in worker processes (see parts.py).

WeasyPrint lays out on one core. A workbook's parts (chapters and worksheets) are cut
into ``jobs`` runs of consecutive parts of about equal size. This process and
``jobs - 1`` processes forked from it (so WeasyPrint and the fonts are loaded once)
each lay out a run, without margin boxes, and write its pages as a tagged PDF of
their own (``write_run``). Meanwhile this process, once it knows how many pages each
run fills and where its anchors are, lays out the frame (the cover, the contents and
the margin boxes of every page: parts.frame_html) and writes it too; then it
stitches them together (stitch.py).

If the runs do not come out as a whole layout would (the frame has another number of
pages, or other page sizes), ``NotAsWhole`` is raised and the caller lays the
document out whole.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path

from msgspec import Struct, field

from ..base.bounded import start_forked_helper
from ..base.collect import fewer_collections
from . import parts as partlib
from .stitch import NotAsWhole, PartPdf, stitch

SCALE = 0.75  # PDF points per CSS pixel


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Job(Struct):
    """What every process needs (a forked process has it from its parent: nothing is sent)."""
    layout: partlib.Split
    files: Mapping[str, str | bytes]
    allowed_roots: Sequence[Path]
    forms: bool
    stamp: str  # the metadata date
    refused: list[str] = field(default_factory=list)  # addresses outside the allowed folders

    def lay_out(self, text: str):
        from .pdf import layout

        return layout(text, None, self.allowed_roots, self.refused, forms=self.forms, files=self.files)

    def load_fonts(self, text: str) -> None:
        """Load every font the document ``text`` names, and parse its stylesheets, before processes
        are forked (see pdf.font_config and pdf.stylesheets_apart): each part then finds them ready."""
        from .pdf import MEMORY_ROOT, font_config, make_url_fetcher, stylesheets_apart

        base_url = f"file://{MEMORY_ROOT}/"
        fetcher = make_url_fetcher(self.allowed_roots, self.refused, self.files)
        config = font_config(text, base_url, fetcher, self.files)
        stylesheets_apart(text, base_url, fetcher, config, self.files, self.refused, self.allowed_roots)

    def write(self, document, number: int = 0) -> PartPdf:
        """The pages of ``document`` as a tagged PDF (see write_run); ``number`` tells the parts'
        PDFs apart (their font subsets and table ids)."""
        from .links import keep_real_links
        from .pdf import stamp
        from .tags import mend
        from .tagtree import rename_apart

        keep_real_links(document, whole=False)  # links into other parts are the stitcher's to check
        pages = document.pages
        anchors: dict[str, int] = {}
        for i, page in enumerate(pages):  # an element over several pages is anchored on its first
            for name in page.anchors:
                anchors.setdefault(name, i)
        targets = {link[1] for page in pages for link in page.links if link[0] == "internal"}
        if pages:  # WeasyPrint keeps a link only if it finds its anchor: name the others here
            pages[0].anchors.update(dict.fromkeys(targets - set(anchors), (0, 0, 0, 0)))
        bookmarks = [(i, level, label, x * SCALE, (page.height - y) * SCALE, state)
                     for i, page in enumerate(pages) for level, label, (x, y), state in page.bookmarks]
        stamp(document, self.stamp)
        if self.forms:
            from .forms import FORM_MARKER, FORM_VERSION

            document.metadata.custom[FORM_MARKER] = FORM_VERSION

        def finish(document, pdf):
            mend(document, pdf)
            if number:
                rename_apart(pdf, number)

        with fewer_collections():
            data = document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=self.forms, finisher=finish)
        sizes = [(page.width, page.height) for page in pages]
        return PartPdf(data, len(pages), bookmarks, anchors, targets, sizes, sorted(set(self.refused)))


def _child(connection, job: Job, number: int, start: int, end: int, parent: int) -> None:
    """A forked process: lay out a run, tell its pages' anchors, then send its PDF."""
    start_forked_helper(parent)
    try:
        document = job.lay_out(job.layout.run(start, end))
        connection.send(("laid", [list(page.anchors) for page in document.pages]))
        connection.send(("pdf", job.write(document, number)))
    except BaseException as exc:  # told to the parent, which lays the document out whole
        with suppress(OSError):  # the parent has stopped listening
            connection.send(("error", "".join(traceback.format_exception(exc))))
    finally:
        connection.close()


def _answer(connection, kind: str):
    try:
        got, value = connection.recv()
    except (EOFError, OSError) as exc:
        raise NotAsWhole(f"a layout process ended early: {exc}") from None
    if got != kind:
        raise NotAsWhole(f"a layout process failed:\n{value}")
    return value


def pdf_from_print_files(files: dict[str, str | bytes], workbook, options, project, jobs: int):
    """Print files (pdf.render_print_files) laid out as a PDF in ``jobs`` processes, as
    pdf.pdf_from_print_files lays them out in one: the same pages, text, bookmarks, links,
    form fields and tags. A layout without parts, or whose parts do not stand in for it
    (NotAsWhole), is laid out whole."""
    from . import pdf

    made = None
    if jobs > 1:
        try:
            made = parallel_pdf(str(files[pdf.PRINT_HTML]), files, project.allowed_roots,
                                pdf.metadata_date(workbook), options.fillable, jobs)
        except NotAsWhole:
            made = None
    if made is None:
        return pdf.pdf_from_print_files(files, workbook, options, project)
    return made[0], pdf.refused_warnings(made[1], project)


def parallel_pdf(html: str, files: Mapping[str, str | bytes], allowed_roots: Sequence[Path], stamp: str,
                 forms: bool, jobs: int) -> tuple[bytes, list[str]] | None:
    """The PDF of ``html`` laid out in ``jobs`` processes, and the addresses refused; None if it
    has fewer than three parts. Raises NotAsWhole when the parts cannot stand in for a whole layout."""
    import multiprocessing

    layout = partlib.split(html)
    if layout is None or len(layout.parts) < 3 or jobs < 2:
        return None
    job = Job(layout, files, allowed_roots, forms, stamp)
    last = len(layout.parts) - 1
    bounds = partlib.runs(layout, jobs, end=last)
    job.load_fonts(html)  # for every process, each part's stylesheets included
    tail = job.lay_out(layout.run(last, last + 1))
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for number, (start, end) in enumerate(bounds[1:], start=2):
            mine, theirs = context.Pipe()
            process = context.Process(target=_child, args=(theirs, job, number, start, end, os.getpid()),
                                      daemon=True)
            process.start()
            theirs.close()
            children.append((process, mine))
        own = job.lay_out(layout.run(*bounds[0]))
        anchors = [list(page.anchors) for page in own.pages]
        first = job.write(own, 1)  # number 0 is the frame's
        tail_anchors = [list(page.anchors) for page in tail.pages]  # before writing names more on them
        last_run = job.write(tail, len(bounds) + 1)  # while the others lay out theirs
        for _, connection in children:
            anchors += _answer(connection, "laid")
        anchors += tail_anchors
        frame = job.lay_out(partlib.frame_html(layout, anchors))
        front = partlib.front_pages(frame)
        framed = job.write(frame)
        made = [first] + [_answer(connection, "pdf") for _, connection in children] + [last_run]
        return stitch(framed, front, made, forms), sorted({*job.refused, *(u for m in made for u in m.refused)})
    finally:
        for process, connection in children:
            connection.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


class PartCache:
    """The PDFs of a workbook's parts and of its frame, kept by their content, so that a
    layout that changed in one part lays out only that part (``serve``). Parts missing
    from the cache are laid out alone, in ``jobs`` processes when there are several."""

    def __init__(self, jobs: int = 1, size: int = 256):
        self.jobs, self.size = jobs, size
        self.parts: dict[str, PartPdf] = {}
        self.frames: dict[str, tuple[PartPdf, int | None]] = {}
        self.last = (0, 0)  # parts laid out for the last PDF, and all its parts (the rest were kept)

    def pdf(self, files: Mapping[str, str | bytes], allowed_roots: Sequence[Path], stamp: str,
            forms: bool) -> tuple[bytes, list[str]] | None:
        """The PDF of print files (as parallel_pdf makes it); None for a layout without parts."""
        import hashlib

        from .pdf import PRINT_HTML

        layout = partlib.split(str(files[PRINT_HTML]))
        if layout is None:
            return None
        job = Job(layout, files, allowed_roots, forms, stamp)
        context = hashlib.sha256(repr(sorted((k, v) for k, v in files.items() if k != PRINT_HTML)).encode())
        context.update(repr((forms, stamp)).encode())
        keys = [layout.key(i, context.hexdigest()) for i in range(len(layout.parts))]
        missing = [(i, key) for i, key in enumerate(keys) if key not in self.parts]
        self.last = (len(missing), len(keys))
        job.load_fonts(str(files[PRINT_HTML]))
        self._lay_out(job, missing)
        runs = [self.parts[key] for key in keys]
        for key in dict.fromkeys(keys):  # the most recently used last
            self.parts[key] = self.parts.pop(key)
        anchors = [[name for name, page in run.anchors.items() if page == i] for run in runs for i in range(run.count)]
        text = partlib.frame_html(layout, anchors)
        frame_key = hashlib.sha256((context.hexdigest() + text).encode()).hexdigest()
        if frame_key not in self.frames:
            frame = job.lay_out(text)
            self.frames[frame_key] = (job.write(frame), partlib.front_pages(frame))
        framed, front = self.frames[frame_key]
        self._forget(set(keys), frame_key)
        return stitch(framed, front, runs, forms), sorted({*job.refused, *(u for r in runs for u in r.refused)})

    def _lay_out(self, job: Job, missing: list[tuple[int, str]]) -> None:
        if len(missing) < 2 or self.jobs < 2:
            for index, key in missing:
                self.parts[key] = _part(job, index, key)
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")  # the process keeping the cache has no other threads
        shares = [missing[k::self.jobs] for k in range(self.jobs)]
        children = []
        try:
            for share in shares[1:]:
                mine, theirs = context.Pipe()
                process = context.Process(target=_parts_child, args=(theirs, job, share, os.getpid()), daemon=True)
                process.start()
                theirs.close()
                children.append((process, mine))
            for index, key in shares[0]:
                self.parts[key] = _part(job, index, key)
            for _, connection in children:
                self.parts.update(_answer(connection, "parts"))
        finally:
            for process, connection in children:
                connection.close()
                process.join(timeout=5)

    def _forget(self, keys: set[str], frame_key: str) -> None:
        """Keep what this layout used, and of the rest the most recent up to the cache's size."""
        for cache, used in ((self.parts, keys), (self.frames, {frame_key})):
            for key in [k for k in cache if k not in used][:max(0, len(cache) - self.size)]:
                del cache[key]


def _part(job: Job, index: int, key: str) -> PartPdf:
    """One part laid out alone; its number (for names that must differ) comes from its key."""
    return job.write(job.lay_out(job.layout.run(index, index + 1)), int(key[:12], 16) + 1)


def _parts_child(connection, job: Job, share: list[tuple[int, str]], parent: int) -> None:
    start_forked_helper(parent)
    try:
        connection.send(("parts", {key: _part(job, index, key) for index, key in share}))
    except BaseException as exc:  # told to the parent
        with suppress(OSError):
            connection.send(("error", "".join(traceback.format_exception(exc))))
    finally:
        connection.close()
