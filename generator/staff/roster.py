"""A cohort's roster: one row per trainee, from CSV or YAML, each row checked on its own."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import Problem
from ..base.errors import did_you_mean
from ..base.limits import char_problem
from ..fields.date import parse_date
from ..base.safepath import MAX_PATH, UnreadableFile, contained, read_limited, shorten
from ..base.yamlio import MAX_BYTES, YamlFileError, decode, key_position, read_yaml

COLUMNS = ("name", "role", "program", "start_date", "mentors", "email", "workbook")


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    role: str = ""
    program: str = ""
    start_date: str = ""
    mentors: tuple[str, ...] = ()
    email: str = ""
    workbook: Path | None = None


@dataclass
class Roster:
    path: Path
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _mentors(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value or "").split(";") if part.strip())


def _row(path: Path, line: int, record: dict, roster: Roster) -> None:
    problems = []
    for key in record:
        if key not in COLUMNS:
            problems.append(Problem(path, line, f"unknown column '{shorten(key)}'", field=shorten(key, 40),
                                    hint=did_you_mean(str(key)[:100], list(COLUMNS))))
    name = str(record.get("name") or "").strip()
    if not name:
        problems.append(Problem(path, line, "the row has no name", field="name"))
    for key in ("name", "role", "program", "email", "mentors"):
        bad = char_problem("text", [str(v) for v in record.get(key)] if isinstance(record.get(key), list)
                           else str(record.get(key) or ""))
        if bad:
            problems.append(Problem(path, line, bad[0], field=key, hint=bad[1]))
    start = str(record.get("start_date") or "").strip()
    if start and parse_date(start) is None:
        problems.append(Problem(path, line, f"'{shorten(start)}' is not a date", field="start_date",
                                hint="write dates as YYYY-MM-DD"))
    workbook = str(record.get("workbook") or "").strip()
    workbook_path = (path.parent / workbook) if workbook else None
    if len(workbook) > MAX_PATH:
        problems.append(Problem(path, line, f"workbook '{shorten(workbook)}' is a path of {len(workbook):,} "
                                f"characters; at most {MAX_PATH:,} are allowed", field="workbook"))
    elif workbook_path is not None and (Path(workbook).is_absolute() or not contained(workbook_path, path.parent)):
        problems.append(Problem(path, line, f"workbook '{shorten(workbook)}' is outside the roster's folder",
                                field="workbook", hint="give a path relative to the roster, inside its folder"))
    elif workbook_path is not None and not _is_file(workbook_path):
        what = "is not a regular file" if os.path.lexists(workbook_path) else "not found"
        problems.append(Problem(path, line, f"workbook '{shorten(workbook)}' {what}", field="workbook"))
    if problems:
        roster.problems += problems
        return
    roster.rows.append(RosterRow(line=line, name=name, role=str(record.get("role") or "").strip(),
                                 program=str(record.get("program") or "").strip(), start_date=start,
                                 mentors=_mentors(record.get("mentors")),
                                 email=str(record.get("email") or "").strip(), workbook=workbook_path))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name longer than the file system allows, ...
        return False


def read_roster(path: Path) -> Roster:
    """Read a roster; rows with problems are left out and reported with their line."""
    roster = Roster(path)
    if path.suffix.lower() in (".yml", ".yaml"):
        try:
            data = read_yaml(path)
        except YamlFileError as exc:
            roster.problems.append(exc.problem)
            return roster
        if not isinstance(data, list):
            roster.problems.append(Problem(path, 1, "a YAML roster is a list of trainees (lines starting with '- ')"))
            return roster
        for index, record in enumerate(data):
            line = key_position(data, index)[0] or 1
            if not isinstance(record, dict):
                roster.problems.append(Problem(path, line, "each trainee is a mapping of name, role, ..."))
                continue
            _row(path, line, record, roster)
        return roster
    try:
        text = decode(path, read_limited(path, MAX_BYTES))  # UTF-8; UTF-16/32 and NUL bytes refused, located
    except UnreadableFile as exc:
        roster.problems.append(Problem(path, None, f"cannot read roster: {exc.reason}"))
        return roster
    except YamlFileError as exc:
        roster.problems.append(exc.problem)
        return roster
    reader = csv.DictReader(io.StringIO(text))
    try:
        _csv_rows(path, reader, roster)
    except csv.Error as exc:  # a cell beyond the csv module's field limit, a NUL byte, ...
        roster.problems.append(Problem(path, reader.line_num or None, f"cannot read the roster: {shorten(exc)}",
                                       hint="check the quotes and the length of each cell"))
    return roster


def _csv_rows(path: Path, reader: csv.DictReader, roster: Roster) -> None:
    for record in reader:
        line = reader.line_num
        if None in record:  # more cells than columns
            roster.problems.append(Problem(path, line, f"the row has {len(record[None])} cell(s) too many",
                                           hint="check for a stray comma; quote names that contain one"))
            continue
        if any(value is None for value in record.values()):
            roster.problems.append(Problem(path, line, "the row has too few cells",
                                           hint="columns: " + ",".join(reader.fieldnames or COLUMNS)))
            continue
        _row(path, line, {k: v for k, v in record.items() if v != "" or k == "name"}, roster)
