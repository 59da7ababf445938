"""base/collect.py: collection thresholds raised while a PDF is made, and put back after."""

from __future__ import annotations

import gc
import threading

import pytest

from mentorbook.base.collect import THRESHOLDS, fewer_collections


@pytest.fixture
def default_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_thresholds_are_raised_inside_and_put_back_after(default_thresholds):
    with fewer_collections():
        assert gc.get_threshold() == THRESHOLDS
        with fewer_collections():  # nested: the outermost puts them back
            assert gc.get_threshold() == THRESHOLDS
        assert gc.get_threshold() == THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)


def test_they_are_put_back_when_the_work_fails(default_thresholds):
    with pytest.raises(ValueError), fewer_collections():
        raise ValueError("a layout failed")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_hosts_higher_thresholds_are_kept(default_thresholds):
    gc.set_threshold(200_000, 5, 50)
    with fewer_collections():
        assert gc.get_threshold() == (200_000, 20, 50)
    assert gc.get_threshold() == (200_000, 5, 50)


def test_threads_that_overlap_leave_the_thresholds_as_they_found_them(default_thresholds):
    inside, release = threading.Barrier(2), threading.Event()

    def work(first: bool):
        with fewer_collections():
            inside.wait()
            if first:
                release.wait()  # the first to enter leaves last
        if not first:
            release.set()

    threads = [threading.Thread(target=work, args=(first,)) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert gc.get_threshold() == (700, 10, 10)
