"""The scale-out part of the benchmark: large synthetic cohorts, a local pool against a
two-worker Dask LocalCluster, the per-trainee time of a blank cohort against one
``build --blank``, and peak memory from 200 to 1,000 trainees.

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


def run_scale(args, work: Path, env: dict, mentorbook: str, roster, best, report) -> list[str]:
    """Measure the cohorts at ``args.scale``; returns notes for results.md."""
    large = max(2, round(COHORT * args.scale))
    small = max(2, round(SMALLER * args.scale))
    big_roster = roster(work / f"roster-{large}", large)
    small_roster = roster(work / f"roster-{small}", small)
    out = work / "scale-out"
    rows: dict[str, tuple[float, int]] = {}

    def cohort(roster_file: Path, *extra: str) -> list[str]:
        return [mentorbook, "cohort", str(roster_file), "-q", "--out", str(out), *extra]

    def timed(name: str, cmd: list[str], also=()) -> tuple[float, int]:
        shutil.rmtree(out, ignore_errors=True)
        rows[name] = result = measured(cmd, env, list(also))
        print(f"   {name}: {result[0]:.1f} s, peak {result[1] / 2**20:.0f} MiB", flush=True)
        return result

    print(f"7. cohorts of {large} trainees (and {small})", flush=True)
    # In the order that gives the goals (8, 9) first; the LocalCluster's blank cohort comes later.
    with Cluster() as cluster:
        pool = timed("HTML only, local pool", cohort(big_roster, "--jobs", "2", "--format", "html"))
        dask = timed("HTML only, LocalCluster", cohort(big_roster, "--scheduler", cluster.address, "--format", "html"),
                     also=[cluster.process])
    report(f"7. {large} trainees, HTML only: LocalCluster vs local pool (time)", dask[0], pool[0], "-")
    report(f"7. {large} trainees, HTML only: LocalCluster vs local pool (peak memory)",
           dask[1] / 2**20, pool[1] / 2**20, "-", unit="MiB")
    blank_total, blank_peak = timed("blank PDFs, local pool", cohort(big_roster, "--jobs", "2", "--blank"))
    single = best([mentorbook, "build", "-q", "--blank", "--out", str(work / "single")], args.runs,
                  prepare=lambda: shutil.rmtree(work / "single", ignore_errors=True), env=env)
    report(f"8. per-trainee time of a {large}-trainee blank cohort vs one `build --blank`",
           blank_total / large, single, "<= 0.6")
    shared = timed("blank PDFs, local pool, smaller", cohort(small_roster, "--jobs", "2", "--blank"))
    report(f"9. peak memory, blank cohort of {large} vs {small}", blank_peak / 2**20, shared[1] / 2**20, "<= 1.2",
           unit="MiB")
    with Cluster() as cluster:
        dask = timed("blank PDFs, LocalCluster", cohort(big_roster, "--scheduler", cluster.address, "--blank"),
                     also=[cluster.process])
    report(f"7. {large} trainees, blank PDFs: LocalCluster vs local pool (time)", dask[0], blank_total, "-")
    report(f"7. {large} trainees, blank PDFs: LocalCluster vs local pool (peak memory)",
           dask[1] / 2**20, blank_peak / 2**20, "-", unit="MiB")
    whole = timed("blank PDFs, whole layouts, local pool", cohort(small_roster, "--jobs", "2", "--blank",
                                                                  "--full-layout"))
    report(f"8. cohort of {small}, guidance laid out once vs every PDF laid out whole", shared[0], whole[0],
           "-")
    return [f"- Cohorts at scale {args.scale:g}: {large} trainees (the full benchmark: {COHORT}) and {small} "
            f"(full: {SMALLER}); the roster is the synthetic one of the other cohort measures.",
            "- Peak memory of the cohorts at scale (7-9) is the largest total resident size of the whole process "
            "tree, sampled every 0.1 s; for the LocalCluster it includes the scheduler, nannies and workers."]
