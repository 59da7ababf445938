"""The one place that writes to disk (this package; the file operations are in files.py). Output files
are staged beside their targets and renamed into place (staging files removed on any exit and by the
next run); a manifest (base/manifest.py) with a hash per file says which files mentorbook may replace.
A file with the same bytes as one the run wrote before is a hard link to it (a cohort's fonts). A file
a person owns changes only through ``update_file``: locked, re-read, through its symlink, hard links
kept. A failed write is an OutputError naming the file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .. import manifest, safepath
from ..errors import storage
from ..locking import hold_folder, release
from ..manifest import JOURNAL, MANIFEST, STAGING, file_hash, read_record
from ..paths import HISTORY, HISTORY_KEEP, history_dir  # noqa: F401  (the editor's history: this module's API)
from ..safepath import check_out_dir
from .files import (  # noqa: F401  (the writer's API, used across the package)
    BACKUP,
    MAX_EDIT_BYTES,
    STAGED,
    Content,
    append_line,
    atomic_write,
    claim,
    cleanup,
    create_files,
    discard,
    end_scratch,
    ensure_folder,
    process_scratch,
    prune,
    rename_into_place,
    replace_file,
    stage,
    stage_link,
    staging,
    update_file,
    write_file,
)

LINKED_KEEP = 4096  # files a Writer remembers by their bytes, to link the next files with the same


def write_into(out_dir: Path, files: dict[str, Content], protected: tuple[Path, ...] = (),
               root: Path | None = None) -> Path:
    """Check ``out_dir``, write ``files`` into it with a Writer (see below); return the folder."""
    folder = check_out_dir(out_dir, protected, root)
    Writer(folder).write_all(files)
    return folder


class Writer:
    """Writes a build's files into ``out_dir`` and keeps its manifest: a file is replaced only if
    mentorbook wrote it and its bytes are still what it wrote. While it writes it holds the folder
    (commands writing into one folder take turns), after removing what a killed run left there."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.manifest_path = out_dir / MANIFEST
        self._lock: int | None = None
        self._held = False  # the folder was locked and cleaned for this writer's writes
        record = read_record(out_dir)
        self.known: dict[str, set[str]] = record.files  # what earlier runs wrote: path -> accepted hashes
        self.note = record.note
        self.state: dict = record.state  # fingerprints for incremental builds
        self.hashes: dict[str, str] = {}  # what this run wrote (or found unchanged): path -> hash
        self.streamed: dict[str, Path] = {}  # files written while other work went on (``streaming``)
        self.landed: dict[str, tuple[str, tuple]] = {}  # hash -> (a file this run wrote with it, _identity)

    @property
    def previous(self) -> set[str]:
        return set(self.known)

    def _hold(self) -> None:
        """Before the first write: lock the folder (until ``finish``), read again what earlier runs
        wrote (one may have finished meanwhile) and remove what a killed run left."""
        if not self._held:
            with storage(self.out_dir):
                self.out_dir.mkdir(parents=True, exist_ok=True)
            self._lock, self._held = hold_folder(self.out_dir), True
            for rel, hashes in read_record(self.out_dir).files.items():
                self.known.setdefault(rel, set()).update(hashes)
            for top, _, names in os.walk(self.out_dir, followlinks=False):
                for name in names:
                    if STAGING.match(name):
                        discard(Path(top, name))

    def close(self) -> None:
        lock, self._lock, self._held = self._lock, None, False
        release(lock) if lock is not None else None

    __del__ = close

    def complete(self) -> bool:
        """Every file the manifest lists is still there."""
        return bool(self.known) and all((self.out_dir / rel).is_file() for rel in self.known)

    def check(self, relative_paths: list[str]) -> None:
        """Fail before writing anything if a target exists that we did not make (or that was
        changed since), or would be written through a symlink or outside the folder."""
        folders: set[str] = set()
        for rel in relative_paths:
            safepath.check_target(self.out_dir, rel, folders)
        foreign = [rel for rel in relative_paths if not manifest.ours(self.out_dir, rel, self.known, self.hashes)]
        if foreign:
            raise manifest.foreign_files(self.out_dir, foreign, self.note)

    def put(self, files: dict[str, Content], state: dict | None = None) -> None:
        """Write ``files`` now (a cohort's trainee, as they arrive), and note them and ``state`` in the
        journal, so that a run that is stopped can be resumed. If any of them is a file mentorbook did
        not make, none is written."""
        self._land(self._stage_all(files), keep=False)  # a cohort's files stay in the journal, not in memory
        if state:
            append_line(self.out_dir / JOURNAL, json.dumps({"state": state}))
            manifest.merge_state(self.state, state)

    @contextmanager
    def streaming(self, rel: str) -> Iterator[BinaryIO]:
        """A handle to write ``rel`` bit by bit while other work goes on (a cohort's combined PDF, as its
        trainees arrive). The file lands with the next ``write_all``, unless nothing was written to it."""
        self._hold()
        self.check([rel])
        with staging(self.out_dir / rel) as (tmp, handle):
            yield handle
        if os.path.getsize(tmp):
            self.streamed[rel] = tmp
        else:
            discard(tmp)

    def _stage_all(self, files: dict[str, Content]) -> list[tuple[str, Path, str]]:
        """Stage every changed file: (relative path, staging file, hash); unchanged ones are only noted."""
        self._hold()
        self.check(list(files))
        streamed, self.streamed = self.streamed, {}
        staged: list[tuple[str, Path, str]] = []
        try:
            for rel, content in {**files, **streamed}.items():
                data = content.encode("utf-8") if isinstance(content, str) else content
                tmp = streamed.get(rel) or (stage(self.out_dir / rel, data) if callable(data) else None)
                digest = file_hash(tmp) if tmp else manifest.content_hash(data)
                if digest in self.known.get(rel, ()) and file_hash(self.out_dir / rel) == digest:
                    self.hashes[rel] = digest  # already there: left alone, times too
                    discard(tmp) if tmp else None
                    continue
                staged.append((rel, tmp or self._linked(rel, digest) or stage(self.out_dir / rel, data), digest))
        except BaseException:
            for _, tmp, _ in staged:
                discard(tmp)
            raise
        return staged

    def _linked(self, rel: str, digest: str) -> Path | None:
        """A staging file for ``rel`` that is a hard link to a file of the same bytes this run wrote
        (a cohort's fonts and styles, in every trainee's site), if it is still that file: creating a
        file costs far more than linking one, and the copies take no room. None: write it."""
        source, identity = self.landed.get(digest, (None, None))
        try:
            if source is None or _identity(os.lstat(self.out_dir / source)) != identity:
                return None
            return stage_link(self.out_dir / source, self.out_dir / rel)
        except OSError:  # gone, or a file system without hard links: written as usual
            return None

    def _land(self, staged: list[tuple[str, Path, str]], keep: bool = True) -> None:
        """Rename staged files into place, once the journal says what they are (``keep``: and remember
        them here too; ``finish`` reads the others back from the journal)."""
        try:
            if staged:
                append_line(self.out_dir / JOURNAL, json.dumps({"files": {r: d for r, _, d in staged}}))
            for rel, tmp, digest in staged:
                rename_into_place(tmp, self.out_dir / rel)
                if len(self.landed) < LINKED_KEEP and digest not in self.landed:
                    self.landed[digest] = (rel, _identity(os.lstat(self.out_dir / rel)))
                if keep:
                    self.hashes[rel] = digest
        finally:
            for _, tmp, _ in staged:
                discard(tmp) if tmp in STAGED else None

    def write_all(self, files: dict[str, Content]) -> list[Path]:
        """Write every changed file or none: all are staged first, then renamed into place. Files
        whose content is already on disk are left alone (their times too). Returns the files written."""
        try:
            staged = self._stage_all(files)
            self._land(staged)
            self.finish()
        finally:
            self.close()
        return [self.out_dir / rel for rel, _, _ in staged]

    def finish(self) -> None:
        """Record what this and earlier runs wrote, so later runs may replace it; release the folder."""
        chunks = manifest.manifest_chunks(manifest.final_hashes(self.out_dir, self.known, self.hashes), self.state)
        atomic_write(self.manifest_path, lambda out: [out.write(chunk.encode("utf-8")) for chunk in chunks])
        if os.path.lexists(self.out_dir / JOURNAL):
            with storage(self.out_dir / JOURNAL):
                os.unlink(self.out_dir / JOURNAL)
        self.close()


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells a file written by this run from one put at its name since (not its change time,
    which a new link changes)."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns
