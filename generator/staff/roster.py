"""A cohort's roster: one row per trainee, from CSV or YAML, each row checked on its own."""

from __future__ import annotations

import csv
import functools
import io
import os
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from ..base.errors import Problem
from ..base.i18n import ENGLISH, N_, Language
from ..base.safepath import MAX_PATH, UnreadableFile, contained, read_limited, shorten
from ..base.yamlio import MAX_BYTES, YamlFileError, decode, key_position, read_yaml
from ..fields.date import parse_date
from ..program.options import Context, Invalid, Schema, Text


class Names(Text):
    """Names separated by semicolons (``Dr. A; Dr. B``), or a YAML list of names."""

    def clean(self, value: Any, context: Context, where: str) -> tuple[str, ...]:
        if isinstance(value, list):
            return tuple(name for name in (super(Names, self).clean(v, context, where) for v in value) if name)
        return tuple(name for name in (part.strip() for part in super().clean(value, context, where).split(";"))
                     if name)


class StartDate(Text):
    """A date written YYYY-MM-DD, kept as written."""

    def clean(self, value: Any, context: Context, where: str) -> str:
        text = super().clean(value, context, where)
        if text and parse_date(text) is None:
            raise Invalid(context._("'%(value)s' is not a date") % {"value": shorten(text)},
                          context._("write dates as YYYY-MM-DD"))
        return text


class WorkbookFile(Text):
    """A workbook file, relative to the roster and inside its folder (``context.root``)."""

    def clean(self, value: Any, context: Context, where: str) -> Path | None:
        text = str(value).strip()
        if len(text) > MAX_PATH:
            raise Invalid(context._("workbook '%(file)s' is a path of %(count)s characters; at most %(most)s "
                                    "are allowed") % {"file": shorten(text), "count": _grouped(len(text), context.lang),
                                                      "most": _grouped(MAX_PATH, context.lang)})
        folder = context.root or context.path.parent
        path = folder / text
        if Path(text).is_absolute() or not contained(path, folder):
            raise Invalid(context._("workbook '%(file)s' is outside the roster's folder") % {"file": shorten(text)},
                          context._("give a path relative to the roster, inside its folder"))
        if not _is_file(path):
            raise Invalid((context._("workbook '%(file)s' is not a regular file") if os.path.lexists(path)
                           else context._("workbook '%(file)s' not found")) % {"file": shorten(text)})
        return path


def _grouped(count: int, lang: Language) -> str:
    """A large count with its digits grouped: "1,500,000", "1.500.000"."""
    return f"{count:,}" if lang.english else lang.number(count)


class RosterColumns(Schema):
    """The columns of a roster (the keys of a YAML roster's entries)."""

    unknown = N_("unknown column '%(key)s'")
    allowed = N_("columns: %(keys)s")

    name = Text("the trainee's name", required=True, missing=N_("the row has no name"))
    role = Text("their role or year, e.g. PGY-1 resident")
    program = Text("their program, if not the project's")
    start_date = StartDate("when they started, YYYY-MM-DD: milestones count from it")
    mentors = Names("their assigned mentors, separated by ';'", default=())
    email = Text("their email address")
    workbook = WorkbookFile("their own workbook file, relative to the roster", default=None)


COLUMNS = tuple(RosterColumns.keys())


class RosterRow(Struct, frozen=True):
    line: int
    name: str
    role: str = ""
    program: str = ""
    start_date: str = ""
    mentors: tuple[str, ...] = ()
    email: str = ""
    workbook: Path | None = None


class Roster(Struct):
    path: Path
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _row(path: Path, line: int, record: dict, roster: Roster, lang: Language = ENGLISH) -> None:
    """One row, read by RosterColumns: a row with problems is left out, its problems kept."""
    context = Context(path, path.parent, lang=lang, line=line)
    values = RosterColumns.read(record, context)
    if context.problems or values is None:
        roster.problems += context.problems
        return
    roster.rows.append(RosterRow(line=line, **values))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name longer than the file system allows, ...
        return False


def read_roster(path: Path, lang: Language = ENGLISH) -> Roster:
    """Read a roster; rows with problems are left out and reported with their line (in ``lang``)."""
    roster = Roster(path)
    _ = lang.gettext
    if path.suffix.lower() in (".yml", ".yaml"):
        try:
            data = read_yaml(path, lang=lang)
        except YamlFileError as exc:
            roster.problems.append(exc.problem)
            return roster
        if not isinstance(data, list):
            roster.problems.append(Problem(path, 1,
                                           _("a YAML roster is a list of trainees (lines starting with '- ')")))
            return roster
        for index, record in enumerate(data):
            line = key_position(data, index)[0] or 1
            if not isinstance(record, dict):
                roster.problems.append(Problem(path, line, _("each trainee is a mapping of name, role, ...")))
                continue
            _row(path, line, record, roster, lang)
        return roster
    try:
        text = decode(path, read_limited(path, MAX_BYTES), lang)  # UTF-8; UTF-16/32 and NUL bytes refused, located
    except UnreadableFile as exc:
        roster.problems.append(Problem(path, None, _("cannot read roster: %(reason)s") % {"reason": exc.said(lang)}))
        return roster
    except YamlFileError as exc:
        roster.problems.append(exc.problem)
        return roster
    reader = csv.DictReader(io.StringIO(text))
    try:
        _csv_rows(path, reader, roster, lang)
    except csv.Error as exc:  # a cell beyond the csv module's field limit, a NUL byte, ...
        roster.problems.append(Problem(path, reader.line_num or None,
                                       _("cannot read the roster: %(reason)s") % {"reason": shorten(exc)},
                                       hint=_("check the quotes and the length of each cell")))
    return roster


def _csv_rows(path: Path, reader: csv.DictReader, roster: Roster, lang: Language = ENGLISH) -> None:
    _ = lang.gettext
    for record in reader:
        line = reader.line_num
        if None in record:  # more cells than columns
            extra = len(record[None])
            roster.problems.append(Problem(path, line, lang.ngettext("the row has %(count)s cell too many",
                                                                     "the row has %(count)s cells too many", extra)
                                           % {"count": extra},
                                           hint=_("check for a stray comma; quote names that contain one")))
            continue
        if any(value is None for value in record.values()):
            roster.problems.append(Problem(path, line, _("the row has too few cells"),
                                           hint=_("columns: %(keys)s")
                                           % {"keys": ",".join(reader.fieldnames or COLUMNS)}))
            continue
        _row(path, line, {k: v for k, v in record.items() if v != "" or k == "name"}, roster, lang)


# --- what the roster knows of a trainee, written into workbook data through the roles ---------------------


@functools.lru_cache(maxsize=1)
def builtin_contract():
    """The roles of mentorbook's own worksheets (for callers that have no project's contract)."""
    from ..base.paths import WORKSHEETS_DIR
    from ..program.contract import bind
    from ..program.definitions import load_definitions

    return bind(load_definitions(WORKSHEETS_DIR)[0])[0]


def add_assigned(data: dict, mentors: tuple[str, ...], contract: Any = None, agreements: bool = True) -> dict:
    """``data`` with each assigned mentor on the mentor map and (with ``agreements``) in an agreement
    (the built-in agreement, or the program's compact: whatever declares the roles), unless already there."""
    from ..program.roles import AGREEMENT_LIST, ASSIGNED, MENTOR_MAP

    contract = contract or builtin_contract()
    lists = ((MENTOR_MAP, "mentor_name"), (AGREEMENT_LIST, "mentor"))
    for role, named in lists if agreements else lists[:1]:
        found = contract.entries_of(data, role, create=bool(mentors)) if mentors else None
        if found is None or contract.child(found[0], named) is None:
            continue
        bound, entries = found
        known = {str(contract.value(e, bound, named) or "").strip() for e in entries if isinstance(e, dict)}
        for name in (m for m in mentors if m not in known):
            how = {"found_via": ASSIGNED} if role == MENTOR_MAP and contract.offers(bound, "found_via", ASSIGNED) \
                else {}
            entries.append(contract.new_entry(bound, {named: name, **how}))
            known.add(name)
    return data


def roster_workbook(row: RosterRow, contract: Any = None) -> dict:
    """What the roster knows of a trainee: who they are and their assigned mentors."""
    trainee = {"name": row.name}
    for key in ("role", "program", "email", "start_date"):
        if getattr(row, key):
            trainee[key] = getattr(row, key)
    return add_assigned({"trainee": trainee}, row.mentors, contract)


def merge(own: Any, row: RosterRow, contract: Any = None, agreements: bool = True) -> Any:
    """A trainee's own workbook, completed with what the roster says: who they are, and each
    assigned mentor on their mentor map and (with ``agreements``, for the workbook a cohort prints)
    in an agreement, for both to fill in. The report leaves agreements as the trainee wrote them."""
    if not isinstance(own, dict):
        return own  # reported by validation, with its location
    trainee = own.setdefault("trainee", {})
    if isinstance(trainee, dict):
        for key, value in roster_workbook(row, contract)["trainee"].items():
            trainee.setdefault(key, value)
    return add_assigned(own, row.mentors, contract, agreements)
