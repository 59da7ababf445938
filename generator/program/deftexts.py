"""Definition texts given per language (``label: {en: Goal, es: Meta}``).

``core.definitions`` reads them; ``core.localize`` picks the build's language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..base.i18n import ENGLISH, Language
from ..base.yamlio import key_position

# The one rule for texts people read: each of these keys of a worksheet definition (and a
# document's title in mentorbook.yml) is a text, or a mapping of language tags to texts
# (``label: {en: Goal, es: Meta}``). So is each item of ``suggestions``, each label of
# ``anchors`` and each choice's ``label``. Any other key takes one text: a mapping there is an
# error. A mapping without the build's language falls back to English with a located notice.
TEXT_KEYS = ("title", "intro", "label", "prompt", "text", "item_label", "unit")
TEXT_LISTS = ("suggestions",)  # each item a text, or one per language
TEXT_MAPS = ("anchors",)  # each value a text, or one per language


class Texts(str):
    """A definition's text given per language (``label: {en: Goal, es: Meta}``).

    It reads as its English text (else the first one given); ``core.localize`` picks
    the build's language from ``variants``. ``where`` is (file, line, column).
    """

    variants: dict[str, str]
    where: tuple[Path, int | None, int | None]

    def __new__(cls, variants: dict[str, str], where: tuple[Path, int | None, int | None]) -> Texts:
        text = super().__new__(cls, variants.get("en") or next(iter(variants.values()), ""))
        text.variants = dict(variants)
        text.where = where
        return text

    def __reduce__(self):
        return (Texts, (self.variants, self.where))


def read_texts(data: dict, key: str, default: str, path: Path,
               problem: Callable[[Any, Any, str, str], None], lang: Language = ENGLISH) -> str:
    """``data[key]``, a mapping of language tags to texts, as a Texts (``default`` when
    none is usable); each problem goes to ``problem(container, key, message, hint)`` in ``lang``."""
    from ..base.i18n import check_tag

    _ = lang.gettext
    value = data[key]
    variants: dict[str, str] = {}
    for tag, text in value.items():
        normal, message, hint = check_tag(tag, lang)
        if message:
            problem(value, tag, message, hint)
        elif isinstance(text, (dict, list)) or text is None:
            problem(value, tag, _("'%(key)s' in %(tag)s must be a text") % {"key": key, "tag": normal}, "")
        else:
            variants[normal] = str(text)
    if not variants:
        if not value:
            problem(data, key, _("'%(key)s' needs at least one language, e.g. {en: ...}") % {"key": key}, "")
        return default
    line, col = key_position(data, key)
    return Texts(variants, (path, line, col))
