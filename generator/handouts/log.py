"""Append a meeting entry to a workbook file and leave every other line as it was.

The new entry is pre-filled from the agenda: its topics, and the open action items
of the relationship carried forward. It is written with ruamel.yaml in the file's own
indentation and spliced in as new lines right after the last meeting, so comments,
key order, quoting and blank lines elsewhere stay byte for byte. (An empty
``meetings: []`` loses its brackets; only a non-empty list in flow style, ``meetings:
[{...}]``, makes the whole document be written anew.)
Before the file is replaced, the result is read back and validated; the replacement
itself is atomic (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from msgspec import Struct
from msgspec.structs import replace
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..base.errors import InputError, MentorbookError, OutputError, Problem
from ..base.i18n import N_, said
from ..base.paths import CONTENT_DIR, SAMPLE_WORKBOOK, TEMPLATES_DIR
from ..base.yamledit import plain, rt_yaml
from ..program.project import BUILTIN, Project
from ..program.roles import MEETINGS
from .agenda import Agenda

BOM = "\ufeff"
DEFAULT_OFFSET = 2  # "  - date: ..." under "meetings:" when the file gives no example
_EMPTY_FLOW = re.compile(r"^meetings:\s*\[\s*\]\s*(#.*)?$")
UNCHANGED = N_("the workbook was not changed")


class LogResult(Struct, frozen=True):
    path: Path
    entry: dict[str, Any]  # the added entry as plain data
    text: str  # the added entry as YAML, as it appears in the file
    line: int  # 1-based line of its first key
    plan: Agenda | None = None  # the agenda the entry was made from


def log_meeting(workbook: Path | None, mentor: str, date: dt.date | None, *, project: Project = BUILTIN,
                dry_run: bool = False) -> LogResult:
    """``mentorbook log``: read and check the workbook, plan the meeting, append its entry.

    The workbook is changed through ``writer.update_file``: locked while it is read, planned
    from and rewritten, so two ``log`` runs at once add two meetings; through its symlink,
    keeping its hard links.
    """
    from ..base.writer import update_file
    from ..pipeline import BuildOptions, build_date, prepare
    from .agenda import make_agenda

    day = build_date(date)
    path = workbook or SAMPLE_WORKBOOK
    options = BuildOptions(workbook=workbook, today=day, project=project)
    if dry_run:
        plan = make_agenda(prepare(options), mentor, day)
        return replace(append_meeting(path, plan, project=project, dry_run=True), plan=plan)
    refuse_own_files(path)
    read_text(path)  # a file that is missing or cannot be read: its located error, before any lock
    done: list[LogResult] = []

    def change(raw: bytes) -> bytes:
        plan = make_agenda(prepare(options), mentor, day)  # the file as it is now, under the lock
        result, new = appended(path, raw, plan, project)
        done.append(replace(result, plan=plan))
        return new

    update_file(path, change)
    return done[0]


def _yaml() -> YAML:
    return rt_yaml()


def new_entry(agenda: Agenda) -> CommentedMap:
    """The meeting entry ``log`` adds: date, mentor, agenda topics, carried-forward items."""
    entry = CommentedMap()
    entry["date"] = agenda.date
    entry["mentor"] = agenda.mentor.name
    entry["agenda"] = CommentedSeq(t.text for t in agenda.topics)
    entry["updates"] = CommentedSeq()
    entry["questions"] = CommentedSeq()
    entry["notes"] = ""
    items = CommentedSeq()
    for carried in agenda.action_items:
        item = CommentedMap()
        item["task"] = carried.item.task
        item["owner"] = carried.item.owner
        if carried.item.due is not None:
            item["due"] = carried.item.due
        item["status"] = carried.item.status
        items.append(item)
    entry["action_items"] = items
    return entry


def entry_text(entry: CommentedMap, dash_column: int, newline: str) -> str:
    """The entry as a block sequence item whose dash stands at ``dash_column``."""
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump({MEETINGS: [entry]}, buffer)
    lines = buffer.getvalue().splitlines()[1:]  # drop "meetings:"; items start "  - "
    shift = dash_column - 2
    shifted = [(" " * shift + line) if shift >= 0 else line[-shift:] for line in lines]
    return newline.join(shifted) + newline


def _dash_column(lines: list[str], line: int, col: int) -> int:
    """Column of the "-" that opens the sequence item whose content starts at (line, col)."""
    text = lines[line] if line < len(lines) else ""
    dash = text.rfind("-", 0, col + 1)
    return dash if dash >= 0 else max(col - 2, 0)


def _default_dash_column(doc: CommentedMap, lines: list[str]) -> int:
    """How the file indents its other top-level lists, for a new ``meetings:`` key."""
    for value in doc.values():
        if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
            line, col = value.lc.item(0)
            return _dash_column(lines, line, col)
    return DEFAULT_OFFSET


def _end_of_block(doc: CommentedMap, key: str, lines: list[str], dash: int) -> int:
    """Index of the line after the last line that belongs to ``doc[key]``.

    The block ends before the next top-level key; blank lines, and comments that are
    not indented past the list's dashes (a heading for the next section, or an item
    commented out), stay where they are, after the new entry.
    """
    keys = list(doc.keys())
    after = keys[keys.index(key) + 1:]
    end = doc.lc.key(after[0])[0] if after else len(lines)
    start = doc.lc.key(key)[0]
    while end - 1 > start:
        line = lines[end - 1]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if not stripped or stripped in ("...", "---") or (stripped.startswith("#") and indent <= dash):
            end -= 1
            continue
        break
    return end


def splice(text: str, doc: Any, entry: CommentedMap) -> tuple[str, int, str]:
    """The workbook text (``doc`` is its parsed document) with ``entry`` appended to its
    meetings; (text, 1-based line, entry text)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise MentorbookError(said(N_("the workbook is not a mapping of sections; nothing was written")))
    lines = text.splitlines(keepends=True)
    plain_lines = [line.rstrip("\r\n") for line in lines]
    meetings = doc.get(MEETINGS)

    if MEETINGS not in doc:
        dash = _default_dash_column(doc, plain_lines)
        block = entry_text(entry, dash, newline)
        head = text if not text or text.endswith(("\n", "\r")) else text + newline
        separator = newline if head.strip() else ""
        added = separator + "meetings:" + newline + block
        return head + added, len((head + separator).splitlines()) + 2, block

    key_line, _ = doc.lc.key(MEETINGS)
    if isinstance(meetings, CommentedSeq) and meetings and not meetings.fa.flow_style():
        line, col = meetings.lc.item(0)
        dash = _dash_column(plain_lines, line, col)
        at = _end_of_block(doc, MEETINGS, plain_lines, dash)
    elif meetings is None and plain_lines[key_line].split("#", 1)[0].strip() == "meetings:":
        dash = _default_dash_column(doc, plain_lines)
        at = key_line + 1
    elif isinstance(meetings, CommentedSeq) and not meetings and _EMPTY_FLOW.match(plain_lines[key_line]):
        # "meetings: []" becomes "meetings:" with the entry below it; a comment on the line stays
        comment = _EMPTY_FLOW.match(plain_lines[key_line]).group(1)
        dash = _default_dash_column(doc, plain_lines)
        block = entry_text(entry, dash, newline)
        key = "meetings:" + (f"  {comment}" if comment else "") + newline
        return "".join(lines[:key_line]) + key + block + "".join(lines[key_line + 1:]), key_line + 2, block
    else:
        return _rewrite(doc, entry, newline, _default_dash_column(doc, plain_lines))
    block = entry_text(entry, dash, newline)
    before = lines[:at]
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += newline
    return "".join(before) + block + "".join(lines[at:]), at + 1, block


def _rewrite(doc: CommentedMap, entry: CommentedMap, newline: str, dash: int) -> tuple[str, int, str]:
    """Fallback for a flow-style list or a scalar under ``meetings``: dump the whole document."""
    meetings = doc.get(MEETINGS)
    items = CommentedSeq(list(meetings) if isinstance(meetings, list) else [])
    items.append(entry)
    doc[MEETINGS] = items
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    text = buffer.getvalue().replace("\n", newline)
    block = entry_text(entry, dash, newline)
    first = block.splitlines()[0]
    line = next((i + 1 for i, row in enumerate(text.splitlines()) if row == first), 1)
    return text, line, block


def _same_data_plus_entry(path: Path, old_text: str, new_text: str, entry: CommentedMap) -> Any:
    """The new text read as mentorbook reads a workbook (yamlio), which must be the old text's
    data plus the entry, and nothing else; a YamlFileError if either does not read."""
    from ..base.yamlio import parse_yaml

    old = parse_yaml(old_text, path) or {}
    new = parse_yaml(new_text, path)
    expected = dict(old) if isinstance(old, dict) else old
    previous = old.get(MEETINGS) if isinstance(old, dict) and isinstance(old.get(MEETINGS), list) else []
    if isinstance(expected, dict):
        expected[MEETINGS] = [*previous, _as_read(plain(entry))]
    if (new or {}) != expected:
        raise MentorbookError(said(N_("could not add the meeting without changing other entries; nothing was "
                                      "written")))
    return new


def _as_read(value: Any) -> Any:
    """A value of a new entry as yamlio reads it back: dates stay text (YAML 1.2)."""
    if isinstance(value, dict):
        return {key: _as_read(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_read(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def refuse_own_files(path: Path) -> None:
    """``log`` edits the user's workbook, never mentorbook's own content or templates."""
    resolved = path.expanduser().resolve()
    for folder in (CONTENT_DIR, TEMPLATES_DIR):
        if resolved == folder or folder in resolved.parents:
            raise OutputError(said(N_("refusing to change %(file)s: it is part of mentorbook; copy it first, "
                                      "e.g. cp %(file)s me.yml"), file=resolved))


def existing_entry(doc: Any, path: Path, mentor: str, date: dt.date) -> None:
    """Refuse a second entry for the same mentor and date in the parsed workbook ``doc``."""
    meetings = doc.get(MEETINGS) if isinstance(doc, dict) else None
    if not isinstance(meetings, list):
        return
    for i, entry in enumerate(meetings):
        if isinstance(entry, dict) and str(entry.get("mentor", "")).strip() == mentor \
                and str(entry.get("date", "")) == date.isoformat():
            line = meetings.lc.item(i)[0] + 1 if isinstance(meetings, CommentedSeq) else None
            raise InputError([Problem(path, line, said(N_("%(mentor)s: a meeting on %(date)s is already logged"),
                                                       mentor=mentor, date=date.isoformat()), field=f"meetings[{i}]",
                                      hint=said(N_("edit that entry, or give another --date")))], note=UNCHANGED)


def read_text(path: Path) -> tuple[str, bool]:
    """The workbook's text and whether it starts with a byte order mark."""
    from ..base.safepath import UnreadableFile, read_limited
    from ..base.yamlio import MAX_BYTES

    try:
        raw = read_limited(path, MAX_BYTES)
    except UnreadableFile as exc:
        raise InputError([Problem(path, None, exc.reason)], note=UNCHANGED) from None
    return decode_text(path, raw)


def decode_text(path: Path, raw: bytes) -> tuple[str, bool]:
    from ..base.yamlio import YamlFileError, decode

    try:
        text = decode(path, raw)
    except YamlFileError as exc:
        raise InputError([exc.problem], note=UNCHANGED) from None
    return text, raw.startswith(BOM.encode("utf-8"))


def append_meeting(path: Path, agenda: Agenda, *, project: Project = BUILTIN, dry_run: bool = False) -> LogResult:
    """Add a meeting entry for ``agenda`` to the workbook at ``path`` (see ``log_meeting``, which
    does it under the file's lock); with ``dry_run``, only say what would be added."""
    from ..base.writer import update_file

    if dry_run:
        text, _ = read_text(path)
        return appended(path, text.encode("utf-8"), agenda, project, check=False)[0]
    refuse_own_files(path)
    done: list[LogResult] = []

    def change(raw: bytes) -> bytes:
        result, new = appended(path, raw, agenda, project)
        done.append(result)
        return new

    update_file(path, change)
    return done[0]


def appended(path: Path, raw: bytes, agenda: Agenda, project: Project = BUILTIN,
             check: bool = True) -> tuple[LogResult, bytes]:
    """The workbook ``raw`` (the bytes of ``path``) with a meeting entry for ``agenda`` added:
    (what was added, the new bytes).

    The new bytes are returned only if they read back as the same workbook plus the new
    entry and pass validation (``check``); else an InputError says why.
    """
    from ..pipeline import BuildOptions

    text, bom = decode_text(path, raw)
    try:
        doc = _yaml().load(text)
    except YAMLError as exc:
        raise InputError([Problem(path, None, said(N_("cannot read the workbook: %(error)s"), error=exc))],
                         note=UNCHANGED) from None
    existing_entry(doc, path, agenda.mentor.name, agenda.date)
    entry = new_entry(agenda)
    try:
        new_text, line, block = splice(text, doc, entry)
    except YAMLError as exc:
        raise InputError([Problem(path, None, said(N_("cannot read the workbook: %(error)s"), error=exc))],
                         note=UNCHANGED) from None

    from ..base.yamlio import YamlFileError

    try:  # the new text is read as the workbook it will be, before the file is touched
        parsed = _same_data_plus_entry(path, text, new_text, entry)
    except YamlFileError as exc:
        raise InputError([exc.problem], note=UNCHANGED) from None
    result = LogResult(path=path, entry=plain(entry), text=block, line=line)
    if not check:
        return result, b""

    from ..core.load import load_sources
    from ..pipeline import analyse_data

    sources, problems = load_sources(project)
    analysis = analyse_data(parsed, path, BuildOptions(workbook=path, today=agenda.date, project=project), sources,
                            problems)
    if analysis.errors:
        raise InputError(analysis.errors, note=UNCHANGED)
    return result, ((BOM if bom else "") + new_text).encode("utf-8")
