"""Sources in the build's language: worksheet definitions and guidance pages.

A definition's titles, intros, labels, prompts, choice labels and suggested rows are
translated through the catalog (mentorbook's own worksheets are in it), or picked from
a per-language mapping (``label: {en: Goal, es: Meta}``); a mapping without the build's
language falls back to English with a notice located in the definition file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fields.fielddef import FieldDef
from ..program.deftexts import Texts
from ..program.definitions import WorksheetDef
from ..base.errors import Problem
from ..base.i18n import Language, catalog_codes, check_tag, language
from ..fields.conditions import with_notes

if TYPE_CHECKING:
    from .load import Sources
    from ..program.project import Project


class _Localizer:
    def __init__(self, lang: Language):
        self.lang = lang
        self.notices: list[Problem] = []

    def text(self, text: str, what: str) -> str:
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
        if not lang.english:
            path, line, col = text.where
            self.notices.append(Problem(
                path, line, lang.gettext("no text in %(language)s; the English text is used")
                % {"language": lang.native_name},
                column=col, field=what, severity="warning",
                hint=lang.gettext("add '%(code)s: ...' to the mapping") % {"code": lang.code}))
        return variants.get("en", str(text))

    def field(self, fdef: FieldDef, where: str) -> FieldDef:
        path = f"{where}.{fdef.id}"
        return replace(
            fdef,
            label=self.text(fdef.label, f"{path}.label"),
            prompt=self.text(fdef.prompt, f"{path}.prompt"),
            choices=tuple(replace(c, label=self.text(c.label, f"{path}.choices.{c.value}")) for c in fdef.choices),
            suggestions=tuple(self.lang.gettext(s) for s in fdef.suggestions),
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
        elif folder == GUIDE_DIR:
            notices.append(Problem(folder, None, lang.gettext(
                "no guidance pages in %(language)s; the English pages are used")
                % {"language": lang.native_name if lang.has_catalog else lang.name},
                severity="warning",
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
            pages, problems = load_guide(list(folders))
            notices += problems + check_references(pages, [d.id for d in definitions])
            guide = tuple(pages)
    if not lang.has_catalog:
        chosen_in = (project.config_file if lang.tag == project.language or workbook is None else workbook)
        notices.insert(0, Problem(chosen_in or Path("mentorbook.yml"), None,
                                  f"no catalog for '{lang.tag}' ({lang.name}); mentorbook's own texts stay in English",
                                  field="language", severity="warning"))
    return replace(sources, guide=guide, definitions=definitions), notices  # the contract stays: roles do not change with the language
