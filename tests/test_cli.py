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
