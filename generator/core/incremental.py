"""Fingerprints for incremental builds: when what a build reads is unchanged, so is its output.

A build keeps these keys in its output folder's manifest (see writer.Writer.state) and
compares them the next time: the whole build (pipeline.input_key), the PDF's print layout
(``print_key``), and each trainee of a cohort (staff/cohort.trainee_key), made from
the files they read (``source_bytes``).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path


def print_key(files: Mapping[str, str | bytes]) -> str:
    """A fingerprint of a print layout's files: the same key lays out the same PDF."""
    return hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()



def still_there(out_dir: Path, known: dict | None, key: str) -> bool:
    """The files recorded under ``known`` were made from ``key`` and are all still there."""
    return bool(known) and known.get("key") == key and all((out_dir / f).is_file() for f in known.get("files", []))


MAX_SOURCE_BYTES = 256 * 1024 * 1024  # a project file (an image, say) fingerprinted for incremental builds


@functools.cache
def _own_folders() -> tuple[str, ...]:
    from ..base.i18n import LOCALE_DIR
    from ..base.paths import GUIDE_DIR, TEMPLATES_DIR, WORKSHEETS_DIR

    return tuple(os.path.join(folder, "") for folder in (GUIDE_DIR, WORKSHEETS_DIR, TEMPLATES_DIR, LOCALE_DIR))


def source_stamp(path: Path) -> bytes:
    """What a build's fingerprint takes of a file it reads: mentorbook's built-in guidance,
    worksheets, templates and catalogs by their size and time (an upgrade or an edit in a
    checkout changes them; reading 600 KB each build did not), every other file (a
    program's, a person's, wherever they are) by its bytes."""
    if str(path).startswith(_own_folders()):
        try:
            info = path.stat()
        except OSError:  # gone since it was listed: the build that follows says so
            return b"<unreadable>"
        return f"{info.st_size}:{info.st_mtime_ns}".encode()
    return source_bytes(path)


def source_bytes(path: Path) -> bytes:
    """A file's bytes, never through a FIFO or device: the build that follows reports why it cannot be read."""
    from ..base.safepath import UnreadableFile, read_limited

    try:
        return read_limited(path, MAX_SOURCE_BYTES)
    except (UnreadableFile, OSError):
        return b"<unreadable>"


def files_under(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted, as ``sorted(p for p in folder.rglob("*") if p.is_file())``
    gives them (a symlink to a file counts, a symlinked folder is not entered), read with
    os.scandir, whose listing tells files from folders without a stat each."""
    found: list[Path] = []
    pending = [os.fspath(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as listing:
                entries = list(listing)
        except OSError:  # not a folder, gone, or not readable: nothing under it is read either
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    if not entry.is_symlink():
                        pending.append(entry.path)
                elif entry.is_file():
                    found.append(Path(entry.path))
            except OSError:
                continue
    return sorted(found)
