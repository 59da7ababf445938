"""Scale measures of the hardening work: the report of a 10,000-trainee roster (goal: under
60 s and 500 MB), and the peak memory of `cohort --format html` from 1,000 to 10,000
trainees (goal: flat).

    .venv/bin/python bench/hardening.py report --trainees 10000
    .venv/bin/python bench/hardening.py cohort --trainees 1000 10000

Peak memory is the largest total resident size of the process tree (the command and its
workers), sampled every 0.1 s (bench/scale.py's ``measured``). Each trainee of the report
has a small workbook of their own (a profile, two mentors, an agreement, a goal and three
meetings); the cohort's trainees are roster rows only. The figures are written between
the hardening markers of bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from scale import measured  # noqa: E402  (bench/scale.py, beside this file)

MENTORBOOK = str(Path(sys.executable).parent / "mentorbook")
START, END = "<!-- hardening -->", "<!-- /hardening -->"
WORKBOOK = """trainee:
  name: {name}
  role: PGY-{year} resident
  start_date: 2026-07-01
self_reflection:
  goals:
    - title: Present a case at grand rounds
      term: short
      specific: One case, twenty minutes
      time_bound: By March
      status: in-progress
mentors:
  - name: Dr. Mentor {m}
    position: Attending
    found_via: assigned
  - name: Dr. Coach {c}
    position: Fellow
agreements:
  - mentor: Dr. Mentor {m}
    purpose: Grow as a clinician-educator
meetings:
  - date: 2026-08-{d1:02d}
    mentor: Dr. Mentor {m}
  - date: 2026-09-{d2:02d}
    mentor: Dr. Mentor {m}
    action_items:
      - task: Draft the outline
        owner: me
        due: 2026-10-01
        status: open
  - date: 2026-10-{d3:02d}
    mentor: Dr. Coach {c}
"""


def roster(folder: Path, count: int, workbooks: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["name,role,start_date,mentors,workbook"]
    for i in range(count):
        name = f"Trainee {i + 1:05d}"
        book = ""
        if workbooks:
            book = f"books/t{i + 1:05d}.yml"
            path = folder / book
            path.parent.mkdir(exist_ok=True)
            path.write_text(WORKBOOK.format(name=name, year=i % 3 + 1, m=i % 40 + 1, c=i % 25 + 1, d1=i % 28 + 1,
                                            d2=(i + 7) % 28 + 1, d3=(i + 14) % 28 + 1), encoding="utf-8")
        lines.append(f"{name},PGY-{i % 3 + 1} resident,2026-07-01,Dr. Mentor {i % 40 + 1},{book}")
    path = folder / "roster.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MiB"


def bench_report(count: int, work: Path, env: dict) -> str:
    folder = work / f"report-{count}"
    roster_file = roster(folder, count, workbooks=True)
    seconds, peak = measured([MENTORBOOK, "report", "--roster", str(roster_file), "-o", str(folder / "out"),
                              "--today", "2026-11-25", "-q"], env)
    return (f"| report of a {count:,}-trainee roster, each with a workbook (HTML, PDF, CSV) | {seconds:,.1f} s | "
            f"{mib(peak)} | under 60 s and 500 MiB |")


def bench_cohort(counts: list[int], work: Path, env: dict, jobs: int) -> list[str]:
    rows, peaks = [], []
    for count in counts:
        folder = work / f"cohort-{count}"
        roster_file = roster(folder, count, workbooks=False)
        seconds, peak = measured([MENTORBOOK, "cohort", str(roster_file), "-o", str(folder / "out"), "--format",
                                  "html", "-j", str(jobs), "--today", "2026-11-25", "-q"], env)
        peaks.append(peak)
        rows.append(f"| cohort --format html, {count:,} trainees, {jobs} jobs | {seconds:,.1f} s | {mib(peak)} | "
                    + ("flat" if len(peaks) == 1 else f"{peak / peaks[0]:.2f}x the first") + " |")
    return rows


def record(rows: list[str]) -> None:
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    block = "\n".join([START, f"Hardening measures ({dt.date.today().isoformat()}, {os.cpu_count()} CPUs):", "",
                       "| measure | time | peak memory | goal |", "|---|---|---|---|", *rows, END])
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda m: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["report", "cohort"])
    parser.add_argument("--trainees", type=int, nargs="+", default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-record", action="store_true", help="print the rows, leave results.md alone")
    args = parser.parse_args()
    env = {**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="mentorbook-bench-cache-")}
    with tempfile.TemporaryDirectory(prefix="mentorbook-bench-") as work:
        if args.what == "report":
            rows = [bench_report(n, Path(work), env) for n in (args.trainees or [10_000])]
        else:
            rows = bench_cohort(args.trainees or [1_000, 10_000], Path(work), env, args.jobs)
    print("\n".join(rows))
    if not args.no_record:
        record(rows)


if __name__ == "__main__":
    main()
