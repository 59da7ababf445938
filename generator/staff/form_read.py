"""The answers of a returned fillable workbook: its form fields, read within bounds.

The file is checked first (staff/pdf_guard.py: size, objects, inflated bytes) and read
with pypdf under a deadline. Each answer must be what its kind of field holds: a text
field a text string (decoded as PDF specifies), a check box or radio button one of its
own states. Anything else, and two different answers under one field name, is a
located problem, and the value is never used. Problems name the PDF page of the field.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from msgspec import Struct

from ..base.errors import MentorbookError, Problem
from ..base.i18n import N_, said
from ..base.safepath import shorten
from ..print.forms import FORM_MARKER, FORM_VERSION, PREFIX, PROFILE_ID
from .pdf_guard import MAX_PDF_BYTES, Deadline, NotText, Refused, check_bounds, describe, text_of

RADIO = 1 << 15  # field flag of a radio button group
PUSH_BUTTON = 1 << 16
MAX_PARENTS = 20  # steps up a field's /Parent chain
READER_MEMORY = 192 * 1024 * 1024  # more address space the reading process may take (a form needs some 40 MiB)
READER_SECONDS = 6  # the reading process's wall time (a form takes about one second)


class PdfProblem(Problem, frozen=True):
    """A problem with an answer in a PDF form: located by page, as PDFs have no lines."""

    page: int | None = None

    def location(self, lang=None) -> str:
        if not self.page:
            return str(self.file)
        page = said(N_("page %(page)s"), page=self.page)
        return f"{self.file}, {page.in_language(lang) if lang is not None else page}"


class NotAForm(MentorbookError):
    """The PDF is not a fillable workbook made by mentorbook (or cannot be read safely)."""

    exit_code = 2


class Answer(Struct):
    value: str | None  # None: an empty field, or a group of radio buttons with none chosen
    page: int  # 1-based
    also: str | None = None  # a second ticked button of the same radio group
    also_page: int = 0


def _plain(value: Any) -> str:
    """A name or key as text (field names, states); a value that is not text gives ''."""
    try:
        return text_of(value)
    except NotText:
        return str(value) if type(value).__name__ == "NameObject" else ""


def _inherited(annotation: Any, key: str) -> Any:
    node, seen = annotation, 0
    while node is not None and seen < MAX_PARENTS:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return None


def _qualified_name(annotation: Any) -> str:
    """The field's full name; WeasyPrint repeats a radio group's name on each button."""
    parts: list[str] = []
    node, seen = annotation, 0
    while node is not None and seen < MAX_PARENTS:
        if "/T" in node:
            name = _plain(node["/T"])
            if not parts or parts[0] != name:
                parts.insert(0, name)
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return ".".join(parts)


def _states(annotation: Any) -> set[str]:
    """The states a button's appearances are drawn for (its /AP /N keys), '/Off' included."""
    appearance = annotation.get("/AP")
    normal = appearance.get("/N") if hasattr(appearance, "get") else None
    keys = normal.keys() if hasattr(normal, "keys") else ()
    return {str(k) for k in keys} | {"/Off"}


def _state(annotation: Any, value: Any) -> str | None:
    """A button's state as a name among its own; None when off; NotText for anything else."""
    if value is None:
        return None
    if type(value).__name__ != "NameObject":
        raise NotText(said(N_("%(kind)s, not one of the button's states"), kind=describe(value)))
    if str(value) == "/Off":
        return None
    states = _states(annotation)
    if len(states) > 1 and str(value) not in states:
        raise NotText(said(N_("the state '%(state)s', which the button does not have"),
                           state=shorten(str(value)[1:], 40)))
    return str(value)[1:]


def _radio_value(annotation: Any) -> str | None:
    """The export value of a radio button that is on, else None."""
    key = _state(annotation, annotation.get("/AS"))
    if key is None:
        return None
    options = _inherited(annotation, "/Opt")
    if options is not None and key.isdigit() and hasattr(options, "__len__") and int(key) < len(options):
        return text_of(options[int(key)])
    return key


def _check_value(annotation: Any, flags: int) -> str | None:
    """A ticked check box's state name ("Yes"), else None; push buttons hold no answer."""
    if flags & PUSH_BUTTON:
        return None
    return _state(annotation, annotation.get("/AS", _inherited(annotation, "/V")))


def _open(pdf: Path, deadline: Deadline, within: Path | None = None) -> Any:
    """A pypdf reader of ``pdf``, after the file's bounds are checked; raise NotAForm."""
    from pypdf import PdfReader

    from ..base.safepath import UnreadableFile, read_limited

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repairs of odd PDFs are no news to the user
    try:
        data = read_limited(pdf, MAX_PDF_BYTES, within)
    except UnreadableFile as exc:
        raise NotAForm(said(N_("%(file)s: %(reason)s"), file=pdf, reason=exc.reason)) from None
    if b"%PDF-" not in data[:1024]:
        raise NotAForm(said(N_("%(file)s: not a PDF file"), file=pdf))
    check_bounds(data, deadline)
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):  # readers may encrypt with an empty password
        raise NotAForm(said(N_("%(file)s: the PDF is protected by a password; save the filled-in form without "
                               "one and import that"), file=pdf))
    return reader


def read_answers(pdf: Path, problems: list[Problem] | None = None, within: Path | None = None
                 ) -> dict[str, Answer]:
    """Every mentorbook field of a fillable workbook, with its value and page.

    Values that are not answers (see the module's docstring) are left out and added to
    ``problems``. A file that breaks a bound, or is not a mentorbook form, raises NotAForm.
    The file is read in a process of its own with a memory and a time limit (base/bounded.py),
    so that a file made to inflate or loop past what the checks before it found is refused too.
    """
    from ..base.bounded import OverLimit, run_bounded

    try:
        answers, found = run_bounded(lambda: _read_answers(pdf, within), READER_MEMORY, READER_SECONDS)
    except OverLimit as exc:
        raise NotAForm(refused(pdf, exc.reason)) from None
    if problems is not None:
        problems.extend(found)
    return answers


def _read_answers(pdf: Path, within: Path | None) -> tuple[dict[str, Answer], list[Problem]]:
    from pypdf.errors import PyPdfError

    deadline = Deadline()
    problems: list[Problem] = []
    try:
        reader = _open(pdf, deadline, within)
        info = reader.metadata or {}
        marker = _plain(info.get(f"/{FORM_MARKER}")) if info else ""
        answers: dict[str, Answer] = {}
        for number, page in enumerate(reader.pages, start=1):
            annotations = page.get("/Annots") or []
            for ref in annotations if isinstance(annotations, list) else []:
                deadline.check()
                _read_widget(ref.get_object(), number, answers, problems, pdf)
    except Refused as exc:
        raise NotAForm(refused(pdf, exc.reason)) from None
    except RecursionError:
        raise NotAForm(refused(pdf, said(NESTED))) from None
    except MemoryError:
        raise NotAForm(refused(pdf, said(MEMORY))) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        cause = _root(exc)
        if isinstance(cause, RecursionError):  # pypdf wraps what its parser met
            raise NotAForm(refused(pdf, said(NESTED))) from None
        if isinstance(cause, MemoryError):
            raise NotAForm(refused(pdf, said(MEMORY))) from None
        raise NotAForm(said(N_("%(file)s: cannot read this PDF, it may be damaged (%(cause)s)"), file=pdf,
                            cause=shorten(exc))) from None
    return _ours(pdf, answers, marker), problems


NESTED = N_("its objects are nested deeper than any form needs")
MEMORY = N_("reading it would need more memory than a form does")


def refused(pdf: Path, reason: str) -> str:
    """The message of a refused file: its name, and why (a Said, when the reason is one)."""
    return said(N_("%(file)s: refused: %(reason)s"), file=pdf, reason=reason)


def _root(exc: BaseException) -> BaseException:
    """The first cause of ``exc`` (a few steps down its chain)."""
    for _ in range(8):
        inner = exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    return exc


def _read_widget(annotation: Any, number: int, answers: dict[str, Answer], problems: list[Problem],
                 pdf: Path) -> None:
    if not hasattr(annotation, "get") or annotation.get("/Subtype") != "/Widget":
        return
    name = _qualified_name(annotation)
    kind = _inherited(annotation, "/FT")
    try:
        if kind == "/Btn":
            flags = int(_inherited(annotation, "/Ff") or 0)
            value = _radio_value(annotation) if flags & RADIO else _check_value(annotation, flags)
            known = answers.get(name)
            if known is None or (known.value is None and value is not None):
                answers[name] = Answer(value, known.page if known else number)
            elif value is not None and known.also is None:
                known.also, known.also_page = value, number
        elif kind in ("/Tx", "/Ch"):
            raw = _inherited(annotation, "/V")
            value = text_of(raw) if raw is not None else None
            known = answers.setdefault(name, Answer(value, number))
            if (known.value or "") != (value or ""):
                problems.append(_problem(pdf, name, number, said(
                    N_("two different answers for one field: '%(first)s' (page %(page)s) and '%(second)s' "
                       "(page %(other)s)"), first=shorten(known.value or '', 40), page=known.page,
                    second=shorten(value or '', 40), other=number),
                    said(N_("was the PDF edited? keep one of them and save it again"))))
    except NotText as exc:
        answers.setdefault(name, Answer(None, number))  # a field of the form, with no answer that can be used
        problems.append(_problem(pdf, name, number, said(N_("the answer is %(what)s"), what=exc.args[0]),
                                 said(N_("fill the field in again with a PDF reader and save the form"))))


def _problem(pdf: Path, name: str, page: int, message: str, hint: str) -> PdfProblem:
    from ..print.forms import parse_name

    steps = parse_name(name)
    where = ".".join(s.key + (f"[{s.index}]" if s.index is not None else "") for s in steps) if steps \
        else shorten(name, 60)
    return PdfProblem(pdf, None, message, field=where, page=page, hint=hint)


def _ours(pdf: Path, answers: dict[str, Answer], marker: str) -> dict[str, Answer]:
    ours = {name: answer for name, answer in answers.items() if name.startswith(PREFIX)}
    if marker and marker != FORM_VERSION:
        raise NotAForm(said(N_("%(file)s: made by a newer mentorbook (form version %(version)s); update "
                               "mentorbook to import it"), file=pdf, version=shorten(marker, 20)))
    if not ours and any(f"/{PREFIX}" in name for name in answers):
        raise NotAForm(said(N_("%(file)s: a cohort's combined PDF holds many trainees' workbooks; import each "
                               "trainee's own PDF (in the cohort's trainees/ folder)"), file=pdf))
    if not marker and not any(name.startswith(f"{PREFIX}{PROFILE_ID}/") for name in ours):
        raise NotAForm(said(N_("%(file)s: not a fillable workbook made by mentorbook (build one with `mentorbook "
                               "build --fillable` or `mentorbook cohort --fillable`)"), file=pdf))
    if not ours:
        raise NotAForm(said(N_("%(file)s: the PDF has no form fields left; it may have been printed to PDF or "
                               "flattened. Save the filled-in form from the PDF reader instead"), file=pdf))
    return ours
