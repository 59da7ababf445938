"""`cohort` and `report` on a Dask cluster (--scheduler): the same outputs as the local pool.

A two-worker LocalCluster on 127.0.0.1 is started once for the module. Its scheduler runs in
this process: the keys it relays to a client (its "gather" handler) are counted in RELAYED.
"""

from __future__ import annotations

import os
from pathlib import Path

import distributed
import pytest
from conftest import COHORT_TRAINEES, EXAMPLE_COHORT, TODAY

from mentorbook.base.writer import MANIFEST
from mentorbook.cli import main

RELAYED: list = []


@pytest.fixture(scope="module")
def scheduler():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    gather = cluster.scheduler.handlers["gather"]

    def counted(keys, **rest):
        RELAYED.extend(keys)
        return gather(keys=keys, **rest)

    cluster.scheduler.handlers["gather"] = counted
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def run(args: list[str]) -> int:
    return main(args)


@pytest.fixture(scope="module")
def on_cluster(example_cohort, cohort_guide, scheduler, tmp_path_factory):
    """The conftest cohort (built by a local pool of two) built again on the cluster."""
    roster = example_cohort.out_dir.parent / "example" / "roster.csv"
    out = tmp_path_factory.mktemp("cluster") / "out"
    RELAYED.clear()
    code = run(["cohort", str(roster), "-q", "--out", str(out), "--today", TODAY.isoformat(),
                "--scheduler", scheduler, "--project", str(cohort_guide)])
    return code, out, list(RELAYED)


def test_cohort_on_a_cluster_gives_byte_identical_pdfs_and_sites(example_cohort, on_cluster):
    code, out, _ = on_cluster
    assert code == 0
    local, remote = files_of(example_cohort.out_dir), files_of(out)
    pdfs = [name for name in local if name.startswith("trainees/") and name.endswith(".pdf")]
    assert len([p for p in pdfs if p.count("/") == 1]) == len(COHORT_TRAINEES)
    assert any("/site/" in name for name in local)
    assert sorted(remote) == sorted(local)
    different = [name for name in local if local[name] != remote[name]]
    assert different == [], different


def test_results_come_straight_from_the_workers_of_a_cluster_on_this_machine(on_cluster):
    """A scheduler on the loopback has its workers here: the client takes each chunk's results
    from them, instead of having the scheduler relay every trainee's files."""
    code, _, relayed = on_cluster
    assert code == 0 and relayed == []


def test_whether_results_come_straight_from_the_workers():
    """Only from workers on this machine and network; never on the scheduler's address alone (a
    tunnel to localhost may lead to workers elsewhere)."""
    from mentorbook.staff.executor import direct_to_workers, whereabouts

    here = whereabouts()
    assert here is not None and here[0] and here[1] > 0  # Linux: a boot id and a network namespace
    assert direct_to_workers(here, [here, here]) is True
    assert direct_to_workers(here, [here, ("another-boot", here[1])]) is None  # another machine
    assert direct_to_workers(here, [(here[0], here[1] + 1)]) is None  # a container's own network
    assert direct_to_workers(here, [here, None]) is None  # a worker that cannot tell
    assert direct_to_workers(None, [None]) is None and direct_to_workers(here, []) is None


def test_dasks_own_setting_wins(scheduler, tmp_path):
    """Results go through the scheduler when Dask's configuration says so, even on this machine."""
    import dask.config

    RELAYED.clear()
    with dask.config.set({"distributed.client.direct-to-workers": False}):
        assert run(["report", str(EXAMPLE_COHORT / "workbooks"), "--roster", str(EXAMPLE_COHORT / "roster.csv"),
                    "--today", TODAY.isoformat(), "-q", "--out", str(tmp_path), "--scheduler", scheduler]) == 0
    assert RELAYED != []


def test_the_cluster_build_records_its_files_in_the_manifest(example_cohort, on_cluster):
    import json

    _, out, _ = on_cluster
    listed = set(json.loads((out / MANIFEST).read_text())["files"])
    assert set(files_of(out)) <= listed


def test_report_on_a_cluster_is_the_same_report(scheduler, tmp_path):
    roster = EXAMPLE_COHORT / "roster.csv"
    sources = EXAMPLE_COHORT / "workbooks"
    common = ["report", str(sources), "--roster", str(roster), "--today", TODAY.isoformat(), "-q"]
    assert run([*common, "--out", str(tmp_path / "local")]) == 0
    assert run([*common, "--out", str(tmp_path / "remote"), "--scheduler", scheduler]) == 0
    local, remote = files_of(tmp_path / "local"), files_of(tmp_path / "remote")
    assert sorted(local) == ["report.csv", "report.html", "report.pdf"]
    assert local == remote
    assert "Chen Wei" in local["report.csv"].decode()


def test_a_bad_scheduler_address_is_a_clear_error(tmp_path, capsys, monkeypatch):
    from mentorbook.staff import executor

    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", "1s")  # nothing will answer: no need to wait 5 s for it
    roster = EXAMPLE_COHORT / "roster.csv"
    closed = "tcp://127.0.0.1:9"  # the discard port: nothing listens on it here
    assert run(["cohort", str(roster), "-q", "--out", str(tmp_path / "a"), "--scheduler", closed]) == 2
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at {closed}" in err and "Traceback" not in err
    assert not (tmp_path / "a" / "trainees").exists()
    assert run(["report", str(EXAMPLE_COHORT / "workbooks"), "--out", str(tmp_path / "b"),
                "--scheduler", "localhost:8786"]) == 2
    err = capsys.readouterr().err
    assert "is not a scheduler address like tcp://HOST:PORT" in err and "Traceback" not in err


def test_without_dask_the_error_names_the_extra(tmp_path, capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    code = run(["cohort", str(EXAMPLE_COHORT / "roster.csv"), "-q", "--out", str(tmp_path / "c"),
                "--scheduler", "tcp://127.0.0.1:8786"])
    err = capsys.readouterr().err
    assert code == 1 and "pip install 'mentorbook[cluster]'" in err and "Traceback" not in err
    assert os.listdir(tmp_path) == [] or not (tmp_path / "c" / "trainees").exists()
