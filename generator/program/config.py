"""A program's ``mentorbook.yml``: read it into a typed Project, naming every bad key.

Like a good static-site config, every problem is collected (file, line, key, what is
allowed) before anything is built.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from ..base.errors import InputError, Problem
from ..base.i18n import say
from ..base.paths import GUIDE_DIR, TEMPLATES_DIR, WORKSHEETS_DIR
from .project import PAGE_SIZES, PROJECT_FOLDERS, Branding, Document, Project
from .roles import PRACTICE_IDS
from ..base.errors import did_you_mean
from ..base import safepath
from ..base.limits import size_problem
from ..base.yamlio import YamlFileError, key_position, read_yaml, value_position

CONFIG_NAME = "mentorbook.yml"
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
LOGO_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
KEYS = {
    "program": "the program's name, shown in the header, on the cover and in the footer",
    "institution": "the institution, shown under the program name",
    "logo": "a logo file inside assets/ (SVG, PNG or JPEG)",
    "primary_color": "main colour as #rrggbb",
    "accent_color": "highlight colour as #rrggbb",
    "page_size": "letter or a4",
    "footer": "a line of text at the foot of every site page",
    "contact": "who to contact, shown in the footer and on the cover",
    "practices": "which of the five practices appear, in order",
    "pages": "which extra pages from pages/ appear, in order",
    "max_trainees_per_mentor": "the cohort report flags mentors with more trainees than this",
    "milestones": "what a trainee should have done by when, after their start date (see the cohort report)",
    "language": "the language of the guide, as a BCP 47 tag such as en, es or pt-BR (a trainee's own wins)",
    "documents": "PDFs of chosen worksheets under their own title, e.g. a compact to hand out (id, title, worksheets)",
}


class _ConfigReader:
    def __init__(self, path: Path, data: Any, lang=None):
        from ..base.i18n import ENGLISH

        self.path = path
        self.data = data
        self.lang = lang or ENGLISH  # the program's language, when mentorbook.yml names a good one
        self._ = self.lang.gettext
        self.problems: list[Problem] = []

    def error(self, key: str, message: str, hint: str = "", value: bool = True) -> None:
        line, col = (value_position if value else key_position)(self.data, key)
        self.problems.append(Problem(self.path, line, message, column=col, field=key, hint=hint))

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.error(key, self._("'%(key)s' must be a text") % {"key": key})
            return ""
        text = str(value).strip()
        too_large = size_problem("text", text)
        if too_large:
            self.error(key, *too_large)
            return ""
        return text

    def id_list(self, key: str, known: list[str]) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(key, self._("'%(key)s' must be a list") % {"key": key},
                       hint=self._("e.g. %(example)s") % {"example": "[" + ", ".join(known[:3]) + "]"})
            return ()
        ids = []
        for i, item in enumerate(value):
            if str(item) not in known:
                line, col = key_position(value, i)
                message = self._("unknown practice '%(id)s'") if key == "practices" else self._("unknown page '%(id)s'")
                self.problems.append(Problem(self.path, line, message % {"id": safepath.shorten(item)},
                                             column=col, field=f"{key}[{i}]",
                                             hint=did_you_mean(str(item), known, self.lang)))
            else:
                ids.append(str(item))
        return tuple(ids)


def find_project(start: Path) -> Path | None:
    """The folder holding mentorbook.yml: ``start`` itself, if it has one."""
    return start if (start / CONFIG_NAME).is_file() else None


def load_project(root: Path) -> Project:
    """Read ``root/mentorbook.yml`` and the project's folders; raise InputError on problems."""
    root = root.resolve()
    path = root / CONFIG_NAME
    if not path.is_file():
        raise InputError([Problem(path, None, "no mentorbook.yml here",
                                  hint="create a project with `mentorbook init DIR`")])
    try:
        data = read_yaml(path, within=root) or {}
    except YamlFileError as exc:
        raise InputError([exc.problem]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(path, 1, "mentorbook.yml must be a mapping of keys",
                                  hint="allowed keys: " + ", ".join(KEYS))])
    from ..base.i18n import check_tag, language as language_of

    tag, bad_tag, _hint = check_tag(data["language"]) if data.get("language") is not None else ("en", "", "")
    reader = _ConfigReader(path, data, language_of(tag) if not bad_tag else None)
    _ = reader._
    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key)[:200], list(KEYS), n=1, cutoff=0.6)
            hint = did_you_mean(str(key), list(KEYS), reader.lang) if close else ""
            allowed = _("allowed keys: %(keys)s") % {"keys": ", ".join(KEYS)}
            reader.error(str(key), _("unknown key '%(key)s'") % {"key": key},
                         hint=f"{hint}; {allowed}" if hint else allowed, value=False)

    colours = {}
    for key in ("primary_color", "accent_color"):
        colour = reader.text(key)
        if colour and not COLOUR.match(colour):
            reader.error(key, _("'%(value)s' is not a colour") % {"value": colour},
                         hint=_("write it as #rrggbb, e.g. #1d4e89"))
        elif colour:
            colours[key] = colour
    page_size = reader.text("page_size").lower() or "letter"
    if page_size not in PAGE_SIZES:
        reader.error("page_size", _("unknown page size '%(value)s'") % {"value": page_size},
                     hint=_("use %(sizes)s") % {"sizes": " or ".join(PAGE_SIZES) if reader.lang.english
                                                    else reader.lang.join(PAGE_SIZES, "or")})
        page_size = "letter"
    logo = reader.text("logo")
    if logo:
        logo_path = (root / logo).resolve()
        assets = (root / "assets").resolve()
        if assets not in logo_path.parents:
            reader.error("logo", _("the logo '%(file)s' must be inside the assets/ folder") % {"file": logo},
                         hint=_("e.g. %(example)s") % {"example": "assets/logo.svg"})
        elif not logo_path.is_file():
            reader.error("logo", _("logo file '%(file)s' not found") % {"file": logo})
        elif logo_path.suffix.lower() not in LOGO_TYPES:
            reader.error("logo", _("'%(type)s' logos are not supported") % {"type": logo_path.suffix},
                         hint=_("use SVG, PNG or JPEG"))
        logo = logo_path.relative_to(assets).as_posix() if assets in logo_path.parents else ""

    pages_dir, worksheets_dir, templates_dir, assets_dir = (root / name for name in PROJECT_FOLDERS)
    extra_ids = _extra_page_ids(pages_dir)
    practices = reader.id_list("practices", list(PRACTICE_IDS))
    pages = reader.id_list("pages", extra_ids)
    max_load = data.get("max_trainees_per_mentor", Project.max_trainees_per_mentor)
    if not isinstance(max_load, int) or isinstance(max_load, bool) or max_load < 1:
        reader.error("max_trainees_per_mentor", _("'max_trainees_per_mentor' must be a whole number of 1 or more"))
    from .milestones import read_milestones

    milestones, problems = read_milestones(data.get("milestones"), path, data)
    reader.problems += problems
    from .directory import read_directory

    directory, problems, directory_file = read_directory(root)
    reader.problems += problems
    for folder in (pages_dir, worksheets_dir, templates_dir, assets_dir):
        if folder.is_dir() or folder.is_symlink():
            reader.problems += [Problem(entry, None, f"refused: {reason}", hint="copy the file into the project")
                                for entry, reason in safepath.escapes(folder, root)]
    language = tag or "en"
    if bad_tag:
        reader.error("language", bad_tag, hint=_hint)
    documents, problems = read_documents(data, path)
    reader.problems += problems
    # read before the check below, so that a value that is not a text is reported
    texts = {key: reader.text(key) for key in ("program", "institution", "footer", "contact")}
    if reader.problems:
        raise InputError(reader.problems, lang=None if reader.lang.english else reader.lang)
    notices = []
    if colours:
        from .colours import colour_notices

        for key, message in colour_notices(colours.get("primary_color", Branding.primary),
                                           colours.get("accent_color", Branding.accent)):
            if key in colours:
                line, col = value_position(data, key)
                notices.append(Problem(path, line, say(message, reader.lang), column=col, field=key,
                                       severity="warning", hint=_("pick a darker colour to use it as given")))
    branding = Branding(
        program=texts["program"],
        institution=texts["institution"],
        logo=logo,
        primary=colours.get("primary_color", Branding.primary),
        accent=colours.get("accent_color", Branding.accent),
        footer=texts["footer"],
        contact=texts["contact"],
    )
    return Project(
        root=root,
        guide_dirs=(GUIDE_DIR, *([pages_dir] if pages_dir.is_dir() else [])),
        worksheet_dirs=(WORKSHEETS_DIR, *([worksheets_dir] if worksheets_dir.is_dir() else [])),
        template_dirs=(*([templates_dir] if templates_dir.is_dir() else []), TEMPLATES_DIR),
        asset_dirs=(assets_dir,) if assets_dir.is_dir() else (),
        branding=branding,
        page_size=page_size,
        practices=practices,
        pages=pages,
        config_file=path,
        max_trainees_per_mentor=max_load,
        milestones=milestones,
        directory=directory,
        directory_file=directory_file,
        notices=tuple(notices),
        language=language or "en",
        documents=documents,
    )


def _extra_page_ids(pages_dir: Path) -> list[str]:
    """Ids of the Markdown pages in pages/ (front matter id, else the file name)."""
    from .reader import read

    ids = []
    for path in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []:
        try:
            _, meta = read(path)
        except YamlFileError:
            ids.append(path.stem)  # its problem is reported with its location when the guide is loaded
            continue
        ids.append(str(meta.get("id", path.stem)))
    return ids


# --- documents: PDFs of chosen worksheets ----------------------------------------------------------------
DOCUMENT_KEYS = {"id": "its name, also the PDF's file name (letters, digits, - and _)",
                 "title": "the title on its cover, a text or one per language ({en: ..., es: ...})",
                 "worksheets": "the worksheet ids it holds, in order"}
DOCUMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
RESERVED_IDS = ("workbook",)  # the guide's own PDF


def read_documents(data: dict, path: Path) -> tuple[tuple[Document, ...], list[Problem]]:
    """``documents:`` in mentorbook.yml, each problem located; worksheet ids are checked against
    the definitions later (:func:`document_problems`), once they are loaded."""
    problems: list[Problem] = []

    def problem(container: Any, key: Any, message: str, hint: str = "", field: str = "documents") -> None:
        line, col = (key_position if isinstance(container, list) else value_position)(container, key)
        problems.append(Problem(path, line, message, column=col, field=field, hint=hint))

    value = data.get("documents")
    if value is None:
        return (), []
    if not isinstance(value, list):
        problem(data, "documents", "'documents' must be a list",
                hint="e.g. - {id: compact, title: Mentoring compact, worksheets: [agreements]}")
        return (), problems
    documents: list[Document] = []
    for i, entry in enumerate(value):
        if not isinstance(entry, dict):
            problem(value, i, "each document is a mapping of id, title and worksheets", field=f"documents[{i}]")
            continue
        document = _document(entry, value, i, path, problem, problems)
        if document is not None and any(d.id == document.id for d in documents):
            problem(entry, "id", f"a second document with the id '{document.id}'", field=f"documents[{i}].id",
                    hint="give each document its own id")
        elif document is not None:
            documents.append(document)
    return tuple(documents), problems


def _document(entry: dict, value: list, i: int, path: Path, problem, problems: list[Problem]) -> Document | None:
    """One entry of ``documents:``, or None when it has a problem (reported through ``problem``)."""
    from .deftexts import read_texts

    where = f"documents[{i}]"
    for key in entry:
        if key not in DOCUMENT_KEYS:
            line, col = key_position(entry, key)
            problems.append(Problem(path, line, f"unknown key '{safepath.shorten(key)}' in a document",
                                    column=col, field=f"{where}.{safepath.shorten(key, 40)}",
                                    hint=did_you_mean(str(key)[:100], list(DOCUMENT_KEYS))))
    doc_id = entry.get("id")
    if not isinstance(doc_id, str) or not DOCUMENT_ID.match(doc_id) or doc_id in RESERVED_IDS:
        problem(entry if "id" in entry else value, "id" if "id" in entry else i,
                "a document needs an 'id' of letters, digits, - and _ (its PDF's file name)"
                if doc_id in (None, "") else f"'{safepath.shorten(doc_id)}' cannot be a document's id",
                hint="e.g. id: compact" + ("; 'workbook' is the guide's own PDF" if doc_id in RESERVED_IDS else ""),
                field=f"{where}.id")
        doc_id = None
    title = entry.get("title")
    if isinstance(title, dict):
        title = read_texts(entry, "title", "", path, lambda c, k, m, h: problem(c, k, m, h, f"{where}.title"))
    elif not isinstance(title, str) or not title.strip():
        problem(entry if "title" in entry else value, "title" if "title" in entry else i,
                "a document needs a 'title', a text or one per language", field=f"{where}.title",
                hint="e.g. title: Mentoring compact")
        title = ""
    too_large = size_problem("text", str(title))
    if too_large:
        problem(entry, "title", too_large[0], field=f"{where}.title")
    sheets = entry.get("worksheets")
    if not isinstance(sheets, list) or not sheets or not all(isinstance(w, str) for w in sheets):
        problem(entry if "worksheets" in entry else value, "worksheets" if "worksheets" in entry else i,
                "a document needs 'worksheets', a list of worksheet ids", field=f"{where}.worksheets",
                hint="e.g. worksheets: [agreements]")
        return None
    if not (doc_id and title) or too_large:
        return None
    return Document(doc_id, title, tuple(sheets), tuple(key_position(sheets, n) for n in range(len(sheets))))


def document_problems(project: Project, worksheet_ids: list[str]) -> list[Problem]:
    """A located error for each worksheet id of a document that no definition has (did-you-mean)."""
    problems = []
    for i, document in enumerate(project.documents):
        for n, sheet in enumerate(document.worksheets):
            if sheet not in worksheet_ids:
                line, col = document.at[n] if n < len(document.at) else (None, None)
                problems.append(Problem(project.config_file or Path(CONFIG_NAME), line,
                                        f"no worksheet '{safepath.shorten(sheet)}' for the document '{document.id}'",
                                        column=col, field=f"documents[{i}].worksheets[{n}]",
                                        hint=did_you_mean(sheet, worksheet_ids)
                                        or "worksheets: " + ", ".join(worksheet_ids)))
    return problems
