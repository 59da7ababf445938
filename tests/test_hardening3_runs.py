"""Runs that are stopped (SIGTERM, SIGKILL) or meet a read-only folder, a full disk or a
file-size limit: one message, a non-zero exit, no traceback, earlier output whole, no
staging file left, and a stopped cohort that resumes."""

from __future__ import annotations

import csv
import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import TODAY

from mentorbook.base import writer as writer_module
from mentorbook.base.manifest import MANIFEST
from mentorbook.cli import main

MENTORBOOK = [sys.executable, "-m", "mentorbook"]
NAMES = ("Ana Lima", "Bea Ruiz", "Cleo Park", "Dan Oduya", "Eve Moss", "Fay Chen")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def staging(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".manifest.")]


# --- stopped runs ---------------------------------------------------------------------------------

def test_sigterm_while_writing_removes_what_was_being_written(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--format", "html", "--today", TODAY.isoformat(), "-q"]) == 0
    before = files(out)
    real_write, calls = os.write, []

    def write(fd, data):
        calls.append(fd)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives while the changed pages are being staged
        return real_write(fd, data)

    monkeypatch.setattr(writer_module.os, "write", write)
    assert main(["build", "--out", str(out), "--format", "html", "--today", "2026-12-24", "-q"]) == 128 + 15
    assert capsys.readouterr().err.strip() == "Stopped (SIGTERM); what was written before is whole."
    assert files(out) == before and staging(out) == [] and not [p for p in writer_module.STAGED if out in p.parents]


def _progress_lines(proc: subprocess.Popen, count: int, limit: float = 120) -> list[str]:
    lines, deadline = [], time.monotonic() + limit
    while len(lines) < count and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        if line.startswith("["):
            lines.append(line)
    return lines


def test_a_cohort_killed_halfway_resumes_in_the_same_folder(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role\n" + "".join(f"{n},Fellow\n" for n in NAMES), encoding="utf-8")
    out = tmp_path / "out"
    command = [*MENTORBOOK, "cohort", str(roster), "-o", str(out), "--format", "html", "-j", "1",
               "--today", TODAY.isoformat()]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    try:
        done = _progress_lines(proc, 3)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(60)
    assert len(done) == 3 and proc.returncode == -signal.SIGKILL
    assert not (out / MANIFEST).exists(), "killed before the end: only the journal says what it finished"
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "6 of 6 workbooks built" in again.stderr and "Traceback" not in again.stderr
    with open(out / "summary.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["trainee"] for r in rows] == list(NAMES) and {r["status"] for r in rows} == {"ok"}
    assert all((out / "trainees" / name.lower().replace(" ", "-") / "site" / "index.html").is_file()
               for name in NAMES)
    assert staging(out) == [] and not (out / ".mentorbook-journal.jsonl").exists()


# --- storage: read-only, full, size limit --------------------------------------------------------

@pytest.fixture
def rebuild(sample_output) -> Path:
    """A copy of the sample build that lacks site/workbook.pdf: building the sample into it again
    writes that one file (880 KB, the PDF laid out before is reused), and nothing else changes."""
    (sample_output / "site" / "workbook.pdf").unlink()
    return sample_output


def _build(out: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*MENTORBOOK, "build", "--out", str(out), "--today", TODAY.isoformat(), "-q"],
                          capture_output=True, text=True, timeout=300, **kwargs)


def _one_message(done: subprocess.CompletedProcess, out: Path, why: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"Error: cannot write {out}") and why in lines[0], lines[0]
    assert lines[0].endswith("what was there before is unchanged")


def _root_can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def mounted(*args: str):
    """Run ``mount ARGS``, yield, unmount; None when this system lets nobody mount here."""
    target = Path(args[-1])
    done = subprocess.run(["mount", *args], capture_output=True) if _root_can_mount() else None
    try:
        yield done is not None and done.returncode == 0
    finally:
        if done is not None and done.returncode == 0:
            subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _failing_writes(monkeypatch, code: int, inside: Path | None = None) -> None:
    """Where the system lets nobody mount: the file system's answer at the write itself (every byte
    mentorbook writes goes through os.write), for every file or those ``inside`` a folder."""
    real_write = os.write

    def write(fd, data):
        where = os.readlink(f"/proc/self/fd/{fd}") if inside is not None else ""
        if inside is None or where.startswith(str(inside)):
            raise OSError(code, os.strerror(code))
        return real_write(fd, data)

    monkeypatch.setattr(writer_module.os, "write", write)


def _build_here(out: Path, capsys) -> subprocess.CompletedProcess:
    code = main(["build", "--out", str(out), "--today", TODAY.isoformat(), "-q"])
    return subprocess.CompletedProcess([], code, "", capsys.readouterr().err)


def test_a_build_into_a_read_only_folder_is_one_message(rebuild, tmp_path, monkeypatch, capsys):
    before = files(rebuild)
    view = tmp_path / "read-only"
    view.mkdir()
    with mounted("--bind", "-o", "ro", str(rebuild), str(view)) as ok:
        if ok:
            _one_message(_build(view), view, "read-only file system")
    if not ok and os.geteuid() != 0:  # a folder without write permission
        shutil.rmtree(view)
        view = Path(shutil.copytree(rebuild, view))
        for folder in [view, *(p for p in view.rglob("*") if p.is_dir())]:
            folder.chmod(0o555)
        try:
            _one_message(_build(view), view, "you may not write there")
        finally:
            for folder in [view, *(p for p in view.rglob("*") if p.is_dir())]:
                folder.chmod(0o755)
    elif not ok:
        _failing_writes(monkeypatch, errno.EROFS)
        _one_message(_build_here(rebuild, capsys), rebuild, "read-only file system")
    assert files(rebuild) == before


def test_a_build_onto_a_full_disk_is_one_message(sample_build, tmp_path, monkeypatch, capsys):
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)) as ok:
        out = Path(shutil.copytree(sample_build.out_dir, disk / "out"))
        (out / "site" / "workbook.pdf").unlink()
        before = files(out)
        if ok:
            (disk / "filler").write_bytes(b"\0" * max(shutil.disk_usage(disk).free - 64 * 1024, 0))  # 64 KB left
            _one_message(_build(out), out, "the disk is full")
        else:
            _failing_writes(monkeypatch, errno.ENOSPC)
            _one_message(_build_here(out, capsys), out, "the disk is full")
        assert files(out) == before and staging(out) == []


def test_a_build_over_the_file_size_limit_is_one_message(rebuild):
    before = files(rebuild)
    limit = 200 * 512  # `ulimit -f 200` in Debian's sh (512-byte blocks); the sample's PDF is about 180 KB
    assert (rebuild / "workbook.pdf").stat().st_size > limit

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    _one_message(_build(rebuild, preexec_fn=limited), rebuild, "larger than this system allows")
    assert files(rebuild) == before and staging(rebuild) == []


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    (tmp_path / "a-file").write_text("x")
    done = subprocess.run([*MENTORBOOK, "build", "--out", str(out), "--format", "html", "-q"],
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "a-file")},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stderr == "", done.stderr  # no cache folder can be made
    cache = tmp_path / "cache"
    cache.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(cache)) as ok:
        for kind in ("markdown", "templates"):  # the cache's folders are there; only their entries do not fit
            (cache / "mentorbook" / kind).mkdir(parents=True)
        if ok:
            (cache / "filler").write_bytes(b"\0" * shutil.disk_usage(cache).free)
            done = subprocess.run([*MENTORBOOK, "build", "--out", str(out), "--format", "html", "--today",
                                   "2026-12-24", "-q"], env={**os.environ, "XDG_CACHE_HOME": str(cache)},
                                  capture_output=True, text=True, timeout=300)
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
            _failing_writes(monkeypatch, errno.ENOSPC, inside=cache)
            code = main(["build", "--out", str(out), "--format", "html", "--today", "2026-12-24", "-q"])
            done = subprocess.CompletedProcess([], code, "", capsys.readouterr().err)
    assert done.returncode == 0 and done.stderr == "", done.stderr  # a full cache: the build goes on
    assert "2026" in (out / "site" / "index.html").read_text(encoding="utf-8")


def test_a_library_temporary_file_over_the_limit_is_one_message(sample_output, monkeypatch, capsys):
    """WeasyPrint writes the fonts it subsets to temporary files of its own: under `ulimit -f` the
    error names no file, and the message says what and why all the same."""
    import mentorbook.print.pdf as pdf

    def too_large(*args, **kwargs):
        raise OSError(errno.EFBIG, "File too large")

    before = files(sample_output)
    monkeypatch.setattr(pdf, "layout", too_large)
    assert main(["build", "--out", str(sample_output), "--today", "2027-01-05", "-q", "--jobs", "1"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == ["Error: cannot write a temporary file: the file would be larger than this system allows "
                     "(see `ulimit -f`); what was there before is unchanged"]
    assert files(sample_output) == before


def test_a_cohort_worker_ends_when_its_run_is_killed(tmp_path):
    """A run killed with SIGKILL cannot stop its workers: each asked the system to end it with its parent."""
    script = ("import os, sys, time\n"
              "from mentorbook.base.bounded import end_with_parent\n"
              "child = os.fork()\n"
              "if child == 0:\n"
              "    end_with_parent()\n"
              "    os.write(1, b'asked\\n')\n"  # one write each: the two lines never run into each other
              "    time.sleep(60)\n"
              "    os._exit(0)\n"
              "os.write(1, f'{child}\\n'.encode())\n"
              "time.sleep(60)\n")
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    said = {run.stdout.readline().strip(), run.stdout.readline().strip()}  # the worker's id; it has asked
    assert "asked" in said, said
    (worker,) = [int(line) for line in said if line != "asked"]
    run.kill()
    run.wait(10)
    if not _ends_within(worker, 10):
        pytest.fail("the worker outlived its run")


def test_a_helper_whose_starter_ended_before_it_was_ready_ends_at_once(tmp_path):
    """A helper told its starter's process id (serve's PDF process, a layout process, a cohort worker)
    ends as soon as it finds another parent: its starter died while it was still starting, before
    the system could be asked to end it with its starter."""
    script = ("import sys\n"
              "from mentorbook.base.bounded import end_with_parent\n"
              "end_with_parent(int(sys.argv[1]))\n"
              "print('working', flush=True)\n")
    ended = subprocess.run([sys.executable, "-c", script, "1"], capture_output=True, text=True, timeout=60)
    assert (ended.returncode, ended.stdout) == (143, "")  # as SIGTERM ends it; its parent is this test, not 1
    kept = subprocess.run([sys.executable, "-c", script, str(os.getpid())], capture_output=True, text=True,
                          timeout=60)
    assert (kept.returncode, kept.stdout) == (0, "working\n")


# Runs serve's PDF process with SIGTERM sent to it in the middle of an import: the first one its
# handler could see (one of mentorbook's modules half initialised), once the handler is installed.
STOPPED_IN_AN_IMPORT = r"""
import os, runpy, signal, sys

class StopInAnImport:
    fired = False

    def find_spec(self, name, path=None, target=None):
        if not StopInAnImport.fired and signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None) and any(
                getattr(getattr(module, "__spec__", None), "_initializing", False)
                for known, module in list(sys.modules.items()) if known.startswith("mentorbook.")):
            StopInAnImport.fired = True
            os.kill(os.getpid(), signal.SIGTERM)
        return None

sys.meta_path.insert(0, StopInAnImport())
sys.argv = ["pdfkeeper", sys.argv[1]]
runpy.run_module("mentorbook.live.pdfkeeper", run_name="__main__", alter_sys=True)
print("not stopped", StopInAnImport.fired)
"""


def test_the_pdf_process_stopped_while_it_imports_ends_cleanly():
    """SIGTERM may reach serve's PDF process while it is still importing (serve stopped, or killed,
    as it starts): it ends as SIGTERM ends it, with no traceback, whatever it was importing."""
    ended = subprocess.run([sys.executable, "-c", STOPPED_IN_AN_IMPORT, str(os.getpid())], input=b"",
                           capture_output=True, timeout=60)
    assert (ended.returncode, ended.stdout, ended.stderr.decode(errors="replace")[-800:]) == (143, b"", "")


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")  # ended, waiting to be reaped
    except OSError:
        return True


def _ends_within(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` ends within ``seconds``; one that does not is killed."""
    deadline = time.monotonic() + seconds
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _gone(pid):
        return True
    os.kill(pid, signal.SIGKILL)
    return False


# Started by the test: takes in the orphans of the processes it starts (PR_SET_CHILD_SUBREAPER),
# runs `serve`, kills it with SIGKILL while its PDF process lays the sample out, then waits for that
# process, now its own child, and prints how it ended: its exit code (negative: the signal).
ADOPTER = r"""
import ctypes, os, signal, subprocess, sys, time
from pathlib import Path

libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
run = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, text=True)
said = [run.stderr.readline()]
while said[-1] and not said[-1].startswith("Serving "):  # after the first site build's messages
    said.append(run.stderr.readline())
children = [int(n) for task in Path(f"/proc/{run.pid}/task").iterdir()
            for n in (task / "children").read_text().split()]
keepers = [c for c in children if b"mentorbook.live.pdfkeeper" in Path(f"/proc/{c}/cmdline").read_bytes()]
run.kill()
run.wait()
if not said[-1].startswith("Serving ") or len(keepers) != 1:
    print("no PDF process", said, keepers)
    sys.exit()
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    pid, status = os.waitpid(keepers[0], os.WNOHANG)
    if pid:
        print(os.waitstatus_to_exitcode(status))
        sys.exit()
    time.sleep(0.05)
os.kill(keepers[0], signal.SIGKILL)
print("still running a minute after serve")
"""


def test_the_pdf_process_of_serve_ends_when_serve_is_killed_in_the_middle_of_a_layout(tmp_path):
    """`serve` lays the PDF out in a process of its own; a serve killed with SIGKILL cannot stop it,
    so that process asked the system to end it with its parent, instead of laying out for nobody.
    It ends by that signal (SIGTERM: its handler's code 143, or the signal itself while it still
    starts, or 143 too if serve was gone before it could ask), not by finishing the layout and
    finding nobody to hand it to (code 0), however long a loaded machine takes."""
    ended = subprocess.run([sys.executable, "-c", ADOPTER, *MENTORBOOK, "serve", "--port", "0", "--out",
                            str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path, timeout=180)
    assert ended.stdout.strip() in ("143", str(-signal.SIGTERM)), (ended.stdout, ended.stderr[-2000:])
