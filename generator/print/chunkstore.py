"""The shared layouts one worker of a cohort made, for the others (a folder of the run's own).

Every worker of a local pool needs the same guidance chunks for its first trainee; without
this, each lays out and writes all of them at once, on the same cores. A worker that needs
a chunk no worker has made claims it (a claim file, created once by one process) and makes
it; the others lay out the chunks they could claim first, then wait for the rest. A chunk
is published as its page count and tagged PDF (shared_pages._Laid), or as None when it
cannot stand in for its place (the trainee's PDF is then laid out whole). A worker that
waits too long, or whose claimer has ended, makes the chunk itself.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from typing import Any

WAIT = 120.0  # seconds a worker waits for another's chunk before making it itself
POLL = 0.01
MISSING = object()


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
