"""Fewer garbage collections while WeasyPrint lays out or writes a PDF.

A layout makes hundreds of thousands of small objects (boxes, styles, runs of text) that
live until the document is written. With CPython's default thresholds the cyclic collector
runs thousands of times meanwhile, and finds almost nothing to free: about a tenth of a
PDF's processor time. ``fewer_collections`` raises the thresholds while the outermost such
piece of work runs and puts back what it found after; what the work leaves behind is
collected at the next collection, as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLDS = (50_000, 20, 20)  # young objects before a collection, then collections before an older one

_lock = threading.Lock()
_depth = 0
_before: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with raised collection thresholds (never lowered: a host's own higher ones stay)."""
    global _depth, _before
    with _lock:
        if _depth == 0:
            _before = gc.get_threshold()
            gc.set_threshold(*(max(mine, theirs) for mine, theirs in zip(THRESHOLDS, _before, strict=False)))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_before)


def leave_inherited_alone() -> None:
    """In a forked process: what it inherited from its parent is set aside from collection there
    (the parent keeps it alive anyway), so that the collector neither scans it again and again
    nor, by touching it, copies the parent's memory page by page."""
    gc.freeze()
