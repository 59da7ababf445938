"""The one place that writes to disk: atomic writes into the output folder.

Every file is written to a temporary name in its destination folder and renamed into
place, so a failed or killed build leaves the previous output whole. A manifest lists
what mentorbook wrote; a file that is not in it is never overwritten.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Union

from .errors import OutputError
from . import safepath
from .paths import OWN_DIRS, ROOT

MANIFEST = ".mentorbook-manifest.json"

# What a file may be given as: its text, its bytes, or a function that streams them to a handle
# (for files too large to hold in memory, such as a cohort's combined PDF).
Content = Union[str, bytes, Callable[[BinaryIO], None]]


def stage(target: Path, content: Content) -> Path:
    """Write ``content`` to a temporary file beside ``target``; return the temporary file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write(target: Path, content: Content) -> None:
    """Write ``content`` beside ``target`` and rename it into place."""
    tmp = stage(target, content)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def create_files(folder: Path, files: dict[str, Content], folders: tuple[str, ...] = ()) -> list[Path]:
    """Create new files (and empty ``folders``) in ``folder``, for a new project.

    Nothing is written if any of the files exists already: what is there is someone's work.
    """
    from .names import inside

    targets = {rel: inside(folder, rel) for rel in files}
    clashes = [str(target) for target in targets.values() if target.exists()]
    if clashes:
        raise OutputError(f"not overwriting {', '.join(clashes[:3])}{' and more' if len(clashes) > 3 else ''}: "
                          "choose an empty or new folder")
    for rel, content in files.items():
        atomic_write(targets[rel], content)
    for name in folders:
        inside(folder, name).mkdir(parents=True, exist_ok=True)
    return list(targets.values())


def replace_file(target: Path, content: Content) -> None:
    """Replace a file the person asked mentorbook to edit (``log``), atomically, keeping its mode."""
    import stat

    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
    tmp = stage(target, content)
    try:
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_file(target: Path, content: Content, replace: bool = False, hint: str = "") -> None:
    """Write one file the person named (``import``'s workbook), atomically.

    An existing file is someone's work: it is replaced only when ``replace`` says so.
    """
    if target.exists() and not replace:
        raise OutputError(f"{target} already exists" + (f"; {hint}" if hint else ""))
    atomic_write(target, content)


def cache_dir(kind: str) -> Path | None:
    """A folder of mentorbook's user cache (where the system keeps them: ``$XDG_CACHE_HOME/mentorbook/<kind>``
    on Linux, ``~/Library/Caches/mentorbook`` on macOS, ``%LOCALAPPDATA%\\mentorbook\\Cache`` on Windows),
    or None when it cannot be created or written: caches only ever save time."""
    from platformdirs import user_cache_dir

    folder = os.path.join(user_cache_dir("mentorbook", appauthor=False), kind)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return Path(folder) if os.access(folder, os.W_OK) else None


def store_cache_entry(entry: Path, content: Content) -> None:
    """Keep a cache entry (atomically); a cache that cannot be written is simply skipped."""
    try:
        atomic_write(entry, content)
    except OSError:
        pass


def prune_cache(folder: Path, suffix: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently written ``*suffix`` entries of a cache folder."""
    try:
        entries = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(folder) if e.name.endswith(suffix)]
        if len(entries) <= keep:
            return
        for _, path in sorted(entries)[:len(entries) - keep]:
            os.unlink(path)
    except OSError:
        pass


def check_out_dir(out_dir: Path, protected: tuple[Path, ...] = (), root: Path | None = None) -> Path:
    """Refuse output folders where generated files could clobber real work (see safepath).

    ``protected`` folders (a project's sources) are refused at any depth; ``root``
    (a project's own folder) only itself, so that ``project/output`` stays fine.
    """
    exact = (Path("/"), Path.home(), ROOT, *([root] if root else []))
    own = tuple(p for p in OWN_DIRS if p != ROOT)
    return safepath.check_out_dir(out_dir, own, exact, protected)


def write_into(out_dir: Path, files: dict[str, Content], protected: tuple[Path, ...] = (),
               root: Path | None = None) -> Path:
    """Check ``out_dir``, write ``files`` into it with a Writer (see below); return the folder."""
    folder = check_out_dir(out_dir, protected, root)
    folder.mkdir(parents=True, exist_ok=True)
    Writer(folder).write_all(files)
    return folder


class Writer:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.manifest_path = out_dir / MANIFEST
        manifest = self._read_manifest()
        self.previous: set[str] = set(manifest.get("files", []))
        self.state: dict = dict(manifest.get("state", {}))  # fingerprints for incremental builds
        self.written: list[str] = []

    def _read_manifest(self) -> dict:
        if self.manifest_path.is_symlink():
            return {}  # not one mentorbook wrote: it writes the manifest as a plain file
        try:
            data = json.loads(safepath.read_limited(self.manifest_path, 64 * 1024 * 1024).decode("utf-8"))
        except (safepath.UnreadableFile, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def complete(self) -> bool:
        """Every file the manifest lists is still there."""
        return bool(self.previous) and all((self.out_dir / rel).is_file() for rel in self.previous)

    def check(self, relative_paths: list[str]) -> None:
        """Fail before writing anything if a target exists that we did not make, or would
        be written through a symlink or outside the folder."""
        for rel in relative_paths:
            safepath.check_target(self.out_dir, rel)
        foreign = [
            rel for rel in relative_paths
            if (self.out_dir / rel).exists() and rel not in self.previous
        ]
        if foreign:
            listed = ", ".join(str(self.out_dir / rel) for rel in foreign[:5])
            more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
            raise OutputError(
                f"not overwriting files mentorbook did not create: {listed}{more}; "
                "move them away or choose another --out folder"
            )

    def put(self, files: dict[str, Content]) -> None:
        """Write ``files`` now, each atomically, without recording them in the manifest.

        For work done in other processes (a cohort's trainees): each worker writes its
        files with its own Writer, and the parent, whose Writer keeps the manifest,
        records them with ``record``. If any of them is a file mentorbook did not
        make, none is written.
        """
        from .names import inside

        self.check(list(files))
        for relative, content in files.items():
            atomic_write(inside(self.out_dir, relative), content)

    def record(self, relative_paths: list[str]) -> None:
        """Count files written by ``put`` (possibly in another process) as this build's;
        ``finish`` or ``write_all`` then lists them in the manifest."""
        self.written += relative_paths

    def _stage(self, relative: str, content: Content) -> tuple[Path, Path]:
        """Write ``content`` to a temporary file beside its target; return (temp, target)."""
        target = self.out_dir / relative
        return stage(target, content), target

    def write_all(self, files: dict[str, Content]) -> list[Path]:
        """Write every changed file or none: all are staged first, then renamed into place.

        Files whose content is already on disk are left alone (their times too).
        """
        self.check(list(files))
        self.out_dir.mkdir(parents=True, exist_ok=True)
        unchanged = [rel for rel, content in files.items() if self._same(rel, content)]
        self.written += unchanged
        files = {rel: content for rel, content in files.items() if rel not in unchanged}
        staged: list[tuple[Path, Path]] = []
        try:
            for relative, content in files.items():
                staged.append(self._stage(relative, content))
        except BaseException:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            raise
        for (tmp, target), (relative, content) in zip(staged, files.items()):
            if callable(content) and self._same_file(relative, tmp):
                tmp.unlink()
            else:
                os.replace(tmp, target)
            self.written.append(relative)
        self.finish()
        return [target for _, target in staged]

    def _same_file(self, relative: str, staged: Path) -> bool:
        target = self.out_dir / relative
        return relative in self.previous and target.is_file() and filecmp.cmp(staged, target, shallow=False)

    def _same(self, relative: str, content: Content) -> bool:
        target = self.out_dir / relative
        if callable(content) or relative not in self.previous or not target.is_file():
            return False
        data = content.encode("utf-8") if isinstance(content, str) else content
        return target.stat().st_size == len(data) and target.read_bytes() == data

    def finish(self) -> None:
        """Record what this and earlier builds wrote, so later builds may replace it."""
        files = sorted(self.previous | set(self.written))
        self.write_manifest(files)

    def write_manifest(self, files: list[str]) -> None:
        data = json.dumps({"generator": "mentorbook", "files": files, "state": self.state}, indent=1) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=".manifest.", dir=self.out_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.replace(tmp, self.manifest_path)


# -- files a person edits in mentorbook's editor -----------------------------------------

HISTORY = ".mentorbook-history"  # beside an edited file: HISTORY/<file name>/<time>.yml
HISTORY_KEEP = 100  # earlier versions kept of each file


class FileChanged(OutputError):
    """The file is no longer the version the person's change was made to: nothing was written."""

    exit_code = 1

    def __init__(self, path: Path, current: bytes):
        super().__init__(f"{path} changed since it was read; nothing was written")
        self.current = current


@contextlib.contextmanager
def locked(folder: Path):
    """Hold an exclusive lock on ``folder`` among mentorbook's processes (and threads that
    each take it), so that reading, comparing and replacing a file in it is one step."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a POSIX system: the editor's own lock still serializes
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def history_dir(target: Path) -> Path:
    """Where the earlier versions of an edited file are kept: a folder beside it."""
    return target.parent / HISTORY / target.name


def replace_edited(target: Path, content: bytes, expected: str, keep: int = HISTORY_KEEP) -> str:
    """Replace a file the person edits, if it is still the version they edited.

    Under a lock on its folder the file is read again: when its SHA-256 is not
    ``expected``, :class:`FileChanged` is raised and nothing is written. Otherwise the
    version on disk is kept in :func:`history_dir` and ``content`` is written beside the
    file and renamed over it (a killed process leaves the old file or the new one, never
    part of one). A symlink is written through, to the file it names; the file keeps
    its mode. Returns the name the previous version is kept under.
    """
    import datetime as dt
    import hashlib

    real = target.resolve()
    with locked(real.parent):
        current = safepath.read_limited(real, 64 * 1024 * 1024)
        if hashlib.sha256(current).hexdigest() != expected:
            raise FileChanged(target, current)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        folder = history_dir(real)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{stamp}{real.suffix or '.yml'}"
        atomic_write(folder / name, current)
        replace_file(real, content)
    prune_history(folder, keep)
    return name


def prune_history(folder: Path, keep: int = HISTORY_KEEP) -> None:
    """Remove all but the ``keep`` newest versions in a history folder (named by their time)."""
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False) and e.name[:1].isdigit())
        for name in names[:max(len(names) - keep, 0)]:
            os.unlink(folder / name)
    except OSError:
        pass
