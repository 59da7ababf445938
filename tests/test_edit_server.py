"""`mentorbook edit` over HTTP: what saving writes, what it refuses, and who may write.

The forms are submitted as a browser submits them (editing.form_pairs); the browser
itself is in test_edit_browser.py.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TODAY
from editing import changed, edit_page, form_pairs, post, request, start_editor, stop

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.base.writer import history_dir
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main

INSTRUMENTS = CONTENT_DIR / "examples" / "instruments"
SAMPLE_SHEETS = ("trainee", "self_reflection", "mentors", "agreements", "meetings", "transitions")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """One editor for the module, on a copy of the sample; each test puts the file back."""
    folder = tmp_path_factory.mktemp("edit")
    workbook = folder / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    server = start_editor(workbook, folder / "out")
    yield server
    stop(server)


@pytest.fixture
def sample(editor):
    """The module's editor with the sample as it ships, and no earlier versions."""
    editor.workbook.write_bytes(SAMPLE_WORKBOOK.read_bytes())
    shutil.rmtree(history_dir(editor.workbook.resolve()).parent, ignore_errors=True)
    return editor


def kept(server) -> list[Path]:
    folder = history_dir(server.workbook.resolve())
    return sorted(folder.iterdir()) if folder.is_dir() else []


def check(workbook: Path, *args: str) -> tuple[int, str]:
    """`mentorbook check` on a workbook: (exit status, what it printed)."""
    result = subprocess.run([sys.executable, "-m", "mentorbook", "check", str(workbook), "--today",
                             TODAY.isoformat(), *args], capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout


def test_a_form_sent_back_untouched_changes_nothing(sample, tmp_path):
    """Every field type shows the file's answer so that reading it back gives the same answer."""
    before = sample.workbook.read_bytes()
    for sheet in SAMPLE_SHEETS:
        status, headers, _ = post(sample, sheet, form_pairs(edit_page(sample, sheet)))
        assert status == 303 and "saved=" in headers["Location"], sheet
        assert sample.workbook.read_bytes() == before, f"{sheet}: an untouched form changed the file"
    assert kept(sample) == []
    workbook = tmp_path / "instruments.yml"
    shutil.copy(INSTRUMENTS / "workbook.yml", workbook)
    other = start_editor(workbook, tmp_path / "out", project=INSTRUMENTS)
    try:
        for sheet in ("trainee", "agreements", "development_plan"):
            assert post(other, sheet, form_pairs(edit_page(other, sheet)))[0] == 303
        assert workbook.read_bytes() == (INSTRUMENTS / "workbook.yml").read_bytes()
    finally:
        stop(other)


def commented(text: str) -> str:
    """The workbook with a comment beside every line that can hold one (not inside a | block)."""
    out, block = [], None
    for number, line in enumerate(text.splitlines()):
        indent = len(line) - len(line.lstrip())
        if block is not None and (not line.strip() or indent > block):
            out.append(line)
            continue
        block = indent if line.rstrip().endswith("|") else None
        if line.strip() and not line.lstrip().startswith("#"):
            line += f"  # note {number}"
        out.append(line)
    return "\n".join(out) + "\n"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def test_an_edit_of_one_field_changes_one_line_and_keeps_every_comment(sample):
    folder = sample.workbook.parent
    sample.workbook.write_text(commented(SAMPLE_WORKBOOK.read_text(encoding="utf-8")), encoding="utf-8")
    notes = re.findall(r"# note \d+", sample.workbook.read_text(encoding="utf-8"))
    assert len(notes) > 300
    git(folder, "init", "-q")
    git(folder, "add", "me.yml")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "before")
    for sheet, name, value in (("trainee", "trainee.role", "PGY-3 resident, Internal Medicine"),
                               ("meetings", "meetings[1].action_items[0].status", "done"),
                               ("self_reflection", "self_reflection.goals[1].target_date", "2026-10-21")):
        pairs = changed(form_pairs(edit_page(sample, sheet)), name, value)
        assert post(sample, sheet, pairs)[0] == 303
        stat = git(folder, "diff", "--stat", "me.yml")
        assert stat.strip().endswith("1 file changed, 1 insertion(+), 1 deletion(-)"), (sheet, stat)
        assert re.findall(r"# note \d+", sample.workbook.read_text(encoding="utf-8")) == notes
        git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", sheet)
    data = read_yaml(sample.workbook)
    assert data["trainee"]["role"] == "PGY-3 resident, Internal Medicine"
    assert data["meetings"][1]["action_items"][0]["status"] == "done"
    assert check(sample.workbook)[0] == 0
    shutil.rmtree(folder / ".git")


def test_entries_moved_added_and_removed_take_their_comments_along(sample):
    text = SAMPLE_WORKBOOK.read_text(encoding="utf-8").replace(
        "  - name: Dr. Jonah Feldman\n", "  # the near-peer\n  - name: Dr. Jonah Feldman  # chief resident\n")
    sample.workbook.write_text(text, encoding="utf-8")
    pairs = form_pairs(edit_page(sample, "mentors"))
    entries = [[(n, v) for n, v in pairs if n.startswith(f"mentors[{i}]")] for i in range(5)]
    # the page moved Feldman (2) first, removed Greaves (3) and added one at the end
    order = [entries[2], entries[0], entries[1], entries[4]]
    renamed = [(n, v) for n, v in pairs if n.startswith("!") or n == "mentors.!"]
    for place, entry in enumerate(order):
        renamed += [(re.sub(r"^mentors\[\d+\]", f"mentors[{place}]", n), v) for n, v in entry]
    renamed += [("mentors[4].!", "new"), ("mentors[4].name", "Dr. Ada Byrne"), ("mentors[4].competence", "4")]
    assert post(sample, "mentors", renamed)[0] == 303
    after = sample.workbook.read_text(encoding="utf-8")
    names = [m["name"] for m in read_yaml(sample.workbook)["mentors"]]
    assert names == ["Dr. Jonah Feldman", "Dr. Samuel Whitcombe", "Dr. Priya Natarajan", "Dr. Helen Osei",
                     "Dr. Ada Byrne"]
    assert "mentors:\n  # the near-peer\n  - name: Dr. Jonah Feldman  # chief resident\n" in after
    assert "Greaves" not in after.split("# Practice 3")[0]
    assert "    decision: undecided\n  - name: Dr. Ada Byrne\n    competence: 4\n\n# Practice 3" in after
    assert after.count("# Practice") == text.count("# Practice") == 5  # section headings stay above their sections


def test_a_file_changed_on_disk_is_never_overwritten(sample):
    pairs = changed(form_pairs(edit_page(sample, "trainee")), "trainee.role", "Chief resident")
    outside = sample.workbook.read_text(encoding="utf-8").replace("email: lena.marchetti@", "email: l.marchetti@")
    sample.workbook.write_text(outside, encoding="utf-8")
    status, _, html = post(sample, "trainee", pairs)
    assert status == 409
    assert sample.workbook.read_text(encoding="utf-8") == outside and kept(sample) == []
    assert "In the file now" in html and "What you typed" in html
    assert "role: PGY-2 resident, Internal Medicine" in html and "role: Chief resident" in html
    assert "email: l.marchetti@example.org" in html
    from bs4 import BeautifulSoup

    again = form_pairs(BeautifulSoup(html, "html.parser"), "form.ed-actions")
    assert post(sample, "trainee", again)[0] == 303  # "save what I typed over it"
    assert read_yaml(sample.workbook)["trainee"]["role"] == "Chief resident"
    assert [p.read_text(encoding="utf-8") for p in kept(sample)] == [outside]


def test_writes_need_the_key_a_name_of_this_machine_and_the_editors_own_pages(sample):
    before = sample.workbook.read_bytes()
    pairs = changed(form_pairs(edit_page(sample, "trainee")), "trainee.role", "Hacked")
    without = [(n, v) for n, v in pairs if n != "!secret"]
    wrong = changed(pairs, "!secret", "x" * 32)
    foreign = {"Origin": "http://evil.example"}
    assert post(sample, "trainee", without)[0] == 403
    assert post(sample, "trainee", wrong)[0] == 403
    assert post(sample, "trainee", pairs, foreign)[0] == 403
    assert post(sample, "trainee", pairs, {"Origin": "null"})[0] == 403
    assert post(sample, "trainee", pairs, {"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert post(sample, "trainee", pairs, {"Host": f"evil.example:{sample.port}"})[0] == 403
    assert post(sample, "trainee", pairs, {"Host": f"192.168.1.20:{sample.port}"})[0] == 403
    assert request(sample, "POST", "/assets/style.css", pairs, {"Origin": f"http://127.0.0.1:{sample.port}"})[0] == 404
    assert sample.workbook.read_bytes() == before and kept(sample) == []
    # reading needs the key too: the printed address sets it as a cookie for this port only
    assert request(sample, "GET", "/index.html", key=False)[0] == 403
    assert request(sample, "GET", "/mentorbook-edit.html?sheet=trainee", key=False)[0] == 403
    assert request(sample, "GET", "/?key=" + "y" * 32, key=False)[0] == 403
    status, headers, _ = request(sample, "GET", "/?key=" + sample.secret, key=False)
    assert status == 303 and headers["Location"] == "/"
    assert headers["Set-Cookie"] == f"{sample.cookie}={sample.secret}; Path=/; HttpOnly; SameSite=Strict"
    assert sample.httpd.socket.getsockname()[0] == "127.0.0.1"


def raw_post(server, length: int, first: bytes, headers: str = "") -> str:
    """The status line the editor answers to a POST that announces ``length`` bytes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        head = (f"POST /mentorbook-edit.html?sheet=trainee HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\n{headers}"
                + (f"Content-Length: {length}\r\n" if length >= 0 else "") + "\r\n")
        sock.sendall(head.encode() + first)
        return sock.makefile("rb").readline().decode()


def test_bodies_are_bounded(sample):
    before = sample.workbook.read_bytes()
    assert " 413 " in raw_post(sample, 10 * 1024 * 1024, b"a=" + b"x" * 65536)
    assert " 411 " in raw_post(sample, -1, b"a=1")
    assert " 411 " in raw_post(sample, -1, b"3\r\na=1\r\n0\r\n\r\n", "Transfer-Encoding: chunked\r\n")
    assert sample.workbook.read_bytes() == before


def test_an_answer_that_fails_validation_is_saved_marked_and_shown_as_check_says(sample):
    pairs = changed(form_pairs(edit_page(sample, "mentors")), "mentors[1].first_meeting", "2026-04-31")
    pairs = changed(pairs, "mentors[1].competence", "")
    pairs = [(n, "7") if n == "mentors[1].confidence" and v == "5" else (n, v) for n, v in pairs]
    assert post(sample, "mentors", pairs)[0] == 303
    text = sample.workbook.read_text(encoding="utf-8")
    assert re.search(r"\n    first_meeting: 2026-04-31 +# mentorbook: fix: mentors\[1\]\.first_meeting: '2026-04-31' "
                     r"is not a date", text)  # as typed, unquoted
    assert re.search(r"\n    confidence: 7 +# mentorbook: fix: mentors\[1\]\.confidence: rating 7 is outside the scale "
                     r"1 to 5", text)
    assert "competence" not in text.split("Dr. Priya Natarajan")[1].split("- name:")[0]
    status, printed = check(sample.workbook)
    assert status == 2
    shown = edit_page(sample, "mentors")
    errors = [line for line in printed.splitlines() if ": error: " in line]
    assert len(errors) == 2
    for line in errors:  # the same located message, beside its field and in the list above the form
        field = line.split(": error: ")[1].split(":")[0]
        assert line in shown.select_one(".ed-summary").get_text()
        box = shown.select_one(f'[name="{field}"]')
        message = shown.select_one(f'#{box.get("id") or box.find_parent("fieldset")["id"]}-error')
        assert line == message.get_text()
    pairs = changed(form_pairs(shown), "mentors[1].first_meeting", "2026-04-30")
    pairs = [(n, "5") if n == "mentors[1].confidence" and v == "7" else (n, v) for n, v in pairs]
    assert post(sample, "mentors", pairs)[0] == 303
    assert "mentorbook: fix" not in sample.workbook.read_text(encoding="utf-8")
    assert check(sample.workbook)[0] == 0


def test_earlier_versions_are_kept_and_can_be_brought_back(sample):
    original = sample.workbook.read_bytes()
    for role in ("First", "Second"):
        pairs = changed(form_pairs(edit_page(sample, "trainee")), "trainee.role", role)
        assert post(sample, "trainee", pairs)[0] == 303
    assert len(kept(sample)) == 2 and kept(sample)[0].read_bytes() == original
    status, _, html = request(sample, "GET", "/mentorbook-history.html")
    assert status == 200 and html.count('name="!version"') == 2
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html, "html.parser")
    oldest = page.select("form[action='mentorbook-history.html']")[-1]
    pairs = [(i["name"], i["value"]) for i in oldest.select("input")]
    status, _, html = request(sample, "POST", "/mentorbook-history.html", pairs,
                              {"Origin": f"http://127.0.0.1:{sample.port}"})
    assert status == 200 and "The earlier version is back" in html
    assert sample.workbook.read_bytes() == original and len(kept(sample)) == 3
    assert request(sample, "GET", "/mentorbook-history.html?version=../me.yml")[0] == 404


def test_the_edit_command_creates_a_missing_workbook_after_asking_the_name(tmp_path, short_guide):
    workbook = tmp_path / "new.yml"
    process = subprocess.Popen([sys.executable, "-m", "mentorbook", "edit", str(workbook), "--port", "0",
                                "--no-browser", "--out", str(tmp_path / "out"), "--project", str(short_guide)],
                               stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        process.stdin.write("  Dr. Ana Ruiz  \n")
        process.stdin.flush()
        deadline, line = time.monotonic() + 60, ""
        while "Editing" not in line and time.monotonic() < deadline:
            line = process.stderr.readline()
        assert re.search(r"Editing .*new\.yml at http://127\.0\.0\.1:\d+/\?key=[\w-]{20,}", line), line
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert read_yaml(workbook) == {"trainee": {"name": "Dr. Ana Ruiz"}}
    assert check(workbook)[0] == 0
    assert main(["edit", str(SAMPLE_WORKBOOK), "--no-browser"]) == 2  # mentorbook's own files are not edited


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_server_killed_during_a_save_leaves_the_old_file_or_the_new_one(tmp_path, short_guide):
    workbook = tmp_path / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    port, old = free_port(), workbook.read_bytes()
    for attempt, delay in enumerate((0.0, 0.02, 0.05, 0.1)):
        process = subprocess.Popen([sys.executable, "-m", "mentorbook", "edit", str(workbook), "--port", str(port),
                                    "--no-browser", "--out", str(tmp_path / "out"), "--today", TODAY.isoformat(),
                                    "--project", str(short_guide)],  # its PDF, laid out behind, is not the point
                                   stderr=subprocess.PIPE, text=True)
        try:
            line = ""
            while "Editing" not in line:
                line = process.stderr.readline()
                assert line or process.poll() is None, "the editor did not start"
            key = line.split("key=")[1].split()[0]
            digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
            body = f"!secret={key}&!base={digest}&trainee.name=Dr.+Lena+Marchetti&trainee.role=Try+{attempt}"
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.sendall((f"POST /mentorbook-edit.html?sheet=trainee HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                              f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
                              f"\r\n{body}").encode())
                time.sleep(delay)
                process.kill()
        finally:
            process.kill()
            process.wait(timeout=30)
        now = workbook.read_bytes()
        roles = {read_yaml(workbook)["trainee"].get("role")}
        assert now == old or roles == {f"Try {attempt}"}, "a partial file"
        old = now
    assert read_yaml(workbook)["trainee"]["name"] == "Dr. Lena Marchetti"


def test_the_editor_speaks_the_workbooks_language(tmp_path):
    """A workbook in Spanish gets its forms in Spanish: the page, the worksheets' labels, the messages."""
    from babel.messages.pofile import read_po

    from mentorbook.base.i18n import LOCALE_DIR

    workbook = tmp_path / "yo.yml"
    shutil.copy(CONTENT_DIR / "examples" / "sample-workbook-es.yml", workbook)
    server = start_editor(workbook, tmp_path / "out")
    try:
        page = edit_page(server, "mentors")
        assert page.html["lang"] == "es"
        assert page.select_one("button.ed-save").get_text() == "Guardar"
        assert page.select_one("h1").get_text() == "Mapa de mentores"
        text = page.get_text(" ")
        with (LOCALE_DIR / "mentorbook.pot").open("rb") as handle:
            english = [m.id for m in read_po(handle) if isinstance(m.id, str) and len(m.id) > 12 and "%" not in m.id]
        assert [t for t in english if t in text] == []
        pairs = changed(form_pairs(page), "mentors[0].first_meeting", "2026-02-30")
        assert post(server, "mentors", pairs)[0] == 303
        shown = edit_page(server, "mentors").select_one(".ed-summary").get_text(" ")
        assert "respuesta necesita corrección" in shown and "no es una fecha" in shown
    finally:
        stop(server)


def test_site_pages_get_an_edit_button_on_every_worksheet_but_not_on_disk(sample):
    from bs4 import BeautifulSoup

    status, _, html = request(sample, "GET", "/identify-mentors.html")
    page = BeautifulSoup(html, "html.parser")
    assert status == 200
    assert page.select_one("#ws-mentors .ws-edit a")["href"] == "mentorbook-edit.html?sheet=mentors"
    home = BeautifulSoup(request(sample, "GET", "/index.html")[2], "html.parser")
    assert home.select_one(".hero .ed-edit-details a")["href"] == "mentorbook-edit.html?sheet=trainee"
    assert "mentorbook-edit" not in (sample.site / "identify-mentors.html").read_text(encoding="utf-8")
    assert request(sample, "GET", "/mentorbook-edit.html?sheet=nothing")[0] == 404
