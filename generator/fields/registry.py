"""The field-type registry: every type of worksheet field, each defined in one place.

A worksheet definition gives each field a ``type``. The type says which definition keys
the field takes (and their defaults), how a workbook value is checked, its JSON Schema,
its short human text, whether it sits in the compact grid of short answers, how an
answer typed into a fillable PDF is read back, and which template macros draw it.

A new type is a :class:`FieldType` subclass passed to :func:`register`, and a macro file
under ``templates/fields/`` (in mentorbook's templates or a project's own) holding the
macros its ``macros`` name. Importing :mod:`mentorbook.fields` registers the built-ins.
"""

from __future__ import annotations

from typing import Any, ClassVar

from msgspec import Struct

from ..base.errors import did_you_mean
from ..base.i18n import N_, said
from ..base.limits import too_long, too_many
from ..base.safepath import shorten
from .conditions import normal
from .fielddef import FieldDef

# What the template macros of a type draw (see templates/fields/):
#   filled      an answer read on screen or on paper, inside its <dd>
#   cell        an answer in a table cell or printed into a blank form (prefilled)
#   blank       the blank printed form: ruled lines, boxes, options
#   blank_cell  the type inside a blank table row (most types print nothing there)
#   form        the fillable PDF form field(s)
#   form_cell   the form field(s) inside a fillable table row
#   edit        the browser editor's input(s) with the field's label or legend (live/), as
#               ``macro(f, e)``: ``e`` is where the answer goes (live/forms.py Slot)
#   edit_cell   the input(s) inside a row of an editable table
ROLES = ("filled", "cell", "blank", "blank_cell", "form", "form_cell", "edit", "edit_cell")


class Key(Struct, frozen=True):
    """A definition key a field type takes: its default, an example, and what it means.

    ``read`` names how the definition reader reads it (see program/definitions.py): for a
    type's keys, text, count, texts, choices, scale or fields.
    """

    name: str
    read: str
    default: Any
    example: Any
    doc: str


# Keys every field takes, whatever its type.
COMMON_KEYS = (
    Key("id", "text", "", "goal", "the field's key in a workbook file"),
    Key("label", "text", "", "My goal", "the heading shown with the answer (default: the id, capitalised)"),
    Key("type", "text", "text", "text", "the field type"),
    Key("prompt", "text", "", "What exactly will be done?", "a question printed under the label"),
    Key("required", "flag", False, True, "the workbook must give a value"),
    Key("width", "string", "", "3", "relative column width when the field is a table column"),
    Key("private", "flag", False, True,
        "the answer stays out of cohort reports, which say only whether it is filled in"),
    Key("show_when", "condition", None, {"field": "decision", "is": "ask"},
        "show the field in the site and the filled PDF only when the sibling field 'field' has the value "
        "'is' (or one of a list of values); blank and fillable PDFs show it with a note"),
    Key("role", "text", "", "target_date", "what a feature reads the field as (see Roles), e.g. 'target_date' on the "
        "date of a list of goals"),
)

# Keys several types share; a type lists the ones it takes in ``keys``.
LINES = "ruled lines in the blank printed form"
ROWS = Key("rows", "count", 3, 4, "empty rows or cards in the blank printed form")
FIELDS = Key("fields", "fields", (), [{"id": "task", "label": "Task", "type": "text"}],
             "the fields of each row, card or group (required)")

# Printed widths (pt) of what stays whole in a column of a printed table (print.css, fillable.css)
POINT_PITCH = 11.0  # one point of a rating scale: its circle and the space after it
TICK_WIDTH = 10.0  # a tick box or radio button and the space before its label
LABEL_CHAR = 4.6  # a character of a choice's label at 8pt, generously
OPTION_GAP = 6.0  # between two choices side by side


class FieldType:
    """One type of worksheet field. Subclasses set the class attributes, implement
    ``validate`` and ``schema``, and override what differs: the other defaults suit a
    single answer typed into one form field."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""  # completes "expected ...", e.g. "one line of text"
    keys: ClassVar[tuple[Key, ...]] = ()  # type-specific keys, besides COMMON_KEYS
    requires: ClassVar[tuple[str, ...]] = ()  # keys that must be given
    example: ClassVar[dict[str, Any]] = {}  # a definition of a field of this type
    example_value: ClassVar[Any] = None  # a workbook value for ``example``, as YAML would give it
    short: ClassVar[bool] = False  # filled answers sit in the compact grid of short answers
    nested: ClassVar[bool] = False  # holds other fields ('fields'); not a single answer
    element: ClassVar[bool] = False  # an element between fields (a heading, instructions): holds no value
    entries: ClassVar[bool] = False  # its answer is a list of entries, each a mapping of its fields
    starts_section: ClassVar[bool] = False  # a heading: the fields after it, to the next one, are its section
    signs: ClassVar[bool] = False  # a signature block: its answer says that one party signed
    shown_empty: ClassVar[bool] = False  # filled outputs show it without a value (a signature: a line to sign on)
    template: ClassVar[str] = ""  # the macro file, e.g. "fields/text.html"
    macros: ClassVar[dict[str, str]] = {}  # role -> macro name; "" draws nothing; default NAME_ROLE

    # -- definitions -----------------------------------------------------------------

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)

    def accepts(self) -> list[str]:
        return [k.name for k in (*COMMON_KEYS, *self.keys)]

    def check_definition(self, fdef: FieldDef, siblings: tuple[FieldDef, ...], report: Any) -> None:
        """Check a field's definition beyond what the reader checks for every type.

        Called once per field after its worksheet, row or card is read, before any
        workbook: ``siblings`` are the fields beside it (``fdef`` among them) and
        ``report(key, message, hint="")`` records a located error at that key of the
        field's definition (a build then stops with exit 2). The reader has already
        refused unknown keys, duplicate ids, bad scales, empty choices and widths. The
        default checks ``show_when``; a type adds its own checks (and calls this one).
        """
        check_condition(fdef, siblings, report)
    def check_own_keys(self, fdef: FieldDef, data: dict[str, Any], report: Any) -> None:
        """Report what is wrong with the type's own keys in a field's definition.

        ``fdef`` is the field as read, ``data`` its definition mapping as written (keys
        given or not), and ``report(key, message, hint="")`` records an error at that
        key (at ``type`` when the key is not written). Definitions with errors are
        refused before any workbook is read. The default finds nothing wrong.
        """

    # -- workbook values -------------------------------------------------------------

    max_chars: ClassVar[int] = 0  # the longest text answer (0: the answer is not a text)
    max_items: ClassVar[int] = 0  # the most entries of a list answer (0: the answer is not a list)
    max_item_chars: ClassVar[int] = 0  # the longest text entry of a list answer

    def placeholder(self, text: str) -> Any:
        """What a private answer of this type becomes in a copy others see (see staff/privacy.py):
        ``text`` for a text, else None, and the answer is left out."""
        return None

    def size_problem(self, value: Any) -> tuple[str, str] | None:
        """(message, hint) when ``value`` is too large for this type (see base/limits.py), else None:
        checked before ``validate``, so that any value check passes can be laid out in reasonable time."""
        if self.max_items and isinstance(value, list):
            return too_many(value) or next(
                (p for p in (too_long(v, self.max_item_chars) for v in value
                             if self.max_item_chars and isinstance(v, str)) if p), None)
        if self.max_chars and isinstance(value, str):
            return too_long(value, self.max_chars)
        return None

    def validate(self, walker: Any, fdef: FieldDef, value: Any, path: str, where: Any) -> Any:
        """The clean value, or None after reporting a located problem with ``walker.error``."""
        raise NotImplementedError

    def schema(self, fdef: FieldDef) -> dict[str, Any]:
        """The JSON Schema of a value (without title and description)."""
        raise NotImplementedError

    def text(self, fdef: FieldDef, value: Any, lang: Any = None) -> str:
        """A short, human text for a value that is not empty (numbers written as ``lang``, a
        base.i18n Language, writes them; None: as Python does)."""
        return str(value)

    def compact(self, fdef: FieldDef) -> bool:
        """Written on one short line: laid out beside its neighbours in blank forms."""
        return False

    def print_width(self, fdef: FieldDef) -> tuple[float, str]:
        """The narrowest (pt, padding aside) a column of this type can be in a printed blank
        or fillable table, with what needs it ("its scale of 11 points"): what it prints
        there stays whole. (0, "") when its content may wrap anywhere."""
        return 0.0, ""

    def print_line(self, fdef: FieldDef) -> float:
        """The width (pt, padding aside) its column needs to print on one line in a printed
        table: more than ``print_width`` for choices, which can wrap between them."""
        return self.print_width(fdef)[0]

    # -- fillable PDFs ---------------------------------------------------------------

    def read_form(self, form: Any, fdef: FieldDef, node: Any, path: str) -> Any:
        """A value from the answers of a filled-in PDF (see staff/form_import.py).

        ``node`` is one answer for a single form field, or answers keyed by name
        (rows, list items); ``form`` reports mismatches and counts answers.
        """
        if not form.is_answer(node):
            return form.wrong(node, path)
        text = form.text(node, path)
        return None if text is None else self.read_text(fdef, text)

    def read_text(self, fdef: FieldDef, text: str) -> Any:
        """The value of the (stripped, non-empty) text typed into a form field."""
        return text

    # -- the browser editor (live/) --------------------------------------------------

    def edit_text(self, fdef: FieldDef, value: Any) -> str:
        """The text the editor's input shows for a value as the workbook file holds it ("" for
        none). Two values that show the same text are the same answer: saving an untouched
        field leaves the file as it was."""
        if value is None:
            return ""
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value).replace("\r\n", "\n").strip()

    def from_form(self, form: Any, fdef: FieldDef, node: Any, path: str) -> Any:
        """A value from what the editor's form posted for the field (see live/forms.py).

        ``node`` is the texts posted under the field's name, or, for fields made of
        fields, what was posted for each part keyed by name or row number. Returns None
        for an answer left empty, or ``form.KEEP`` when the form did not hold the field
        (the file's answer stays as it is).
        """
        text = form.text(node, path)
        return text if text is None or text is form.KEEP else self.read_text(fdef, text)

    def edit_fields(self, fdef: FieldDef) -> tuple[FieldDef, ...]:
        """The fields the editor shows inside this one (a row's columns, a signature's name
        and date); () for a single answer."""
        return fdef.fields if self.nested else ()

    # -- templates -------------------------------------------------------------------

    def macro(self, role: str) -> str:
        """The name of the macro drawing ``role`` (one of ROLES) in ``template``; "" for none."""
        if role not in ROLES:
            raise ValueError(f"unknown macro role '{role}'")
        return self.macros.get(role, f"{self.name}_{role}")


class ScalarType(FieldType):
    """A single answer: a mapping or a list is refused before ``clean`` sees the value."""

    short = True

    def validate(self, walker: Any, fdef: FieldDef, value: Any, path: str, where: Any) -> Any:
        if isinstance(value, (dict, list)):
            walker.error(where, path,
                         said(N_("expected %(what)s, got %(kind)s"), what=said(self.description), kind=kind_of(value)))
            return None
        return self.clean(walker, fdef, value, path, where)

    def clean(self, walker: Any, fdef: FieldDef, value: Any, path: str, where: Any) -> Any:
        return value


_TYPES: dict[str, FieldType] = {}


def register(ftype: FieldType | type[FieldType], replace: bool = False) -> FieldType:
    """Add a field type (an instance, or a class to instantiate; usable as a decorator)."""
    instance = ftype() if isinstance(ftype, type) else ftype
    if not instance.name or not instance.template or not instance.description:
        raise ValueError(f"a field type needs a name, a description and a template: {instance!r}")
    if instance.name in _TYPES and not replace:
        raise ValueError(f"field type '{instance.name}' is registered already")
    _TYPES[instance.name] = instance
    return instance


def unregister(name: str) -> None:
    """Remove a field type (a test's own type, say)."""
    _TYPES.pop(name, None)


def get(name: str) -> FieldType:
    """The field type called ``name``; KeyError when there is none."""
    try:
        return _TYPES[name]
    except KeyError:
        raise KeyError(f"unknown field type '{name}'") from None


def names() -> list[str]:
    """Registered type names, in the order they were registered."""
    return list(_TYPES)


def all_keys() -> list[str]:
    """Every definition key some registered type takes."""
    seen = [k.name for k in COMMON_KEYS]
    for ftype in _TYPES.values():
        seen += [k.name for k in ftype.keys if k.name not in seen]
    return seen


def reference() -> list[dict[str, Any]]:
    """Every registered type as data, for documentation: its keys with defaults and examples."""

    def key(k: Key) -> dict[str, Any]:
        return {"name": k.name, "default": k.default, "example": k.example, "doc": k.doc}

    return [{"type": t.name, "description": t.description, "summary": (type(t).__doc__ or "").strip(),
             "keys": [key(k) for k in (*COMMON_KEYS, *t.keys)], "requires": list(t.requires),
             "example": t.example, "example_value": t.example_value} for t in _TYPES.values()]


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def kind_of(value: Any) -> str:
    """What a wrong value is, for messages: "a mapping", "a list", "nothing" (each a base.i18n.Said,
    to be said in the build's language) or it quoted."""
    if isinstance(value, dict):
        return said(N_("a mapping"))
    if isinstance(value, list):
        return said(N_("a list"))
    if value is None:
        return said(N_("nothing"))
    return f"'{shorten(value)}'"

def check_condition(fdef: FieldDef, siblings: tuple[FieldDef, ...], report: Any) -> None:
    """The field a condition names must be another field beside it that holds a value."""
    condition = fdef.show_when
    if condition is None:
        return
    others = [s for s in siblings if s.id != fdef.id]
    target = next((s for s in others if s.id == condition.field), None)
    if target is None:
        ids = [s.id for s in others if not get(s.type).element]
        report("show_when", said(N_("'%(field)s' is not a field beside this one"), field=condition.field),
               did_you_mean(condition.field, ids) if ids else "")
        return
    if get(target.type).element:
        report("show_when", said(N_("'%(field)s' is a %(type)s: it holds no value"), field=condition.field,
                                 type=target.type))
        return
    if target.choices:
        known = [c.value for c in target.choices]
        for value in condition.values:
            if normal(value) not in {normal(k) for k in known}:
                report("show_when",
                       said(N_("'%(value)s' is not a choice of '%(field)s'"), value=value, field=target.id),
                       did_you_mean(value, known))
