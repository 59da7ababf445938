"""Loading: read guidance pages, worksheet definitions and a workbook from disk.

Nothing here renders; everything returns data plus located problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct

from ..base.errors import Problem, did_you_mean
from ..base.i18n import ENGLISH, N_, Language, said, say
from ..base.limits import MAX_CHARS, char_problem, too_long
from ..base.safepath import shorten
from ..base.yamlio import YamlFileError, read_yaml
from ..program.definitions import WorksheetDef, read_definitions
from ..program.project import BUILTIN, Project
from ..program.reader import read
from ..program.roles import PRACTICE_IDS

# Front matter every guidance page needs. A page's id defaults to its file name and its
# place to the project's `pages` list, then the file name; mentorbook's own pages and any
# page that replaces one of them give `order`, which numbers the practices.
REQUIRED_META = ("title",)


class GuidePage(Struct, frozen=True):
    """One guidance page as read: its file, its Markdown body and its front matter."""

    path: Path
    body: str
    meta: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.meta.get("id") or self.path.stem)

    @property
    def sort_key(self) -> tuple:
        """Pages with an ``order`` first, by it; then the others by file name."""
        order = self.meta.get("order")
        return (0, order, self.id) if isinstance(order, int) and not isinstance(order, bool) else (1, 0, self.path.name)


class Sources(Struct, frozen=True):
    """What a build reads from its project besides the workbook: guidance, worksheet definitions and their roles."""

    guide: tuple[GuidePage, ...]
    definitions: tuple[WorksheetDef, ...]
    contract: Any = None  # core.contract.Contract: which fields play the roles features read


def load_guide(directories: Path | Sequence[Path], lang: Language = ENGLISH) -> tuple[list[GuidePage], list[Problem]]:
    """Read guidance pages; a page in a later folder replaces one with the same id (problems in ``lang``)."""
    _ = lang.gettext
    if isinstance(directories, Path):
        directories = [directories]
    by_id: dict[str, GuidePage] = {}
    problems: list[Problem] = []
    for directory in directories:
        for path in sorted(directory.glob("*.md")):
            try:
                body, meta = read(path, within=directory)
            except YamlFileError as exc:
                problems.append(exc.problem)
                continue
            missing = [key for key in REQUIRED_META if not meta.get(key)]
            if missing:
                problems.append(Problem(path, 1, _("front matter is missing %(keys)s") % {"keys": ", ".join(missing)},
                                        hint=_("start the page with a front matter block: ---, title: ..., ---")))
                continue
            bad = _front_matter_problem(meta)
            if bad:
                problems.append(Problem(path, 1, _("front matter: %(problem)s") % {"problem": say(bad, lang)}))
                continue
            page = GuidePage(path, body, meta)
            if page.id in ("introduction", *PRACTICE_IDS) and page.sort_key[0] == 1:
                problems.append(Problem(path, 1, _("the '%(page)s' page needs an 'order' in its front matter")
                                        % {"page": page.id},
                                        field="order", hint=_("the introduction is 0, the practices 1 to 5")))
                continue
            if page.id in PRACTICE_IDS and not meta.get("key_point"):
                problems.append(Problem(path, 1, _("a practice page needs a 'key_point' in its front matter")))
                continue
            by_id[page.id] = page
    pages = list(by_id.values())
    for needed in ("introduction", *PRACTICE_IDS):
        if needed not in by_id and not problems:
            problems.append(Problem(directories[0], None, _("no guidance page with id '%(id)s'") % {"id": needed}))
    pages.sort(key=lambda p: p.sort_key)
    return pages, problems


def _front_matter_problem(meta: dict[str, Any]) -> str:
    """What is wrong with a page's id, title, order or key point, or ''."""
    order = meta.get("order")
    if "order" in meta and (isinstance(order, bool) or not isinstance(order, int)):
        return said(N_("'order' must be a whole number, not '%(value)s'"), value=shorten(order))
    for key in ("id", "title", "short_title", "key_point"):
        value = meta.get(key)
        if isinstance(value, (dict, list)):
            return said(N_("'%(key)s' must be a text"), key=key)
        kind = "text" if key != "key_point" else "longtext"
        too_large = too_long(str(value or ""), MAX_CHARS[kind]) or char_problem(kind, str(value or ""))
        if too_large:
            return f"'{key}': {too_large[0]}"
    return ""


_LOADED: dict[tuple, tuple[Sources, tuple[Problem, ...]]] = {}  # the last sources read (serve builds again and again)
HASHED_LIMIT = 4 * 1024 * 1024  # larger files are left to the readers (and their limits) each time


def _read_key(project: Project) -> tuple | None:
    """What load_sources reads: the project, and the name and bytes' hash of every page of its guide
    folders, definition of its worksheet folders and its logo (b"" for a logo that is missing);
    None if one is too large or not a plain file to hash."""
    import hashlib

    paths = [path for folder in project.guide_dirs for path in sorted(folder.glob("*.md"))]  # as load_guide
    paths += [path for folder in project.worksheet_dirs for path in sorted(folder.glob("*.yml"))]  # read_definitions
    if project.branding.logo and project.asset_dirs:
        paths.append(project.asset_dirs[0] / project.branding.logo)
    found = []
    for path in paths:
        try:
            if not path.exists():
                found.append((str(path), b""))
                continue
            if not path.is_file() or path.stat().st_size > HASHED_LIMIT:
                return None
            found.append((str(path), hashlib.sha256(path.read_bytes()).digest()))
        except OSError:
            return None
    return project, tuple(found)


def load_sources(project: Project = BUILTIN) -> tuple[Sources, list[Problem]]:
    """Guidance pages and worksheet definitions of a project (built-ins plus its own). What was read
    last is kept, by the bytes of the files it came from: ``serve`` reads them once, not per build."""
    key = _read_key(project)
    if key is not None and key in _LOADED:
        sources, problems = _LOADED[key]
        return sources, list(problems)
    sources, problems = _load_sources(project)
    _LOADED.clear()
    if key is not None:
        _LOADED[key] = (sources, tuple(problems))
    return sources, problems


def _load_sources(project: Project) -> tuple[Sources, list[Problem]]:
    from ..base.i18n import language
    from ..program.defcheck import check_contract, check_refs, duplicate_ids
    from ..program.guiderefs import check as check_references

    lang = language(project.language)  # definition mistakes are told in the program's language
    guide, problems = load_guide(project.guide_dirs, lang)
    definitions: dict[str, WorksheetDef] = {}
    builtin: list[WorksheetDef] = []
    for directory in project.worksheet_dirs:
        found, def_problems = read_definitions(directory, lang)
        problems += def_problems + duplicate_ids(found, lang)
        definitions.update({d.id: d for d in found})
        if directory == project.worksheet_dirs[0]:
            builtin = found
    for definition in definitions.values():
        if definition.practice not in PRACTICE_IDS:
            line, col = definition.at.get("practice", (1, None))
            problems.append(Problem(definition.source, line,
                                    lang.gettext("unknown practice '%(practice)s'") % {"practice": definition.practice},
                                    column=col, field="practice", hint=did_you_mean(definition.practice,
                                                                                    list(PRACTICE_IDS), lang)))
    ordered = sorted(definitions.values(), key=lambda d: (PRACTICE_IDS.index(d.practice)
                                                          if d.practice in PRACTICE_IDS else 99, d.order, d.id))
    problems += check_refs(ordered, lang)
    contract, role_problems = check_contract(ordered, builtin if len(project.worksheet_dirs) > 1 else ordered,
                                             project.worksheet_dirs[0], lang)
    problems += role_problems + check_references(guide, [d.id for d in ordered])
    if project.documents:
        from ..program.config import document_problems

        problems += document_problems(project, [d.id for d in ordered])
    if project.branding.logo and project.asset_dirs and project.branding.logo.lower().endswith(".svg"):
        from ..base.markup import svg_problems

        problems += svg_problems(project.asset_dirs[0] / project.branding.logo)  # it is published with the site
    return Sources(tuple(guide), tuple(ordered), contract), problems


def load_workbook(path: Path, lang: Language = ENGLISH, within: Path | None = None) -> Any:
    """Read a workbook file (inside ``within``, after symlinks, when given); raises YamlFileError
    with a located problem (in ``lang``)."""
    return read_yaml(path, within=within, lang=lang)
