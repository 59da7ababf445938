"""A temporary folder of the run's own, for what libraries write to the system's.

WeasyPrint copies the fonts a document loads into a folder of its own under the
system's temporary folder, and removes it when its font configuration is freed. A
process that ends without freeing it (a cohort's worker ends as its pool ends it; the
command itself ends without tearing the interpreter down, see cli.run) would leave a
megabyte behind each time. While ``scratch`` runs, the temporary folder is one made
for the run, inside the system's, and everything in it is removed at the end, whatever
made it: this process or a process forked from it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch() -> Iterator[Path]:
    """Run the body with a temporary folder of its own (nested runs each get theirs)."""
    before = tempfile.tempdir
    folder = tempfile.mkdtemp(prefix="mentorbook-")
    tempfile.tempdir = folder
    try:
        yield Path(folder)
    finally:
        tempfile.tempdir = before
        shutil.rmtree(folder, ignore_errors=True)
