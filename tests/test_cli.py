"""The command line: help, version, defaults and the output folder rules."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from mentorbook import __version__
from mentorbook.cli import cli, main


def test_help_lists_build_and_options():
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--blank", "--page-size", "letter|a4", "WORKBOOK"):
        assert option in result.output
    top = CliRunner().invoke(cli, ["--help"])
    assert top.exit_code == 0 and "build" in top.output and "five practices" in top.output


def test_version(capsys):
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_default_build_writes_sample_into_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "site" / "index.html").is_file()
    assert (tmp_path / "output" / "workbook.pdf").is_file()
    manifest = json.loads((tmp_path / "output" / ".mentorbook-manifest.json").read_text())
    assert "workbook.pdf" in manifest["files"] and "site/index.html" in manifest["files"]
    # a second build replaces its own files without complaint
    assert runner.invoke(cli, ["build", "-q"]).exit_code == 0


def test_never_overwrites_files_it_did_not_make(tmp_path, capsys, short_guide):
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    mine = out / "site" / "index.html"
    mine.write_text("my own page")
    assert main(["build", "--out", str(out), "-q", "--project", str(short_guide)]) == 2  # the PDF laid out first
    assert mine.read_text() == "my own page"
    assert "not overwriting" in capsys.readouterr().err
    assert not (out / "workbook.pdf").exists()


def test_refuses_dangerous_output_folders(capsys):
    from mentorbook.base.paths import CONTENT_DIR

    for folder in ("/", os.path.expanduser("~"), str(CONTENT_DIR)):
        assert main(["build", "--out", folder, "-q"]) == 2
        assert "refusing to write" in capsys.readouterr().err


def test_bad_page_size_is_rejected(capsys):
    assert main(["build", "--page-size", "legal"]) == 2
    assert "legal" in capsys.readouterr().err


def test_the_command_ends_at_once_with_its_output_said_and_no_temporary_files_left(tmp_path, short_guide):
    """`mentorbook` (cli.run) exits without tearing the interpreter down: its status and what it
    printed still arrive, and WeasyPrint's copy of the fonts goes with the run's own temporary
    folder; so do those of a cohort's workers (which their pool ends) when the library is called
    from a program that exits as usual."""
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    out = tmp_path / "out"

    def mentorbook(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
        command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "mentorbook", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    done = mentorbook("build", "--blank", "--format", "pdf", "--project", str(short_guide), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "workbook.pdf" in done.stdout and (out / "workbook.pdf").stat().st_size > 10_000
    assert list(scratch.iterdir()) == []
    refused = mentorbook("build", "--page-size", "b5", "--out", str(out))
    assert refused.returncode == 2 and "b5" in refused.stderr and "Traceback" not in refused.stderr
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role\nAna Ruiz,PGY-1\nBo Chen,PGY-2\n", encoding="utf-8")
    library = mentorbook(code=(
        "from pathlib import Path\nfrom mentorbook.program.config import load_project\n"
        "from mentorbook.staff.cohort import build_cohort\n"
        f"r = build_cohort(Path({str(roster)!r}), Path({str(tmp_path / 'again')!r}), jobs=2, blank=True,"
        f" formats=('pdf',), project=load_project(Path({str(short_guide)!r})))\n"
        "print(len(r.outcomes))\n"))
    assert library.returncode == 0 and library.stdout.split() == ["2"], library.stderr
    assert list(scratch.iterdir()) == []


def test_the_command_ends_quietly_when_its_output_has_nowhere_to_go():
    """Started with standard output closed (sys.stdout is None) or piped into a reader that has
    gone, the command still ends with its status, and no traceback about the lost output."""
    import subprocess
    import sys

    closed = subprocess.run([sys.executable, "-m", "mentorbook", "--version"], capture_output=False,
                            stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1), timeout=60)
    assert closed.returncode == 0 and "Traceback" not in closed.stderr, closed.stderr
    reader_gone = subprocess.run(f"{sys.executable} -m mentorbook --help | head -c 1 >/dev/null",
                                 shell=True, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in reader_gone.stderr and "Error" not in reader_gone.stderr, reader_gone.stderr
