"""The executor alone: how a cluster's work is cut into tasks, and items run in this process."""

from __future__ import annotations

from mentorbook.staff.executor import CHUNK, LocalExecutor, chunk_size, run_chunk


def test_a_cluster_gets_about_four_tasks_per_worker_and_never_huge_ones():
    assert chunk_size(1000, 2) == CHUNK  # 125 would hold results back: at most CHUNK per task
    assert chunk_size(40, 2) == 5  # 8 tasks for 2 workers
    assert chunk_size(3, 2) == 1  # fewer items than workers: one each
    assert chunk_size(0, 2) == 1 and chunk_size(5, 0) == 2


def test_a_chunk_is_prepared_once_and_runs_its_items_in_order():
    prepared = []

    def prepare(context):
        prepared.append(context)
        return context * 10

    assert run_chunk(prepare, lambda value, item: value + item, "token-a", 4, [1, 2, 3]) == [41, 42, 43]
    assert run_chunk(prepare, lambda value, item: value + item, "token-a", 4, [5]) == [45]
    assert prepared == [4]  # once per run (its token) and worker, not per item or chunk


def test_one_local_job_runs_every_item_here():
    assert sorted(LocalExecutor(1).run(lambda c: c, lambda c, item: item * c, 3, [1, 2])) == [3, 6]
