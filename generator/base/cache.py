"""mentorbook's user cache (compiled templates, converted Markdown): kept between runs only to save
time, so a cache that cannot be made or written is simply not used. Its files go through the writer."""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from contextlib import suppress
from pathlib import Path

from .errors import OutputError
from .writer import Content, atomic_write, ensure_folder, prune


def cache_dir(kind: str) -> Path | None:
    """A folder of mentorbook's user cache (``$XDG_CACHE_HOME/mentorbook/<kind>`` on Linux; where the
    system keeps caches elsewhere), or None when it cannot be made or written."""
    root = user_cache_root()
    if root is None:
        return None
    folder = os.path.join(root, kind)
    if folder not in _MADE:  # checked once per process (a build asks some 25 times)
        if not ensure_folder(Path(folder)):
            return None
        _MADE.add(folder)
    return Path(folder)


_MADE: set[str] = set()  # cache folders this process made or found writable (writing one makes it again)


def user_cache_root() -> str | None:
    """mentorbook's folder in the user cache, as ``platformdirs.user_cache_dir`` names it, or None
    when there is no home folder to keep it in.

    On Linux it is ``$XDG_CACHE_HOME`` (when absolute, as the XDG specification wants) or
    ``$HOME/.cache``, then ``mentorbook``: worked out here, because importing platformdirs costs
    a site build about 3 ms. Everywhere else (macOS, Windows, Android, a relative or missing
    ``HOME``) platformdirs decides."""
    if sys.platform.startswith("linux") and not hasattr(sys, "getandroidapilevel") \
            and "ANDROID_DATA" not in os.environ:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        if os.path.isabs(xdg):
            return os.path.join(xdg, "mentorbook")
        home = os.environ.get("HOME", "")
        if os.path.isabs(home):
            return os.path.join(home, ".cache", "mentorbook")
    from platformdirs import user_cache_dir

    try:
        return user_cache_dir("mentorbook", appauthor=False)
    except RuntimeError:  # no home folder it can find (platformdirs 4.14 and later): no cache
        return None


@functools.cache
def packages_stamp(*names: str) -> str:
    """What a cached result depends on besides its input: the files of the packages ``names`` (each
    one's folder, by name, size and time), so that an upgrade of one starts its entries afresh. Found
    without importing the packages."""
    parts = []
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec and spec.origin else None
        if origin is None:
            parts.append(f"{name}:?")
            continue
        with os.scandir(origin.parent) as entries:  # a file's type from the listing, one stat per file
            stamps = sorted((e.name, (info := e.stat()).st_size, info.st_mtime_ns) for e in entries if e.is_file())
        parts.append(f"{name}:{origin}:{stamps}")
    return "\n".join(parts)


_PRUNED: set[Path] = set()  # cache folders pruned by this process (once each)


def store_cache_entry(entry: Path, content: Content, keep: int) -> bool:
    """Keep a cache entry (atomically); a cache that cannot be written is simply skipped. A process's
    first entry in a folder (written on a miss) first removes all but the ``keep`` most recently
    written entries of its kind (its suffix) there, so that the cache cannot grow without end:
    True then."""
    first = entry.parent not in _PRUNED
    if first:
        _PRUNED.add(entry.parent)
        prune_cache(entry.parent, entry.suffix, keep)
    with suppress(OSError, OutputError):
        atomic_write(entry, content)
    return first


def drop_cache_entries(folder: Path, prefix: str, suffix: str) -> None:
    """Remove the entries of a cache folder named ``prefix...suffix`` (a former form of its entries)."""
    prune(folder, 0, lambda e: 0 if e.name.startswith(prefix) and e.name.endswith(suffix) else None)


def prune_cache(folder: Path, suffix: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently written ``*suffix`` entries of a cache folder."""
    prune(folder, keep, lambda e: e.stat().st_mtime_ns if e.name.endswith(suffix) else None)
