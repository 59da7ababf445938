"""Typed configuration options: one class per kind of value a program's files hold.

A configuration file (or one entry of a list in it) is declared as a :class:`Schema`
whose class attributes are options, the attribute's name being the key, as MkDocs
declares ``mkdocs.yml``::

    class MentorEntry(Schema):
        name = Text("the mentor's name", required=True, max_chars=120)
        capacity = Whole("trainees taken at once", default=1, low=0, high=100,
                         message="'capacity' must be a whole number from 0 to 100")

``MentorEntry.read(mapping, context)`` returns the clean values and records every
problem in ``context``: an unknown key (with a did-you-mean), a value of the wrong
kind, a missing key, each at the line and column of the key or value, in the file's
language. Reading never stops at the first problem: a file is checked whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from msgspec import Struct, field

from ..base.errors import Problem, closest, did_you_mean
from ..base.i18n import ENGLISH, N_, Language, said, say
from ..base.limits import MAX_CHARS, char_problem, too_long
from ..base.patterns import LazyPattern
from ..base.safepath import shorten
from ..base.yamlio import key_position, value_position


class Values(dict):
    """The clean values of a mapping a Schema read, by key: ``values["program"]`` or ``values.program``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Invalid(Exception):
    """A value an option refuses: the message (and a hint) of its problem."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class Context(Struct):
    """What reading a file needs besides its data: the file, the folder it belongs to,
    the language of its messages, facts that options look up (``known``: the ids a list
    may name, say) and the problems found so far. ``line`` places every problem on that
    line, for data without positions (a row of a CSV roster)."""

    path: Path
    root: Path | None = None
    lang: Language = ENGLISH
    known: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    line: int | None = None

    def _(self, text: str) -> str:
        return self.lang.gettext(text)

    def report(self, container: Any, key: Any, where: str, message: str, hint: str = "",
               at_value: bool = True, severity: str = "error") -> None:
        """A problem at ``container[key]``: at its value, or (``at_value`` False) at the key."""
        if self.line is not None:
            line, col = self.line, None
        elif isinstance(container, dict) and at_value:
            line, col = value_position(container, key)
        else:
            line, col = key_position(container, key)
        self.problems.append(Problem(self.path, line, say(message, self.lang), column=col, field=where or None,
                                     hint=say(hint, self.lang), severity=severity))


def _message(context: Context, text: str, **values: Any) -> str:
    return context._(text) % values if values else context._(text)


class Option:
    """One key of a configuration file: what it means (``help``), its default, and how a
    value is read. A subclass overrides ``clean``: the clean value, or :class:`Invalid`."""

    def __init__(self, help: str = "", *, default: Any = None, required: bool = False, missing: str = ""):
        self.help, self.default, self.required, self._missing = help, default, required, missing
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def clean(self, value: Any, context: Context, where: str) -> Any:
        return value

    def missing(self, context: Context) -> str:
        """The message for a required key that is not given (or given empty)."""
        return _message(context, self._missing or "'%(key)s' is missing", key=self.name)


class Text(Option):
    """One line of text, spaces collapsed, of at most ``max_chars`` characters (else the
    size limit of a text field)."""

    def __init__(self, help: str = "", *, max_chars: int | None = None, **kwargs: Any):
        kwargs.setdefault("default", "")
        super().__init__(help, **kwargs)
        self.max_chars = max_chars

    def clean(self, value: Any, context: Context, where: str) -> str:
        if isinstance(value, (dict, list)):
            raise Invalid(context._("'%(key)s' must be a text") % {"key": self.name})
        text = " ".join(str(value).split()) if value is not None else ""
        if self.max_chars is not None and len(text) > self.max_chars:
            raise Invalid(*too_long(text, self.max_chars))
        too_large = too_long(text, MAX_CHARS["text"]) if self.max_chars is None else None
        if too_large or (too_large := char_problem("text", text)):  # ESC, NUL, bidi controls: base/limits.py
            raise Invalid(*too_large)
        return text


class Colour(Text):
    """A colour written #rrggbb (or #rgb)."""

    PATTERN = LazyPattern(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

    def clean(self, value: Any, context: Context, where: str) -> str:
        text = super().clean(value, context, where)
        if text and not self.PATTERN.match(text):
            raise Invalid(context._("'%(value)s' is not a colour") % {"value": text},
                          context._("write it as #rrggbb, e.g. #1d4e89"))
        return text


class OneOf(Text):
    """One of a few words. ``message`` says what is wrong (``%(value)s``: the value,
    ``%(values)s``: the words allowed); ``hint`` replaces the did-you-mean."""

    def __init__(self, help: str = "", *, values: Sequence[str], message: str = "unknown value '%(value)s'",
                 hint: str = "", lower: bool = False, **kwargs: Any):
        super().__init__(help, **kwargs)
        self.values, self.message, self.hint, self.lower = tuple(values), message, hint, lower

    def clean(self, value: Any, context: Context, where: str) -> str:
        text = super().clean(value, context, where)
        text = text.lower() if self.lower else text
        if text and text not in self.values:
            message = _message(context, self.message, value=shorten(text), values=", ".join(self.values))
            close = closest(text, list(self.values))
            hint = context._("did you mean '%(value)s'?") % {"value": close} if close else context._(self.hint) \
                if self.hint else did_you_mean(text, list(self.values), context.lang)
            raise Invalid(message, hint)
        return text


    def missing(self, context: Context) -> str:
        return _message(context, self._missing or "'%(key)s' is missing", key=self.name, values=", ".join(self.values))


class Whole(Option):
    """A whole number from ``low`` to ``high``; ``message`` says what is expected."""

    def __init__(self, help: str = "", *, low: int | None = None, high: int | None = None, message: str,
                 hint: str = "", **kwargs: Any):
        super().__init__(help, **kwargs)
        self.low, self.high, self.message, self.hint = low, high, message, hint

    def clean(self, value: Any, context: Context, where: str) -> int:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not whole or (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise Invalid(_message(context, self.message), context._(self.hint) if self.hint else "")
        return value


class Texts(Option):
    """A list of short texts (one text is a list of one), none of them empty."""

    def __init__(self, help: str = "", *, max_items: int, max_chars: int, item: str, example: str = "",
                 **kwargs: Any):
        kwargs.setdefault("default", ())
        super().__init__(help, **kwargs)
        self.max_items, self.max_chars, self.item, self.example = max_items, max_chars, item, example

    def clean(self, value: Any, context: Context, where: str) -> tuple[str, ...]:
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not value:
            raise Invalid(said(N_("'%(key)s' is a list of texts"), key=self.name),
                          said(N_("e.g. %(example)s"), example=self.example) if self.example else "")
        if len(value) > self.max_items:
            raise Invalid(said(N_("'%(key)s' holds %(count)s items; at most %(limit)s are allowed"), key=self.name,
                               count=len(value), limit=self.max_items))
        texts = []
        for i, item in enumerate(value):
            text = " ".join(str(item if item is not None else "").split())
            if isinstance(item, (dict, list)) or not text:
                context.report(value, i, f"{where}[{i}]", self.item, at_value=False)
            elif len(text) > self.max_chars:
                context.report(value, i, f"{where}[{i}]", *too_long(text, self.max_chars), at_value=False)
            else:
                texts.append(text)
        return tuple(texts)


class IdList(Option):
    """A list of ids among ``context.known[known]``, in the order given; ``unknown`` is
    the message for one that is not (``%(id)s``)."""

    def __init__(self, help: str = "", *, known: str, unknown: str, **kwargs: Any):
        kwargs.setdefault("default", ())
        super().__init__(help, **kwargs)
        self.known, self.unknown = known, unknown

    def clean(self, value: Any, context: Context, where: str) -> tuple[str, ...]:
        known = list(context.known.get(self.known, ()))
        if not isinstance(value, list):
            raise Invalid(context._("'%(key)s' must be a list") % {"key": self.name},
                          context._("e.g. %(example)s") % {"example": "[" + ", ".join(known[:3]) + "]"})
        ids = []
        for i, item in enumerate(value):
            if str(item) in known:
                ids.append(str(item))
            else:
                context.report(value, i, f"{where}[{i}]", _message(context, self.unknown, id=shorten(item)),
                               did_you_mean(str(item), known, context.lang), at_value=False)
        return tuple(ids)


class Entries(Option):
    """A list of mappings, each read by its own schema; ``unique`` names a key no two
    entries may share (compared without case); ``shape`` is the message when the value
    is not a list."""

    def __init__(self, schema: type[Schema], help: str = "", *, max_items: int = 0, unique: str = "",
                 shape: str = "", **kwargs: Any):
        kwargs.setdefault("default", ())
        super().__init__(help, **kwargs)
        self.schema, self.max_items, self.unique, self.shape = schema, max_items, unique, shape

    def clean(self, value: Any, context: Context, where: str) -> tuple[dict[str, Any], ...]:
        if not isinstance(value, list):
            raise Invalid(_message(context, self.shape or "'%(key)s' must be a list", key=self.name),
                          self.schema.example)
        if self.max_items and len(value) > self.max_items:
            raise Invalid(said(N_("'%(key)s' holds %(count)s entries; at most %(limit)s are allowed"),
                               key=self.name, count=f"{len(value):,}", limit=self.max_items), self.schema.too_many)
        entries, seen = [], {}
        for i, item in enumerate(value):
            spot = f"{where}[{i}]"
            if not isinstance(item, dict):
                context.report(value, i, spot, self.schema.shape, at_value=False)
                continue
            read = self.schema.read(item, context, spot, place=(value, i))
            key = str(read.get(self.unique) or "").casefold() if read and self.unique else ""
            if key and key in seen:
                context.report(item, self.unique, f"{spot}.{self.unique}",
                               said(self.schema.twice, value=shorten(read[self.unique])),
                               said(N_("also at %(place)s; keep one entry each"), place=f"{where}[{seen[key]}]"))
                continue
            seen.setdefault(key, i)
            if read is not None:
                entries.append(read)
        return tuple(entries)


class Schema:
    """A mapping of options, declared as class attributes (see the module's docstring).

    ``shape`` is the message when a value is not such a mapping, ``example`` a hint that
    shows one. A subclass may override ``check`` for rules that join several keys."""

    options: ClassVar[dict[str, Option]] = {}
    shape: ClassVar[str] = N_("expected a mapping")
    example: ClassVar[str] = ""
    twice: ClassVar[str] = N_("'%(value)s' is in the list twice")
    too_many: ClassVar[str] = ""
    unknown: ClassVar[str] = N_("unknown key '%(key)s'")
    allowed: ClassVar[str] = N_("allowed keys: %(keys)s")  # after the did-you-mean of an unknown key

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: dict[str, Option] = {}
        for klass in reversed(cls.__mro__):
            found.update({k: v for k, v in vars(klass).items() if isinstance(v, Option)})
        cls.options = found

    @classmethod
    def keys(cls) -> list[str]:
        return list(cls.options)

    @classmethod
    def read(cls, data: dict, context: Context, where: str = "",
             place: tuple[Any, Any] | None = None) -> Values | None:
        """The clean value of every option (its default when not given); every problem
        goes to ``context``. None when a required key is missing or empty, or ``check``
        refuses the mapping. ``place`` (the list and index holding ``data``) locates a
        missing key."""
        cls.unknown_keys(data, context, where)
        values = Values()
        complete = True
        for name, option in cls.options.items():
            spot = f"{where}.{name}" if where else name
            given = data.get(name)
            if given is None or (option.required and given == ""):
                if option.required:
                    complete = False
                    # an empty value where it is; a key not given at the mapping's first key (or its place in a list)
                    container, key = (data, name) if name in data else (data, next(iter(data))) if data else \
                        (place or (data, name))
                    context.report(container, key, spot, option.missing(context), at_value=name in data)
                values[name] = option.default
                continue
            try:
                values[name] = option.clean(given, context, spot)
            except Invalid as problem:
                context.report(data, name, spot, problem.message, problem.hint)
                values[name] = option.default
        return values if complete and cls.check(values, data, context, where) else None

    @classmethod
    def unknown_keys(cls, data: dict, context: Context, where: str) -> None:
        """Report every key the schema does not declare, with the close one if any."""
        known = cls.keys()
        for key in data:
            if key in cls.options:
                continue
            close = closest(str(key), known)
            allowed = _message(context, cls.allowed, keys=", ".join(known))
            hint = context._("did you mean '%(value)s'?") % {"value": close} + "; " + allowed if close else allowed
            context.report(data, key, f"{where}.{shorten(key, 40)}" if where else str(key),
                           _message(context, cls.unknown, key=shorten(key)), hint, at_value=False)

    @classmethod
    def check(cls, values: dict[str, Any], data: dict, context: Context, where: str) -> bool:
        """Rules across keys: report what is wrong and return False to refuse the mapping."""
        return True

    @classmethod
    def reference(cls) -> dict[str, str]:
        """Each key with what it means, for the docs."""
        return {name: option.help for name, option in cls.options.items()}
