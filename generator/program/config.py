"""A program's ``mentorbook.yml``: read it into a typed Project, naming every bad key.

The file is declared as typed options (program/options.py), one per key, like a good
static-site config: every problem is collected (file, line, key, what is allowed)
before anything is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..base import safepath
from ..base.errors import InputError, Problem, did_you_mean
from ..base.i18n import ENGLISH, N_, Language, check_tag, language, said, say
from ..base.paths import GUIDE_DIR, TEMPLATES_DIR, WORKSHEETS_DIR
from ..base.patterns import LazyPattern
from ..base.yamlio import YamlFileError, key_position, read_yaml, value_position
from .deftexts import read_texts
from .directory import read_directory
from .milestones import MilestoneEntry, milestone
from .options import Colour, Context, Entries, IdList, Invalid, OneOf, Schema, Text, Whole
from .project import ACCENT, MAX_TRAINEES_PER_MENTOR, PAGE_SIZES, PRIMARY, PROJECT_FOLDERS, Branding, Document, Project
from .reader import read
from .roles import PRACTICE_IDS

CONFIG_NAME = "mentorbook.yml"
LOGO_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
DOCUMENT_ID = LazyPattern(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
RESERVED_IDS = ("workbook",)  # the guide's own PDF


class Logo(Text):
    """A logo file inside the project's assets/ folder, as a path below it."""

    def clean(self, value: Any, context: Context, where: str) -> str:
        given = super().clean(value, context, where)
        assets = (context.root / "assets").resolve()
        path = (context.root / given).resolve()
        _ = context._
        if assets not in path.parents:
            raise Invalid(_("the logo '%(file)s' must be inside the assets/ folder") % {"file": given},
                          _("e.g. %(example)s") % {"example": "assets/logo.svg"})
        if not path.is_file():
            raise Invalid(_("logo file '%(file)s' not found") % {"file": given})
        if path.suffix.lower() not in LOGO_TYPES:
            raise Invalid(_("'%(type)s' logos are not supported") % {"type": path.suffix}, _("use SVG, PNG or JPEG"))
        return path.relative_to(assets).as_posix()


class PageSize(OneOf):
    def clean(self, value: Any, context: Context, where: str) -> str:
        try:
            return super().clean(value, context, where) or "letter"
        except Invalid as problem:
            sizes = " or ".join(PAGE_SIZES) if context.lang.english else context.lang.join(PAGE_SIZES, "or")
            raise Invalid(problem.message, context._("use %(sizes)s") % {"sizes": sizes}) from None


class LanguageTag(Text):
    """A BCP 47 language tag, normalised (``pt_br`` -> ``pt-BR``)."""

    def clean(self, value: Any, context: Context, where: str) -> str:
        tag, message, hint = check_tag(value, context.lang)
        if message:
            raise Invalid(message, hint)
        return tag


class Wording(Text):
    """A text, or one per language (``{en: ..., es: ...}``, a deftexts.Texts)."""

    def clean(self, value: Any, context: Context, where: str) -> str:
        if not isinstance(value, dict):
            return super().clean(value, context, where)

        def problem(container: Any, key: Any, message: str, hint: str) -> None:
            context.report(container, key, where, message, hint, at_value=False)

        return read_texts({self.name: value}, self.name, "", context.path, problem) if value else ""


class DocumentId(Text):
    def clean(self, value: Any, context: Context, where: str) -> str:
        text = super().clean(value, context, where)
        if not DOCUMENT_ID.match(text) or text in RESERVED_IDS:
            raise Invalid(f"'{safepath.shorten(text)}' cannot be a document's id",
                          "e.g. id: compact" + ("; 'workbook' is the guide's own PDF" if text in RESERVED_IDS else ""))
        return text


class WorksheetIds(IdList):
    """Worksheet ids, checked against the definitions once they are loaded (:func:`document_problems`)."""

    def clean(self, value: Any, context: Context, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(w, str) for w in value):
            raise Invalid(self.missing(context), "e.g. worksheets: [agreements]")
        return tuple(value)


class DocumentEntry(Schema):
    """One entry of ``documents:``."""

    shape = N_("each document is a mapping with an id, a title and a list of worksheet ids")
    unknown = N_("unknown key '%(key)s' in a document")
    twice = N_("'%(value)s' is the id of another document too")
    example = "e.g. - {id: compact, title: Mentoring compact, worksheets: [agreements]}"

    id = DocumentId("its name, also the PDF's file name (letters, digits, - and _)", required=True,
                    missing=N_("a document needs an 'id' of letters, digits, - and _ (its PDF's file name)"))
    title = Wording("the title on its cover, a text or one per language ({en: ..., es: ...})", required=True,
                    missing=N_("a document needs a 'title', a text or one per language"))
    worksheets = WorksheetIds("the worksheet ids it holds, in order", known="", unknown="", required=True,
                              missing=N_("a document needs 'worksheets', a list of worksheet ids"))

    @classmethod
    def check(cls, values: dict[str, Any], data: dict, context: Context, where: str) -> bool:
        sheets = data.get("worksheets")
        values["at"] = tuple(key_position(sheets, n) for n in range(len(values["worksheets"]))) \
            if isinstance(sheets, list) else ()
        return True


class ProgramFile(Schema):
    """The keys of mentorbook.yml."""

    program = Text("the program's name, shown in the header, on the cover and in the footer")
    institution = Text("the institution, shown under the program name")
    logo = Logo("a logo file inside assets/ (SVG, PNG or JPEG)")
    primary_color = Colour("main colour as #rrggbb")
    accent_color = Colour("highlight colour as #rrggbb")
    page_size = PageSize("letter or a4", values=PAGE_SIZES, lower=True, default="letter",
                         message=N_("unknown page size '%(value)s'"))
    footer = Text("a line of text at the foot of every site page")
    contact = Text("who to contact, shown in the footer and on the cover")
    practices = IdList("which of the five practices appear, in order", known="practices",
                       unknown=N_("unknown practice '%(id)s'"))
    pages = IdList("which extra pages from pages/ appear, in order", known="pages", unknown=N_("unknown page '%(id)s'"))
    max_trainees_per_mentor = Whole("the cohort report flags mentors with more trainees than this",
                                    default=MAX_TRAINEES_PER_MENTOR, low=1,
                                    message=N_("'max_trainees_per_mentor' must be a whole number of 1 or more"))
    milestones = Entries(MilestoneEntry, "what a trainee should have done by when, after their start date "
                         "(see the cohort report)", shape=N_("'milestones' must be a list"))
    language = LanguageTag("the language of the guide, as a BCP 47 tag such as en, es or pt-BR (a trainee's "
                           "own wins)", default="en")
    documents = Entries(DocumentEntry, "PDFs of chosen worksheets under their own title, e.g. a compact to hand "
                        "out (id, title, worksheets)", unique="id", shape=N_("'documents' must be a list"))


KEYS = ProgramFile.reference()  # each key of mentorbook.yml and what it means


def find_project(start: Path) -> Path | None:
    """The folder holding mentorbook.yml: ``start`` itself, if it has one."""
    return start if (start / CONFIG_NAME).is_file() else None


def _read_file(root: Path) -> tuple[Path, dict]:
    path = root / CONFIG_NAME
    if not path.is_file():
        raise InputError([Problem(path, None, "no mentorbook.yml here",
                                  hint="create a project with `mentorbook init DIR`")])
    try:
        data = read_yaml(path, within=root, cached=True) or {}
    except YamlFileError as exc:
        raise InputError([exc.problem]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(path, 1, "mentorbook.yml must be a mapping of keys",
                                  hint="allowed keys: " + ", ".join(KEYS))])
    return path, data


def _language_of(data: dict) -> Language:
    """The language the file's messages are in: its own, when it names a good one."""
    tag, bad, _ = check_tag(data["language"]) if data.get("language") is not None else ("en", "", "")
    return ENGLISH if bad else language(tag)


def load_project(root: Path) -> Project:
    """Read ``root/mentorbook.yml`` and the project's folders; raise InputError on problems."""
    root = root.resolve()
    path, data = _read_file(root)
    folders = dict(zip(("pages", "worksheets", "templates", "assets"), (root / n for n in PROJECT_FOLDERS),
                       strict=True))
    context = Context(path, root, _language_of(data),
                      known={"practices": PRACTICE_IDS, "pages": _extra_page_ids(folders["pages"])})
    values = ProgramFile.read(data, context) or {}
    directory, problems, directory_file = read_directory(root)
    context.problems += problems
    for folder in folders.values():
        if folder.is_dir() or folder.is_symlink():
            context.problems += [Problem(entry, None, f"refused: {reason}", hint="copy the file into the project")
                                 for entry, reason in safepath.escapes(folder, root)]
    if context.problems:
        raise InputError(context.problems, lang=None if context.lang.english else context.lang)
    return _project(root, path, folders, values, _colour_notices(path, data, values, context.lang),
                    directory=directory, directory_file=directory_file)


def _colour_notices(path: Path, data: dict, values: dict[str, Any], lang: Language) -> tuple[Problem, ...]:
    """A located warning for each brand colour given that cannot be used as it is."""
    from .colours import colour_notices

    given = {key: values[key] for key in ("primary_color", "accent_color") if values.get(key)}
    if not given:
        return ()
    notices = []
    for key, message in colour_notices(given.get("primary_color", PRIMARY),
                                       given.get("accent_color", ACCENT)):
        if key in given:
            line, col = value_position(data, key)
            notices.append(Problem(path, line, say(message, lang), column=col, field=key, severity="warning",
                                   hint=lang.gettext("pick a darker colour to use it as given")))
    return tuple(notices)


def _project(root: Path, path: Path, folders: dict[str, Path], values: dict[str, Any],
             notices: tuple[Problem, ...], **more: Any) -> Project:
    branding = Branding(program=values["program"], institution=values["institution"], logo=values["logo"],
                        primary=values["primary_color"] or PRIMARY,
                        accent=values["accent_color"] or ACCENT,
                        footer=values["footer"], contact=values["contact"])
    present = {name: folder for name, folder in folders.items() if folder.is_dir()}
    return Project(
        root=root,
        guide_dirs=(GUIDE_DIR, *([present["pages"]] if "pages" in present else [])),
        worksheet_dirs=(WORKSHEETS_DIR, *([present["worksheets"]] if "worksheets" in present else [])),
        template_dirs=(*([present["templates"]] if "templates" in present else []), TEMPLATES_DIR),
        asset_dirs=(present["assets"],) if "assets" in present else (),
        branding=branding,
        page_size=values["page_size"] or "letter",
        practices=values["practices"],
        pages=values["pages"],
        config_file=path,
        max_trainees_per_mentor=values["max_trainees_per_mentor"],
        milestones=tuple(milestone(v) for v in values["milestones"]),
        notices=notices,
        language=values["language"] or "en",
        documents=tuple(Document(d["id"], d["title"], d["worksheets"], d["at"]) for d in values["documents"]),
        **more,
    )


def _extra_page_ids(pages_dir: Path) -> list[str]:
    """Ids of the Markdown pages in pages/ (front matter id, else the file name)."""
    ids = []
    for path in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []:
        try:
            _, meta = read(path)
        except YamlFileError:
            ids.append(path.stem)  # its problem is reported with its location when the guide is loaded
            continue
        ids.append(str(meta.get("id", path.stem)))
    return ids


def document_problems(project: Project, worksheet_ids: list[str]) -> list[Problem]:
    """A located error for each worksheet id of a document that no definition has (did-you-mean)."""
    problems = []
    for i, document in enumerate(project.documents):
        for n, sheet in enumerate(document.worksheets):
            if sheet not in worksheet_ids:
                line, col = document.at[n] if n < len(document.at) else (None, None)
                problems.append(Problem(project.config_file or Path(CONFIG_NAME), line,
                                        said(N_("no worksheet '%(sheet)s' for the document '%(document)s'"),
                                             sheet=safepath.shorten(sheet), document=document.id),
                                        column=col, field=f"documents[{i}].worksheets[{n}]",
                                        hint=did_you_mean(sheet, worksheet_ids)
                                        or said(N_("worksheets: %(ids)s"), ids=", ".join(worksheet_ids))))
    return problems
