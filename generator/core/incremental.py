"""Fingerprints for incremental builds: when what a build reads is unchanged, so is its output.

A build keeps these keys in its output folder's manifest (see writer.Writer.state) and
compares them the next time: the whole build (pipeline.input_key), the PDF's print layout
(``print_key``), and each trainee of a cohort (staff/cohort.trainee_key), made from
the files they read (``source_bytes``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path


def print_key(files: Mapping[str, str | bytes]) -> str:
    """A fingerprint of a print layout's files: the same key lays out the same PDF."""
    return hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()



def still_there(out_dir: Path, known: dict | None, key: str) -> bool:
    """The files recorded under ``known`` were made from ``key`` and are all still there."""
    return bool(known) and known.get("key") == key and all((out_dir / f).is_file() for f in known.get("files", []))


MAX_SOURCE_BYTES = 256 * 1024 * 1024  # a project file (an image, say) fingerprinted for incremental builds


def source_bytes(path: Path) -> bytes:
    """A file's bytes, never through a FIFO or device: the build that follows reports why it cannot be read."""
    from ..base.safepath import UnreadableFile, read_limited

    try:
        return read_limited(path, MAX_SOURCE_BYTES)
    except (UnreadableFile, OSError):
        return b"<unreadable>"
