"""The writer's file operations: staging a file beside its target and renaming it into place,
changing a file a person owns, caches' folders, journals and the process's temporary folder.
The Writer (base/writer/__init__.py) writes output folders with them; nothing else writes."""

from __future__ import annotations

import atexit
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import OutputError, storage
from ..i18n import N_, said

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
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except FileNotFoundError:  # a folder not made yet (asking first cost a system call for every file)
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


def stage_link(source: Path, target: Path) -> Path:
    """A hard link to ``source`` beside ``target``, as ``stage`` would write it (in ``STAGED`` until
    renamed); raises OSError where the file system has no hard links."""
    staged = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")  # a staging name (manifest.STAGING)
    try:
        os.link(source, staged, follow_symlinks=False)
    except FileNotFoundError:  # the folder is not made yet, or the source is gone (then the link fails again)
        with storage(target):
            target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, staged, follow_symlinks=False)
    STAGED.add(staged)
    return staged


def claim(path: Path) -> bool:
    """Create ``path``, holding this process's id, if no process has yet: whether this one did
    (a cohort's workers claim a shared layout so that only one of them makes it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        os.write(fd, str(os.getpid()).encode())
    finally:
        os.close(fd)
    return True


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
    from ..names import inside

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
    """Write one file the person named (``import``'s workbook), atomically; an existing one only with
    ``replace``, through ``update_file``; a new one only if nothing appeared at its name meanwhile."""
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
    """Change a file a person owns (a workbook): at its real path (a symlink stays one; with ``within``,
    that path must lie inside it), under an advisory lock (locking.locked_file: ``log``, ``import
    --force`` and the editor take turns); ``change(old_bytes)``, on the bytes read under the lock,
    returns the new bytes, None (no change) or raises; written atomically, keeping the mode, or, for a
    file with other hard links, in place after its old bytes are kept in ``.NAME.mentorbook-backup``
    (removed once done). Returns whether it changed."""
    from ..locking import LOCK_TIMEOUT, locked_file
    from ..safepath import contained

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
