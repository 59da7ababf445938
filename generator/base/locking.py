"""Advisory locks, so that two mentorbook commands never change one file or folder at once.

``locked_file`` locks a file a person owns (a workbook) while a command reads and
rewrites it: ``log``, ``import --force`` and the browser editor take turns, and each
one reads the file as the one before it left it. ``hold_folder`` locks an output
folder while a Writer fills it. Both are ``flock`` locks: released when the process
ends, however it ends, so a killed command never leaves a stale lock behind.
Locks are advisory: they order mentorbook's own commands, not other programs.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; writes stay atomic
    fcntl = None

LOCK_TIMEOUT = 120.0  # seconds to wait for another command to finish with a file
_POLL = 0.02


def _acquire(fd: int, what: str, timeout: float) -> None:
    if fcntl is None:  # pragma: no cover
        return
    deadline = time.monotonic() + timeout
    delay = _POLL
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return  # a file system without locks (some network mounts): go on, writes stay atomic
        if time.monotonic() > deadline:
            raise OutputError(f"{what} is being changed by another mentorbook command that has not finished "
                              f"in {timeout:.0f} s; try again when it has")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.25)


@contextmanager
def locked_file(real: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[int]:
    """Hold an exclusive lock on the file at ``real`` (a resolved path); yield a read-only descriptor
    of the file as it is under the lock.

    A file that is replaced while we wait (another command renamed a new version into place)
    is a new file: the lock is taken again on it, so the descriptor is always the current file.
    """
    while True:
        fd = _open_regular(real)
        try:
            _acquire(fd, str(real), timeout)
            try:
                now = os.stat(real, follow_symlinks=False)
            except OSError:
                now = None
            opened = os.fstat(fd)
            current = now is not None and (now.st_ino, now.st_dev) == (opened.st_ino, opened.st_dev)
            if current:
                HELD.add(fd)
                yield fd
                return
        finally:
            HELD.discard(fd)
            os.close(fd)  # when not current: replaced while we waited, so lock the new file


def _open_regular(real: Path) -> int:
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise OutputError(f"{real}: file not found; nothing was changed") from None
    except OSError as exc:
        raise OutputError(f"cannot open {real}: {exc.strerror}; nothing was changed") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError(f"{real} is not a regular file; nothing was changed")
    return fd


def hold_folder(folder: Path, timeout: float = LOCK_TIMEOUT) -> int | None:
    """Lock an output folder while a Writer fills it; returns the descriptor to ``release``, or None
    when the folder cannot be opened (the writes themselves then report why)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        _acquire(fd, f"the folder {folder}", timeout)
    except BaseException:
        os.close(fd)
        raise
    HELD.add(fd)
    return fd


def release(fd: int) -> None:
    HELD.discard(fd)
    with suppress(OSError):
        os.close(fd)


def _forget_in_child() -> None:
    """A forked worker (a cohort's process pool) must not keep its parent's locks alive: if the
    parent is killed, the next run may go on at once."""
    for fd in list(HELD):
        release(fd)


HELD: set[int] = set()  # descriptors of the locks this process holds
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
