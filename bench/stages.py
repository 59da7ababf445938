"""Where one `mentorbook build --format pdf` spends its time, by stage.

Run as a script it builds the sample's PDF once in this fresh process, as the CLI
does, with timers around the pipeline's stages (the functions are wrapped from
here; nothing in mentorbook changes). Time is charged to the innermost stage
running, so the stages add up; what no stage covers is "other". Worker processes
(forked by the parallel layout) charge their own stages too, to a file shared
with this process, so the table shows the time of this process (the one the
person waits for) and the time of the other layout process beside it.

    python bench/stages.py --jobs 1          # prints the table
    python bench/stages.py --json            # for bench/run.py
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()

# (stage, label), in the order of the pipeline
STAGES = [
    ("imports", "start-up and imports"),
    ("load", "load, validate, assemble (pipeline.analyse)"),
    ("print_html", "print HTML render (render_print_files)"),
    ("layout", "WeasyPrint layout (pdf.layout)"),
    ("write_pdf", "WeasyPrint writing the PDF (write_pdf)"),
    ("mend", "tag finisher on WeasyPrint's objects (tags.mend)"),
    ("fix_fields", "form fields mended by pikepdf (ua.fix_fields, fillable only)"),
    ("stitch", "stitching: pikepdf re-reads the parts' PDFs and writes the whole"),
    ("wait", "waiting for the other layout process"),
    ("write", "writing the files (Writer.write_all)"),
    ("other", "other (input key, forks, checks)"),
]
# the stages that read a PDF back after it was written
REREADS = ("fix_fields", "stitch")


class Clock:
    """Exclusive time per stage: whatever runs is charged to the innermost stage entered."""

    def __init__(self, log: Path):
        self.log = log
        self.stack: list[str] = []
        self.mark = time.perf_counter()
        self.pid = os.getpid()
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        """A forked worker charges its own stages, from the fork on."""
        self.pid, self.stack, self.mark = os.getpid(), [], time.perf_counter()

    def _charge(self) -> None:
        now = time.perf_counter()
        stage = self.stack[-1] if self.stack else "other"
        with open(self.log, "a", encoding="utf-8") as out:  # one short line per charge: atomic with O_APPEND
            out.write(f"{self.pid}\t{stage}\t{now - self.mark:.6f}\n")
        self.mark = now

    def wrap(self, owner, name: str, stage: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            self._charge()
            self.stack.append(stage)
            try:
                return original(*args, **kwargs)
            finally:
                self._charge()
                self.stack.pop()

        setattr(owner, name, timed)


def profile(jobs: int, out: Path, log: Path) -> dict:
    clock = Clock(log)
    clock.stack.append("imports")
    clock.mark = STARTED
    import generator.print.weasy as weasy

    weasy.weasyprint()  # imported as the command imports it (without the library search)
    import weasyprint.document

    import generator.base.writer as writer
    import generator.pipeline as pipeline
    import generator.print.pdf as pdf
    import generator.print.tags as tags
    import generator.print.ua as ua
    import generator.print.workers as workers
    clock._charge()
    clock.stack.pop()

    clock.wrap(pipeline, "analyse", "load")
    clock.wrap(pdf, "render_print_files", "print_html")
    clock.wrap(pdf, "layout", "layout")
    clock.wrap(weasyprint.document.Document, "write_pdf", "write_pdf")
    clock.wrap(tags, "mend", "mend")
    clock.wrap(ua, "fix_fields", "fix_fields")
    clock.wrap(workers, "stitch", "stitch")
    clock.wrap(workers, "_answer", "wait")
    clock.wrap(writer.Writer, "write_all", "write")
    options = pipeline.BuildOptions(out_dir=out, format="pdf", jobs=jobs)
    pipeline.build(options)
    clock._charge()
    wall = time.perf_counter() - STARTED
    main, others = os.getpid(), {}
    here = dict.fromkeys((s for s, _ in STAGES), 0.0)
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, stage, seconds = line.split("\t")
        table = here if int(pid) == main else others.setdefault(pid, dict.fromkeys(here, 0.0))
        table[stage] += float(seconds)
    return {"jobs": jobs, "wall": wall, "main": here, "workers": list(others.values())}


def measure(jobs: int) -> dict:
    """Profile a build in this process (called in a fresh one: see ``main``)."""
    with tempfile.TemporaryDirectory(prefix="mentorbook-stages-") as tmp:
        return profile(jobs, Path(tmp) / "out", Path(tmp) / "stages.log")


def table(results: list[dict]) -> list[str]:
    """Markdown rows: each stage's seconds and share of the wall time, per profile."""
    head = "| stage | " + " | ".join(
        f"`--jobs {r['jobs']}`" + (" (this process / the other)" if r["workers"] else "") for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for stage, label in STAGES:
        cells = []
        for r in results:
            cell = f"{r['main'][stage]:.3f} s ({r['main'][stage] / r['wall']:.0%})"
            if r["workers"]:
                cell += " / " + ", ".join(f"{w[stage]:.3f} s" for w in r["workers"])
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| **wall time of the build's process** | " + " | ".join(f"**{r['wall']:.3f} s**" for r in results)
                 + " |")
    return lines


def rereads(results: list[dict]) -> list[str]:
    """What re-reads a finished PDF, and its share of each profile's wall time."""
    notes = []
    for r in results:
        found = [(label, r["main"][s] + sum(w[s] for w in r["workers"]))
                 for s, label in STAGES if s in REREADS]
        found = [(label, t) for label, t in found if t > 0]
        if found:
            notes.append(f"`--jobs {r['jobs']}`: " + "; ".join(
                f"{label}: {t:.3f} s, {t / r['wall']:.0%} of the wall time" for label, t in found))
        else:
            notes.append(f"`--jobs {r['jobs']}`: no stage re-reads a finished PDF")
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    result = measure(args.jobs)
    print(json.dumps(result) if args.json else "\n".join(table([result]) + rereads([result])))


if __name__ == "__main__":
    main()
