"""The one rule for paths: what mentorbook may read, and where it may write.

Reading: a file mentorbook reads from a project, a roster or a workbook folder must be a
regular file (no FIFO, device or folder) whose real path (after symlinks) lies inside
the folder it belongs to, no larger than the limit; at most limit + 1 bytes are read.

Writing: every file lands inside ``--out``, never through a symlink, and ``--out`` is
never HOME, ``/``, a folder of mentorbook's own or a project's source folder (at any depth).
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from .errors import OutputError
from .i18n import N_

MAX_QUOTE = 80  # characters of a user's value quoted in a message
MAX_PATH = 1024  # characters of a path given in a file (a roster's workbook column)


def visible(ch: str) -> str:
    """``ch`` as a message shows it: itself, or escaped (``\\u200b``) when it would be invisible or
    would change the text around it (control, format, bidi and separator characters)."""
    if ch == " " or unicodedata.category(ch) not in _HIDDEN:
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


def shorten(value: object, limit: int = MAX_QUOTE) -> str:
    """``value`` as text for a message: one line, at most ``limit`` characters, every character that
    could not be seen (a zero-width space, a control or bidi character, a no-break space) escaped."""
    text = str(value)
    text = "".join(" " if ch in "\n\t" else visible(ch) for ch in text[: limit * 2])
    if len(text) > limit or len(str(value)) > limit * 2:
        text = text[: limit - 1] + "…"
    return text


class UnreadableFile(Exception):
    """A file that must not or cannot be read; ``reason`` is the message for the user."""

    def __init__(self, reason: str, /, **values: object):  # a value may be called reason too
        """``reason`` is a catalog text that ``values`` fill (see ``said``)."""
        self.template, self.values = reason, values
        self.reason = reason % values if values else reason
        super().__init__(self.reason)

    def said(self, lang) -> str:
        """The reason in ``lang`` (a base.i18n Language)."""
        text = lang.gettext(self.template)
        return text % self.values if self.values else text


def contained(path: Path, folder: Path) -> bool:
    """Whether ``path`` resolves (after symlinks) to ``folder`` or inside it."""
    if len(str(path)) > 4 * MAX_PATH:
        return False  # longer than any path the system can open; resolving it would take long
    try:
        real, base = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    except (OSError, ValueError):
        return False
    return real == base or base in real.parents


def read_limited(path: Path, limit: int, within: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raise :class:`UnreadableFile`.

    The file is opened without blocking (a FIFO cannot hang the read), checked with
    ``fstat`` on the open handle, and read only up to ``limit + 1`` bytes, so a sparse
    file or a device can never fill memory. With ``within``, the file's real path must
    lie inside that folder.
    """
    if within is not None and not contained(path, within):
        raise UnreadableFile(N_("it resolves outside %(folder)s (a symlink leading out is not followed)"),
                             folder=within)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise UnreadableFile(N_("file not found")) from None
    except OSError as exc:
        raise UnreadableFile(N_("cannot read file: %(reason)s"), reason=exc.strerror) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile(N_("it is a folder, not a file"))
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(N_("it is not a regular file (a pipe, socket or device is never read)"))
        if info.st_size > limit:
            raise UnreadableFile(N_("file is larger than %(size)s"), size=_size(limit))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # grew while being read
            raise UnreadableFile(N_("file is larger than %(size)s"), size=_size(limit))
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(N_("cannot read file: %(reason)s"), reason=exc.strerror) from None
    finally:
        os.close(fd)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    return f"{limit:,} bytes"


def check_out_dir(out_dir: Path, protected: tuple[Path, ...] = (), root: Path | None = None) -> Path:
    """Resolve ``out_dir`` and refuse it when generated files could clobber real work.

    ``/``, HOME, the checkout and a project's ``root`` are refused only themselves (so that
    ``project/output`` stays fine); mentorbook's own folders and ``protected`` folders (a
    project's sources) at any depth.
    """
    from .paths import OWN_DIRS, ROOT

    exact_only = (Path("/"), Path.home(), ROOT, *([root] if root else []))
    own_dirs = tuple(p for p in OWN_DIRS if p != ROOT)
    resolved = out_dir.expanduser().resolve()
    advice = "choose a dedicated output folder, e.g. --out output"
    if resolved in {p.resolve() for p in exact_only}:
        raise OutputError(f"refusing to write into {resolved}: {advice}")
    for folder in (*own_dirs, *protected):
        real = folder.resolve()
        if resolved == real or real in resolved.parents:
            raise OutputError(f"refusing to write into {resolved}: it is inside {real}, "
                              f"which mentorbook reads from; {advice}")
    if resolved.exists() and not resolved.is_dir():
        raise OutputError(f"{resolved} exists and is not a folder")
    return resolved


def check_target(out_dir: Path, relative: str, checked: set[str] | None = None) -> Path:
    """``out_dir / relative`` after checking that writing it stays inside ``out_dir``:
    no ``..``, no absolute part, and no symlink on the way (folders or the file itself).
    ``checked``: folders found to be no symlink by earlier calls of one check (a site's 40 files
    share three folders), added to as folders pass."""
    parts = Path(relative).parts
    if not parts or Path(relative).is_absolute() or any(p in ("..", "") for p in parts):
        raise OutputError(f"refusing to write {shorten(relative)!r}: it would land outside {out_dir}")
    current = os.fspath(out_dir)
    for depth, part in enumerate(parts, 1 - len(parts)):  # depth 0: the file itself
        current = os.path.join(current, part)
        if depth and checked is not None and current in checked:
            continue
        if os.path.islink(current):
            raise OutputError(f"refusing to write {current}: it is a symlink, and mentorbook writes only "
                              f"into real folders inside {out_dir}; remove the link")
        if depth and checked is not None:
            checked.add(current)
    return out_dir / relative


def escapes(folder: Path, root: Path) -> list[tuple[Path, str]]:
    """Entries of a project ``folder`` that break the reading rule: the folder itself
    resolving outside ``root``, a symlink leading out of ``folder``, or something other
    than a file or folder (a FIFO or device). Each with the reason, for a located error."""
    if not contained(folder, root):
        return [(folder, f"the folder resolves outside the project ({shorten(os.path.realpath(folder))})")]
    found: list[tuple[Path, str]] = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            entry = Path(top) / name
            if entry.is_symlink() and not contained(entry, folder):
                found.append((entry, f"a symlink leading outside {folder.name}/ "
                                     f"({shorten(os.path.realpath(entry))}) is never followed"))
                continue
            try:
                mode = entry.stat().st_mode
            except OSError as exc:
                if not isinstance(exc, FileNotFoundError) or entry.is_symlink():
                    found.append((entry, "cannot be read (a broken symlink?)"))
                continue  # else gone since the folder was listed: an editor's save renamed its copy into place
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append((entry, "is not a regular file (a pipe, socket or device is never read)"))
    return found
