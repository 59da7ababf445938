"""``mentorbook import``: a filled-in fillable PDF back to a workbook file.

The PDF's form fields are read with pypdf. Their names say where each answer goes
(see fillable.py); the worksheet definitions say what type it is. Empty answers are
left out, rows and copies nobody filled in are dropped, and the result is checked
like any workbook before anything is written. Problems name the PDF page where the
field is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from ..base.errors import InputError, OutputError, Problem
from ..base.i18n import ENGLISH, N_, language, said
from ..fields import get as field_type
from ..fields.fielddef import FieldDef
from ..print.forms import PROFILE_ID, parse_name
from ..program.definitions import PROFILE, WorksheetDef
from .form_read import Answer, NotAForm, PdfProblem, read_answers  # noqa: F401  (part of this module's API)


class Imported(Struct):
    pdf: Path
    data: dict[str, Any]
    answers: int  # fields that were filled in
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # dotted path in ``data`` -> PDF page


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
        self.problems.append(PdfProblem(self.pdf, None, said(N_("no worksheet has this field")), field=path,
                                        page=page or None, hint=hint or said(N_(
                                            "was the PDF made for a program's guide? import it with --project"))))

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
        self.problems.append(PdfProblem(self.pdf, None, said(N_("the field does not match its worksheet definition")),
                                        field=path, page=_first_page(node) or None,
                                        hint=said(N_("import it with the --project it was built with"))))
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
            problems.append(PdfProblem(pdf, None, said(N_("mentorbook does not know the field '%(name)s'"), name=name),
                                       page=answer.page, hint=said(EDITED)))
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
            problems.append(PdfProblem(pdf, None, said(N_("the field '%(name)s' clashes with another field"),
                                                       name=name), page=answer.page, hint=said(EDITED)))
    return root, problems


EDITED = N_("was the PDF edited?")


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
        hint = said(N_("untick one of them (on pages %(page)s and %(other)s) and save the PDF again"),
                    page=pages[0], other=pages[-1]) if len(pages) > 1 else \
            said(N_("untick one of them and save the PDF again"))
        problems.append(PdfProblem(pdf, None, said(N_("two choices are ticked: '%(one)s' and '%(other)s'"),
                                                   one=answer.value, other=answer.also),
                                   field=where, page=answer.page, hint=hint))
    return problems


def import_form(pdf: Path, definitions: list[WorksheetDef] | tuple[WorksheetDef, ...],
                within: Path | None = None) -> Imported:
    """Read a filled-in fillable workbook into workbook data (not yet validated); with ``within``,
    the PDF's real path must lie in that folder."""
    problems: list[Problem] = []
    answers = read_answers(pdf, problems, within)
    tree, more = _tree(answers, pdf)
    problems += more
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


KEEP_HINT = N_("choose another file with -o, or replace it with --force")


class ImportResult(Struct, frozen=True):
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
    an edited form), or holds a value that is not an answer, is refused whole: nothing is
    written. The PDF itself is never the file written (``-o`` naming it, or a link to it).

    Raises NotAForm, InputError (the fields do not match) or OutputError.
    """
    return write_import(read_import(pdf, out, sources, project, force), force)


class Reading(Struct, frozen=True):
    """A PDF read and checked, not yet written."""

    imported: Imported
    out: Path
    problems: tuple[Problem, ...]
    lang: Any

    @property
    def trainee(self) -> str:
        profile = self.imported.data.get(PROFILE_ID)
        name = profile.get("name") if isinstance(profile, dict) else None
        return " ".join(str(name).split()).casefold() if name else ""


def read_import(pdf: Path, out: Path, sources: Any, project: Any, force: bool = False) -> Reading:
    """The first half of ``import_pdf``: read and check, write nothing."""
    import os

    if os.path.lexists(out) and _same_file(out, pdf):
        raise OutputError(said(N_("refusing to write %(file)s: it is the PDF being imported; choose another file "
                                  "with -o, such as one ending in .yml"), file=out))
    if os.path.lexists(out) and not force:  # before reading the PDF: the answer would not be kept anyway
        raise OutputError(said(N_("%(file)s already exists; %(hint)s"), file=out, hint=said(KEEP_HINT)))
    from .form_yaml import pdf_language, with_language
    from .pdf_guard import MAX_PDF_BYTES

    imported = import_form(pdf, sources.definitions)
    tag = pdf_language(pdf, MAX_PDF_BYTES)
    if imported.problems:  # said in the language the PDF was made in
        raise InputError(imported.problems, lang=language(tag or project.language))
    imported = replace(imported, data=with_language(imported.data, tag, project.language))
    langs: list = []
    problems = check_imported(imported, sources, project, langs)
    return Reading(imported, out, tuple(problems), langs[0] if langs else None)


def write_import(reading: Reading, force: bool = False) -> ImportResult:
    """The second half of ``import_pdf``: the workbook file, through the Writer."""
    from ..base.writer import write_file
    from .form_yaml import fix_note, workbook_yaml

    imported = reading.imported
    notes = [(p.field or "", fix_note(p, reading.lang)) for p in reading.problems]
    write_file(reading.out, workbook_yaml(imported.data, imported.pdf, notes, reading.lang), replace=force,
               hint=KEEP_HINT)
    return ImportResult(imported.pdf, reading.out, imported.answers, reading.problems, reading.lang or ENGLISH)


def _same_file(a: Path, b: Path) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def import_folder(pdfs: list[Path], folder: Path, sources: Any, project: Any, force: bool = False):
    """Import a folder's PDFs into ``folder``: yields (pdf, ImportResult or the MentorbookError that
    stopped it), in order. PDFs that would land in one workbook file (``a.pdf`` and ``a.PDF``), or that
    hold one trainee's workbook twice, are refused together, each error naming the others."""
    from ..base.errors import MentorbookError

    groups: dict[str, list[Path]] = {}
    for pdf in pdfs:
        groups.setdefault(str(folder / f"{pdf.stem}.yml").casefold(), []).append(pdf)
    readings: dict[Path, Reading | MentorbookError] = {}
    for pdf in pdfs:
        clash = [p for p in groups[str(folder / f"{pdf.stem}.yml").casefold()] if p != pdf]
        try:
            if clash:
                raise OutputError(said(N_("%(file)s and %(others)s would both be imported into %(target)s; rename "
                                          "one of them"), file=pdf.name, others=", ".join(p.name for p in clash),
                                       target=folder / (pdf.stem + ".yml")))
            readings[pdf] = read_import(pdf, folder / f"{pdf.stem}.yml", sources, project, force)
        except MentorbookError as exc:
            readings[pdf] = exc
    owners: dict[str, list[Path]] = {}
    for pdf, reading in readings.items():
        if isinstance(reading, Reading) and reading.trainee:
            owners.setdefault(reading.trainee, []).append(pdf)
    for pdf in pdfs:
        reading = readings[pdf]
        others = [p for p in owners.get(reading.trainee, []) if p != pdf] if isinstance(reading, Reading) else []
        if others:
            yield pdf, OutputError(said(N_("%(file)s and %(others)s are both the workbook of %(name)s; import the "
                                           "one you mean on its own and move the other out of the folder"),
                                        file=pdf.name, others=", ".join(p.name for p in others),
                                        name=reading.imported.data[PROFILE_ID]["name"]))
            continue
        try:
            yield pdf, reading if isinstance(reading, MentorbookError) else write_import(reading, force)
        except MentorbookError as exc:
            yield pdf, exc
