"""The scale-out part of the benchmark: large synthetic HTML cohorts, a local pool against
a two-worker Dask LocalCluster, and peak memory from 200 to 1,000 trainees.

Peak memory here is the largest total resident size of the whole process tree of a
run, sampled every 0.1 s: the mentorbook process and its workers, and for the
cluster also the scheduler, nannies and workers of the LocalCluster.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

COHORT, SMALLER = 1000, 200  # trainees, before --scale
# Dask's statistical profiler is off on the workers, as the README advises for large
# cohorts: it keeps up to an hour of sampled stacks, and WeasyPrint's are deep, so a
# worker's memory would grow with the cohort for that hour.
CLUSTER_SCRIPT = """
import sys, time
import dask
from distributed import LocalCluster
dask.config.set({"distributed.worker.profile.enabled": False})
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                       dashboard_address=None)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()  # until the benchmark closes it
cluster.close()
"""


def tree_rss(roots: list[psutil.Process]) -> int:
    total = 0
    for root in roots:
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for process in processes:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
    return total


def measured(cmd: list[str], env: dict, also: list[psutil.Process] = ()) -> tuple[float, int]:
    """Wall time of ``cmd`` and the peak resident size (bytes) of its tree plus ``also``'s trees."""
    peak = [0]
    with open(os.devnull, "wb") as null:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=null, stderr=subprocess.PIPE)
        roots = [psutil.Process(proc.pid), *also]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(roots))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, err = proc.communicate()
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-3000:]}")
    return elapsed, peak[0]


class Cluster:
    """A two-worker LocalCluster in a process of its own, for the runs that use --scheduler."""

    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", CLUSTER_SCRIPT], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.proc.stdout.readline().strip()
        if not self.address.startswith("tcp://"):
            raise SystemExit("the LocalCluster did not start")
        self.process = psutil.Process(self.proc.pid)
        return self

    def __exit__(self, *exc):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run_scale(args, work: Path, env: dict, mentorbook: str, roster, report) -> list[str]:
    """The HTML cohorts at ``args.scale``: a LocalCluster against the local pool (time), and
    the local pool's peak memory at 1,000 trainees against 200; returns notes for results.md.
    The three cohorts run in turns, ``args.cohort_runs`` rounds; the shortest time and the
    largest peak of each are kept."""
    large = max(2, round(COHORT * args.scale))
    small = max(2, round(SMALLER * args.scale))
    big_roster = roster(work / f"roster-{large}", large)
    small_roster = roster(work / f"roster-{small}", small)
    out = work / "scale-out"
    results: dict[str, list[tuple[float, int]]] = {}

    def cohort(roster_file: Path, *extra: str) -> list[str]:
        return [mentorbook, "cohort", str(roster_file), "-q", "--format", "html", "--out", str(out), *extra]

    def timed(name: str, cmd: list[str], also=()) -> None:
        shutil.rmtree(out, ignore_errors=True)
        os.sync()  # the last run's files, deleted, reach the disk before the clock starts: no run pays for another's
        result = measured(cmd, env, list(also))
        results.setdefault(name, []).append(result)
        print(f"   {name}: {result[0]:.1f} s, peak {result[1] / 2**20:.0f} MiB", flush=True)

    print(f"   HTML cohorts of {large} trainees (and {small}), scale {args.scale:g}", flush=True)
    with Cluster() as cluster:  # started once, before the timing: a cluster is up before work is sent to it
        for _ in range(args.cohort_runs):
            timed("pool", cohort(big_roster, "--jobs", "2"))
            timed("cluster", cohort(big_roster, "--scheduler", cluster.address), also=[cluster.process])
            timed("pool, smaller", cohort(small_roster, "--jobs", "2"))
    shutil.rmtree(out, ignore_errors=True)
    pool, dask = min(t for t, _ in results["pool"]), min(t for t, _ in results["cluster"])
    peak = {name: max(m for _, m in values) / 2**20 for name, values in results.items()}
    report("goal", f"{large:,}-trainee HTML cohort: LocalCluster (2 workers) / local pool (2 jobs)", dask, pool,
           "<= 1.2", before="2.31")
    report("goal", f"peak memory, HTML cohort of {large:,} / {small:,} trainees (local pool)", peak["pool"],
           peak["pool, smaller"], "<= 1.1", unit="MiB",
           before="1.06 (blank PDFs)")
    report("more", f"peak memory, {large:,}-trainee HTML cohort: LocalCluster / local pool", peak["cluster"],
           peak["pool"], "-", unit="MiB")
    return [f"- Large cohorts at scale {args.scale:g}: {large:,} trainees (full size {COHORT:,}) and {small:,} "
            f"(full size {SMALLER:,}), HTML only, from a synthetic roster; {args.cohort_runs} run(s) each, in turns.",
            "- Their peak memory is the largest total resident size of the whole process tree, sampled every "
            "0.1 s; for the LocalCluster it includes the scheduler, nannies and workers, which are started "
            "before the timing (Dask's statistical profiler off on the workers, as the staff page advises)."]
