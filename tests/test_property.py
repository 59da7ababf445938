"""Property: whatever a mutated sample workbook or project holds, the commands answer
with exit status 0, 1 or 2, never a traceback, within a time bound.

Mutations: deleting, duplicating and reordering lines, inserting odd Unicode, tabs and
document markers, and replacing values with huge or far ones. Example counts are small
and fixed so that each test stays cheap enough for CI.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main

SAMPLE_LINES = SAMPLE_WORKBOOK.read_text(encoding="utf-8").splitlines()
ODD = ["\u2028", "\u200b", "\ufeff", "\x00", "\t", "\u202e", "é", "𝒜", "\ud7ff", "---", "...", "&a", "*a",
       "!!python/object:os.system", "{", "[", ": ", "#", "'", '"', "\\", "\r"]
HUGE = ["9" * 5000, "0x" + "f" * 3600, "x" * 400_000, "9999-12-31", "0001-01-01", "2199-12-31", "-1e999",
        ".nan", "[" * 60, "- " * 100, "20261120", "true", "~", "{a: 1}"]
TIME_BOUND = 15  # seconds of processor time for one command on one mutation (a runaway input takes far more)

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("swap"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.integers(0, 200), st.sampled_from(ODD)),
    st.tuples(st.just("value"), st.integers(0, 10_000), st.sampled_from(HUGE)),
    st.tuples(st.just("text"), st.integers(0, 10_000), st.integers(0, 200),
              st.text(st.characters(codec="utf-8"), max_size=8)),
)
mutations = st.lists(mutation, min_size=1, max_size=4)


def mutate(lines: list[str], ops) -> str:
    lines = list(lines)
    for op in ops:
        if not lines:
            break
        i = op[1] % len(lines)
        if op[0] == "delete":
            del lines[i]
        elif op[0] == "duplicate":
            lines.insert(i, lines[i])
        elif op[0] == "swap":
            j = op[2] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op[0] in ("insert", "text"):
            at = op[2] % (len(lines[i]) + 1)
            lines[i] = lines[i][:at] + op[3] + lines[i][at:]
        elif op[0] == "value":
            key, sep, _ = lines[i].partition(": ")
            lines[i] = f"{key}{sep or ': '}{op[2]}"
    return "\n".join(lines) + "\n"


def run(args: list[str]) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    started = time.process_time()  # processor time: the same on a busy machine
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main([str(a) for a in args])
    elapsed = time.process_time() - started
    text = out.getvalue() + err.getvalue()
    assert code in (0, 1, 2), text[-2000:]
    assert "Traceback" not in text, text[-2000:]
    assert elapsed < TIME_BOUND, f"{args[0]} took {elapsed:.1f}s"
    return code, text


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="mentorbook-property-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def write_workbook(scratch: Path, ops) -> Path:
    path = scratch / "wb.yml"
    path.write_bytes(mutate(SAMPLE_LINES, ops).encode("utf-8", "surrogatepass"))
    return path


@_settings(60)
@given(ops=mutations)
def test_check_calendar_and_log_on_mutated_workbooks(scratch, ops):
    wb = write_workbook(scratch, ops)
    run(["check", wb, "--today", TODAY.isoformat()])
    run(["calendar", wb, "-o", scratch / "cal" / "meetings.ics", "-q"])
    run(["log", wb, "-m", "Whitcombe", "--dry-run", "-q"])


@_settings(15)
@given(ops=mutations)
def test_build_html_on_mutated_workbooks(scratch, ops):
    wb = write_workbook(scratch, ops)
    run(["build", wb, "--format", "html", "--out", scratch / "out", "--today", TODAY.isoformat(), "-q"])


@_settings(6)
@given(ops=mutations)
def test_agenda_on_mutated_workbooks(scratch, ops):
    wb = write_workbook(scratch, ops)
    run(["agenda", wb, "-m", "Whitcombe", "--out", scratch / "agenda", "-q"])


@pytest.fixture(scope="module")
def project(scratch):
    folder = scratch / "prog"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["init", str(folder)]) == 0
    return folder


@_settings(15)
@given(config_ops=mutations, page_ops=mutations)
def test_check_and_build_on_mutated_projects(project, scratch, config_ops, page_ops):
    target = scratch / f"prog-{time.monotonic_ns()}"
    shutil.copytree(project, target, symlinks=True)
    config, page = target / "mentorbook.yml", target / "pages" / "expectations.md"
    config.write_bytes(mutate(config.read_text().splitlines(), config_ops).encode("utf-8", "surrogatepass"))
    page.write_bytes(mutate(page.read_text().splitlines(), page_ops).encode("utf-8", "surrogatepass"))
    code, _ = run(["check", "--project", target, SAMPLE_WORKBOOK])
    if code != 2:
        run(["build", "--project", target, "--format", "html", "--out", target / "output", "-q"])
    shutil.rmtree(target)
