"""The shared layouts one worker of a cohort made, for the others (a folder of the run's own),
and for later runs (``KeptChunks``, in the user cache).

Every worker of a local pool needs the same guidance chunks for its first trainee; without
this, each lays out and writes all of them at once, on the same cores. A worker that needs
a chunk no worker has made claims it (a claim file, created once by one process) and makes
it; the others lay out the chunks they could claim first, then wait for the rest. A chunk
is published as its page count and tagged PDF (shared_pages._Laid), or as None when it
cannot stand in for its place (the trainee's PDF is then laid out whole). A worker that
waits too long, or whose claimer has ended, makes the chunk itself.

A chunk is also kept in mentorbook's user cache (``layouts``), by its key and by what lays it
out (this version of mentorbook's print code, WeasyPrint, pydyf, pikepdf and fontTools): the
next cohort with the same guidance, or the same cohort run again after a change to a roster or
a workbook, lays out only the trainees' own parts. Entries are data (msgpack, read into typed
structures), bounded in size and number; one that cannot be read is laid out again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import Any

import msgspec

from .stitch import PartPdf

WAIT = 120.0  # seconds a worker waits for another's chunk before making it itself
KEEP = 256  # chunks kept in the user cache: a few guides, blank and fillable, in a size or two
LARGEST = 64 * 2**20  # bytes of one kept chunk at most (a chunk is a few chapters' pages)
MOST_PAGES = 10_000  # pages of one kept chunk at most
FORMAT = "2"  # the kept entries' form: changed, the entries of the old one are no longer found
POLL = 0.01
MISSING = object()


class _Kept(msgspec.Struct, array_like=True):
    """A kept chunk: its page count and tagged PDF (shared_pages._Laid), and the PDF's SHA-256."""
    count: int
    digest: str
    part: PartPdf


_DECODER = msgspec.msgpack.Decoder(_Kept | None)


def new_folder() -> str:
    """A folder for one run's store, in the run's own temporary folder (removed when it ends)."""
    import uuid

    from ..base.writer import process_scratch

    return str(process_scratch() / f"chunks-{uuid.uuid4().hex}")


class ChunkStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.chunk"

    def get(self, key: str) -> Any:
        """The chunk published under ``key``, or MISSING."""
        try:
            return pickle.loads(self._entry(key).read_bytes())  # written by a worker of this run only
        except (OSError, EOFError, pickle.UnpicklingError):
            return MISSING

    def claim(self, key: str) -> bool:
        """Whether this worker is the one to make the chunk (no other has claimed it)."""
        from ..base.writer import claim, ensure_folder

        return ensure_folder(self.folder) and claim(self.folder / f"{key}.claim")

    def put(self, key: str, value: Any) -> None:
        """Publish a chunk; one that cannot be written is given up (its claim removed, so that
        the workers waiting for it make it themselves)."""
        from ..base.errors import OutputError
        from ..base.writer import atomic_write

        try:
            atomic_write(self._entry(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, OutputError):
            self.give_up(key)

    def give_up(self, key: str) -> None:
        """Remove this worker's claim on a chunk it could not make: nobody waits for it."""
        from ..base.writer import discard

        discard(self.folder / f"{key}.claim")

    def wait(self, key: str, limit: float | None = None) -> Any:
        """The chunk another worker claimed, once it is published; MISSING if the claimer ended
        without publishing it or ``limit`` (WAIT) seconds passed (the caller then makes it)."""
        deadline = time.monotonic() + (WAIT if limit is None else limit)
        while time.monotonic() < deadline:
            found = self.get(key)
            if found is not MISSING:
                return found
            if not self._claimer_lives(key):
                return self.get(key)
            time.sleep(POLL)
        return MISSING

    def _claimer_lives(self, key: str) -> bool:
        try:
            said = (self.folder / f"{key}.claim").read_text()
            if not said:
                return True  # claimed this instant: its id is being written
            if int(said) == os.getpid():
                return False  # this worker's own claim: nothing to wait for
            os.kill(int(said), 0)
        except (OSError, ValueError):
            return False
        return True


class KeptChunks:
    """Chunks kept between runs in the user cache. ``get`` gives MISSING for a chunk it does not
    have (or cannot read), else what ``put`` kept: a laid-out chunk, or None (it cannot stand in
    for its place). Without a cache folder it keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    @functools.cached_property
    def stamp(self) -> str:
        """See _code_stamp: worked out at first use, once WeasyPrint's libraries are loaded."""
        return _code_stamp()

    @classmethod
    def of_user(cls) -> KeptChunks:
        from ..base.cache import cache_dir

        return cls(cache_dir("layouts"))

    def _entry(self, key: str) -> Path:
        assert self.folder is not None
        name = hashlib.sha256(f"{self.stamp}\0{key}".encode()).hexdigest()
        return self.folder / f"{name}.chunk"

    def get(self, key: str) -> Any:
        from ..base.safepath import UnreadableFile, read_limited

        if self.folder is None:
            return MISSING
        try:  # a regular file only, opened without blocking, read up to its bound
            found = _DECODER.decode(read_limited(self._entry(key), LARGEST))
        except (OSError, UnreadableFile, msgspec.DecodeError):
            return MISSING
        if found is not None and not _whole(found):
            return MISSING  # laid out again, and kept anew
        return found

    def put(self, key: str, value: Any) -> None:
        from ..base.cache import store_cache_entry

        if self.folder is None:
            return
        kept = None if value is None else _Kept(value.count, hashlib.sha256(value.part.data).hexdigest(), value.part)
        data = msgspec.msgpack.encode(kept)
        if len(data) <= LARGEST:
            store_cache_entry(self._entry(key), data, KEEP)


def _whole(kept: _Kept) -> bool:
    """Whether a kept chunk is as it was written: its counts agree and its PDF has its digest."""
    part = kept.part
    return 0 < kept.count == part.count == len(part.sizes) <= MOST_PAGES and part.data.startswith(b"%PDF-") \
        and hashlib.sha256(part.data).hexdigest() == kept.digest


def _code_stamp() -> str:
    """What lays a chunk out besides its text: mentorbook's print code, the Python packages, and
    (on Linux) the system libraries WeasyPrint has loaded (Pango, HarfBuzz, fontconfig, FreeType)."""
    from ..base.cache import packages_stamp
    from ..base.version import VERSION
    from .weasy import weasyprint

    weasyprint()  # its libraries loaded, to be named below
    libraries = set()
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rstrip("\n").partition("/")[2]
                if any(name in path for name in ("libpango", "libharfbuzz", "libfontconfig", "libfreetype")):
                    info = os.stat("/" + path)
                    libraries.add(f"/{path}:{info.st_size}:{info.st_mtime_ns}")
    except OSError:
        pass  # not Linux: the packages' versions only
    return f"{FORMAT}\n{VERSION}\n" + packages_stamp("weasyprint", "pydyf", "pikepdf", "fontTools", __package__) \
        + "\n" + "\n".join(sorted(libraries))
