"""Fingerprints for incremental builds: when what a build reads is unchanged, so is its output.

A build keeps these keys in its output folder's manifest (see writer.Writer.state) and
compares them the next time: the whole build (``input_key``), the PDF's print layout
(``print_key``), and each trainee of a cohort (``trainee_key``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..base.paths import SAMPLE_WORKBOOK

if TYPE_CHECKING:
    from ..staff.roster import RosterRow
    from ..pipeline import BuildOptions


def input_key(options: BuildOptions, today: dt.date) -> str:
    """A fingerprint of everything a build reads: its settings, the workbook, the
    project's sources, mentorbook's version, catalogs and fonts; ``today`` is the build date."""
    from .. import __version__
    from .fonts import font_files

    digest = hashlib.sha256()
    settings = [__version__, str(options.workbook or SAMPLE_WORKBOOK), options.blank,
                options.page_size or options.project.page_size, options.format,
                today.isoformat(), repr(options.project.branding),
                options.project.practices, options.project.pages, options.project.language]
    if options.fillable:
        settings.append("fillable")
    digest.update(repr(settings).encode())
    sources = [options.workbook or SAMPLE_WORKBOOK] if not (options.blank and not options.workbook) else []
    project = options.project
    for folder in project.source_dirs:
        sources += sorted(p for p in folder.rglob("*") if p.is_file())
    if project.config_file:
        sources.append(project.config_file)
    if project.directory_file:
        sources.append(project.directory_file)
    from ..base.i18n import LOCALE_DIR

    sources += sorted(LOCALE_DIR.rglob("*.po")) if LOCALE_DIR.is_dir() else []  # the texts of every language
    for path in sources:
        digest.update(str(path).encode() + b"\0")
        digest.update(_content(path))
    digest.update(repr(sorted((n, p.stat().st_size) for n, p in font_files().items())).encode())
    return digest.hexdigest()


def print_key(files: Mapping[str, str | bytes]) -> str:
    """A fingerprint of a print layout's files: the same key lays out the same PDF."""
    return hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()


def trainee_key(base: str, slug: str, row: RosterRow, blank: bool, suggested: tuple[str, ...] = ()) -> str:
    """Everything one trainee's workbook depends on: the project (``base``, an input_key),
    their roster row, the mentors the program suggests them and, unless the cohort is
    blank, their own workbook file."""
    digest = hashlib.sha256(f"{base}|{slug}|{blank}|{row!r}".encode())
    if suggested:
        digest.update(repr(suggested).encode())
    if row.workbook and not blank:
        digest.update(_content(row.workbook))
    return digest.hexdigest()


def still_there(out_dir: Path, known: dict | None, key: str) -> bool:
    """The files recorded under ``known`` were made from ``key`` and are all still there."""
    return bool(known) and known.get("key") == key and all((out_dir / f).is_file() for f in known.get("files", []))


MAX_SOURCE_BYTES = 256 * 1024 * 1024  # a project file (an image, say) fingerprinted for incremental builds


def _content(path: Path) -> bytes:
    """A file's bytes, never through a FIFO or device: the build that follows reports why it cannot be read."""
    from ..base.safepath import UnreadableFile, read_limited

    try:
        return read_limited(path, MAX_SOURCE_BYTES)
    except (UnreadableFile, OSError):
        return b"<unreadable>"
