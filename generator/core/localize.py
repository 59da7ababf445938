"""Sources in the build's language: worksheet definitions and guidance pages.

A definition's titles, intros, labels, prompts, choice labels and suggested rows are
translated through the catalog (mentorbook's own worksheets are in it), or picked from
a per-language mapping (``label: {en: Goal, es: Meta}``); a mapping without the build's
language falls back to English with a notice located in the definition file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace

from ..base.errors import Problem
from ..base.i18n import Fallback, Language, catalog_codes, check_tag, language
from ..base.patterns import LazyPattern
from ..fields.conditions import with_notes
from ..fields.fielddef import FieldDef
from ..program.definitions import WorksheetDef
from ..program.deftexts import Texts

if TYPE_CHECKING:
    from ..program.project import Project
    from .load import Sources


class _Localizer:
    def __init__(self, lang: Language):
        self.lang = lang
        self.notices: list[Problem] = []

    def text(self, text: str, what: str) -> str:
        """A definition's text in the build's language: a Texts picks its variant (falling back to
        English with a notice); a plain text goes through the catalog (mentorbook's own are in it)."""
        lang = self.lang
        if not isinstance(text, Texts):
            return lang.gettext(text)
        variants = text.variants
        for tag in (lang.tag, lang.code):
            if tag in variants:
                return variants[tag]
        same = next((v for t, v in variants.items() if t.split("-")[0] == lang.code), None)
        if same is not None:
            return same
        english = variants.get("en")
        if not lang.english or english is None:
            path, line, col = text.where
            fallback = english if english is not None else str(text)
            self.notices.append(Problem(
                path, line, lang.gettext("no text in %(language)s; the English text is used")
                % {"language": lang.native_name if lang.has_catalog else lang.name} if english is not None
                else lang.gettext("no text in %(language)s; the text in %(other)s is used")
                % {"language": lang.native_name if lang.has_catalog else lang.name,
                   "other": next(iter(variants))},
                column=col, field=what, severity="notice",
                hint=lang.gettext("add '%(code)s: ...' to the mapping") % {"code": lang.code}))
            return Fallback(fallback, english is not None and "en" or next(iter(variants)))
        return english

    def field(self, fdef: FieldDef, where: str) -> FieldDef:
        path = f"{where}.{fdef.id}"
        text = self.text
        return replace(
            fdef,
            label=text(fdef.label, f"{path}.label"),
            prompt=text(fdef.prompt, f"{path}.prompt"),
            text=text(fdef.text, f"{path}.text"),
            item_label=text(fdef.item_label, f"{path}.item_label"),
            unit=text(fdef.unit, f"{path}.unit"),
            choices=tuple(replace(c, label=text(c.label, f"{path}.choices.{c.value}")) for c in fdef.choices),
            suggestions=tuple(text(s, f"{path}.suggestions[{i}]") for i, s in enumerate(fdef.suggestions)),
            anchors=tuple((point, text(label, f"{path}.anchors.{point}")) for point, label in fdef.anchors),
            fields=with_notes(tuple(self.field(child, path) for child in fdef.fields), self.lang),
        )

    def worksheet(self, definition: WorksheetDef) -> WorksheetDef:
        return replace(
            definition,
            title=self.text(definition.title, f"{definition.id}.title"),
            intro=self.text(definition.intro, f"{definition.id}.intro"),
            fields=with_notes(tuple(self.field(f, definition.id) for f in definition.fields), self.lang),
        )


_DONE: dict[tuple[int, str], tuple[Any, tuple[WorksheetDef, ...], tuple[Problem, ...]]] = {}


def localize_definitions(definitions: tuple[WorksheetDef, ...] | list[WorksheetDef],
                         lang: Language) -> tuple[tuple[WorksheetDef, ...], list[Problem]]:
    """The definitions with their texts in ``lang``, and notices of texts left in English.

    The same (immutable) definitions in the same language give the same result: it is kept for
    the next workbook of a report or cohort, which would otherwise localize them again each time."""
    key = (id(definitions), lang.tag)
    known = _DONE.get(key)
    if known is not None and known[0] is definitions:
        return known[1], list(known[2])
    localizer = _Localizer(lang)
    done = tuple(localizer.worksheet(d) for d in definitions)
    if isinstance(definitions, tuple):
        if len(_DONE) >= 8:
            _DONE.pop(next(iter(_DONE)))
        _DONE[key] = (definitions, done, tuple(localizer.notices))
    return done, localizer.notices


def localize_field(fdef: FieldDef, lang: Language) -> FieldDef:
    """One field (the trainee's profile, say) with its texts in ``lang``."""
    return _Localizer(lang).field(fdef, fdef.id)


def guide_dirs(dirs: tuple[Path, ...], lang: Language) -> tuple[tuple[Path, ...], list[Problem]]:
    """Each guidance folder, followed by its ``<lang>/`` subfolder when that holds pages
    (whose pages replace the English ones with the same id).

    Without built-in pages in the language, the English ones are used, with a notice.
    """
    from ..base.paths import GUIDE_DIR

    if lang.english:
        return dirs, []
    chosen: list[Path] = []
    notices: list[Problem] = []
    for folder in dirs:
        found = next((folder / tag for tag in _page_folders(lang)
                      if (folder / tag).is_dir() and any((folder / tag).glob("*.md"))), None)
        chosen.append(folder)  # a page not translated stays in English
        if found is not None:
            chosen.append(found)
        elif folder == GUIDE_DIR and lang.has_catalog:  # without a catalog, one notice says it all
            notices.append(Problem(folder, None, lang.gettext(
                "no guidance pages in %(language)s; the English pages are used")
                % {"language": lang.native_name},
                severity="notice",
                hint=lang.gettext("add them as %(folder)s/*.md") % {"folder": f"content/guide/{lang.code}"}))
    return tuple(chosen), notices


def _page_folders(lang: Language) -> list[str]:
    """The guidance subfolders that may serve ``lang``, named as its catalogs are found
    (``pt-BR``: pt-BR, else pt; a bare ``pt``: pt, else pt-BR when that is its one catalog)."""
    return list(dict.fromkeys([lang.tag, lang.code, *(code.replace("_", "-") for code in catalog_codes(lang.tag))]))


def choose_language(raw: Any, project: Project) -> Language:
    """The trainee's language when their workbook names a good one, else the program's.

    (A bad tag is reported by validation, located in the workbook.)"""
    trainee = raw.get("trainee") if isinstance(raw, dict) else None
    tag = trainee.get("language") if isinstance(trainee, dict) else None
    if tag is not None:
        normal, message, _ = check_tag(tag)
        if not message:
            return language(normal)
    return language(project.language)


_TRAINEE_BLOCK = LazyPattern(r"^trainee:[ \t]*(?:#.*)?\n((?:[ \t]+.*\n|[ \t]*(?:#.*)?\n)*)", re.M)
_LANGUAGE_LINE = LazyPattern(r"^[ \t]+language:[ \t]*[\"']?([A-Za-z0-9_-]{2,40})", re.M)
_LANGUAGE_FLOW = LazyPattern(r"^trainee:[ \t]*\{[^}\n]*\blanguage:[ \t]*[\"']?([A-Za-z0-9_-]{2,40})", re.M)


def workbook_language(path: Path | None, project: Project) -> Language:
    """The language of a workbook's messages, read before anything else: the trainee's
    ``language:`` when the file names a good one (found in its text even when the file
    is not valid YAML further down), else the program's."""
    from ..base.safepath import UnreadableFile, read_limited
    from ..base.yamlio import MAX_BYTES

    if path is None:
        return language(project.language)
    try:
        text = read_limited(path, MAX_BYTES).decode("utf-8", errors="replace")
    except (UnreadableFile, OSError):
        return language(project.language)
    text = text.replace("\r\n", "\n") + "\n"
    block = _TRAINEE_BLOCK.search(text)
    found = _LANGUAGE_LINE.search(block.group(1)) if block else _LANGUAGE_FLOW.search(text)
    if found:
        normal, message, _ = check_tag(found.group(1))
        if not message:
            return language(normal)
    return language(project.language)


def _no_catalog(lang: Language, project: Project, workbook: Path | None) -> Problem:
    """The one notice for a language mentorbook has no texts for, at the line that chose it
    (the workbook's ``trainee.language``, else mentorbook.yml's ``language``)."""
    from ..base.yamlio import YamlFileError, read_yaml, value_position

    in_workbook = not (lang.tag == project.language or workbook is None)
    chosen_in = workbook if in_workbook else project.config_file
    line = col = None
    try:
        data = read_yaml(chosen_in) if chosen_in else None
        where = data.get("trainee") if in_workbook and isinstance(data, dict) else data
        if isinstance(where, dict):
            line, col = value_position(where, "language")
    except YamlFileError:
        pass
    _ = lang.gettext  # (a language without a catalog says these in English)
    return Problem(chosen_in or Path("mentorbook.yml"), line,
                   _("no texts in %(language)s ('%(tag)s'): mentorbook's own texts, its guidance pages and the "
                     "built-in worksheets stay in English, and the pages say so (lang=\"en\")")
                   % {"language": lang.name, "tag": lang.tag},
                   column=col, field="trainee.language" if in_workbook else "language", severity="notice",
                   hint=_("to have them in %(language)s, translate mentorbook: see \"Translations\" in the README")
                   % {"language": lang.name})


def localize_sources(sources: Sources, lang: Language, project: Project,
                     workbook: Path | None = None) -> tuple[Sources, list[Problem]]:
    """``sources`` (as load.load_sources read them) in ``lang``, and notices about what stays English
    (a language without a catalog is reported where it was chosen: the ``workbook``, else mentorbook.yml)."""
    from ..program.guiderefs import check as check_references
    from .load import load_guide

    definitions, notices = localize_definitions(sources.definitions, lang)
    guide = sources.guide
    if not lang.english:
        folders, guide_notices = guide_dirs(project.guide_dirs, lang)
        notices = guide_notices + notices
        if folders != tuple(project.guide_dirs):
            pages, problems = load_guide(list(folders), lang)
            notices += problems + check_references(pages, [d.id for d in definitions])
            guide = tuple(pages)
    if not lang.has_catalog:
        notices.insert(0, _no_catalog(lang, project, workbook))
    # the contract stays: roles do not change with the language
    return replace(sources, guide=guide, definitions=definitions), notices
