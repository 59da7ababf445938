"""What mentorbook wrote into an output folder: the manifest and its journal, read and checked.

The manifest (``.mentorbook-manifest.json``) lists every file mentorbook wrote there with
the SHA-256 of its bytes, and the fingerprints of incremental builds (``state``). A run
that is writing adds lines to a journal (``.mentorbook-journal.jsonl``) before each file
lands: the hashes of what it is about to write, and what it has finished (a cohort's
trainees), so a run that is killed leaves a folder the next run can trust and resume.
Only the Writer (base/writer.py) writes them; this module reads them.

Nothing here is trusted before it is checked: a manifest of the wrong shape counts as
absent (every existing file is then someone's work), and a file whose bytes differ
from every hash recorded for it was changed by someone and is never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

from msgspec import Struct, field

from .errors import OutputError
from .patterns import LazyPattern
from .safepath import UnreadableFile, read_limited

MANIFEST = ".mentorbook-manifest.json"
JOURNAL = ".mentorbook-journal.jsonl"
MAX_BYTES = 256 * 1024 * 1024
_HASH = re.compile(r"^[0-9a-f]{64}$")
# A staging file (writer.stage: ".NAME.XXXXXXXX.tmp", a manifest's ".manifest.XXXXXXXX")
STAGING = LazyPattern(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$|^\.manifest\.[A-Za-z0-9_]{8}$")


class Record(Struct):
    """What a manifest says about an output folder: the files mentorbook wrote there and the state of the last build."""

    files: dict[str, set[str]] = field(default_factory=dict)  # relative path -> accepted SHA-256s
    state: dict = field(default_factory=dict)
    note: str = ""  # why a manifest that is there was not trusted


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes (never through a symlink), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest.hexdigest()


def safe_relative(rel: object) -> bool:
    """A path a manifest may list: relative, inside the folder, in plain parts."""
    if not isinstance(rel, str) or not rel or len(rel) > 4096 or "\\" in rel or "\0" in rel:
        return False
    parts = rel.split("/")
    return not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _files(value: object) -> dict[str, set[str]] | None:
    if not isinstance(value, dict):
        return None
    if not all(safe_relative(k) and isinstance(v, str) and _HASH.match(v) for k, v in value.items()):
        return None
    return {k: {v} for k, v in value.items()}


def merge_state(state: dict, update: object) -> None:
    if not isinstance(update, dict):
        return
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(state.get(key), dict):
            state[key] = {**state[key], **value}
        else:
            state[key] = value


def read_record(folder: Path) -> Record:
    """The manifest of ``folder`` and its journal, checked; an empty record when there is none
    or it has the wrong shape (``note`` says why)."""
    record = Record()
    path = folder / MANIFEST
    if os.path.lexists(path):
        data = None
        if not path.is_symlink():  # mentorbook writes it as a plain file
            try:
                data = json.loads(read_limited(path, MAX_BYTES).decode("utf-8"))
            except (UnreadableFile, ValueError):
                data = None
        files = _files(data.get("files")) if isinstance(data, dict) and data.get("generator") == "mentorbook" \
            else None
        if files is None or not isinstance(data.get("state", {}), dict):
            record.note = (f"{MANIFEST} (mentorbook's list of the files it wrote there) is damaged or from an "
                           "older version, so every file there counts as someone else's")
            return record
        record.files, record.state = files, dict(data.get("state", {}))
    _read_journal(folder, record)
    return record


def _read_journal(folder: Path, record: Record) -> None:
    """Add what an unfinished run wrote (its journal lines) to ``record``; a torn last line is skipped."""
    path = folder / JOURNAL
    if not os.path.lexists(path) or path.is_symlink() or record.note:
        return
    try:
        text = read_limited(path, MAX_BYTES).decode("utf-8", errors="replace")
    except UnreadableFile:
        return
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        files = _files(entry.get("files", {}))
        for rel, hashes in (files or {}).items():
            record.files.setdefault(rel, set()).update(hashes)
        merge_state(record.state, entry.get("state"))


def ours(folder: Path, rel: str, known: dict[str, set[str]], written: dict[str, str]) -> bool:
    """Whether mentorbook may replace ``folder/rel``: nothing is there, or this run wrote it, or an
    earlier run did and its bytes are still what was recorded."""
    if not os.path.lexists(folder / rel) or rel in written:
        return True
    return file_hash(folder / rel) in known.get(rel, ())


def foreign_files(folder: Path, rels: list[str], note: str = "") -> OutputError:
    listed = ", ".join(str(folder / rel) for rel in rels[:5])
    more = f" and {len(rels) - 5} more" if len(rels) > 5 else ""
    why = f" ({note})" if note else ""
    return OutputError(f"not overwriting files mentorbook did not create or that were changed since: {listed}{more}"
                       f"{why}; move them away or choose another --out folder")


def final_hashes(folder: Path, known: dict[str, set[str]], written: dict[str, str]):
    """The manifest's files after a run, as (path, hash): what earlier runs wrote that is still
    theirs, what this run's journal says it wrote (a cohort's trainees, read back from disk, so they
    are never all in memory at once) and ``written``. A generator: the manifest is streamed out."""
    journaled = set(_journal_files(folder, paths_only=True)) if known else set()
    for rel in sorted(known.keys() - written.keys() - journaled):
        if len(accepted := known[rel]) == 1:
            yield rel, next(iter(accepted))
        elif (found := file_hash(folder / rel)) in accepted:  # an interrupted run's: whichever is there
            yield rel, found
    for rel, digest in _journal_files(folder):
        if rel not in written:
            yield rel, digest
    yield from sorted(written.items())


def _journal_files(folder: Path, paths_only: bool = False):
    """(path, hash) of each file in the journal, in the order written (just the paths: ``paths_only``)."""
    path = folder / JOURNAL
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # never a link, a FIFO or a device
            return
    except OSError:
        return
    with open(path, "rb") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            files = _files(entry.get("files", {})) if isinstance(entry, dict) else None
            for rel, hashes in (files or {}).items():
                yield rel if paths_only else (rel, next(iter(hashes)))


def manifest_chunks(files, state: dict):
    """The manifest's JSON in pieces (``files``: (path, hash) pairs in order), one file a line."""
    yield '{\n "generator": "mentorbook",\n "files": {'
    for i, (rel, digest) in enumerate(files):
        yield ("," if i else "") + "\n  " + json.dumps(rel) + ": " + json.dumps(digest)
    yield "\n },\n \"state\": " + json.dumps(state) + "\n}\n"
