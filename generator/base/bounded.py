"""Running a reader of untrusted input in a process of its own, with a memory and a time limit.

A PDF someone handed in can be made so that the library reading it inflates gigabytes
or loops for minutes, whatever the checks before it found. ``run_bounded`` forks, lowers
the child's address space to what it had plus ``memory`` bytes, and waits at most
``seconds`` for its answer: a reader that runs out of memory gets a MemoryError (which
the reader reports as a refusal), and one that takes too long is killed. Where there is
no fork (not Linux or macOS), the function runs in this process, unbounded.

``end_with_parent`` asks the system to end a helper process (a cohort's worker, the PDF
process of ``serve`` and ``edit``, a layout process) when the process that started it dies.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .i18n import N_, said

T = TypeVar("T")


class OverLimit(Exception):
    """The reader was stopped: it took too long, or died (``reason`` says which)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), or None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _child(write_fd: int, memory: int, call: Callable[[], Any]) -> None:
    import resource

    size = _address_space()
    if size is not None:
        limit = size + memory
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit is already in force
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    try:
        result: tuple[str, Any] = ("value", call())
    except BaseException as exc:
        result = ("raise", exc)
    try:
        data = pickle.dumps(result)
    except Exception as exc:
        data = pickle.dumps(("raise", OverLimit(f"{type(exc).__name__}: {exc}")))
    view = memoryview(data)
    while view:  # into the pipe to the parent, not a file
        view = view[os.write(write_fd, view):]
    os.close(write_fd)


def end_with_parent(parent: int | None = None) -> None:
    """On Linux, this process is sent SIGTERM when the process that started it dies, even by SIGKILL
    (which leaves that one no time to stop it): a cohort's worker, the PDF process of ``serve`` or a
    layout process is never left working for nobody, or waiting on a closed pipe.

    ``parent`` is the process id the starter had (os.getpid() there, before starting this one): a
    process that took a while to get here (a fresh interpreter importing) may find its starter
    already gone, and itself handed to another parent; it then ends at once, with the status
    SIGTERM's would give (143: not an error of its own). Without it, the
    parent is the one this process has now."""
    import ctypes

    parent = os.getppid() if parent is None else parent
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the parent's own clean-up is all there is
    if os.getppid() != parent:  # the parent died before the request took effect (it may itself be PID 1):
        os._exit(128 + signal.SIGTERM)  # ended as the signal asked for would have ended it


def start_forked_helper(parent: int) -> None:
    """First thing in a process forked to help ``parent`` (a layout process, a cohort's worker): it
    ends with its parent (end_with_parent), and leaves what it inherited out of collection
    (collect.leave_inherited_alone)."""
    from .collect import leave_inherited_alone

    end_with_parent(parent)
    leave_inherited_alone()


def run_bounded(call: Callable[[], T], memory: int, seconds: float) -> T:
    """``call()`` in a forked process with at most ``memory`` more bytes of address space and
    ``seconds`` of wall time; its value, or the exception it raised. Raises OverLimit when
    it took too long or died without an answer."""
    if not hasattr(os, "fork"):
        return call()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 0
        try:
            os.close(read_fd)
            _child(write_fd, memory, call)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    end = time.monotonic() + seconds
    try:
        while True:
            left = end - time.monotonic()
            ready = select.select([read_fd], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise OverLimit(said(N_("reading it took longer than %(seconds)s seconds"), seconds=f"{seconds:.0f}"))
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        os.waitpid(pid, 0)
    if not chunks:
        raise OverLimit(said(N_("reading it stopped the reader (it may need more memory than any form does)")))
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "raise":
        raise value
    return value
