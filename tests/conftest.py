"""Shared fixtures: each expensive build made once per test run, and helpers for reading PDFs.

Session builds are shared by every module that asks for them, so no test may change
their output folders: a test that builds into or breaks an output works on a copy
(``sample_output``). Tests whose point is not the guide's content lay out the short
guide (``short_guide``), a program showing one practice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from msgspec.structs import replace
from pypdf import PdfReader

from mentorbook import BuildOptions, build
from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK

TODAY = dt.date(2026, 11, 25)
SAMPLE_NAME = "Dr. Lena Marchetti"
SAMPLE_GOAL = "Publish a first-author case report"
PRACTICE_TITLES = [
    "Self-reflect",
    "Identify mentors",
    "Establish the relationship",
    "Cultivate the relationship",
    "Refine or conclude",
]
WORKSHEET_TITLES = ["Self-reflection", "Mentor map", "Mentoring agreement", "Meeting log", "Refine or conclude"]
EXAMPLE_COHORT = CONTENT_DIR / "examples" / "cohort"
EXAMPLE_PROGRAM = CONTENT_DIR / "examples" / "program"
INSTRUMENTS = CONTENT_DIR / "examples" / "instruments"
SPANISH_WORKBOOK = CONTENT_DIR / "examples" / "sample-workbook-es.yml"
# the rows of the example roster that the cohort tests look at: the first two, one with
# their own workbook, one in Cyrillic (bench/ builds cohorts of 40 and 200)
COHORT_TRAINEES = ("Amara Nwosu", "Benjamin Carter", "Chen Wei", "Ана Мария Петрова")


def pytest_configure(config):
    """The suite's own user cache (compiled templates, converted Markdown), shared by the
    processes it starts, so that tests never fill or depend on the real one; fewer garbage
    collections in the test processes; and property tests that draw the same examples each run."""
    import gc
    import os
    import tempfile

    from mentorbook.base.collect import THRESHOLDS

    # A test process lives for the whole run, holding the session builds and every PDF parsed;
    # at CPython's default thresholds its cyclic collector scans that heap again thousands of
    # times, for about a twelfth of the suite's processor time. Collections are fewer, not skipped.
    gc.set_threshold(*THRESHOLDS)  # those a layout runs with (mentorbook.base.collect)

    # The property tests draw the same examples on every run (each test's own seed), so that a
    # run passes or fails on the code alone; a case found once is kept with @example.
    from hypothesis import settings

    settings.register_profile("mentorbook", derandomize=True, database=None)
    settings.load_profile("mentorbook")

    if "MENTORBOOK_TEST_CACHE" not in os.environ:
        import atexit
        import shutil

        cache = tempfile.mkdtemp(prefix="mentorbook-cache-")
        os.environ["MENTORBOOK_TEST_CACHE"] = os.environ["XDG_CACHE_HOME"] = cache
        atexit.register(shutil.rmtree, cache, ignore_errors=True)  # by the process that made it, at the end


# The slowest test files, slowest first (their test time in a run of the suite, 2026-12-07): the
# two workers of `-n auto --dist loadfile` take files in collection order, so a long file taken
# last would leave one worker running alone at the end; started first, the short files even the
# two out. The other files follow in their usual order.
SLOW_FIRST = ("test_edit_browser.py", "test_browser_site.py", "test_shared_pages.py", "test_pdfua.py",
              "test_eye_site.py", "test_eye_pdf.py", "test_hardening3_pdf.py", "test_report.py",
              "test_program.py", "test_import.py", "test_instruments.py", "test_side_by_side.py",
              "test_pdfjs_forms.py", "test_preview.py", "test_install.py", "test_i18n_commands.py",
              "test_soak.py", "test_fillable.py", "test_cohort.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))  # stable: the rest keep their order


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """The folder ``make(folder)`` fills, made once per test run: the xdist workers of one run
    share it (the first to ask builds it while the others wait), so a build that test files
    on both workers need is laid out once. Without xdist, a folder of this session."""
    return _once(tmp_path_factory, name, make)[0]


def shared(tmp_path_factory, name: str, make):
    """What ``make(folder)`` returns (pickled for the other workers), made once per test run
    as :func:`once_per_run` makes its folder."""
    return _once(tmp_path_factory, name, make)[1]


def _once(tmp_path_factory, name: str, make) -> tuple[Path, object]:
    import fcntl
    import os
    import pickle

    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        return folder, make(folder)
    root = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's own
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build a failed worker left half done
            folder.mkdir()
            value = make(folder)
            done.write_bytes(pickle.dumps(value))
            return folder, value
    return folder, pickle.loads(done.read_bytes())


def shared_build(tmp_path_factory, name: str, options: BuildOptions):
    """A build made once per test run; its result without the model (which stays in the
    worker that built it)."""
    return shared(tmp_path_factory, name,
                  lambda out: replace(build(replace(options, out_dir=out)), workbook=None))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample workbook built as `mentorbook build` does: the site and the PDF."""
    return shared_build(tmp_path_factory, "sample", BuildOptions(workbook=SAMPLE_WORKBOOK, today=TODAY))


@pytest.fixture(scope="session")
def blank_build(tmp_path_factory):
    """The blank workbook (empty worksheets to fill in by hand): the site and the PDF."""
    return shared_build(tmp_path_factory, "blank", BuildOptions(blank=True, today=TODAY))


@pytest.fixture(scope="session")
def sample_a4(tmp_path_factory) -> Path:
    """The sample's PDF on A4 (`build --page-size a4 --format pdf`): its key points and meeting
    log break differently than on Letter."""
    out = once_per_run(tmp_path_factory, "sample-a4", lambda out: build(
        BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=out, page_size="a4", today=TODAY, format="pdf")))
    return out / "workbook.pdf"


@pytest.fixture(scope="session")
def fillable_blank(tmp_path_factory) -> Path:
    """A blank fillable workbook (the form a program hands out): its PDF, in the output
    folder of `mentorbook build --blank --fillable --format pdf`."""
    out = once_per_run(tmp_path_factory, "fillable-blank", lambda out: build(
        BuildOptions(out_dir=out, blank=True, fillable=True, today=TODAY, format="pdf")))
    return out / "workbook.pdf"


@pytest.fixture(scope="session")
def fillable_sample(tmp_path_factory) -> Path:
    """The sample as a fillable workbook: every form field pre-filled from the YAML."""
    out = once_per_run(tmp_path_factory, "fillable-sample", lambda out: build(
        BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=out, fillable=True, today=TODAY, format="pdf")))
    return out / "workbook.pdf"


@pytest.fixture(scope="session")
def spanish_sample_build(tmp_path_factory):
    """The Spanish sample workbook (content/examples/sample-workbook-es.yml): its site and PDF."""
    return shared_build(tmp_path_factory, "sample-es", BuildOptions(workbook=SPANISH_WORKBOOK, today=TODAY))


@pytest.fixture(scope="session")
def spanish_sample(spanish_sample_build) -> Path:
    """The Spanish sample workbook's PDF."""
    return spanish_sample_build.pdf


@pytest.fixture(scope="session")
def spanish_sample_pdf(spanish_sample) -> Path:
    return spanish_sample


@pytest.fixture(scope="session")
def spanish_sample_site(spanish_sample_build) -> Path:
    """The Spanish sample workbook's site folder."""
    return spanish_sample_build.site_index.parent


@pytest.fixture(scope="session")
def report_build(tmp_path_factory):
    """`mentorbook report` of the example cohort (its roster and the workbooks beside it, plus one
    workbook with mistakes), with its HTML, CSV and PDF: the report and its folder."""
    from mentorbook.staff.report_build import write_report

    def make(root):
        broken = root / "broken.yml"
        broken.write_text("trainee:\n  name: Ivo Mistaken\nmentors:\n  - name: Dr. Rating\n    competence: 9\n"
                          "meetings:\n  - date: 2026-13-40\n    mentor: Dr. Rating\n", encoding="utf-8")
        report, _ = write_report([EXAMPLE_COHORT / "workbooks", broken], root / "out",
                                 roster=EXAMPLE_COHORT / "roster.csv", today=TODAY)
        return report, root / "out"

    return shared(tmp_path_factory, "report", make)


@pytest.fixture(scope="session")
def example_report(report_build) -> Path:
    """The example cohort's report page (see report_build)."""
    return report_build[1] / "report.html"


@pytest.fixture(scope="session")
def example_program_output(tmp_path_factory) -> Path:
    """The example program's guide (`mentorbook build --project ...`: blank worksheets), its output folder."""
    from mentorbook.cli import main

    def make(out):
        assert main(["build", "--project", str(EXAMPLE_PROGRAM), "--out", str(out), "-q"]) == 0

    return once_per_run(tmp_path_factory, "example-program", make)


@pytest.fixture(scope="session")
def instruments_outputs(tmp_path_factory) -> dict[str, Path]:
    """The instruments example (content/examples/instruments/): its filled workbook's site and
    PDF, and its blank and fillable PDFs."""
    from mentorbook.cli import main

    def make(out):
        common = ["--project", str(INSTRUMENTS), "--today", TODAY.isoformat(), "-q"]
        assert main(["build", str(INSTRUMENTS / "workbook.yml"), "--out", str(out / "filled"), *common]) == 0
        assert main(["build", "--blank", "--format", "pdf", "--out", str(out / "blank"), *common]) == 0
        assert main(["build", "--blank", "--fillable", "--format", "pdf", "--out", str(out / "fillable"),
                     *common]) == 0

    out = once_per_run(tmp_path_factory, "instruments", make)
    return {"site": out / "filled" / "site", "filled": out / "filled" / "workbook.pdf",
            "blank": out / "blank" / "workbook.pdf", "fillable": out / "fillable" / "workbook.pdf"}


@pytest.fixture(scope="session")
def instruments_site(instruments_outputs) -> Path:
    """The instruments example's filled workbook as a site: its folder."""
    return instruments_outputs["site"]


@pytest.fixture(scope="session")
def init_scaffold_output(tmp_path_factory) -> Path:
    """The guide of a project just made by `mentorbook init` (`build --format html`): its
    output folder; the project is beside it, in ``project``."""
    from mentorbook.cli import main

    root = tmp_path_factory.mktemp("init-scaffold")
    assert main(["init", str(root / "project")]) == 0
    assert main(["build", "--project", str(root / "project"), "--out", str(root / "out"), "--format", "html",
                 "--today", TODAY.isoformat(), "-q"]) == 0
    return root / "out"


@pytest.fixture(scope="session")
def short_guide(tmp_path_factory) -> Path:
    """A program's project folder that shows only the first practice: its PDFs are laid out
    in less than half the time of the full guide's, for tests whose point is not the guide."""
    root = tmp_path_factory.mktemp("short-guide")
    (root / "mentorbook.yml").write_text("practices: [self-reflect]\n", encoding="utf-8")
    return root


@pytest.fixture
def sample_output(sample_build, tmp_path) -> Path:
    """A fresh copy of the sample build's output folder (manifest included), for a test to
    build into or break: as if the test had just built the sample there itself."""
    return Path(shutil.copytree(sample_build.out_dir, tmp_path / "out"))


@pytest.fixture(scope="session")
def cohort_guide(tmp_path_factory) -> Path:
    """A program's project showing the first two practices, one folder for the whole run (the
    example cohort's guide: a cohort built again elsewhere with it gives the same bytes)."""
    return once_per_run(tmp_path_factory, "cohort-guide", lambda root: (root / "mentorbook.yml").write_text(
        "practices: [self-reflect, identify-mentors]\n", encoding="utf-8"))


@pytest.fixture(scope="session")
def example_cohort(tmp_path_factory, cohort_guide):
    """A cohort built with two workers from the example roster cut down to COHORT_TRAINEES
    (its CSV columns, assigned mentors and the own workbooks beside it kept as they are), with
    the guide of ``cohort_guide`` (two practices: what the cohort tests look at)."""
    from mentorbook.program.config import load_project
    from mentorbook.staff.cohort import build_cohort

    def make(folder):
        shutil.copytree(EXAMPLE_COHORT, folder / "example")
        roster = folder / "example" / "roster.csv"
        lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines[1:] if next(csv.reader([line]))[0] in COHORT_TRAINEES]
        assert len(kept) == len(COHORT_TRAINEES), "the example roster changed"
        roster.write_text(lines[0] + "".join(kept), encoding="utf-8")
        return build_cohort(roster, folder / "out", jobs=2, today=TODAY, project=load_project(cohort_guide))

    return shared(tmp_path_factory, "example-cohort", make)


@pytest.fixture(scope="session")
def sample_pdf(sample_build) -> PdfReader:
    return PdfReader(sample_build.pdf)


@pytest.fixture(scope="session")
def blank_pdf(blank_build) -> PdfReader:
    return PdfReader(blank_build.pdf)


def outline_entries(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, depth first."""
    entries: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return entries


_PAGE_TEXTS: dict[str, list[str]] = {}


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's text as pypdf reads it, once per PDF in a test run: many tests read the same
    session fixture's PDF, and pypdf takes tens of milliseconds a page."""
    stream = reader.stream
    where = stream.tell()
    stream.seek(0)
    digest = hashlib.sha256(stream.read()).hexdigest()
    stream.seek(where)
    if digest not in _PAGE_TEXTS:
        _PAGE_TEXTS[digest] = [page.extract_text() or "" for page in reader.pages]
    return _PAGE_TEXTS[digest]


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page_texts(reader))


def poppler_text(path: Path) -> str:
    """A PDF's text as Poppler's pdftotext reads it (pages apart by form feeds): a reader of its own,
    and ten times quicker than pypdf for a test that reads whole cohorts."""
    import subprocess

    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def pdf_kinds(tmp_path_factory, sample_build, blank_build, fillable_sample, fillable_blank, spanish_sample,
              example_program_output, report_build, short_guide) -> dict[str, Path]:
    """One PDF of every kind mentorbook writes, each built once (for the PDF/UA and text checks);
    the cohort's guidance is laid out once (the shared-guidance path). The A4 workbook
    and the cohort show the short guide: the full guide is in the other kinds already."""
    from mentorbook.cli import main

    out = tmp_path_factory.mktemp("pdf-kinds")
    day = TODAY.isoformat()
    short = ["--project", str(short_guide)]
    assert main(["build", "--blank", "--page-size", "a4", "--format", "pdf", "--out", str(out / "a4"),
                 "--today", day, "-q", *short]) == 0
    assert main(["agenda", "--mentor", "Dr. Samuel Whitcombe", "--date", day, "--out", str(out), "-q"]) == 0
    assert main(["brief", "-m", "Dr. Samuel Whitcombe", "--date", day, "-o", str(out), "-q"]) == 0
    roster = out / "roster.csv"
    roster.write_text("name,role,program,start_date,mentors,email,workbook\n"
                      "Ана Мария Петрова,PGY-1,IM,2026-07-01,Dr. A,,\n"
                      "Nguyễn Thị Ελένη,PGY-2,IM,2025-07-01,Dr. B,,\n"
                      "Good Two,PGY-2,IM,2025-07-01,,,\n", encoding="utf-8")
    assert main(["cohort", str(roster), "--out", str(out / "cohort"), "--jobs", "1", "--today", day, "-q",
                 "--format", "pdf", *short]) == 0
    return {
        "cohort": out / "cohort" / "cohort.pdf",
        "sample": sample_build.pdf, "blank letter": blank_build.pdf, "blank a4": out / "a4" / "workbook.pdf",
        "fillable": fillable_sample, "fillable blank": fillable_blank, "spanish": spanish_sample,
        "example program": example_program_output / "workbook.pdf",
        "agenda": next((out / "agenda").glob("*.pdf")), "brief": next((out / "brief").glob("*.pdf")),
        "report": report_build[1] / "report.pdf",
    }


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (see browser.py), one per test process (every
    test opens contexts or pages of its own in it: starting Chromium costs more than most pages)."""
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
