"""Where per-trainee work runs: here, in a local process pool, or on a Dask cluster.

``cohort`` and ``report`` hand an executor a *job*: a ``prepare`` function run once per
worker on a shared context (sources, project, settings), and a ``work`` function run
for each item with what ``prepare`` returned. Results come back as they finish, not in
order. Workers only compute: they return bytes and summaries, and the parent writes
them through its one Writer.

The local pool is a ``ProcessPoolExecutor``; the cluster is a ``distributed.Client``
connected to ``--scheduler tcp://HOST:PORT``. Dask is an optional extra
(``pip install 'mentorbook[cluster]'``), imported only when a scheduler is given.
Workers of a cluster need mentorbook (the same version) and the inputs at the same
paths, as on a shared file system.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from itertools import islice
from typing import Any

from ..base import COLLECTOR_THRESHOLDS
from ..base.bounded import start_forked_helper
from ..base.errors import MentorbookError, OutputError
from ..base.writer import process_scratch

Prepare = Callable[[Any], Any]
Work = Callable[[Any, Any], Any]

EXTRA = "cluster"
CONNECT_TIMEOUT = "5s"
IN_FLIGHT = 2  # items per local worker process submitted ahead
CHUNK = 16  # most items in one task of a Dask cluster

# A worker's prepared state: (token of the run, what prepare returned). One per process.
_STATE: dict[str, Any] = {}
_LOCK = threading.Lock()  # a Dask worker may run several threads; WeasyPrint lays out one document at a time


def as_is(context: Any) -> Any:
    """A ``prepare`` for work that needs nothing but the context itself."""
    return context


def _prepared(prepare: Prepare, token: str, context: Any) -> Any:
    if _STATE.get("token") != token:
        _STATE.clear()
        _STATE.update(token=token, value=prepare(context))
    return _STATE["value"]


def _initialise(prepare: Prepare, token: str, context: Any, parent: int) -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP"):  # a worker stopped with the run just ends; the parent cleans up
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    start_forked_helper(parent)
    _prepared(prepare, token, context)


def run_item(prepare: Prepare, work: Work, token: str, context: Any, item: Any) -> Any:
    """One item on a worker: prepare the context on first use, then do the work."""
    with _LOCK:
        return work(_prepared(prepare, token, context), item)


def run_chunk(prepare: Prepare, work: Work, token: str, context: Any, chunk: list[Any]) -> list[Any]:
    """Several items on a cluster's worker, one task: the scheduler's cost is paid once per chunk.

    While it runs, the worker's cycle collector looks at new objects as seldom as the command's
    own processes do (cli.run; the local pool's workers are forked from it); the worker's own
    setting comes back after, since a cluster's workers may run others' tasks too."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        return [run_item(prepare, work, token, context, item) for item in chunk]
    finally:
        gc.set_threshold(*before)


def chunk_size(items: int, workers: int, largest: int = CHUNK) -> int:
    """Items per cluster task: about four tasks per worker (so that a slow worker does not hold the
    end back), at most ``largest`` (so that results come back, and memory is freed, as they go)."""
    return max(1, min(largest, -(-items // (4 * max(workers, 1)))))


class LocalExecutor:
    """Runs items in this process (one job) or in a pool of ``jobs`` processes.

    At most a few items per process are in flight at once, and each result is dropped
    by the pool as soon as it is handed on, so memory does not grow with the number of
    items. If the run is stopped (an error, Ctrl-C, SIGTERM), items not yet started are
    cancelled and the workers are not waited for.
    """

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs or os.cpu_count() or 1

    def run(self, prepare: Prepare, work: Work, context: Any, items: Iterable[Any]) -> Iterator[Any]:
        token = uuid.uuid4().hex
        items = list(items)
        if self.jobs <= 1 or len(items) <= 1:
            for item in items:
                yield run_item(prepare, work, token, context, item)
            return
        process_scratch()  # the workers' temporary files go in it: the pool ends them without clean-up
        pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(items)), initializer=_initialise,
                                   initargs=(prepare, token, context, os.getpid()))
        finished = False
        try:
            # each worker has the context from its initializer: items go without it
            pending = iter(items)
            running = {pool.submit(run_item, prepare, work, token, None, item)
                       for item in islice(pending, IN_FLIGHT * self.jobs)}
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                running |= {pool.submit(run_item, prepare, work, token, None, item)
                            for item in islice(pending, len(done))}
                for future in done:
                    result = future.result()
                    del future
                    yield result
            finished = True
        finally:
            pool.shutdown(wait=finished, cancel_futures=not finished)

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return f"{self.jobs} local process{'es' if self.jobs != 1 else ''}"


class DaskExecutor:
    """Runs items on the workers of a Dask distributed cluster, in chunks of a few items per task;
    the shared context is sent to each worker once and prepared there once per run."""

    def __init__(self, address: str):
        try:
            from distributed import Client
        except ImportError:
            raise MentorbookError(f"--scheduler needs Dask distributed: pip install 'mentorbook[{EXTRA}]'") from None
        self.address = address
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise OutputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None

    def run(self, prepare: Prepare, work: Work, context: Any, items: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed as completed

        token = uuid.uuid4().hex
        items = list(items)
        if not items:
            return
        workers = len(self.client.scheduler_info().get("workers") or ())
        if not workers:
            raise OutputError(f"the Dask scheduler at {self.address} has no workers")
        if self.client.direct_to_workers is None:  # Dask's configuration leaves it open
            self.client.direct_to_workers = direct_to_workers(whereabouts(), self.client.run(whereabouts).values())
        shared = self.client.scatter(context, broadcast=True, hash=False)  # sent once to each worker
        size = chunk_size(len(items), workers)
        futures = [self.client.submit(run_chunk, prepare, work, token, shared, items[i:i + size], pure=False)
                   for i in range(0, len(items), size)]
        try:
            for future in completed(futures, loop=self.client.loop):
                results = future.result()
                future.release()  # its results leave the cluster's memory
                yield from results
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        self.client.close()

    def describe(self) -> str:
        return f"the Dask cluster at {self.address}"


def whereabouts() -> tuple[str, int] | None:
    """This process's machine and network, on Linux (the kernel's boot id and the network
    namespace): processes that share both reach each other's loopback addresses. None elsewhere."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as boot:
            return boot.read().strip(), os.stat("/proc/self/ns/net").st_ino
    except OSError:
        return None


def direct_to_workers(here: tuple[str, int] | None, there: Iterable[tuple[str, int] | None]) -> bool | None:
    """Whether results come straight from the workers rather than through the scheduler: yes when
    every worker shares this machine and network (a LocalCluster, where relaying every trainee's
    files through the scheduler only costs processor time); else Dask's default, through the
    scheduler, since a cluster's workers may be out of this machine's reach (even those of a
    scheduler reached through a tunnel to localhost)."""
    there = list(there)
    return True if here is not None and there and all(place == here for place in there) else None


def make_executor(jobs: int | None = None, scheduler: str | None = None) -> LocalExecutor | DaskExecutor:
    """The Dask cluster at ``scheduler`` if given, else a local pool of ``jobs`` processes."""
    return DaskExecutor(scheduler) if scheduler else LocalExecutor(jobs)


def check_address(address: str) -> str | None:
    """Why ``address`` is not a scheduler address (tcp://HOST:PORT), or None."""
    from urllib.parse import urlparse

    parsed = urlparse(address)
    try:
        port = parsed.port
    except ValueError:
        port = None
    if parsed.scheme not in ("tcp", "tls") or not parsed.hostname or port is None:
        return f"{address!r} is not a scheduler address like tcp://HOST:PORT"
    return None
