"""Saving from the editor: a form into the workbook file, the two versions of a refused
save, and the earlier versions of the file (kept in a folder beside it, see
base/writer.py ``history_dir``) that the person can bring back.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from msgspec import Struct

from ..base.errors import FileChanged, MentorbookError
from ..base.i18n import N_
from ..base.safepath import UnreadableFile, read_limited
from ..base.writer import HISTORY_KEEP, atomic_write, history_dir, prune, update_file
from ..base.yamlio import MAX_BYTES, YamlFileError, parse_yaml
from .forms import PostedForm
from .merge import Edited, apply_form, section_errors
from .pages import FileState, Section, check_text

BOM = "\ufeff"
VERSION_NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z\.[A-Za-z0-9]{1,8}$")


class Saved(Struct):
    """What a save did: the new file's text and problems, or why it was refused."""

    edited: Edited | None = None
    conflict: bytes | None = None  # the file as it is now, when it changed since the form was opened
    lines: int = 0  # lines of the file that changed


def section_order(state: FileState) -> list[str]:
    return ["trainee", *(d.id for d in state.sources.definitions)]


def save_form(state: FileState, section: Section, form: PostedForm, options: Any,
              base_text: str | None = None) -> Saved:
    """Write what ``form`` posted for ``section`` into the file, if the file is still the
    version the form was made from (``!base``), or the version the person saw when a
    save was refused (``!force``: then ``base_text``, the version the form was made from,
    is what the answers are applied to, when it is known)."""
    base, force = form.controls.get("!base", ""), form.controls.get("!force", "")
    if force != state.digest and base != state.digest:
        return Saved(conflict=state.data)
    text = base_text if force == state.digest and base_text is not None else state.text
    check = check_text(state, options)
    errors = section_errors(check(text)) if text is not state.text else section_errors(state.problems)
    edited = apply_form(text, form, section.fdef, section_order(state), errors, check)
    if not edited.changed:
        return Saved(edited)
    data = ((BOM if state.data.startswith(BOM.encode()) else "") + edited.text).encode("utf-8")
    try:
        replace_edited(state.path, data, state.digest)
    except FileChanged as exc:
        return Saved(conflict=exc.current)
    return Saved(edited, lines=changed_lines(state.text, edited.text))


def changed_lines(old: str, new: str) -> int:
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def excerpt(text: str, key: str) -> str:
    """The lines of one section of a workbook's text (the whole text when it cannot be read)."""
    try:
        data = parse_yaml(text.removeprefix(BOM), Path("workbook.yml"))
    except YamlFileError:
        return text
    if not isinstance(data, dict) or key not in data:
        return ""
    keys = list(data)
    lines = text.removeprefix(BOM).splitlines()
    start = (data.key_positions[key][0] or 1) - 1
    after = keys[keys.index(key) + 1:]
    end = (data.key_positions[after[0]][0] or len(lines) + 1) - 1 if after else len(lines)
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1  # comments before the next section belong to it
    return "\n".join(lines[start:end])


def diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, line) of a unified diff: '+' added, '-' removed, ' ' context, '@' a new place."""
    out = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        out.append((line[:1] if line[:1] in "+-@" else " ", line[1:] if line[:1] in "+- " else "…"))
    return out


def conflict_context(state: FileState, section: Section, form: PostedForm, options: Any,
                     base_text: str | None) -> dict[str, Any]:
    """Both versions of the section for the page that says a save was refused."""
    now = excerpt(state.text, section.id)
    try:
        mine_text = apply_form(base_text if base_text is not None else state.text, form, section.fdef,
                               section_order(state), set(), check_text(state, options)).text
        mine = excerpt(mine_text, section.id)
    except MentorbookError:
        mine = ""
    pairs = [(name, value) for name, value in form.pairs if name not in ("!secret", "!force")]
    return {"now": now, "mine": mine, "diff": diff(now, mine), "pairs": pairs}


# -- earlier versions -------------------------------------------------------------------


class Version(Struct, frozen=True):
    name: str
    when: str  # the local time it was replaced, as people write it
    size: str


def _when(name: str, lang: Any) -> str:
    moment = dt.datetime.strptime(name[:23], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=dt.UTC).astimezone()
    return f"{lang.date(moment.date())}, {moment:%H:%M:%S}"


def versions(path: Path, lang: Any) -> list[Version]:
    """The kept versions of a file, newest first."""
    folder = history_dir(path.resolve())
    try:
        names = sorted((e.name, e.stat(follow_symlinks=False).st_size) for e in folder.iterdir()
                       if VERSION_NAME.match(e.name) and e.is_file() and not e.is_symlink())
    except OSError:
        return []
    return [Version(name, _when(name, lang), f"{size:,} B") for name, size in reversed(names)]


def read_version(path: Path, name: str) -> bytes | None:
    """The bytes of a kept version, or None when ``name`` is not one."""
    if not VERSION_NAME.match(name):
        return None
    folder = history_dir(path.resolve())
    try:
        return read_limited(folder / name, MAX_BYTES, within=folder)
    except UnreadableFile:
        return None


def restore(state: FileState, name: str, expected: str) -> str:
    """Bring back a kept version (the file's version now is kept in its turn); '' when done,
    else why not."""
    data = read_version(state.path, name)
    if data is None:
        return N_("there is no such version")
    try:
        replace_edited(state.path, data, expected, HISTORY_KEEP)
    except FileChanged:
        return N_("the file changed since the page was opened")
    return ""


def replace_edited(target: Path, content: bytes, expected: str, keep: int = HISTORY_KEEP) -> str:
    """Replace a file the person edits if it is still the version they edited (SHA-256 ``expected``;
    else FileChanged, nothing written), through ``update_file``, its version on disk kept first in
    ``history_dir``. Returns the name that version is kept under."""
    kept: list[tuple[Path, str]] = []

    def change(current: bytes) -> bytes:
        if hashlib.sha256(current).hexdigest() != expected:
            raise FileChanged(target, current)
        folder = history_dir(Path(os.path.realpath(target)))
        name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ") + (target.suffix or ".yml")
        atomic_write(folder / name, current)
        kept.append((folder, name))
        return content

    update_file(target, change)
    prune_history(kept[0][0], keep)
    return kept[0][1]


def prune_history(folder: Path, keep: int = HISTORY_KEEP) -> None:
    """Remove all but the ``keep`` newest versions in a history folder (named by their time)."""
    prune(folder, keep, lambda e: e.name if e.name[:1].isdigit() and e.is_file(follow_symlinks=False) else None)
