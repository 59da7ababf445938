"""Languages: the catalog, date and number formats and text direction of one build.

A build's language is a BCP 47 tag (``es``, ``pt-BR``) from the trainee's workbook or
the program's ``mentorbook.yml``; ``language(tag)`` gives a frozen ``Language`` that
travels with the build (the model, the renderer) instead of any global setting.
Catalogs are ``locale/<lang>/LC_MESSAGES/mentorbook.po`` inside the package, compiled
when first used; a language without a catalog keeps mentorbook's English texts.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from .records import ignoring

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "mentorbook"
ENGLISH_TAG = "en"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


def N_(text: str) -> str:
    """Mark a text for the catalog where it is defined; it is translated where it is shown."""
    return text


class Said(str):
    """A message in English that can still be said in another language: the catalog text it
    was made from and the values that fill it (see ``said``). Code that knows no language
    (a field type's definition checks) makes these; the code that reports them, which knows
    the language, says them again with ``say``."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, values: dict[str, Any]) -> Said:
        text = super().__new__(cls, template % values if values else template)
        text.template, text.values = template, values
        return text

    def __reduce__(self):
        return (Said, (self.template, self.values))

    def in_language(self, lang: Language) -> str:
        text = lang.gettext(self.template)
        return text % {k: v.in_language(lang) if isinstance(v, Said) else v for k, v in self.values.items()} \
            if self.values else text


class Fallback(str):
    """A text shown in another language than the build's, because the build's was not given
    (a definition's text per language without it): ``lang`` is the language it is in."""

    lang: str

    def __new__(cls, text: str, lang: str = ENGLISH_TAG) -> Fallback:
        value = super().__new__(cls, text)
        value.lang = lang
        return value

    def __reduce__(self):
        return (Fallback, (str(self), self.lang))


def said(template: str, **values: Any) -> Said:
    """``template`` (marked for the catalog with N_ where it is written) filled with ``values``,
    in English until someone ``say``s it in a language."""
    return Said(template, values)


def say(text: Any, lang: Language) -> Any:
    """``text`` in ``lang``: a Said again from the catalog, a plain text through it; other values as they are."""
    if isinstance(text, Said):
        return text.in_language(lang)
    return lang.gettext(text) if isinstance(text, str) and text else text


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_codes(tag: str) -> list[str]:
    """The catalog folders that may serve ``tag``, best first: ``pt-BR`` is pt_BR, else pt;
    a bare ``pt`` is pt, else its one regional catalog (pt_BR)."""
    parts = tag.split("-")
    if len(parts) > 1:
        return ["_".join(parts[:2]), parts[0]]
    regional = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"{parts[0]}_*/LC_MESSAGES/{DOMAIN}.po"))
    return [parts[0], *regional[:1]] if len(regional) == 1 else [parts[0]]


@functools.cache
def _translations(tag: str) -> _gettext.NullTranslations:
    """The compiled catalog for ``tag`` (see ``catalog_codes``), or none."""
    for code in catalog_codes(tag):
        path = catalog_path(code)
        if path.is_file():
            import io

            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po

            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code, domain=DOMAIN)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            return _gettext.GNUTranslations(buffer)
    return _gettext.NullTranslations()


class Language(Struct, frozen=True):
    """One language of output: its translations, formats and direction."""

    tag: str = ENGLISH_TAG
    translations: Any = field(default_factory=_gettext.NullTranslations)  # not compared: a language is its tag

    __eq__, __hash__, __repr__ = ignoring("translations")

    def __reduce__(self):  # cohort workers receive it by its tag
        return (language, (self.tag,))

    @property
    def code(self) -> str:
        """The language without region or script: ``es`` for ``es-MX``."""
        return self.tag.split("-")[0].lower()

    @property
    def english(self) -> bool:
        return self.code == ENGLISH_TAG

    @property
    def has_catalog(self) -> bool:
        return self.english or type(self.translations) is not _gettext.NullTranslations

    @property
    def dir(self) -> str:
        """The direction of the pages: a language without a catalog is shown in English, left to right."""
        return "rtl" if self.code in RTL_LANGUAGES and self.has_catalog else "ltr"

    @property
    def page_tag(self) -> str:
        """The language the pages are written in: this one, or English when mentorbook has no texts in it."""
        return self.tag if self.has_catalog else ENGLISH_TAG

    @property
    def formats(self) -> Language:
        """The language whose date and number formats the sentences take: this one, or English
        when its sentences fall back to English ("on 5 November 2026", never "on 5 novembre")."""
        return self if self.has_catalog else ENGLISH

    @property
    def babel_locale(self):
        from babel import Locale

        return Locale.parse(self.tag, sep="-")

    @property
    def name(self) -> str:
        """The language's English name, for messages ("Spanish")."""
        try:
            return self.babel_locale.get_display_name("en") or self.tag
        except Exception:  # a name is only decoration
            return self.tag

    @property
    def native_name(self) -> str:
        """The language's name in itself ("español"), for messages in that language."""
        try:
            return self.babel_locale.get_display_name(self.babel_locale) or self.tag
        except Exception:  # a name is only decoration
            return self.tag

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message) if message else message

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.translations.npgettext(context, singular, plural, n)

    def date(self, value: Any) -> str:
        """A date as people write it: "15 March 2026", "15 de marzo de 2026"; other values as they are."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            return "" if value is None else str(value)
        if self.english or not self.has_catalog:
            return f"{value.day} {value:%B %Y}"
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.babel_locale)

    def number(self, value: Any) -> str:
        """A number as the language writes it: "2,5" and "12.345" in Spanish, "2.5" in English."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # "110", not "110.0"
        if self.english or not self.has_catalog or isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.babel_locale)

    def sort_key(self, text: Any) -> Any:
        """A key that sorts texts as a reader of this language expects: by the Unicode Collation
        Algorithm (accented letters with their base letter: Álvaro with A, Élida with E; case and
        accents decide only between otherwise equal texts); in Spanish, ñ after n."""
        text = str(text)
        if self.code == "es":
            text = text.replace("ñ", "n\uffff").replace("Ñ", "N\uffff")  # after every other n...
        return (_collator().sort_key(text), text)

    def sorted(self, items: Any, key: Any = None) -> list:
        """``items`` sorted by ``sort_key`` of ``key(item)`` (the item itself by default); texts
        all in ASCII are sorted without the collation table, in the same order."""
        key = key or (lambda item: item)
        items = list(items)
        if all(str(key(i)).isascii() for i in items):
            return sorted(items, key=lambda i: (str(key(i)).casefold(), str(key(i))))
        return sorted(items, key=lambda i: self.sort_key(key(i)))

    def join(self, items: Any, style: str = "standard") -> str:
        """Items as a sentence lists them: "a, b and c", "a, b y c"."""
        items = [str(i) for i in items]
        if not items:
            return ""
        from babel.lists import format_list

        return format_list(items, style=style, locale=self.formats.babel_locale)


ENGLISH = Language()


@functools.cache
def _collator():
    """The Unicode Collation Algorithm's default table (pyuca), read once (about 0.3 s)."""
    from pyuca import Collator

    return Collator()


@functools.cache
def language(tag: str | None) -> Language:
    """The Language for a tag already checked with ``check_tag`` (None: English)."""
    if not tag or tag.split("-")[0].lower() == ENGLISH_TAG and "-" not in tag:
        return ENGLISH
    return Language(tag, _translations(tag))


def check_tag(value: Any, lang: Language = ENGLISH) -> tuple[str, str, str]:
    """(normalized tag, '', '') for a good BCP 47 tag; else ('', message, hint) in ``lang``."""
    text = str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    if not text:
        return "", lang.gettext("the language must be a language tag such as en, es or pt-BR"), ""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(text.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return "", lang.gettext("unknown language '%(tag)s'") % {"tag": text[:40]}, _tag_hint(text, lang)
    tag = "-".join(p for p in (locale.language, locale.script, locale.territory) if p)
    return tag, "", ""


def _tag_hint(text: str, lang: Language) -> str:
    """did you mean 'es' (Spanish)? -- by the tag itself or by the language's English name."""
    import difflib

    from babel import Locale
    from babel.localedata import locale_identifiers

    codes = sorted({i.split("_")[0] for i in locale_identifiers()})
    lowered = text.lower()
    names: dict[str, str] = {}
    for code in codes:
        try:
            name = Locale.parse(code).get_display_name("en")
        except Exception:
            continue
        if name:
            names.setdefault(name.lower(), code)
    if lowered in names:
        match = names[lowered]
    else:
        by_code = difflib.get_close_matches(lowered, codes, n=1, cutoff=0.6)
        by_name = difflib.get_close_matches(lowered, list(names), n=1, cutoff=0.7)
        first, second = (by_name and names[by_name[0]], by_code and by_code[0])
        if len(lowered) <= 3:  # a mistyped code ("sp"), else a language's name ("spansh")
            first, second = second, first
        match = first or second or ""
    if not match:
        return lang.gettext("write a BCP 47 tag such as en, es, fr, pt-BR or ar")
    name = Locale.parse(match).get_display_name(lang.babel_locale)
    return lang.gettext("did you mean '%(value)s' (%(name)s)?") % {"value": match, "name": name}
