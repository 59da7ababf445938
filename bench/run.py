"""mentorbook's benchmark: each figure measured side by side with its yardstick.

Run it with `make bench` (which installs MkDocs, a bench-only dependency). Every
timing is the minimum of several runs of a fresh process; the ratios, the machine's
CPU count and the date go to bench/results.md, with a chart of build time against
pages in bench/build-time.svg.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
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

SCALE_START, SCALE_END = "<!-- scale -->", "<!-- /scale -->"
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
    "- Both tools start from bytecode (mentorbook's package is compiled first, as pip does for a regular install).",
    "- After the first run, mentorbook's user cache holds the compiled templates and converted Markdown, as it does "
    "for anyone who builds again; MkDocs keeps no such cache.",
    "- Peak memory is the largest resident size of any one process of the run (the parent or a worker).",
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

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (the minimum is kept)")
    parser.add_argument("--cohort-runs", type=int, default=1, help="runs per cohort timing")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the large cohorts (7-9) against the full 1,000 and 200 trainees, e.g. 0.1")
    parser.add_argument("--only", choices=("all", "scale", "edit"), default="all",
                        help="'scale': only the large cohorts (7-9); results.md keeps the other figures; "
                             "'edit': only the editor's save-to-reload time (10), printed")
    args = parser.parse_args()
    runs = args.runs
    rows: list[tuple[str, str, str, str]] = []
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767268800"}

    def report(name: str, ours: float, theirs: float, goal: str, unit: str = "s") -> None:
        ratio = ours / theirs
        rows.append((name, f"{ours:.3f} {unit}", f"{theirs:.3f} {unit}", f"{ratio:.2f}x (goal {goal})"))
        print(f"{name:<52} {ours:8.3f} {unit} vs {theirs:8.3f} {unit}  ratio {ratio:5.2f}  goal {goal}", flush=True)

    # pip compiles a regular install to bytecode, but not an editable one; do the same
    # for mentorbook's package so both tools start from bytecode (this matters where
    # PYTHONDONTWRITEBYTECODE is set, as it is on this machine type).
    compileall.compile_dir(str(ROOT / "generator"), quiet=1)

    with tempfile.TemporaryDirectory(prefix="mentorbook-bench-") as tmp:
        work = Path(tmp)

        if args.only == "edit":
            out = work / "html"
            full = best([MENTORBOOK, "build", str(SAMPLE), "-q", "--format", "html", "--out", str(out)], runs,
                        prepare=fresh(out), env=env)
            ours = save_to_reload(MENTORBOOK, SAMPLE, work, runs, env)
            report("10. `edit`: save to reloaded page vs `build --format html` (sample)", ours, full, "<= 1.0")
            return

        if args.only == "all":
            # 1. start-up
            ours = best([MENTORBOOK, "--help"], runs * 2)
            theirs = best([PYTHON, "-c", "import click"], runs * 2)
            report("1. `mentorbook --help` vs `python -c 'import click'`", ours, theirs, "<= 2.0")

            # 2. no-op rebuild vs full build of the sample
            out = work / "sample"
            full = best([MENTORBOOK, "build", "-q", "--out", str(out)], runs, prepare=fresh(out), env=env)
            noop = best([MENTORBOOK, "build", "-q", "--out", str(out)], runs, env=env)
            report("2. no-op rebuild vs full build (sample)", noop, full, "<= 0.15")

            # 3. PDF build vs bare WeasyPrint on the kept print HTML
            out = work / "pdf"
            ours = best([MENTORBOOK, "build", "-q", "--format", "pdf", "--out", str(out)], runs,
                        prepare=fresh(out), env=env)
            # the same document: mentorbook's PDFs are tagged for screen readers
            theirs = best([str(BIN / "weasyprint"), "--pdf-tags", str(out / "print" / "workbook.html"),
                           str(work / "bare.pdf")], runs)
            report("3. `build --format pdf` vs bare `weasyprint`", ours, theirs, "<= 1.25")

            # 4. HTML build vs MkDocs, on the guidance pages and on synthetic guides
            series: dict[str, list[tuple[int, float]]] = {"mentorbook": [], "MkDocs": []}
            for extra in (0, 50, 100, 200):
                mb = mentorbook_project(work / f"mb-{extra}", extra)
                mk = mkdocs_project(work / f"mk-{extra}", extra)
                out = work / f"mb-out-{extra}"
                ours = best([MENTORBOOK, "build", "-q", "--format", "html", "--project", str(mb), "--out", str(out)],
                            runs, prepare=fresh(out), env=env)
                site = work / f"mk-out-{extra}"
                theirs = best([str(BIN / "mkdocs"), "build", "-q", "-f", str(mk / "mkdocs.yml"), "-d", str(site)],
                              runs, prepare=fresh(site))
                pages = len(list(GUIDE.glob("*.md"))) + extra
                series["mentorbook"].append((pages, ours))
                series["MkDocs"].append((pages, theirs))
                if extra in (0, 200):
                    label = "the guidance pages" if extra == 0 else f"a {pages}-page guide"
                    report(f"4. `build --format html` vs `mkdocs build`, {label}", ours, theirs, "<= 0.7")

            # 5. and 6. cohorts
            small = roster(work / "roster-40", 40)
            large = roster(work / "roster-200", 200)
            out = work / "cohort"

            def cohort(roster_file: Path, jobs: int) -> list[str]:
                return [MENTORBOOK, "cohort", str(roster_file), "--out", str(out), "--jobs", str(jobs)]

            one = best(cohort(small, 1), args.cohort_runs, prepare=fresh(out), env=env)
            two = best(cohort(small, 2), args.cohort_runs, prepare=fresh(out), env=env)
            report("5. cohort of 40, `--jobs 2` vs `--jobs 1` (speed-up)", one / two, 1.0, ">= 1.7", unit="x")
            fresh(out)()
            _, mem40 = run(cohort(small, 2), env=env)
            fresh(out)()
            _, mem200 = run(cohort(large, 2), env=env)
            report("6. peak memory, cohort of 200 vs 40", mem200 / 1024, mem40 / 1024, "<= 1.2", unit="MiB")

            # 10. the editor: from Save to the page showing the answer, vs a full HTML build
            out = work / "html"
            full = best([MENTORBOOK, "build", str(SAMPLE), "-q", "--format", "html", "--out", str(out)], runs,
                        prepare=fresh(out), env=env)
            ours = save_to_reload(MENTORBOOK, SAMPLE, work, runs, env)
            report("10. `edit`: save to reloaded page vs `build --format html` (sample)", ours, full, "<= 1.0")

        scale_rows_start = len(rows)
        scale_notes = run_scale(args, work, env, MENTORBOOK, roster, best, report)
        scale_rows = rows[scale_rows_start:]
        del rows[scale_rows_start:]

        scale_section = [
            SCALE_START,
            "## Large cohorts: a local pool and a Dask LocalCluster",
            "",
            f"Measured on {dt.date.today().isoformat()} with `python bench/run.py --only scale --scale {args.scale:g}`"
            f" on {os.cpu_count()} CPUs; one run each.",
            "",
            *scale_notes,
            "",
            "| measure | mentorbook | yardstick | ratio |",
            "|---|---|---|---|",
            *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in scale_rows],
            SCALE_END,
            "",
        ]
        if not args.no_write and args.only == "scale":
            results = HERE / "results.md"
            text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n\n"
            if SCALE_START in text:
                text = text[:text.index(SCALE_START)] + text[text.index(SCALE_END) + len(SCALE_END):].lstrip("\n")
            results.write_text(text.rstrip("\n") + "\n\n" + "\n".join(scale_section), encoding="utf-8")
            print(f"\nWrote {results}")
        elif not args.no_write:
            chart(series, HERE / "build-time.svg")
            lines = [
                "# Benchmark results",
                "",
                f"Measured on {dt.date.today().isoformat()} with `make bench` on {os.cpu_count()} CPUs "
                f"({platform.machine()}, Python {platform.python_version()}); each time is the minimum of "
                f"{runs} runs ({args.cohort_runs} for cohorts) of a fresh process.",
                "",
                *NOTES,
                "",
                "| measure | mentorbook | yardstick | ratio |",
                "|---|---|---|---|",
                *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
                "",
                "![HTML build time against pages](build-time.svg)",
                "",
                "| pages | mentorbook (s) | MkDocs (s) |",
                "|---|---|---|",
                *[f"| {p} | {a:.3f} | {b:.3f} |"
                  for (p, a), (_, b) in zip(series["mentorbook"], series["MkDocs"], strict=True)],
                "",
                *scale_section,
            ]
            (HERE / "results.md").write_text("\n".join(lines), encoding="utf-8")
            print(f"\nWrote {HERE / 'results.md'} and {HERE / 'build-time.svg'}")


if __name__ == "__main__":
    main()
