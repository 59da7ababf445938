"""Being told at once when a file in the watched folders changes (Linux inotify).

``Changes`` watches folders (not files: editors often save by writing a new file and
renaming it over the old one) and ``wait`` returns as soon as anything in them is
written, created, moved or deleted, or after a timeout. ``finished`` says whether the last
change was one that ends a save (a file closed after writing, or renamed into place)
rather than a write still under way. Where inotify is missing (not Linux, or its
watches are used up), ``open_changes`` gives None and the preview looks at the files'
times on a timer instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
from collections.abc import Iterable
from pathlib import Path

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
        | IN_DELETE_SELF | IN_MOVE_SELF)
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
FINISHING = IN_CLOSE_WRITE | IN_MOVED_TO  # a save's last step: a file written whole, or renamed into place
_EVENT = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len; then len bytes of name


class Changes:
    """An inotify instance watching a set of folders."""

    def __init__(self):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._add_watch = libc.inotify_add_watch
        self._add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._remove_watch = libc.inotify_rm_watch
        self._remove_watch.argtypes = [ctypes.c_int, ctypes.c_int]
        self.fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.folders: dict[Path, int] = {}
        self.finished = False  # the last change seen ended a save

    def watch(self, folders: Iterable[Path]) -> None:
        """Watch exactly ``folders`` (the ones that exist)."""
        wanted = {f for f in folders if f.is_dir()}
        for folder in [f for f in self.folders if f not in wanted]:
            self._remove_watch(self.fd, self.folders.pop(folder))
        for folder in wanted - set(self.folders):
            number = self._add_watch(self.fd, os.fsencode(folder), MASK)
            if number < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {folder}")
            self.folders[folder] = number

    def wait(self, timeout: float) -> bool:
        """True as soon as something changed in a watched folder; False after ``timeout`` seconds."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        self.drain()
        return True

    def drain(self) -> None:
        """Read the events so far: ``finished`` tells whether the last one ended a save."""
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            if not data:
                return
            offset = 0
            while offset + _EVENT.size <= len(data):  # the kernel hands over whole events only
                _, mask, _, length = _EVENT.unpack_from(data, offset)
                self.finished = bool(mask & FINISHING)
                offset += _EVENT.size + length

    def close(self) -> None:
        os.close(self.fd)


def open_changes(folders: Iterable[Path]) -> Changes | None:
    """Changes in ``folders``, or None where inotify cannot watch them."""
    try:
        changes = Changes()
    except (OSError, AttributeError):
        return None
    try:
        changes.watch(folders)
    except OSError:
        changes.close()
        return None
    return changes
