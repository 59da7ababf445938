"""The contract between definitions and features: which field plays which role.

Definitions declare roles (``role: goals`` on a list, ``role: target_date`` on its
child; see program/roles.py for every role). :func:`bind` finds them in the loaded
definitions and checks each: a role must be known, sit where its feature looks for it
(inside the list of its ``within`` role) and have a type that feature can read.
The features read the typed model (core/features.py builds it through the
:class:`Contract`), so a program's own worksheet that declares the roles feeds them.

:func:`switched_off` compares a project's contract with the built-in one: where a
replacing worksheet drops a role that features read, one notice (located in the
replacing file) says what is off. :func:`frequency_notices` points at meeting-frequency
choices whose period is unknown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from msgspec import Struct

from .. import fields as field_types
from ..base.errors import Problem, did_you_mean
from ..base.i18n import ENGLISH, N_, Language, said, say
from ..fields.fielddef import FieldDef
from .definitions import WorksheetDef
from .roles import FREQUENCIES, ROLES, Frequency, period


class Bound(Struct, frozen=True):
    """One declaration of a role: where it sits and the field that declares it."""

    role: str
    path: tuple[tuple[str, bool], ...]  # (field id, holds a list) from the workbook's top
    fdef: FieldDef
    sheet: WorksheetDef
    parent: Bound | None = None

    @property
    def dotted(self) -> str:
        return ".".join(key for key, _ in self.path)

    @property
    def relative(self) -> tuple[str, ...]:
        """The field ids from the entry of the enclosing list (``parent``) to this field."""
        start = len(self.parent.path) if self.parent else 0
        return tuple(key for key, _ in self.path[start:])


class Contract(Struct, frozen=True):
    """Which fields of a program's worksheets play the roles that features read and write."""

    bounds: tuple[Bound, ...] = ()
    frequencies: tuple[tuple[str, Frequency], ...] = ()  # choice value -> period, known or declared

    def top(self, role: str) -> tuple[Bound, ...]:
        """Every declaration of a role outside any list of entries, in definition order."""
        return tuple(b for b in self.bounds if b.role == role and b.parent is None)

    def child(self, parent: Bound, role: str) -> Bound | None:
        return next((b for b in self.bounds if b.role == role and b.parent is parent), None)

    def has(self, role: str) -> bool:
        return any(b.role == role for b in self.bounds)

    def key(self, entry_path: str, role: str) -> str | None:
        """The field id (dotted) that plays ``role`` in the entry at ``entry_path``
        ("plan.goals[2]"), or None when that list declares no such field."""
        stripped = re.sub(r"\[\d+\]", "", entry_path)
        parent = next((b for b in self.bounds if b.dotted == stripped), None)
        bound = self.child(parent, role) if parent else None
        return ".".join(bound.relative) if bound else None

    def period(self, value: str) -> Frequency | None:
        return dict(self.frequencies).get(value)

    # -- writing through the roles ---------------------------------------------------------

    def entries_of(self, data: dict, role: str, create: bool = False) -> tuple[Bound, list] | None:
        """The first declaration of the list ``role`` outside any list, with its entries in
        ``data`` (an empty list put where it goes when ``create``); None when no worksheet
        declares the role, or the data there is not a list."""
        bound = next(iter(self.top(role)), None)
        if bound is None:
            return None
        node = data
        for key, is_list in bound.path[:-1]:
            if node.get(key) is None and create and not is_list:
                node[key] = {}
            if is_list or not isinstance(node.get(key), dict):
                return None
            node = node[key]
        key, is_list = bound.path[-1]
        if is_list and node.get(key) is None and create:
            node[key] = []
        return (bound, node[key]) if is_list and isinstance(node.get(key), list) else None

    def new_entry(self, bound: Bound, values: dict[str, Any]) -> dict:
        """An entry of the list ``bound`` holding each value of ``values`` (role -> value) in the
        field that plays the role; a role the list does not declare is left out."""
        entry: dict = {}
        for role, value in values.items():
            child = self.child(bound, role)
            if child is not None and value not in (None, "", [], ()):
                node = entry
                for key in child.relative[:-1]:
                    node = node.setdefault(key, {})
                node[child.relative[-1]] = list(value) if isinstance(value, tuple) else value
        return entry

    def value(self, entry: Any, bound: Bound, role: str) -> Any:
        """What an entry of the list ``bound`` holds in the field that plays ``role`` (None: nothing)."""
        child = self.child(bound, role)
        if child is None:
            return None
        for key in child.relative:
            entry = entry.get(key) if isinstance(entry, dict) else None
        return entry

    def offers(self, bound: Bound, role: str, value: str) -> bool:
        """Whether the field that plays ``role`` in the list ``bound`` has the choice ``value``."""
        child = self.child(bound, role)
        return child is not None and any(c.value == value for c in child.fdef.choices)


def _kind(fdef: FieldDef) -> str:
    return "entries" if field_types.get(fdef.type).entries else fdef.type


class _Binder:
    """Walks the definitions, declaring each role where it sits (see :func:`bind`)."""

    def __init__(self, lang: Language = ENGLISH) -> None:
        self.bounds: list[Bound] = []
        self.problems: list[Problem] = []
        self.lang = lang

    def report(self, sheet: WorksheetDef, fdef: FieldDef | None, message: str, hint: str = "") -> None:
        """A problem at the ``role`` key; message and hint (base.i18n.Said) said in the program's language."""
        at = (fdef.at if fdef is not None else sheet.at).get("role", (None, None))
        self.problems.append(Problem(sheet.source, at[0], say(message, self.lang), column=at[1], field="role",
                                     hint=say(hint, self.lang)))

    def _misplaced(self, name: str, fdef: FieldDef, node: FieldDef | None, parent: Bound | None,
                   is_list: bool) -> tuple[str, str] | None:
        """Why role ``name`` cannot be declared here (message, hint), or None."""
        role = ROLES[name]
        kind = "entries" if is_list else _kind(fdef)
        if kind not in role.kinds:
            kinds = [said(N_("repeated worksheet, cards or table")) if k == "entries"
                     else said(N_("%(type)s field"), type=k) for k in role.kinds]
            wanted = kinds[0]
            for other in kinds[1:]:
                wanted = said(N_("%(one)s or %(other)s"), one=wanted, other=other)
            actual = (said(N_("worksheet without repeat")) if node is None
                      else said(N_("%(type)s field"), type=fdef.type))
            return said(N_("role '%(role)s' needs a %(wanted)s, not a %(actual)s"), role=name, wanted=wanted,
                        actual=actual), ""
        within = parent.role if parent else ""
        if within not in (role.within.split() or [""]):
            wanted = " or ".join(f"'{w}'" for w in role.within.split())
            message = said(N_("role '%(role)s' cannot sit inside the '%(list)s' list"), role=name, list=parent.role) \
                if parent else said(N_("role '%(role)s' cannot sit outside a list"), role=name)
            return (message, said(N_("it belongs in the list with role %(wanted)s"), wanted=wanted) if wanted
                    else said(N_("declare it outside any list")))
        if any(b.role == name and b.parent is parent and (parent is not None or not _many(name))
               for b in self.bounds):
            return (said(N_("role '%(role)s' is declared twice here"), role=name),
                    said(N_("give each role to one field")))
        return None

    def declare(self, sheet: WorksheetDef, fdef: FieldDef, node: FieldDef | None, path: tuple,
                parent: Bound | None, is_list: bool) -> Bound | None:
        if fdef.role not in ROLES:
            self.report(sheet, node, said(N_("unknown role '%(role)s'"), role=fdef.role),
                        did_you_mean(fdef.role, list(ROLES), self.lang))
            return None
        wrong = self._misplaced(fdef.role, fdef, node, parent, is_list)
        if wrong:
            self.report(sheet, node, *wrong)
            return None
        bound = Bound(fdef.role, path, fdef, sheet, parent)
        self.bounds.append(bound)
        return bound

    def walk(self, sheet: WorksheetDef, fdef: FieldDef, path: tuple, parent: Bound | None, loose: str = "") -> None:
        """``loose``: the id of an enclosing list that declares no role (its entries are no one's)."""
        for child in fdef.fields:
            is_list = field_types.get(child.type).entries
            child_path = (*path, (child.id, is_list))
            scope, inner_loose = parent, loose
            if child.role and loose and ROLES.get(child.role) and ROLES[child.role].within:
                self.report(sheet, child,
                            said(N_("role '%(role)s' sits in the list '%(list)s', which declares no role"),
                                 role=child.role, list=loose),
                            said(N_("give that list its role, or move the field out of it")))
            elif child.role:
                bound = self.declare(sheet, child, child, child_path, parent, is_list)
                if bound and is_list:
                    scope, inner_loose = bound, ""
            elif is_list:
                scope, inner_loose = None, child.id
            self.walk(sheet, child, child_path, scope, inner_loose)


def bind(definitions: list[WorksheetDef] | tuple[WorksheetDef, ...],
         lang: Language = ENGLISH) -> tuple[Contract, list[Problem]]:
    """Find every declared role; problems for roles that are unknown or misplaced (in ``lang``)."""
    binder = _Binder(lang)
    for sheet in definitions:
        as_field = sheet.as_field()
        path = ((sheet.id, sheet.repeat),)
        scope = None
        if sheet.role:
            scope = binder.declare(sheet, FieldDef(id=sheet.id, label=sheet.title, type=as_field.type,
                                                   role=sheet.role), None, path, None, sheet.repeat)
        binder.walk(sheet, as_field, path, scope)
    return Contract(tuple(binder.bounds), _frequencies(binder.bounds)), binder.problems


def _many(role: str) -> bool:
    """Lists outside any list may be declared by several worksheets: their entries are read together."""
    return ROLES[role].kinds == ("entries",)


def _frequencies(bounds: list[Bound]) -> tuple[tuple[str, Frequency], ...]:
    found: dict[str, Frequency] = {}
    for bound in bounds:
        if bound.role != "meeting_frequency":
            continue
        for choice in bound.fdef.choices:
            known = period(choice.every) if choice.every else FREQUENCIES.get(choice.value)
            if known and choice.value not in found:
                found[choice.value] = known
    return tuple(found.items())


def frequency_notices(contract: Contract, lang: Language = ENGLISH) -> list[Problem]:
    """A notice for each meeting-frequency choice whose period no one knows (in ``lang``)."""
    _ = lang.gettext
    notices = []
    for bound in contract.bounds:
        if bound.role != "meeting_frequency":
            continue
        for choice in bound.fdef.choices:
            if not choice.every and choice.value not in FREQUENCIES:
                line, col = choice.at
                notices.append(Problem(
                    bound.sheet.source, line, _("the meeting frequency '%(value)s' has no known period: the "
                                                "meeting-gap insight and the calendar skip agreements that choose it")
                    % {"value": choice.value}, column=col,
                    field=bound.dotted, severity="notice", hint=_("give the choice a period, e.g. every: 3 weeks")))
    return notices


def switched_off(builtin: Contract, contract: Contract, definitions: list[WorksheetDef] | tuple,
                 builtin_sources: set[Path], lang: Language = ENGLISH) -> list[Problem]:
    """One notice per replacing worksheet that drops roles the built-ins declare."""
    def where(bound: Bound) -> tuple[str, str]:
        return bound.role, bound.parent.role if bound.parent else ""

    present = {where(b) for b in contract.bounds}
    by_sheet: dict[str, list[str]] = {}
    for bound in builtin.bounds:
        gone = where(bound) not in present
        parent_gone = bound.parent is not None and where(bound.parent) not in present
        if gone and not parent_gone and bound.role not in by_sheet.get(bound.sheet.id, []):
            by_sheet.setdefault(bound.sheet.id, []).append(bound.role)
    notices = []
    for sheet in definitions:
        missing = by_sheet.get(sheet.id)
        if not missing or sheet.source in builtin_sources:
            continue
        names = ", ".join(f"'{m}'" for m in missing)
        off = "; ".join(lang.gettext(ROLES[m].turns_on) for m in missing)
        line, col = sheet.at.get("id", (1, None))
        notices.append(Problem(
            sheet.source, line, lang.gettext("the worksheet '%(sheet)s' declares no role %(roles)s, so this is off: "
                                             "%(off)s") % {"sheet": sheet.id, "roles": names, "off": off},
            column=col, field="role", severity="notice",
            hint=lang.gettext("declare the role on a field that holds it to turn it back on")))
    return notices


def declared(contract: Contract) -> dict[str, list[str]]:
    """For documentation and tests: each role and the dotted paths that declare it."""
    found: dict[str, list[str]] = {}
    for bound in contract.bounds:
        found.setdefault(bound.role, []).append(bound.dotted)
    return found
