"""Returned PDFs are untrusted: `import` and `report` read them within bounds, and only text
answers (decoded as PDF specifies) or a button's own states ever reach a workbook."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pdf_hostile import form, object_stream_bomb, profile, write

from mentorbook.cli import main
from mentorbook.staff.pdf_guard import NotText, decode_text_string
from mentorbook.staff.report_build import write_report

MENTORBOOK = [sys.executable, "-m", "mentorbook"]


# Runs a command and says, on its last line of standard error, the peak memory of the command's
# processes: measured in a process of its own, so earlier tests' children do not count.
_MEASURE = ("import resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:])\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(done.returncode)\n")


def run_measured(command: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """``command``'s result (its own standard error), its seconds and its peak memory in MiB."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - started
    err, _, peak = done.stderr.rstrip("\n").rpartition("\n")
    done.stderr = err + "\n" if err else ""
    return done, seconds, int(peak) / 1024


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("bomb") / "returned.pdf", object_stream_bomb())


def test_an_object_stream_bomb_is_refused_quickly_and_small(bomb, tmp_path):
    assert 2_500_000 < bomb.stat().st_size < 3_200_000
    done, seconds, peak_mib = run_measured([*MENTORBOOK, "import", str(bomb), "-o", str(tmp_path / "out.yml")])
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (f"Error: {bomb}: refused: its compressed streams inflate to more than 64 MiB "
                                   "together; a filled-in workbook's come to about 3 MiB (this file may be built "
                                   "to exhaust the computer)")
    assert seconds < 10 and peak_mib < 300, (seconds, peak_mib)
    assert not (tmp_path / "out.yml").exists()


@pytest.mark.parametrize("disguise", [{"note": b" /Note (obj)"}, {"filter_key": b"/F#69lter"},
                                      {"note": b" /Note (9 0 obj)"}],
                         ids=["a string saying obj", "an escaped key", "a string saying 9 0 obj"])
def test_a_disguised_object_stream_bomb_is_refused_quickly_and_small(tmp_path, disguise):
    """The byte check reads a stream's dictionary from its object's start (not from a string that
    looks like one: no object ended before it) and spells out escaped names."""
    bomb = write(tmp_path / "returned.pdf", object_stream_bomb(**disguise))
    done, seconds, peak_mib = run_measured([*MENTORBOOK, "import", str(bomb), "-o", str(tmp_path / "out.yml")])
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"Error: {bomb}: refused: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert seconds < 10 and peak_mib < 300, (seconds, peak_mib)
    assert not (tmp_path / "out.yml").exists()


def test_a_bomb_the_byte_check_cannot_see_is_stopped_by_the_readers_limits(tmp_path, monkeypatch, capsys):
    """A dictionary the byte check still misreads (a string saying 'endobj 9 0 obj') is read by
    pypdf in a process with a memory and a time limit of its own (the time lowered here)."""
    from mentorbook.staff import form_read

    monkeypatch.setattr(form_read, "READER_SECONDS", 1)
    bomb = write(tmp_path / "returned.pdf", object_stream_bomb(note=b" /Note (endobj 9 0 obj)"))
    started = time.monotonic()
    assert main(["import", str(bomb), "-o", str(tmp_path / "out.yml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {bomb}: refused: ") and len(err.splitlines()) == 1, err
    assert time.monotonic() - started < 8 and not (tmp_path / "out.yml").exists()


def import_one(tmp_path: Path, fields, **kwargs) -> tuple[int, str, Path]:
    pdf = write(tmp_path / "returned.pdf", form(fields, **kwargs))
    out = tmp_path / "returned.yml"
    code = main(["import", str(pdf), "-o", str(out), "-q"])
    return code, out.read_text(encoding="utf-8") if out.exists() else "", pdf


@pytest.mark.parametrize("value, what", [
    (b"<< /A << /A (x) >> >>", "a PDF dictionary"), (b"[(a) (b)]", "a PDF array"), (b"/SomeName", "a PDF name"),
    (b"42", "a number"), (b"true", "a true/false value"), (b"<FEFF004100>", "UTF-16 text with an odd number"),
    (b"<FEFFD800>", "UTF-16 text with a lone surrogate"), (b"<FEFFDC000041>", "UTF-16 text with a lone surrogate"),
    (b"(a\\001b)", "text with the byte 0x01, which is no character"),
])
def test_a_value_that_is_not_text_is_refused_and_never_written(tmp_path, capsys, value, what):
    code, written, pdf = import_one(tmp_path, [(profile("name"), b"(Ana Lima)"), (profile("role"), value)])
    err = capsys.readouterr().err
    assert code == 2 and written == ""
    assert f"{pdf}, page 1: error: trainee.role: the answer is {what}" in err
    assert "{'/A'" not in err and "Traceback" not in err


@pytest.mark.parametrize("value, text", [
    (b"<FEFF0041006E00E1>", "Aná"), (b"<FEFFD83DDE00>", "\U0001F600"), (b"<EFBBBF41C3B161>", "Aña"),
    (b"(\\200 caf\\351 \\240)", "• café €"), (b"(x\\030y)", "x\u02d8y"), (b"<416E61>", "Ana"),
])
def test_text_strings_are_decoded_as_pdf_says(tmp_path, value, text):
    code, written, _ = import_one(tmp_path, [(profile("name"), b"(Ana Lima)"), (profile("role"), value)])
    assert code == 0
    import yaml
    assert yaml.safe_load(written)["trainee"]["role"] == text


def test_a_button_state_it_does_not_have_is_refused(tmp_path, capsys):
    extra = b" /AS /Evil /AP << /N << /Yes 20 0 R /Off 20 0 R >> >>"
    code, written, pdf = import_one(tmp_path, [(profile("name"), b"(Ana Lima)")])
    assert code == 0
    pdf = write(tmp_path / "button.pdf", form([(profile("name"), b"/Evil")], kind=b"/Btn", extra=extra))
    assert main(["import", str(pdf), "-o", str(tmp_path / "button.yml"), "-q"]) == 2
    assert "the answer is the state 'Evil', which the button does not have" in capsys.readouterr().err


def test_two_answers_for_one_field_name_both(tmp_path, capsys):
    code, written, pdf = import_one(tmp_path, [(profile("name"), b"(Ana Lima)"), (profile("name"), b"(Bea Ruiz)")])
    err = capsys.readouterr().err
    assert code == 2 and written == ""
    assert ("trainee.name: two different answers for one field: 'Ana Lima' (page 1) and 'Bea Ruiz' (page 1)"
            in err)


def test_import_never_overwrites_the_pdf_it_reads(tmp_path, capsys):
    pdf = write(tmp_path / "x.pdf", form([(profile("name"), b"(Ana Lima)")]))
    before = pdf.read_bytes()
    link = tmp_path / "link.yml"
    link.symlink_to(pdf)
    for target in (pdf, link):
        assert main(["import", str(pdf), "-o", str(target), "--force", "-q"]) == 2
        assert "it is the PDF being imported" in capsys.readouterr().err
    assert pdf.read_bytes() == before


def test_a_folder_goes_on_past_hostile_files_and_names_both_pdfs_of_one_trainee(tmp_path, bomb, capsys):
    folder = tmp_path / "returned"
    folder.mkdir()
    write(folder / "ana.pdf", form([(profile("name"), b"(Ana Lima)"), (profile("role"), b"(Nurse)")]))
    write(folder / "ana-again.pdf", form([(profile("name"), b"(ana  lima)"), (profile("role"), b"(Doctor)")]))
    write(folder / "bea.pdf", form([(profile("name"), b"(Bea Ruiz)")]))
    write(folder / "cleo.pdf", form([(profile("name"), b"(Cleo)"), (profile("role"), b"<< /A 1 >>")]))
    os.link(bomb, folder / "dan.pdf")
    assert main(["import", str(folder), "-q"]) == 1
    err = capsys.readouterr().err
    assert "ana-again.pdf and ana.pdf are both the workbook of ana  lima" in err
    assert "ana.pdf and ana-again.pdf are both the workbook of Ana Lima" in err
    assert "cleo.pdf, page 1: error: trainee.role: the answer is a PDF dictionary, not text" in err
    assert "dan.pdf: refused: its compressed streams inflate" in err
    assert "1 of 5 PDFs imported" in err
    assert sorted(p.name for p in folder.glob("*.yml")) == ["bea.yml"]


def test_two_pdfs_for_one_workbook_file_are_refused_together(tmp_path, capsys):
    folder = tmp_path / "returned"
    folder.mkdir()
    write(folder / "ana.pdf", form([(profile("name"), b"(Ana Lima)")]))
    write(folder / "ana.PDF", form([(profile("name"), b"(Ana Costa)")]))
    assert main(["import", str(folder), "--force", "-q"]) == 1
    err = capsys.readouterr().err
    assert "ana.PDF and ana.pdf would both be imported into" in err and "ana.pdf and ana.PDF would both" in err
    assert not list(folder.glob("*.yml"))


def test_report_reads_hostile_pdfs_as_needing_fixing_and_quotes_no_pdf_object(tmp_path, bomb):
    folder = tmp_path / "returned"
    folder.mkdir()
    write(folder / "cleo.pdf", form([(profile("name"), b"(Cleo)"), (profile("role"), b"<< /A (=1+1) >>")]))
    os.link(bomb, folder / "dan.pdf")
    out = tmp_path / "report"
    report, _ = write_report([folder], out, formats=("csv", "html"))  # no PDF: the CSV and HTML say it
    text = (out / "report.csv").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "{&#39;/A&#39;" not in html and "{'/A'" not in html and "inflate to more than 64 MiB" in html
    rows = {r["trainee"]: r for r in csv.DictReader(text.splitlines())}
    assert set(rows) == {"Cleo", "dan"} and {r["status"] for r in rows.values()} == {"needs fixing"}
    assert "{'/A'" not in text and "inflate to more than 64 MiB" in text


# --- property: any PDF object as an answer ----------------------------------------------------------

def _literal(data: bytes) -> bytes:
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r") + b")"


pdf_objects = st.recursive(
    st.one_of(st.binary(max_size=12).map(_literal),
              st.binary(max_size=12).map(lambda b: b"<" + b.hex().encode() + b">"),
              st.binary(max_size=10).map(lambda b: b"<FEFF" + b.hex().encode() + b">"),
              st.integers(-10**6, 10**6).map(lambda i: str(i).encode()), st.just(b"null"), st.just(b"true"),
              st.from_regex(rb"\A/[A-Za-z]{1,8}\Z")),
    lambda children: st.one_of(st.lists(children, max_size=3).map(lambda xs: b"[" + b" ".join(xs) + b"]"),
                               st.lists(st.tuples(st.from_regex(rb"\A/[A-Z][a-z]{0,5}\Z"), children), max_size=3)
                               .map(lambda kv: b"<<" + b" ".join(k + b" " + v for k, v in kv) + b">>")),
    max_leaves=6)


def _expected(value: bytes) -> str | None:
    """What a string value reads as (None: not a string, or not valid text)."""
    if value.startswith(b"(") or (value.startswith(b"<") and not value.startswith(b"<<")):
        import io

        from pypdf.generic import TextStringObject, read_object
        parsed = read_object(io.BytesIO(value + b" "), None)
        raw = parsed.original_bytes if isinstance(parsed, TextStringObject) else bytes(parsed)
        try:
            return decode_text_string(bytes(raw)).replace("\r\n", "\n").replace("\r", "\n").strip()
        except NotText:
            return None
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=pdf_objects)
@example(value=b"(\x18\n\x18)")  # two lines typed into the one-line field: read as one line
def test_any_pdf_object_as_an_answer_is_its_text_or_a_located_refusal(tmp_path, capsys, value):
    import yaml

    code, written, pdf = import_one(tmp_path, [(profile("name"), b"(Ana Lima)"), (profile("role"), value)])
    err = capsys.readouterr().err
    (tmp_path / "returned.yml").unlink(missing_ok=True)
    assert "Traceback" not in err and code in (0, 1, 2)
    expected = _expected(value)
    if written:
        role = yaml.safe_load(written)["trainee"].get("role")
        assert expected is not None, "only text strings are ever written"
        if "\n" in expected:  # the role is a one-line field: lines typed in it are joined (fields/text.py)
            expected = " ".join(expected.split())
        assert role == (expected or None), (value, role, expected)
    else:
        assert code == 2 and f"{pdf}, page 1: error: trainee.role:" in err
        assert expected is None or expected != expected.strip() or "trainee.role" in err


@given(st.binary(max_size=40))
def test_text_strings_decode_strictly_or_say_why(raw):
    try:
        text = decode_text_string(raw)
    except NotText as exc:
        assert str(exc)
        return
    if raw.startswith(b"\xfe\xff"):
        assert text.encode("utf-16-be") == raw[2:]
    elif raw.startswith(b"\xef\xbb\xbf"):
        assert text.encode("utf-8") == raw[3:]
    else:
        assert len(text) == len(raw)


def test_nesting_deeper_than_a_form_needs_is_refused(tmp_path, capsys):
    deep = b"[" * 5000 + b"(x)" + b"]" * 5000
    code, written, pdf = import_one(tmp_path, [(profile("name"), b"(Ana Lima)"), (profile("role"), deep)])
    err = capsys.readouterr().err
    assert code == 2 and written == "" and "Traceback" not in err
    assert f"{pdf}: refused: its objects are nested deeper than any form needs" in err


def test_a_file_that_takes_too_long_to_read_is_refused(tmp_path, capsys, monkeypatch):
    from mentorbook.staff import pdf_guard

    monkeypatch.setattr(pdf_guard, "MAX_SECONDS", 0.0)  # every file takes longer than no time at all
    monkeypatch.setattr(pdf_guard.Deadline.__init__, "__defaults__", (0.0,))
    code, written, pdf = import_one(tmp_path, [(profile("name"), b"(Ana Lima)")])
    err = capsys.readouterr().err
    assert code == 2 and f"{pdf}: refused: reading it took longer than 0 seconds" in err
