"""The one place that writes to disk. Output files are staged beside their targets and renamed into place
(staging files removed on any exit and by the next run); a manifest (base/manifest.py) with a hash per file
says which files mentorbook may replace. A file a person owns changes only through ``update_file``: locked,
re-read, through its symlink, hard links kept. A failed write is an OutputError naming the file."""

from __future__ import annotations

import atexit
import io
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

from . import manifest, safepath
from .errors import OutputError, storage
from .i18n import N_, said
from .locking import hold_folder, release
from .manifest import JOURNAL, MANIFEST, STAGING, file_hash, read_record
from .paths import HISTORY, HISTORY_KEEP, history_dir  # noqa: F401  (the editor's history: this module's API)
from .safepath import check_out_dir

# A file's text, its bytes, or a function that streams them to a handle (a cohort's combined PDF)
Content = str | bytes | Callable[[BinaryIO], None]
STAGED: set[Path] = set()  # staging files of this process not yet renamed into place (see cleanup)


class _Out(io.RawIOBase):
    """A file descriptor written with os.write (one path for every byte mentorbook writes)."""

    def __init__(self, fd: int):
        self.fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return os.write(self.fd, data)

    def close(self) -> None:
        if not self.closed:
            super().close()
            os.close(self.fd)


@contextmanager
def staging(target: Path, mode: int = 0o644) -> Iterator[tuple[Path, BinaryIO]]:
    """A temporary file beside ``target``, open for writing: (the file, its handle). Until renamed it is in
    ``STAGED``: removed when the command ends, however it ends (``cleanup``), or by the next run."""
    with storage(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    staged = Path(tmp)
    STAGED.add(staged)
    try:
        with storage(target), io.BufferedWriter(_Out(fd), 1 << 16) as handle:
            yield staged, handle
        os.chmod(tmp, mode)
    except BaseException:
        discard(staged)
        raise


def stage(target: Path, content: Content, mode: int = 0o644) -> Path:
    """Write ``content`` to a temporary file beside ``target`` (see ``staging``); return the file."""
    with staging(target, mode) as (staged, handle):
        if callable(content):
            content(handle)
        else:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
    return staged


def discard(staged: Path) -> None:
    """Remove a staging file that will not be renamed into place."""
    STAGED.discard(staged)
    with suppress(OSError):
        os.unlink(staged)


def rename_into_place(staged: Path, target: Path) -> None:
    with storage(target):
        os.replace(staged, target)
    STAGED.discard(staged)


def cleanup() -> None:
    """Remove every staging file of this process (at exit, on SIGTERM or SIGHUP too: see cli)."""
    for staged in list(STAGED):
        discard(staged)


def atomic_write(target: Path, content: Content, mode: int = 0o644) -> None:
    """Write ``content`` beside ``target`` and rename it into place."""
    tmp = stage(target, content, mode)
    try:
        rename_into_place(tmp, target)
    except BaseException:
        discard(tmp)
        raise


def create_files(folder: Path, files: dict[str, Content], folders: tuple[str, ...] = ()) -> list[Path]:
    """Create new files (and empty ``folders``) in ``folder``, for a new project; nothing is written
    if any of the files exists already: what is there is someone's work."""
    from .names import inside

    targets = {rel: inside(folder, rel) for rel in files}
    clashes = [str(target) for target in targets.values() if target.exists()]
    if clashes:
        raise OutputError(said(N_("not overwriting %(files)s: choose an empty or new folder"),
                               files=", ".join(clashes[:3]) + (", …" if len(clashes) > 3 else "")))
    for rel, content in files.items():
        atomic_write(targets[rel], content)
    for name in folders:
        inside(folder, name).mkdir(parents=True, exist_ok=True)
    return list(targets.values())


def replace_file(target: Path, content: Content) -> None:
    """Replace a file mentorbook keeps in a person's folder (a generated reference), atomically,
    keeping its mode. Files the person edits go through ``update_file``."""
    atomic_write(target, content, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644)


def write_file(target: Path, content: str | bytes, replace: bool = False, hint: str = "") -> None:
    """Write one file the person named (``import``'s workbook), atomically. An existing file is someone's
    work: replaced only when ``replace`` says so, through ``update_file``. A new file is created only if
    nothing appeared at its name meanwhile."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if os.path.lexists(target) and replace:
        update_file(target, lambda old: data)
        return
    taken = OutputError(said(N_("%(file)s already exists; %(hint)s"), file=target, hint=said(hint)) if hint
                        else said(N_("%(file)s already exists"), file=target))
    if os.path.lexists(target):
        raise taken
    tmp = stage(target, data)
    try:
        os.link(tmp, target)  # fails if the name was taken meanwhile: nothing is overwritten
    except FileExistsError:
        raise taken from None
    except OSError:  # a file system without hard links
        if os.path.lexists(target):
            raise taken from None
        rename_into_place(tmp, target)
    finally:
        discard(tmp)


MAX_EDIT_BYTES = 64 * 1024 * 1024
BACKUP = ".{name}.mentorbook-backup"  # a hard-linked file's bytes while it is rewritten in place


def update_file(path: Path, change: Callable[[bytes], bytes | None], *, within: Path | None = None,
                limit: int = MAX_EDIT_BYTES, timeout: float | None = None) -> bool:
    """Change a file a person owns (a workbook): 1. at its real path (a symlink stays a link; with
    ``within``, the real path must lie inside it); 2. under an advisory lock on the file
    (locking.locked_file), so ``log``, ``import --force`` and the editor take turns and none loses
    another's change; 3. ``change(old_bytes)``, on the bytes read again under the lock, returns the
    new bytes or None (no change), or raises to stop; 4. written atomically: renamed into place,
    keeping the mode, or, for a file with other hard links, rewritten in place after its old bytes
    are kept beside it (``.NAME.mentorbook-backup``, removed once done). Returns whether it changed."""
    from .locking import LOCK_TIMEOUT, locked_file
    from .safepath import contained

    real = Path(os.path.realpath(path))
    if within is not None and not contained(real, within):
        raise OutputError(f"refusing to change {path}: it resolves to {real}, outside {within}")
    backup = real.with_name(BACKUP.format(name=real.name))
    with locked_file(real, LOCK_TIMEOUT if timeout is None else timeout) as fd:
        if os.path.lexists(backup):
            raise OutputError(f"{real} was being rewritten when a command stopped; its earlier content is in "
                              f"{backup}: compare the two, keep the right one and remove {backup.name}")
        info = os.fstat(fd)
        if info.st_size > limit:
            raise OutputError(said(N_("%(file)s is larger than %(size)s MiB; nothing was changed"), file=real,
                                   size=limit >> 20))
        with storage(real):
            old = b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
        new = change(old)
        if new is None or new == old:
            return False
        if info.st_nlink > 1:
            _rewrite_in_place(real, backup, old, new)
        else:
            atomic_write(real, new, stat.S_IMODE(info.st_mode))
        return True


def _rewrite_in_place(real: Path, backup: Path, old: bytes, new: bytes) -> None:
    """Overwrite a hard-linked file in place, its old bytes kept in ``backup`` until the new are on disk."""
    rename_into_place(stage(backup, old), backup)
    try:
        _overwrite(real, new)
    except OutputError:
        try:
            _overwrite(real, old)  # the old bytes fit where they were
        except OutputError:
            raise OutputError(f"cannot write {real}, and it could not be put back as it was: its earlier content "
                              f"is in {backup}") from None
        os.unlink(backup)
        raise
    os.unlink(backup)


def _overwrite(real: Path, data: bytes) -> None:
    with storage(real), io.BufferedWriter(_Out(os.open(real, os.O_WRONLY))) as out:
        out.write(data)
        out.flush()
        os.ftruncate(out.raw.fd, len(data))
        os.fsync(out.raw.fd)


def ensure_folder(folder: Path) -> bool:
    """Make ``folder`` if it is missing; whether it is there and writable (caches only save time)."""
    with suppress(OSError):
        os.makedirs(folder, exist_ok=True)
    return os.access(folder, os.W_OK)


def prune(folder: Path, keep: int, order: Callable[[os.DirEntry], Any]) -> None:
    """Remove all but the ``keep`` last files of ``folder`` in ``order`` (those it gives None stay)."""
    with suppress(OSError):
        ranked = sorted((rank, e.path) for e in os.scandir(folder) if (rank := order(e)) is not None)
        for _, path in ranked[:max(len(ranked) - keep, 0)]:
            os.unlink(path)


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
        for rel in relative_paths:
            safepath.check_target(self.out_dir, rel)
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
                staged.append((rel, tmp or stage(self.out_dir / rel, data), digest))
        except BaseException:
            for _, tmp, _ in staged:
                discard(tmp)
            raise
        return staged

    def _land(self, staged: list[tuple[str, Path, str]], keep: bool = True) -> None:
        """Rename staged files into place, once the journal says what they are (``keep``: and remember
        them here too; ``finish`` reads the others back from the journal)."""
        try:
            if staged:
                append_line(self.out_dir / JOURNAL, json.dumps({"files": {r: d for r, _, d in staged}}))
            for rel, tmp, digest in staged:
                rename_into_place(tmp, self.out_dir / rel)
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


_SCRATCH: dict[int, str] = {}  # process id -> the temporary folder of that process's own


def process_scratch() -> Path:
    """This process's own temporary folder (and its forks'), made on first use, removed at exit or by
    end_scratch: WeasyPrint keeps a copy of the fonts there, which a pool's worker or the command
    (cli.run) that ends without freeing its font configuration would leave behind, 1 MB each time."""
    if os.getpid() not in _SCRATCH:
        _SCRATCH[os.getpid()] = tempfile.tempdir = tempfile.mkdtemp(prefix="mentorbook-")
        atexit.register(end_scratch)
    return Path(_SCRATCH[os.getpid()])


def end_scratch() -> None:
    """Remove this process's temporary folder (process_scratch), if it made one."""
    import shutil

    if os.getpid() in _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(os.getpid()), ignore_errors=True)


def append_line(path: Path, line: str) -> None:
    """Append one line to a journal (never through a symlink)."""
    with storage(path), io.BufferedWriter(_Out(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND
                                                       | getattr(os, "O_NOFOLLOW", 0), 0o644))) as out:
        out.write((line + "\n").encode("utf-8"))
