"""Rendering: turn a Workbook into HTML pages and print HTML. Never reads user files.

Templates are loaded from the template folders given by the caller; they run with
autoescape and StrictUndefined, so a typo in a template fails loudly.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import marshal
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import fields
from ..base.cache import cache_dir, drop_cache_entries, store_cache_entry
from ..base.errors import MentorbookError
from ..base.i18n import ENGLISH, Fallback, Language
from ..base.markup import markdown_to_html, sanitize_html  # noqa: F401  (sanitize_html: part of this module's API)
from ..base.paths import TEMPLATES_DIR
from ..base.safepath import UnreadableFile, read_limited
from ..fields.date import date_html, dates_kept, format_date
from ..fields.fielddef import FieldDef
from ..program.colours import palette
from ..program.project import BUILTIN, Project
from .figure import cycle_svg
from .model import Workbook


def css_string(value: Any) -> Markup:
    """A quoted CSS string that no text can break out of."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,-()&'" else f"\\{ord(ch):x} " for ch in str(value))
    return Markup(f'"{escaped}"')


def paragraphs(text: Any) -> Markup:
    """Plain user text to escaped paragraphs; blank lines separate paragraphs."""
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("".join(f"<p>{escape(b)}</p>" for b in blocks))


def field_value(fdef: FieldDef, value: Any, lang: Language = ENGLISH) -> str:
    """A short, human text for a scalar field value (dates written the way ``lang`` writes them)."""
    if value is None or value == "":
        return ""
    text = fields.get(fdef.type).text(fdef, value, lang)
    # one date style everywhere, in the build's language, kept on one line
    return date_html(value, text) if isinstance(value, dt.date) else text


def lang_attr(text: Any, language: Language) -> Markup:
    """`` lang="en"`` for a text shown in another language than the page's (a definition's text
    per language without the build's: base.i18n.Fallback), else nothing."""
    if isinstance(text, Fallback) and text.lang != language.page_tag:
        return Markup(' lang="%s"') % text.lang
    return Markup("")


def _draw_nothing(*args: Any) -> Markup:
    return Markup("")


def _template_location(exc: jinja2.TemplateError, name: str) -> str:
    """FILE:LINE of a template error; Jinja puts template lines into the traceback."""
    if getattr(exc, "lineno", None):
        return f"{getattr(exc, 'filename', None) or name}:{exc.lineno}"
    import traceback  # only for a template that failed

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".css"))]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return name


MAX_COMPILED = 16 * 1024 * 1024  # a compiled template (the largest is some 60 KB)
KEEP_COMPILED = 2000  # entries; the least recently written beyond this are removed


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept between runs, one file per template, read with ``marshal.loads``
    (Jinja's own file cache unmarshals from the open file, a read call per object: 4 to 6 ms
    for the 14 templates of a site build, against 1 ms). A file is used only when it was made
    from the template's source as it is (its checksum), by this Python and this Jinja; a cache
    that cannot be read or written is simply not used."""

    MAGIC = b"mentorbook-jinja " + importlib.util.MAGIC_NUMBER + f" {jinja2.__version__}\n".encode()

    def __init__(self, folder: Path):
        self.folder = folder

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.code"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = read_limited(self._file(bucket), MAX_COMPILED)
        except (UnreadableFile, OSError):  # none yet, or not a file mentorbook wrote
            return
        head = self._head(bucket)
        if data.startswith(head):
            try:
                code = marshal.loads(memoryview(data)[len(head):])
            except (EOFError, ValueError, TypeError):
                return
            if isinstance(code, types.CodeType):
                bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if store_cache_entry(self._file(bucket), self._head(bucket) + marshal.dumps(bucket.code), KEEP_COMPILED):
            drop_cache_entries(self.folder, "__jinja2_", ".cache")  # Jinja's own file cache, kept here before

    def _head(self, bucket: jinja2.bccache.Bucket) -> bytes:
        return self.MAGIC + bucket.checksum.encode() + b"\n"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by each template's source), if possible."""
    folder = cache_dir("templates")
    return _TemplateCache(folder) if folder else None


def gettext_functions(translations: Any) -> dict[str, Any]:
    """``_()``, ``gettext()``, ``ngettext()``, ``pgettext()`` and ``npgettext()`` for templates, as
    Jinja's i18n extension installs them with ``newstyle=True``: the translation is marked safe
    when autoescaping (its ``%(name)s`` values are escaped as they go in), and is always a format
    string, ``num`` (and ``context``) given with the rest."""
    def newstyle(translate: Any, *, num: bool = False, context: bool = False) -> Any:
        @jinja2.pass_context
        def call(ctx: jinja2.runtime.Context, *args: Any, **variables: Any) -> str:
            if num:
                variables.setdefault("num", args[-1])
            if context:
                variables.setdefault("context", args[0])
            text = translate(*args)
            return (Markup(text) if ctx.eval_ctx.autoescape else text) % variables
        return call

    gettext = newstyle(translations.gettext)
    return {"_": gettext, "gettext": gettext, "ngettext": newstyle(translations.ngettext, num=True),
            "pgettext": newstyle(translations.pgettext, context=True),
            "npgettext": newstyle(translations.npgettext, num=True, context=True)}


class Renderer:
    """Templates of one project in one language: ``_()`` in a template is its catalog's
    gettext (newstyle, as jinja2.ext.i18n has it: gettext_functions, or the extension itself for
    a program with templates of its own), ``lang`` the Language (tag, direction, formats)."""

    def __init__(self, template_dirs: Sequence[Path], language: Language = ENGLISH):
        self.template_dirs = tuple(template_dirs)
        self.language = language
        self._speaking: dict[tuple[str, int], Renderer] = {_speaker_key(language): self}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            bytecode_cache=_bytecode_cache(),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # a program's own templates may use the i18n extension's {% trans %} tag; mentorbook's
            # call _() and ngettext() only, and a build without the extension starts 2 ms sooner
            extensions=["jinja2.ext.i18n"] if self.template_dirs != (TEMPLATES_DIR,) else [],
        )
        if self.env.extensions:  # its {% trans %} tags are compiled for newstyle gettext
            self.env.install_gettext_translations(language.translations, newstyle=True)
        else:
            self.env.globals.update(gettext_functions(language.translations))
        self.env.filters.update(
            markdown=markdown_to_html,
            css_string=css_string,
            # one date style (fields.date.format_date) in this renderer's language:
            date=lambda value, text=None: date_html(value, text, language),  # on a page: a <time> that never breaks
            date_text=lambda value: format_date(value, language),  # inside a title or an attribute
            dates_kept=lambda text: dates_kept(text, language),  # text with dates in it (next steps)
            paragraphs=paragraphs,
            field_value=lambda fdef, value: field_value(fdef, value, language),
            number=language.number,
            join_list=language.join,
            lang_attr=lambda text: lang_attr(text, language),
        )
        self.env.globals["lang"] = language
        # Each field type draws itself with the macros of its own template (templates/fields/).
        self._field_macros: dict[tuple[str, str], Any] = {}
        self.env.globals.update(field_macro=self.field_macro, field_type=lambda f: fields.get(f.type))
        self.env.tests["short_field"] = lambda f: fields.get(f.type).short
        from ..fields.conditions import holds
        from ..fields.elements import element_html, filled_runs, intro_html, kept_runs, signed_parts

        self.env.globals.update(filled_runs=filled_runs, signed_parts=signed_parts, kept_runs=kept_runs, shown=holds)
        self.env.filters.update(element_markdown=element_html, intro=intro_html)

    def field_macro(self, fdef: FieldDef, role: str) -> Any:
        """The macro drawing ``role`` (see fields.ROLES) for a field, from its type's template."""
        ftype = fields.get(fdef.type)
        name = ftype.macro(role)
        if not name:
            return _draw_nothing
        key = (ftype.template, name)
        if key not in self._field_macros:
            module = self.env.get_template(ftype.template).module
            macro = getattr(module, name, None)
            if not callable(macro):
                raise MentorbookError(f"{ftype.template}: no macro '{name}' for {role} of the "
                                      f"'{ftype.name}' field type")
            self._field_macros[key] = macro
        return self._field_macros[key]

    def take_macros_afresh(self) -> None:
        """Forget the field types' macros, in every language: the next build takes them from their
        templates again (loaded again if their files changed)."""
        for speaker in self._speaking.values():
            speaker._field_macros.clear()

    def speaking(self, language: Language) -> Renderer:
        """This renderer's templates in ``language`` (one environment per language)."""
        key = _speaker_key(language)
        if key not in self._speaking:
            other = Renderer(self.template_dirs, language)
            other._speaking = self._speaking
            self._speaking[key] = other
        return self._speaking[key]

    def render(self, name: str, **context: Any) -> str:
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateError as exc:
            raise MentorbookError(f"{_template_location(exc, name)}: template error: {exc.message}") from None

    def asset(self, name: str) -> str:
        """The text of a static template asset such as a stylesheet."""
        source, _, _ = self.env.loader.get_source(self.env, name)
        return source


    @staticmethod
    def cycle(workbook: Workbook, blank: bool = False) -> Markup:
        """The cycle figure, the current practice highlighted unless the workbook is ``blank``."""
        nodes = [(p.id, p.short_title) for p in workbook.practices]
        shades = palette(workbook.branding.primary, workbook.branding.accent).light
        return cycle_svg(nodes, None if blank else workbook.current_practice,
                         primary=shades["primary"], accent=shades["accent-ink"], lang=workbook.language)




def _speaker_key(language: Language) -> tuple[str, int]:
    """A language and its catalog (a renderer kept between builds meets a catalog installed since)."""
    return language.tag, id(language.translations)  # the renderer keeps the catalog: its id stays its own


def make_renderer(project: Project = BUILTIN, language: Language = ENGLISH) -> Renderer:
    """A renderer for ``project``: its own templates first, then the built-in ones.
    It renders each workbook in the workbook's own language (see Renderer.speaking)."""
    return Renderer(project.template_dirs, language)


_KEPT: dict[tuple[Path, ...], Renderer] = {}  # by template folders: the renderers of this process's builds
KEEP_RENDERERS = 8


def build_renderer(project: Project = BUILTIN) -> Renderer:
    """make_renderer's renderer for ``project``, kept for the next build in this process: ``serve``
    rebuilds with its templates already loaded (Jinja loads a template again when its file
    changes; each build takes the field types' macros afresh)."""
    key = tuple(project.template_dirs)
    renderer = _KEPT.pop(key, None) or make_renderer(project)
    _KEPT[key] = renderer  # the most recently used last
    while len(_KEPT) > KEEP_RENDERERS:
        _KEPT.pop(next(iter(_KEPT)))
    renderer.take_macros_afresh()
    return renderer


def logo_path(project: Project) -> Path | None:
    """The program's logo file, copied beside the pages that show it."""
    if not (project.branding.logo and project.asset_dirs):
        return None
    return project.asset_dirs[0] / project.branding.logo
