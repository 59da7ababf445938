"""mentorbook's benchmark: each figure measured side by side with its yardstick.

Run it with `make bench` (which installs MkDocs and Dask, bench-only dependencies).
Each pair is measured in turns (ours, theirs, theirs, ours, ...) in one run, so that
whatever else the machine does weighs on both; every timing is the minimum of several
runs of a fresh process. The goals' table, the other measures and the profile of one
PDF build by stage (bench/stages.py) are printed and written to bench/results.md, with
a chart of HTML build time against pages in bench/build-time.svg.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from edit import save_to_reload  # noqa: E402  (bench/edit.py, beside this file)
from scale import run_scale  # noqa: E402  (bench/scale.py, beside this file)
from serve import serve_edits  # noqa: E402  (bench/serve.py, beside this file)
from stages import rereads  # noqa: E402  (bench/stages.py, beside this file)
from stages import table as stage_table  # noqa: E402

HARDENING_START, HARDENING_END = "<!-- hardening -->", "<!-- /hardening -->"
BLANK_COHORT = 30  # trainees of the blank cohort timed against one `build --blank`
ROOT = HERE.parent
BIN = Path(sys.executable).parent
MENTORBOOK = str(BIN / "mentorbook")
PYTHON = sys.executable
GUIDE = ROOT / "content" / "guide"
SAMPLE = ROOT / "content" / "examples" / "sample-workbook.yml"
WORDS = ["mentor", "mentee", "goal", "meeting", "agenda", "feedback", "network", "career", "skill", "research",
         "writing", "grant", "presentation", "balance", "reflection", "agreement", "purpose", "expectation",
         "follow-through", "action", "item", "relationship", "practice", "cycle", "review", "progress", "question",
         "update", "idea", "plan", "advice", "support"]


NOTES = [
    "- Each pair is measured in turns in this one run (ours, theirs, theirs, ours, ...), so that whatever else "
    "the machine does weighs on both; a time is the minimum over the runs of a fresh process.",
    "- Both tools start from bytecode (mentorbook's package is compiled first, as pip does for a regular install).",
    "- After the first run, mentorbook's user cache holds the compiled templates, converted Markdown, the "
    "program's parsed YAML files, for the blank guide the search index's reading of its pages, and a cohort's "
    "laid-out guidance and empty worksheets, as it does for anyone who builds again; MkDocs keeps no such cache. "
    "The blank cohort's goal is judged without kept layouts, as a guide's first cohort runs; a row beside it "
    "shows the same cohort run again.",
    "- `build --format pdf` lays the PDF out in one process per core unless `--jobs 1`; WeasyPrint reads the print "
    "HTML that mentorbook keeps (print/workbook.html, with its stylesheet and fonts beside it).",
    "- `serve`: a running `mentorbook serve` of a copy of the sample; one answer of its self-reflection worksheet "
    "is changed and the file saved (renamed over the old one, as editors save); timed from the save until the "
    "site page showing it holds the new text, and until the new PDF is written beside the site. The "
    "yardsticks are full builds of the same file in fresh processes, run between the saves.",
]


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int]:
    """Wall time of one run, and the peak resident memory (KiB) of the process tree."""
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a long stderr cannot block the run
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            stderr.seek(0)
            raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{stderr.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss


def in_turns(commands: list[tuple[list[str], object]], runs: int, env: dict | None = None) -> list[float]:
    """The shortest time of each (command, prepare) over ``runs`` rounds, run in turns: forwards
    in one round, backwards in the next, so that none always runs first."""
    times: list[list[float]] = [[] for _ in commands]
    for round_ in range(runs):
        order = list(enumerate(commands))
        for i, (cmd, prepare) in order if round_ % 2 == 0 else reversed(order):
            if prepare:
                prepare()
            times[i].append(run(cmd, env=env)[0])
    return [min(t) for t in times]


def best(cmd: list[str], runs: int, prepare=None, **kwargs) -> float:
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        times.append(run(cmd, **kwargs)[0])
    return min(times)


def fresh(path: Path):
    def clear():
        shutil.rmtree(path, ignore_errors=True)
    return clear


def synthetic_pages(count: int, folder: Path, front_matter: bool) -> None:
    """``count`` Markdown pages of about 400 words each, the same for both tools."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        paragraphs = []
        for p in range(6):
            words = [WORDS[(i * 7 + p * 13 + w * 5) % len(WORDS)] for w in range(65)]
            paragraphs.append(" ".join(words).capitalize() + ".")
        body = f"## Part one\n\n{paragraphs[0]}\n\n{paragraphs[1]}\n\n- {paragraphs[2]}\n- {paragraphs[3]}\n\n" \
               f"## Part two\n\n{paragraphs[4]}\n\n{paragraphs[5]}\n"
        head = f"---\nid: page-{i:03d}\ntitle: Guide page {i + 1}\norder: {100 + i}\n---\n\n" if front_matter \
            else f"# Guide page {i + 1}\n\n"
        (folder / f"page-{i:03d}.md").write_text(head + body, encoding="utf-8")


def mentorbook_project(folder: Path, pages: int) -> Path:
    """A program project whose extra pages are the synthetic guide (0: guidance only)."""
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "mentorbook.yml").write_text("program: Benchmark program\n", encoding="utf-8")
    if pages:
        synthetic_pages(pages, folder / "pages", front_matter=True)
    return folder


def mkdocs_project(folder: Path, pages: int) -> Path:
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for page in sorted(GUIDE.glob("*.md")):  # the same guidance pages mentorbook renders
        text = page.read_text(encoding="utf-8")
        body = text.split("---", 2)[2] if text.startswith("---") else text
        (docs / page.name).write_text(body, encoding="utf-8")
    if pages:
        synthetic_pages(pages, docs / "guide", front_matter=False)
    (folder / "mkdocs.yml").write_text("site_name: Benchmark\nuse_directory_urls: false\n", encoding="utf-8")
    return folder


def roster(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["name,role,program,start_date,mentors,email,workbook"]
    for i in range(count):
        lines.append(f"Trainee {i + 1:03d},PGY-{i % 3 + 1} resident,Internal Medicine,2026-07-01,"
                     f"Dr. Mentor {i % 7 + 1};Dr. Coach {i % 5 + 1},,")
    path = folder / "roster.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def chart(points: dict[str, list[tuple[int, float]]], path: Path) -> None:
    """A small SVG line chart of build time (s) against pages."""
    width, height, pad = 560, 320, 50
    max_x = max(x for series in points.values() for x, _ in series)
    top = max(y for series in points.values() for _, y in series) * 1.1
    step = next(s for s in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100) if top / s <= 6)
    ticks = [i * step for i in range(int(top / step) + 2)]
    max_y = ticks[-1]
    decimals = 2 if step < 0.1 or step == 0.25 else 1 if step < 1 else 0
    colours = {"mentorbook": "#1d4e89", "MkDocs": "#d9622b"}

    def sx(x):
        return pad + (width - 2 * pad) * x / max_x

    def sy(y):
        return height - pad - (height - 2 * pad) * y / max_y

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" font-family="sans-serif" font-size="12">',
             '<title>HTML build time against number of pages</title>',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#555"/>',
             f'<line x1="{pad}" y1="{pad / 2}" x2="{pad}" y2="{height - pad}" stroke="#555"/>',
             f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle">pages</text>',
             f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" '
             'text-anchor="middle">seconds</text>']
    for y in ticks:
        if y:
            parts.append(f'<line x1="{pad}" y1="{sy(y):.1f}" x2="{width - pad}" y2="{sy(y):.1f}" stroke="#e4e4e4"/>')
        parts.append(f'<text x="{pad - 6}" y="{sy(y) + 4:.0f}" text-anchor="end">{y:.{decimals}f}</text>')
    for name, series in points.items():
        series = sorted(series)
        path_d = " ".join(f"{'M' if i == 0 else 'L'} {sx(x):.1f} {sy(y):.1f}" for i, (x, y) in enumerate(series))
        colour = colours.get(name, "#333")
        parts.append(f'<path d="{path_d}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y in series:
            parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="{colour}"/>')
            parts.append(f'<text x="{sx(x):.1f}" y="{height - pad + 16}" text-anchor="middle">{x}</text>')
        lx, ly = sx(series[-1][0]) - 6, sy(series[-1][1]) - 8
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="end" fill="{colour}" '
                     f'font-weight="bold">{name}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


class Table:
    """The rows measured: the issue's goals first, then the other measures."""

    def __init__(self):
        self.rows: dict[str, list[tuple[str, str, str, str, str]]] = {"goal": [], "more": []}

    def report(self, section: str, name: str, ours: float, theirs: float, goal: str, unit: str = "s",
               before: str = "") -> None:
        ratio = ours / theirs
        met = ""
        found = re.fullmatch(r"(<=|>=) ([\d.]+)", goal)
        if found:
            met = "met" if (ratio <= float(found[2]) if found[1] == "<=" else ratio >= float(found[2])) else "NOT met"
        self.rows[section].append((name, f"{ours:.3f} {unit}", f"{theirs:.3f} {unit}", f"{ratio:.2f}",
                                   f"{goal} {met}".strip(), before))
        print(f"{name:<78} {ours:9.3f} {unit} vs {theirs:9.3f} {unit}  ratio {ratio:5.2f}  goal {goal} {met}",
              flush=True)

    def markdown(self, section: str) -> list[str]:
        if section == "goal":  # with the ratio measured before this round of work
            return ["| measure | mentorbook | yardstick | ratio | before | goal |", "|---|---|---|---|---|---|",
                    *[f"| {a} | {b} | {c} | {d} | {f} | {e} |" for a, b, c, d, e, f in self.rows[section]]]
        return ["| measure | mentorbook | yardstick | ratio | goal |", "|---|---|---|---|---|",
                *[f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e, _ in self.rows[section]]]


def measure_pdf(work: Path, runs: int, env: dict, table: Table) -> None:
    """`build --format pdf`, in parallel and with --jobs 1, against WeasyPrint on the same print HTML."""
    kept = work / "kept"
    run([MENTORBOOK, "build", "-q", "--format", "pdf", "--out", str(kept)], env=env)
    html = str(kept / "print" / "workbook.html")
    out = work / "pdf"
    build = [MENTORBOOK, "build", "-q", "--format", "pdf", "--out", str(out)]
    ours, ours_one, ua, tagged = in_turns([
        (build, fresh(out)),
        ([*build, "--jobs", "1"], fresh(out)),
        ([str(BIN / "weasyprint"), "--pdf-variant", "pdf/ua-1", html, str(work / "ua.pdf")], None),
        ([str(BIN / "weasyprint"), "--pdf-tags", html, str(work / "tagged.pdf")], None),
    ], runs, env)
    table.report("goal", "`build --format pdf` / `weasyprint --pdf-variant pdf/ua-1`, same HTML", ours, ua, "<= 0.75",
                 before="1.39")
    table.report("goal", "`build --format pdf --jobs 1` / the same", ours_one, ua, "<= 1.05", before="1.39")
    table.report("more", "`build --format pdf` / `weasyprint --pdf-tags` (tagged, not PDF/UA)", ours, tagged, "-")


def measure_html(work: Path, runs: int, env: dict, table: Table) -> dict[str, list[tuple[int, float]]]:
    """`build --format html` against `mkdocs build`, on the guidance pages and on synthetic guides."""
    series: dict[str, list[tuple[int, float]]] = {"mentorbook": [], "MkDocs": []}
    for extra in (0, 50, 100, 200):
        mb = mentorbook_project(work / f"mb-{extra}", extra)
        mk = mkdocs_project(work / f"mk-{extra}", extra)
        out, site = work / f"mb-out-{extra}", work / f"mk-out-{extra}"
        ours, theirs = in_turns([
            ([MENTORBOOK, "build", "-q", "--format", "html", "--project", str(mb), "--out", str(out)], fresh(out)),
            ([str(BIN / "mkdocs"), "build", "-q", "-f", str(mk / "mkdocs.yml"), "-d", str(site)], fresh(site)),
        ], runs, env)
        pages = len(list(GUIDE.glob("*.md"))) + extra
        series["mentorbook"].append((pages, ours))
        series["MkDocs"].append((pages, theirs))
        if extra == 0:
            table.report("goal", "`build --format html` / `mkdocs build`, the guidance pages", ours, theirs, "<= 0.5",
                         before="0.79")
        elif extra == 200:
            table.report("more", f"`build --format html` / `mkdocs build`, a {pages}-page guide", ours, theirs,
                         "<= 0.7")
    return series


def measure_serve(work: Path, runs: int, env: dict, table: Table) -> str:
    """One answer changed under `mentorbook serve`: the new page and the new PDF, against full builds."""
    def full_build(fmt: str, workbook: Path) -> float:
        out = work / f"full-{fmt}"
        fresh(out)()
        return run([MENTORBOOK, "build", str(workbook), "-q", "--format", fmt, "--out", str(out)], env=env)[0]

    got = serve_edits(MENTORBOOK, SAMPLE, work, runs, env, full_build)
    table.report("goal", "one answer changed: PDF rewritten by `serve` / full `build --format pdf`",
                 got["pdf"], got["full pdf"], "<= 0.35", before="never (CLI: 0.98)")
    table.report("goal", "one answer changed: page rewritten by `serve` / full `build --format html`",
                 got["page"], got["full html"], "<= 0.3", before="1.87")
    parts = ", ".join(f"{a} of {b}" for a, b in got["laid out"])
    return f"- `serve` laid out again, after each save, these parts of the PDF (of all its parts): {parts}."


def measure_cohort(work: Path, runs: int, cohort_runs: int, env: dict, table: Table) -> None:
    """A blank cohort's time per trainee against one `build --blank`, and its speed-up on two jobs."""
    small = roster(work / f"roster-{BLANK_COHORT}", BLANK_COHORT)
    out, single = work / "cohort", work / "single"
    cohort = [MENTORBOOK, "cohort", str(small), "-q", "--blank", "--out", str(out)]
    blank = ([MENTORBOOK, "build", "-q", "--blank", "--out", str(single)], fresh(single))
    from mentorbook.base.cache import user_cache_root

    kept = Path(user_cache_root() or work / "no-cache") / "layouts"  # only the kept layouts: safe to remove

    def cold():  # the guide's first cohort: no layouts kept from an earlier run
        fresh(out)()
        fresh(kept)()

    two, one, first, *singles = in_turns([([*cohort, "--jobs", "2"], fresh(out)),
                                          ([*cohort, "--jobs", "1"], fresh(out)),
                                          ([*cohort, "--jobs", "2"], cold), blank, blank], cohort_runs, env)
    alone = min(singles + [best(blank[0], max(0, runs - 2 * cohort_runs), prepare=blank[1], env=env)
                           if runs > 2 * cohort_runs else min(singles)])
    table.report("goal", f"blank cohort of {BLANK_COHORT} per trainee (2 jobs) / one `build --blank`, "
                 "the guide's first cohort", first / BLANK_COHORT, alone, "<= 0.25", before="0.48 (1,000 trainees)")
    table.report("more", "the same, with the guide's layouts kept by an earlier cohort",
                 two / BLANK_COHORT, alone, "-")
    table.report("more", f"blank cohort of {BLANK_COHORT}, `--jobs 2` vs `--jobs 1` (speed-up)", one / two, 1.0,
                 ">= 1.7", unit="x")


def measure_start(work: Path, runs: int, env: dict, table: Table) -> None:
    ours, theirs = in_turns([([MENTORBOOK, "--help"], None), ([PYTHON, "-c", "import click"], None)], runs * 2)
    table.report("goal", "`mentorbook --help` / `python -c 'import click'`", ours, theirs, "<= 1.5", before="1.34")
    out = work / "sample"
    full = best([MENTORBOOK, "build", "-q", "--out", str(out)], runs, prepare=fresh(out), env=env)
    noop = best([MENTORBOOK, "build", "-q", "--out", str(out)], runs, env=env)
    table.report("more", "no-op rebuild / full build (sample)", noop, full, "<= 0.15")


def measure_edit(work: Path, runs: int, env: dict, table: Table) -> None:
    out = work / "html"
    full = best([MENTORBOOK, "build", str(SAMPLE), "-q", "--format", "html", "--out", str(out)], runs,
                prepare=fresh(out), env=env)
    ours = save_to_reload(MENTORBOOK, SAMPLE, work, runs, env)
    table.report("more", "`edit`: save to reloaded page / `build --format html` (sample)", ours, full, "<= 1.0")


def profile(env: dict) -> list[dict]:
    """The stages of one PDF build, in parallel and with --jobs 1, each in a fresh process."""
    results = []
    for jobs in (2, 1):
        done = subprocess.run([PYTHON, str(HERE / "stages.py"), "--json", "--jobs", str(jobs)], env=env,
                              capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout))
    return results


def write_results(args, table: Table, notes: list[str], series, stages: list[dict]) -> None:
    results = HERE / "results.md"
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    hardening = old[old.index(HARDENING_START):old.index(HARDENING_END) + len(HARDENING_END)] \
        if HARDENING_START in old and HARDENING_END in old else ""
    chart(series, HERE / "build-time.svg")
    lines = [
        "# Benchmark results",
        "",
        f"Measured on {dt.date.today().isoformat()} with `{' '.join(['python bench/run.py', *sys.argv[1:]])}`"
        + f" on {os.cpu_count()} CPUs ({platform.machine()}, Python {platform.python_version()}), load average "
        f"{args.load:.1f} at the start and {os.getloadavg()[0]:.1f} at the end; each time is the minimum of "
        f"{args.runs} runs ({args.cohort_runs} for cohorts) of a fresh process.",
        "",
        *NOTES, *notes,
        "",
        "## The goals",
        "",
        *table.markdown("goal"),
        "",
        "## Where one PDF build spends its time",
        "",
        "One `build --format pdf` of the sample in a fresh process (`bench/stages.py`), by stage; each stage's "
        "own time (stages inside it are counted apart), with its share of the wall time of the build's process.",
        "",
        *stage_table(stages),
        "",
        *[f"- {note}" for note in rereads(stages)],
        "",
        "## Other measures",
        "",
        *table.markdown("more"),
        "",
        "![HTML build time against pages](build-time.svg)",
        "",
        "| pages | mentorbook (s) | MkDocs (s) |",
        "|---|---|---|",
        *[f"| {p} | {a:.3f} | {b:.3f} |"
          for (p, a), (_, b) in zip(series["mentorbook"], series["MkDocs"], strict=True)],
        "",
    ]
    if hardening:
        lines += [hardening, ""]
    results.write_text("\n".join(lines), encoding="utf-8")
    print(f"\nWrote {results} and {HERE / 'build-time.svg'}")




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (the minimum is kept)")
    parser.add_argument("--cohort-runs", type=int, default=3, help="runs per cohort timing (the yardsticks beside "
                        "a cohort take the minimum of --runs, so one run alone would be the noisier side)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the large HTML cohorts against the full 1,000 and 200 trainees, e.g. 0.1")
    parser.add_argument("--only", choices=("all", "pdf", "html", "serve", "cohort", "scale", "start", "edit",
                                           "profile"), default="all",
                        help="measure only this group and print it (results.md is written only by a whole run)")
    args = parser.parse_args()
    args.load = os.getloadavg()[0]  # other work on the machine weighs on every figure
    runs = args.runs
    table = Table()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767268800"}
    notes: list[str] = []
    series: dict = {}
    stages: list[dict] = []

    # pip compiles a regular install to bytecode, but not an editable one; do the same
    # for mentorbook's package so both tools start from bytecode (this matters where
    # PYTHONDONTWRITEBYTECODE is set, as it is on this machine type).
    compileall.compile_dir(str(ROOT / "generator"), quiet=1)

    def wanted(group: str) -> bool:
        return args.only in ("all", group)

    with tempfile.TemporaryDirectory(prefix="mentorbook-bench-") as tmp:
        work = Path(tmp)
        if wanted("profile"):
            stages = profile(env)
            print("\n".join(["Where one PDF build spends its time:", *stage_table(stages), *rereads(stages), ""]),
                  flush=True)
        if wanted("pdf"):
            measure_pdf(work, runs, env, table)
        if wanted("html"):
            series = measure_html(work, runs, env, table)
        if wanted("serve"):
            notes.append(measure_serve(work, runs, env, table))
        if wanted("cohort"):
            measure_cohort(work, runs, args.cohort_runs, env, table)
        if wanted("scale"):
            notes += run_scale(args, work, env, MENTORBOOK, roster, table.report)
        if wanted("start"):
            measure_start(work, runs, env, table)
        if wanted("edit"):
            measure_edit(work, runs, env, table)

    print("\nThe goals (ratio = mentorbook / yardstick):")
    for name, ours, theirs, ratio, goal, _ in table.rows["goal"]:
        print(f"  {name:<78} {ours:>13} {theirs:>13}  {ratio:>5}  {goal}")
    print("\n".join(notes))
    if args.only == "all" and not args.no_write:
        write_results(args, table, notes, series, stages)


if __name__ == "__main__":
    main()
