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
    printed still arrive, and WeasyPrint's font folder goes with the run's own temporary folder."""
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "mentorbook", "build", "--blank", "--format", "pdf",
                           "--project", str(short_guide), "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "workbook.pdf" in done.stdout and (out / "workbook.pdf").stat().st_size > 10_000
    assert list(scratch.iterdir()) == []
    refused = subprocess.run([sys.executable, "-m", "mentorbook", "build", "--page-size", "b5", "--out", str(out)],
                             capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 2 and "b5" in refused.stderr and "Traceback" not in refused.stderr
    assert list(scratch.iterdir()) == []
