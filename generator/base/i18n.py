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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "mentorbook"
ENGLISH_TAG = "en"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


def N_(text: str) -> str:
    """Mark a text for the catalog where it is defined; it is translated where it is shown."""
    return text


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


@dataclass(frozen=True)
class Language:
    """One language of output: its translations, formats and direction."""

    tag: str = ENGLISH_TAG
    translations: Any = field(default_factory=_gettext.NullTranslations, compare=False, repr=False)

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
        return "rtl" if self.code in RTL_LANGUAGES else "ltr"

    @property
    def babel_locale(self):
        from babel import Locale

        return Locale.parse(self.tag, sep="-")

    @property
    def name(self) -> str:
        """The language's English name, for messages ("Spanish")."""
        try:
            return self.babel_locale.get_display_name("en") or self.tag
        except Exception:  # noqa: BLE001 - a name is only decoration
            return self.tag

    @property
    def native_name(self) -> str:
        """The language's name in itself ("español"), for messages in that language."""
        try:
            return self.babel_locale.get_display_name(self.babel_locale) or self.tag
        except Exception:  # noqa: BLE001 - a name is only decoration
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
        if self.english:
            return f"{value.day} {value:%B %Y}"
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.babel_locale)

    def number(self, value: Any) -> str:
        if self.english or isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.babel_locale)

    def join(self, items: Any, style: str = "standard") -> str:
        """Items as a sentence lists them: "a, b and c", "a, b y c"."""
        items = [str(i) for i in items]
        if not items:
            return ""
        from babel.lists import format_list

        return format_list(items, style=style, locale=self.babel_locale)


ENGLISH = Language()


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
        except Exception:  # noqa: BLE001
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
