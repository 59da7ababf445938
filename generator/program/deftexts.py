"""Definition texts given per language (``label: {en: Goal, es: Meta}``).

``core.definitions`` reads them; ``core.localize`` picks the build's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..base.yamlio import key_position


class Texts(str):
    """A definition's text given per language (``label: {en: Goal, es: Meta}``).

    It reads as its English text (else the first one given); ``core.localize`` picks
    the build's language from ``variants``. ``where`` is (file, line, column).
    """

    variants: dict[str, str]
    where: tuple[Path, int | None, int | None]

    def __new__(cls, variants: dict[str, str], where: tuple[Path, int | None, int | None]) -> "Texts":
        text = super().__new__(cls, variants.get("en") or next(iter(variants.values()), ""))
        text.variants = dict(variants)
        text.where = where
        return text

    def __reduce__(self):
        return (Texts, (self.variants, self.where))


def read_texts(data: dict, key: str, default: str, path: Path,
               problem: Callable[[Any, Any, str, str], None]) -> str:
    """``data[key]``, a mapping of language tags to texts, as a Texts (``default`` when
    none is usable); each problem goes to ``problem(container, key, message, hint)``."""
    from ..base.i18n import check_tag

    value = data[key]
    variants: dict[str, str] = {}
    for tag, text in value.items():
        normal, message, hint = check_tag(tag)
        if message:
            problem(value, tag, message, hint)
        elif isinstance(text, (dict, list)) or text is None:
            problem(value, tag, f"'{key}' in {normal} must be a text", "")
        else:
            variants[normal] = str(text)
    if not variants:
        if not value:
            problem(data, key, f"'{key}' needs at least one language, e.g. {{en: ...}}", "")
        return default
    line, col = key_position(data, key)
    return Texts(variants, (path, line, col))
