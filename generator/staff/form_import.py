"""``mentorbook import``: a filled-in fillable PDF back to a workbook file.

The PDF's form fields are read with pypdf. Their names say where each answer goes
(see fillable.py); the worksheet definitions say what type it is. Empty answers are
left out, rows and copies nobody filled in are dropped, and the result is checked
like any workbook before anything is written. Problems name the PDF page where the
field is.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..fields.fielddef import FieldDef
from ..program.definitions import WorksheetDef
from ..base.errors import InputError, MentorbookError, OutputError, Problem
from ..base.i18n import ENGLISH
from ..print.forms import FORM_MARKER, FORM_VERSION, PREFIX, PROFILE_ID, parse_name
from ..program.definitions import PROFILE
from ..fields import get as field_type

RADIO = 1 << 15  # field flag of a radio button group
PUSH_BUTTON = 1 << 16
MAX_PDF_BYTES = 200 * 1024 * 1024  # a filled-in workbook is a few MiB; more is not one


@dataclass(frozen=True)
class PdfProblem(Problem):
    """A problem with an answer in a PDF form: located by page, as PDFs have no lines."""

    page: int | None = None

    def location(self) -> str:
        return f"{self.file}, page {self.page}" if self.page else str(self.file)


class NotAForm(MentorbookError):
    """The PDF is not a fillable workbook made by mentorbook."""

    exit_code = 2


@dataclass
class Answer:
    value: str | None  # None: an empty field, or a group of radio buttons with none chosen
    page: int  # 1-based
    also: str | None = None  # a second ticked button of the same radio group
    also_page: int = 0


@dataclass
class Imported:
    pdf: Path
    data: dict[str, Any]
    answers: int  # fields that were filled in
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # dotted path in ``data`` -> PDF page


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def _inherited(annotation: Any, key: str) -> Any:
    node, seen = annotation, 0
    while node is not None and seen < 20:
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
    while node is not None and seen < 20:
        if "/T" in node:
            name = _text(node["/T"])
            if not parts or parts[0] != name:
                parts.insert(0, name)
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return ".".join(parts)


def _radio_value(annotation: Any) -> str | None:
    """The export value of a radio button that is on, else None."""
    state = annotation.get("/AS")
    if state is None or str(state) == "/Off":
        return None
    key = str(state)[1:]
    options = _inherited(annotation, "/Opt")
    if options is not None and key.isdigit() and int(key) < len(options):
        return _text(options[int(key)])
    return key


def _check_value(annotation: Any, flags: int) -> str | None:
    """A ticked check box's state name ("Yes"), else None; push buttons hold no answer."""
    if flags & PUSH_BUTTON:
        return None
    state = annotation.get("/AS", _inherited(annotation, "/V"))
    return None if state is None or str(state) == "/Off" else str(state)[1:]


def read_answers(pdf: Path) -> dict[str, Answer]:
    """Every mentorbook field of a fillable workbook, with its value and page."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repairs of odd PDFs are no news to the user
    from ..base.safepath import UnreadableFile, read_limited

    try:
        data = read_limited(pdf, MAX_PDF_BYTES)
    except UnreadableFile as exc:
        raise NotAForm(f"{pdf}: {exc.reason}") from None
    if b"%PDF-" not in data[:1024]:
        raise NotAForm(f"{pdf}: not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # readers may encrypt with an empty password
            raise NotAForm(f"{pdf}: the PDF is protected by a password; save the filled-in form without one "
                           "and import that")
        info = reader.metadata or {}
        marker = _text(info.get(f"/{FORM_MARKER}")) if info else ""
        answers: dict[str, Answer] = {}
        for number, page in enumerate(reader.pages, start=1):
            for ref in page.get("/Annots") or []:
                annotation = ref.get_object()
                if annotation.get("/Subtype") != "/Widget":
                    continue
                name = _qualified_name(annotation)
                kind = _inherited(annotation, "/FT")
                if kind == "/Btn":
                    flags = int(_inherited(annotation, "/Ff") or 0)
                    value = _radio_value(annotation) if flags & RADIO else _check_value(annotation, flags)
                    known = answers.get(name)
                    if known is None or (known.value is None and value is not None):
                        answers[name] = Answer(value, known.page if known else number)
                    elif value is not None and known.also is None:
                        known.also, known.also_page = value, number
                elif kind in ("/Tx", "/Ch"):
                    value = _inherited(annotation, "/V")
                    answers.setdefault(name, Answer(_text(value) if value is not None else None, number))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NotAForm(f"{pdf}: cannot read this PDF, it may be damaged ({exc})") from None
    ours = {name: answer for name, answer in answers.items() if name.startswith(PREFIX)}
    if marker and marker != FORM_VERSION:
        raise NotAForm(f"{pdf}: made by a newer mentorbook (form version {marker}); update mentorbook to import it")
    if not ours and any(f"/{PREFIX}" in name for name in answers):
        raise NotAForm(f"{pdf}: a cohort's combined PDF holds many trainees' workbooks; "
                       "import each trainee's own PDF (in the cohort's trainees/ folder)")
    if not marker and not any(name.startswith(f"{PREFIX}{PROFILE_ID}/") for name in ours):
        raise NotAForm(f"{pdf}: not a fillable workbook made by mentorbook "
                       "(build one with `mentorbook build --fillable` or `mentorbook cohort --fillable`)")
    if not ours:
        raise NotAForm(f"{pdf}: the PDF has no form fields left; it may have been printed to PDF or flattened. "
                       "Save the filled-in form from the PDF reader instead")
    return ours


class _Converter:
    """Turns answers, grouped by field name, into workbook data typed by the definitions."""

    def __init__(self, pdf: Path):
        self.pdf = pdf
        self.pages: dict[str, int] = {}  # dotted path in the result -> page
        self.problems: list[Problem] = []
        self.answers = 0

    def note(self, path: str, page: int) -> None:
        self.pages.setdefault(path, page)

    def unknown(self, path: str, page: int, hint: str = "") -> None:
        self.problems.append(PdfProblem(self.pdf, None, "no worksheet has this field", field=path, page=page or None,
                                        hint=hint or "was the PDF made for a program's guide? "
                                                     "import it with --project"))

    @staticmethod
    def is_answer(node: Any) -> bool:
        """One form field's answer, rather than answers keyed by name."""
        return isinstance(node, Answer)

    def text(self, answer: Answer, path: str | None) -> str | None:
        """The text of an answer, stripped, or None when it is empty; counts the answers given."""
        if path:
            self.note(path, answer.page)
        text = (answer.value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            return None
        self.answers += 1
        return text

    def value(self, fdef: FieldDef, node: Any, path: str) -> Any:
        """The value of a field, read back from its answers the way its type says."""
        return field_type(fdef.type).read_form(self, fdef, node, path)

    def rows(self, fdef: FieldDef, node: dict, path: str) -> list[dict]:
        rows = []
        head = fdef.fields[0].id if fdef.fields else ""
        for (index, suggested), child in sorted(node.items()):
            if not isinstance(child, dict) or any(isinstance(k, tuple) for k in child):
                self.wrong(child, f"{path}[{index}]")
                continue
            answers, pages = self.answers, dict(self.pages)
            row = self.mapping(fdef.fields, child, f"{path}[{len(rows)}]")
            if suggested and not any(key != head for key in row):
                row = {}  # a printed suggestion that nobody marked
            if row:
                rows.append(row)
            else:  # the next row takes its place
                self.answers, self.pages = answers, pages
        return rows

    def mapping(self, fields: tuple[FieldDef, ...], node: dict, path: str) -> dict:
        out: dict[str, Any] = {}
        known = {f.id: f for f in fields}
        for key, child in node.items():
            if key not in known:
                self.unknown(f"{path}.{key}" if path else key, _first_page(child))
        for fdef in fields:
            if fdef.id not in node:
                continue
            child_path = f"{path}.{fdef.id}" if path else fdef.id
            value = self.value(fdef, node[fdef.id], child_path)
            if value not in (None, "", [], {}):
                out[fdef.id] = value
        if path:
            self.note(path, _first_page(node))
        return out

    def wrong(self, node: Any, path: str) -> None:
        self.problems.append(PdfProblem(self.pdf, None, "the field does not match its worksheet definition",
                                        field=path, page=_first_page(node) or None,
                                        hint="import it with the --project it was built with"))
        return None


def _first_page(node: Any) -> int:
    if isinstance(node, Answer):
        return node.page
    pages = [_first_page(child) for child in node.values()] if isinstance(node, dict) else []
    return min(pages) if pages else 0


def _tree(answers: dict[str, Answer], pdf: Path) -> tuple[dict, list[Problem]]:
    """Answers nested by their names: keys, and (index, suggested) for rows and items."""
    root: dict = {}
    problems = []
    for name, answer in answers.items():
        steps = parse_name(name)
        if steps is None:
            problems.append(PdfProblem(pdf, None, f"mentorbook does not know the field '{name}'",
                                       page=answer.page, hint="was the PDF edited?"))
            continue
        node = root
        try:
            for i, step in enumerate(steps):
                last = i == len(steps) - 1
                if step.index is None:
                    node = _child(node, step.key, answer if last else None)
                else:
                    rows = _child(node, step.key, None)
                    node = _child(rows, (step.index, step.suggested), answer if last else None)
        except TypeError:
            problems.append(PdfProblem(pdf, None, f"the field '{name}' clashes with another field",
                                       page=answer.page, hint="was the PDF edited?"))
    return root, problems


def _child(node: Any, key: Any, leaf: Answer | None) -> Any:
    if not isinstance(node, dict):
        raise TypeError(key)
    if leaf is not None:
        if key in node:
            raise TypeError(key)
        node[key] = leaf
        return leaf
    return node.setdefault(key, {})


def _ticked_twice(answers: dict[str, Answer], pdf: Path) -> list[Problem]:
    """Radio groups with two buttons on (a reader that kept an earlier choice): which one is meant is unknown."""
    problems = []
    for name, answer in answers.items():
        if answer.also is None:
            continue
        steps = parse_name(name)
        where = ".".join(s.key + (f"[{s.index}]" if s.index is not None else "") for s in steps) if steps else name
        pages = sorted({answer.page, answer.also_page})
        problems.append(PdfProblem(pdf, None, f"two choices are ticked: '{answer.value}' and '{answer.also}'",
                                   field=where, page=answer.page,
                                   hint="untick one of them" + (f" (on pages {pages[0]} and {pages[1]})"
                                                                if len(pages) > 1 else "")
                                        + " and save the PDF again"))
    return problems


def import_form(pdf: Path, definitions: list[WorksheetDef] | tuple[WorksheetDef, ...]) -> Imported:
    """Read a filled-in fillable workbook into workbook data (not yet validated)."""
    answers = read_answers(pdf)
    tree, problems = _tree(answers, pdf)
    problems += _ticked_twice(answers, pdf)
    convert = _Converter(pdf)
    convert.problems += problems
    sheets = {PROFILE_ID: PROFILE, **{d.id: d.as_field() for d in definitions}}
    data: dict[str, Any] = {}
    for key, node in tree.items():
        if key not in sheets:
            convert.unknown(key, _first_page(node))
    for key, fdef in sheets.items():
        if key in tree:
            value = convert.value(fdef, tree[key], key)
            if value not in (None, "", [], {}):
                data[key] = value
    return Imported(pdf, data, convert.answers, convert.problems, convert.pages)


def page_of(pages: dict[str, int], field_path: str) -> int | None:
    """The page of a field, or of the nearest row or section that holds it."""
    path = field_path
    while path:
        if pages.get(path):
            return pages[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def check_imported(imported: Imported, sources: Any, project: Any, langs: list | None = None) -> list[Problem]:
    """Errors the imported workbook has, each pointing at the PDF page of its field
    (``langs``, when given, receives the workbook's core.i18n Language)."""
    from ..pipeline import BuildOptions, analyse_data

    analysis = analyse_data(imported.data, imported.pdf, BuildOptions(project=project, suggested=()), sources)
    if langs is not None:
        langs.append(analysis.language)
    problems = []
    for problem in analysis.errors:
        problems.append(PdfProblem(imported.pdf, None, problem.message, field=problem.field, hint=problem.hint,
                                   page=page_of(imported.pages, problem.field)))
    return problems


KEEP_HINT = "choose another file with -o, or replace it with --force"


@dataclass(frozen=True)
class ImportResult:
    pdf: Path
    out: Path
    answers: int  # fields that were filled in
    problems: tuple[Problem, ...] = ()  # mistakes in the answers, each marked in the written workbook
    language: Any = ENGLISH  # the workbook's base.i18n Language: its messages

    @property
    def needs_fixing(self) -> bool:
        return bool(self.problems)


def import_pdf(pdf: Path, out: Path, sources: Any, project: Any, force: bool = False) -> ImportResult:
    """Import one PDF into ``out``.

    Answers with mistakes (a date that is not one, a number that is not a number, a
    choice that is not among the choices...) are written as typed, each marked with a
    comment beside its line, and returned as ``problems``: ``check`` on the file shows
    the same errors. A PDF whose fields do not match the worksheets (another program's,
    an edited form) is refused whole: nothing is written.

    Raises NotAForm, InputError (the fields do not match) or OutputError.
    """
    from ..base.writer import write_file
    from .form_yaml import fix_note, pdf_language, with_language, workbook_yaml

    if out.exists() and not force:  # before reading the PDF: the answer would not be kept anyway
        raise OutputError(f"{out} already exists; {KEEP_HINT}")
    imported = import_form(pdf, sources.definitions)
    if imported.problems:
        raise InputError(imported.problems)
    imported = replace(imported, data=with_language(imported.data, pdf_language(pdf, MAX_PDF_BYTES), project.language))
    langs: list = []
    problems = check_imported(imported, sources, project, langs)
    lang = langs[0] if langs else None
    notes = [(p.field or "", fix_note(p, lang)) for p in problems]
    write_file(out, workbook_yaml(imported.data, pdf, notes, lang), replace=force, hint=KEEP_HINT)
    return ImportResult(pdf, out, imported.answers, tuple(problems), lang or ENGLISH)
