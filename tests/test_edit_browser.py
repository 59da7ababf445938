"""`mentorbook edit` in Chromium: every field type filled in through the page (each kind
by keyboard at least once), entries added, removed and moved, conditions shown live,
what is typed kept through a reload and a restart, refused saves shown, and axe on
every edit page."""

from __future__ import annotations

import copy
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest
from browser import AXE
from conftest import TODAY
from editing import start_editor, stop
from playwright.sync_api import expect

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.base.yamlio import read_yaml

INSTRUMENTS = CONTENT_DIR / "examples" / "instruments"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCHEME_RULES = ["color-contrast", "link-in-text-block"]  # the rules whose outcome the dark scheme can change


@pytest.fixture(scope="module")
def sample_editor(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edit-sample")
    shutil.copy(SAMPLE_WORKBOOK, folder / "me.yml")
    server = start_editor(folder / "me.yml", folder / "out")
    yield server
    stop(server)


@pytest.fixture(scope="module")
def instruments_editor(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edit-instruments")
    shutil.copy(INSTRUMENTS / "workbook.yml", folder / "fellow.yml")
    server = start_editor(folder / "fellow.yml", folder / "out", project=INSTRUMENTS)
    yield server
    stop(server)


class Page:
    """A tab on one editor, with the few moves a person makes on a form."""

    def __init__(self, browser, server, width: int = 1280, scheme: str = "light"):
        self.server = server
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("request", lambda r: self.problems.append(f"leaves the editor: {r.url}")
                     if not r.url.startswith(server.url) else None)
        self.page.goto(server.address)

    def open(self, sheet: str):
        self.page.goto(f"{self.server.url}mentorbook-edit.html?sheet={sheet}")

    def box(self, name: str, value: str | None = None):
        value_part = f'[value="{value}"]' if value is not None else ""
        return self.page.locator(f'[name="{name}"]{value_part}').last

    def type(self, name: str, text: str):
        """Click into a field, select what is there, and type (Enter starts a new line)."""
        self.box(name).click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def fill(self, name: str, text: str):
        self.box(name).fill(text)

    def choose(self, name: str, value: str):
        self.box(name, value).check()

    def press_button(self, name: str):
        """A button reached by keyboard: focused, then Enter."""
        self.page.get_by_role("button", name=name, exact=True).last.focus()
        self.page.keyboard.press("Enter")

    def save(self):
        with self.page.expect_navigation():
            self.page.click("button.ed-save")
        assert "saved=" in self.page.url, self.page.url

    def close(self):
        self.context.close()


def data(server) -> dict:
    return read_yaml(server.workbook)


def check_passes(server) -> None:
    result = subprocess.run([sys.executable, "-m", "mentorbook", "check", str(server.workbook), "--today",
                             TODAY.isoformat(), *(["--project", str(INSTRUMENTS)] if "fellow" in server.workbook.name
                                                  else [])], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_field_of_the_built_in_worksheets_is_filled_in_through_the_page(browser, sample_editor):
    tab = Page(browser, sample_editor)
    want = copy.deepcopy(data(sample_editor))

    tab.open("trainee")
    tab.type("trainee.role", "PGY-3 resident, Internal Medicine")  # text, by keyboard
    tab.type("trainee.start_date", "2025-07-15")  # date, by keyboard
    tab.box("trainee.current_practice", "").focus()  # choice, by keyboard: from "No answer" one up
    tab.page.keyboard.press("ArrowUp")
    tab.choose("trainee.share", "progress-only")
    tab.save()
    want["trainee"].update(role="PGY-3 resident, Internal Medicine", start_date="2025-07-15",
                           current_practice="refine-or-conclude", share="progress-only")
    assert data(sample_editor)["trainee"] == want["trainee"]

    tab.open("self_reflection")
    sheet = "self_reflection"
    tab.type(f"{sheet}.past_experiences", "A supervisor who met me weekly.\n\nAn advisor I met twice.")  # long text
    tab.type(f"{sheet}.values", "Patients first\nHonest feedback")  # a list, one a line, by keyboard
    tab.box(f"{sheet}.structure", "moderate").focus()
    tab.page.keyboard.press("ArrowRight")  # to "close"
    tab.fill(f"{sheet}.structure_notes", "Weekly, for now")
    # a suggested row counts once it has an answer; a new row is added by keyboard
    tab.page.locator(f'[name="{sheet}.skill_areas[6].priority"]').select_option("low")
    tab.press_button("Add a row to Knowledge and skill areas to develop")
    tab.page.keyboard.type("Teaching")  # the new row's first box has the focus
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("ArrowDown")  # a list box, by keyboard: high
    tab.fill(f"{sheet}.skill_areas[7].notes", "Noon conferences")
    # cards: the fifth goal removed, the second moved up (by keyboard), one added
    entry = tab.page.locator(".ed-entry").filter(has=tab.page.locator(f'[name="{sheet}.goals[4].title"]'))
    entry.locator("[data-remove]").click()
    second = tab.page.locator(".ed-entry").filter(has=tab.page.locator(f'[name="{sheet}.goals[1].title"]'))
    second.locator('[data-move="-1"]').focus()
    tab.page.keyboard.press("Enter")
    tab.press_button("Add an entry to Career goals")
    goal = f"{sheet}.goals[4]"
    tab.page.keyboard.type("Teach a workshop")
    tab.choose(f"{goal}.term", "short")
    tab.fill(f"{goal}.skill_area", "Presentation skills")
    for part, text in (("specific", "A workshop on feedback"), ("measurable", "Held, with ratings"),
                       ("achievable", "Slot offered"), ("relevant", "Teaching track"), ("time_bound", "By March")):
        tab.fill(f"{goal}.{part}", text)
    tab.fill(f"{goal}.target_date", "2027-03-31")
    tab.choose(f"{goal}.status", "not-started")
    tab.save()
    mine = want[sheet]
    mine.update(past_experiences="A supervisor who met me weekly.\n\nAn advisor I met twice.\n",
                values=["Patients first", "Honest feedback"], structure="close", structure_notes="Weekly, for now")
    mine["skill_areas"] += [{"area": "Understanding the department's priorities", "priority": "low"},
                            {"area": "Teaching", "priority": "high", "notes": "Noon conferences"}]
    goals = mine["goals"]
    mine["goals"] = [goals[1], goals[0], goals[2], goals[3],
                     {"title": "Teach a workshop", "term": "short", "skill_area": "Presentation skills",
                      "specific": "A workshop on feedback", "measurable": "Held, with ratings",
                      "achievable": "Slot offered", "relevant": "Teaching track", "time_bound": "By March",
                      "target_date": "2027-03-31", "status": "not-started"}]
    assert data(sample_editor)[sheet] == mine

    tab.open("mentors")
    tab.press_button("Add an entry")
    new = "mentors[5]"
    tab.page.keyboard.type("Dr. Ada Byrne")
    tab.fill(f"{new}.position", "Professor of Medical Education")
    tab.choose(f"{new}.found_via", "program")
    tab.choose(f"{new}.career_stage", "senior")
    tab.type(f"{new}.serves", "Teaching\nEducation research")
    tab.box(f"{new}.competence", "").focus()  # a rating, by keyboard: from "No answer" one up, to 5
    tab.page.keyboard.press("ArrowUp")
    tab.choose(f"{new}.confidence", "4")
    tab.choose(f"{new}.commitment", "3")
    tab.fill(f"{new}.first_meeting", "2026-11-24")
    tab.fill(f"{new}.first_meeting_notes", "Runs the teaching academy.")
    tab.choose(f"{new}.decision", "undecided")
    tab.save()
    want["mentors"].append({"name": "Dr. Ada Byrne", "position": "Professor of Medical Education",
                            "found_via": "program", "career_stage": "senior",
                            "serves": ["Teaching", "Education research"], "competence": 5, "confidence": 4,
                            "commitment": 3, "first_meeting": "2026-11-24",
                            "first_meeting_notes": "Runs the teaching academy.", "decision": "undecided"})
    assert data(sample_editor)["mentors"] == want["mentors"]

    tab.open("agreements")
    tab.press_button("Add an entry")
    new = "agreements[4]"
    tab.page.keyboard.type("Dr. Ada Byrne")
    answers = {"purpose": "Teaching skills", "feedback_plan": "After each session", "meeting_time": "Fridays",
               "place": "Her office", "communication": "Email", "start_date": "2026-12-01",
               "review_date": "2027-06-01"}
    for part, text in answers.items():
        tab.fill(f"{new}.{part}", text)
    for part, text in (("shared_goals", "A workshop"), ("my_expectations", "Prepare"),
                       ("mentor_expectations", "Observe me")):
        tab.fill(f"{new}.{part}", text)
    tab.choose(f"{new}.frequency", "monthly")
    tab.choose(f"{new}.agenda.topics", "fixed")  # a group of fields
    tab.choose(f"{new}.agenda.horizon", "both")
    tab.choose(f"{new}.agenda.focus", "goals")
    tab.fill(f"{new}.agenda.topic_list", "Teaching\nFeedback")
    tab.save()
    want["agreements"].append({"mentor": "Dr. Ada Byrne", "purpose": "Teaching skills", "shared_goals": ["A workshop"],
                               "feedback_plan": "After each session", "my_expectations": ["Prepare"],
                               "mentor_expectations": ["Observe me"], "meeting_time": "Fridays",
                               "frequency": "monthly", "place": "Her office",
                               "agenda": {"topics": "fixed", "horizon": "both", "focus": "goals",
                                          "topic_list": ["Teaching", "Feedback"]},
                               "communication": "Email", "start_date": "2026-12-01", "review_date": "2027-06-01"})
    assert data(sample_editor)["agreements"] == want["agreements"]

    tab.open("meetings")
    tab.press_button("Add an entry")
    new = "meetings[6]"
    tab.page.keyboard.type("2026-12-05")
    tab.fill(f"{new}.mentor", "Dr. Ada Byrne")
    for part in ("agenda", "updates", "ideas", "questions"):
        tab.fill(f"{new}.{part}", f"One {part}\nTwo {part}")
    tab.fill(f"{new}.notes", "A first meeting.")
    row = f"{new}.action_items[0]"  # a new entry's table starts with one empty row
    tab.fill(f"{row}.task", "Send my teaching portfolio")
    tab.page.locator(f'[name="{row}.owner"]').select_option("me")
    tab.fill(f"{row}.due", "2026-12-12")
    tab.page.locator(f'[name="{row}.status"]').select_option("open")
    tab.fill(f"{new}.next_meeting", "2027-01-09")
    tab.save()
    want["meetings"].append({"date": "2026-12-05", "mentor": "Dr. Ada Byrne",
                             **{p: [f"One {p}", f"Two {p}"] for p in ("agenda", "updates", "ideas", "questions")},
                             "notes": "A first meeting.",
                             "action_items": [{"task": "Send my teaching portfolio", "owner": "me", "due": "2026-12-12",
                                               "status": "open"}], "next_meeting": "2027-01-09"})
    assert data(sample_editor)["meetings"] == want["meetings"]

    assert data(sample_editor) == want  # every section as typed, nothing else changed (transitions: see below)
    check_passes(sample_editor)
    assert tab.problems == []
    tab.close()


def test_every_field_of_a_programs_own_worksheets_is_filled_in_through_the_page(browser, instruments_editor):
    tab = Page(browser, instruments_editor)
    want = copy.deepcopy(data(instruments_editor))

    tab.open("agreements")  # the program's mentoring compact, in place of the built-in agreement
    page = tab.page
    assert page.locator(".ed-entry h3.ws-heading").first.inner_text() == "Goals of our relationship"
    assert "What we discuss stays between us" in page.locator(".ws-instructions").first.inner_text()
    tab.press_button("Add an entry")
    new = "agreements[1]"
    page.keyboard.type("Dr. Rafael Okonjo")
    tab.fill(f"{new}.start_date", "2026-12-01")
    tab.fill(f"{new}.relationship_goals", "Survive the first year\nFind a research question")
    tab.fill(f"{new}.success", "I know what I want to study.")
    tab.choose(f"{new}.frequency", "every-2-months")
    tab.type(f"{new}.meeting_length", "60")  # a number with its unit and range, by keyboard
    assert "from 15 to 180 minutes" in page.locator(f'#{tab.box(f"{new}.meeting_length").get_attribute("id")}-about') \
        .inner_text()
    tab.box(f"{new}.formats", "video").focus()  # several choices, by keyboard: Space ticks
    page.keyboard.press("Space")
    tab.box(f"{new}.formats", "phone").check()
    tab.choose(f"{new}.agenda_owner", "shared")
    tab.fill(f"{new}.communication", "Messages")
    tab.box(f"{new}.confidentiality", "true").focus()  # a check box, by keyboard
    page.keyboard.press("Space")
    tab.fill(f"{new}.confidentiality_exceptions", "None")
    tab.fill(f"{new}.ground_rules", "On time")
    tab.box(f"{new}.notice", "").focus()  # yes/no, by keyboard: from "No answer" up to "No", then "Yes"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    tab.fill(f"{new}.feedback_for_mentee", "Straight away")
    tab.fill(f"{new}.feedback_for_mentor", "Each review")
    tab.fill(f"{new}.review_date", "2027-06-01")
    tab.fill(f"{new}.ending", "A last meeting")
    tab.type(f"{new}.mentee_signature.name", "Tomás Ferreira-Lund")  # a signature: name and date, by keyboard
    page.keyboard.press("Tab")
    page.keyboard.type("2026-12-01")
    tab.fill(f"{new}.mentor_signature.name", "Rafael Okonjo")
    tab.fill(f"{new}.mentor_signature.date", "2026-12-02")
    tab.save()
    want["agreements"].append({
        "mentor": "Dr. Rafael Okonjo", "start_date": "2026-12-01",
        "relationship_goals": ["Survive the first year", "Find a research question"],
        "success": "I know what I want to study.", "frequency": "every-2-months", "meeting_length": 60,
        "formats": ["video", "phone"], "agenda_owner": "shared", "communication": "Messages",
        "confidentiality": True, "confidentiality_exceptions": "None", "ground_rules": ["On time"],
        "notice": "yes", "feedback_for_mentee": "Straight away", "feedback_for_mentor": "Each review",
        "review_date": "2027-06-01", "ending": "A last meeting",
        "mentee_signature": {"name": "Tomás Ferreira-Lund", "date": "2026-12-01"},
        "mentor_signature": {"name": "Rafael Okonjo", "date": "2026-12-02"}})
    assert data(instruments_editor)["agreements"] == want["agreements"]

    tab.open("development_plan")
    plan = "development_plan"
    comments = page.locator('[data-field="mentor_comments"]')
    assert comments.is_visible()  # ticked in the file
    tab.box(f"{plan}.reviewed", "true").uncheck()
    assert not comments.is_visible()  # shown only while "reviewed" is ticked, as the page changes
    tab.box(f"{plan}.reviewed", "true").check()
    assert comments.is_visible()
    tab.fill(f"{plan}.mentor_comments", "Keep it small.")
    page.locator(f'[name="{plan}.skills[1].self"]').focus()  # a matrix cell, by keyboard: 3 -> 4
    page.keyboard.press("ArrowDown")
    tab.press_button("Add a row to Skills")
    page.keyboard.type("Mentoring juniors")  # the row's label
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # its first rating: 1
    page.locator(f'[name="{plan}.skills[8].mentor"]').select_option("2")
    tab.box(f"{plan}.career_paths", "leadership").check()
    tab.box(f"{plan}.career_paths", "physician-scientist").uncheck()
    tab.fill(f"{plan}.career_notes", "Teaching at night.")
    first = page.locator(".ed-entry").filter(has=page.locator(f'[name="{plan}.goals[0].goal"]'))
    first.locator('[data-move="1"]').click()  # the first goal moves below the second
    tab.press_button("Add an entry to Goals")
    goal = f"{plan}.goals[3]"
    page.keyboard.type("Write the protocol")
    tab.fill(f"{goal}.skill", "Study design")
    tab.fill(f"{goal}.approach", "With the methods group.")
    tab.fill(f"{goal}.support", "A statistician")
    tab.fill(f"{goal}.target_date", "2027-02-28")
    tab.choose(f"{goal}.status", "in-progress")
    tab.type(f"{plan}.protected_time", "5.5")
    tab.fill(f"{plan}.trainee_signature.date", "2026-12-03")
    tab.save()
    mine = want[plan]
    mine["mentor_comments"] = "Keep it small."
    mine["skills"][1]["self"] = 4
    mine["skills"].append({"item": "Mentoring juniors", "self": 1, "mentor": 2})
    mine["career_paths"] = ["clinician-educator", "leadership"]
    mine["career_notes"] = "Teaching at night."
    goals = mine["goals"]
    mine["goals"] = [goals[1], goals[0], goals[2],
                     {"goal": "Write the protocol", "skill": "Study design", "approach": "With the methods group.",
                      "support": "A statistician", "target_date": "2027-02-28", "status": "in-progress"}]
    mine["protected_time"] = 5.5
    mine["trainee_signature"]["date"] = "2026-12-03"
    got = data(instruments_editor)
    for key in want[plan]:
        assert got[plan].get(key) == want[plan][key], key
    assert got == want
    check_passes(instruments_editor)
    assert tab.problems == []
    tab.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch_editor(workbook, port: int, out, project):
    """`mentorbook edit` as a person runs it; returns the process and the address it printed."""
    process = subprocess.Popen([sys.executable, "-m", "mentorbook", "edit", str(workbook), "--port", str(port),
                                "--no-browser", "--out", str(out), "--today", TODAY.isoformat(),
                                "--project", str(project)], stderr=subprocess.PIPE, text=True)
    line = ""
    while "Editing" not in line:
        line = process.stderr.readline()
        assert line or process.poll() is None, "the editor did not start"
    return process, re.search(r"http://\S+", line)[0]


def test_typed_answers_outlive_a_reload_and_a_server_killed_while_saving(browser, tmp_path):
    workbook = tmp_path / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    before = workbook.read_bytes()
    port = free_port()
    project = tmp_path / "program"  # the practice of the worksheet edited here: a shorter PDF behind the site
    project.mkdir()
    (project / "mentorbook.yml").write_text("practices: [refine-or-conclude]\n", encoding="utf-8")
    process, address = launch_editor(workbook, port, tmp_path / "out", project)
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(address)
        page.goto(f"http://127.0.0.1:{port}/mentorbook-edit.html?sheet=transitions")
        page.get_by_role("button", name="Add an entry", exact=True).click()
        page.keyboard.type("Dr. Samuel Whitcombe")
        page.fill('[name="transitions[2].feelings"]', "Grateful,\nand a little sad.")
        page.fill('[name="transitions[0].date"]', "2026-06-21")
        page.locator('.ed-entry').nth(1).locator('[data-move="-1"]').click()  # Greaves first now
        page.wait_for_timeout(400)  # what is typed is kept a moment after the last key
        page.reload()
        notice = page.locator("#ed-draft")
        assert notice.is_visible() and "not saved yet" in notice.inner_text()
        assert page.input_value('[name="transitions[2].mentor"]') == "Dr. Samuel Whitcombe"
        assert page.input_value('[name="transitions[2].feelings"]') == "Grateful,\nand a little sad."
        assert page.input_value('[name="transitions[1].date"]') == "2026-06-21"
        assert page.input_value('[name="transitions[0].mentor"]') == "Dr. Martin Greaves"
        assert workbook.read_bytes() == before

        page.evaluate("document.querySelector('form.editor').requestSubmit()")  # save ...
        time.sleep(0.03)
        process.kill()  # ... and the server is killed while it saves
        process.wait(timeout=30)
        after = workbook.read_bytes()
        saved = read_yaml(workbook)["transitions"]
        assert after == before or [t["mentor"] for t in saved] == [
            "Dr. Martin Greaves", "Dr. Jonah Feldman", "Dr. Samuel Whitcombe"], "a partial file"

        process, address = launch_editor(workbook, port, tmp_path / "out", project)  # a new key, the same address
        page.goto(address)
        page.goto(f"http://127.0.0.1:{port}/mentorbook-edit.html?sheet=transitions")
        assert page.input_value('[name="transitions[2].feelings"]') == "Grateful,\nand a little sad."
        assert page.input_value('[name="transitions[0].mentor"]') == "Dr. Martin Greaves"
        with page.expect_navigation():
            page.click("button.ed-save")
        saved = read_yaml(workbook)["transitions"]
        assert [t["mentor"] for t in saved] == ["Dr. Martin Greaves", "Dr. Jonah Feldman", "Dr. Samuel Whitcombe"]
        assert saved[1]["date"] == "2026-06-21" and saved[2]["feelings"] == "Grateful,\nand a little sad.\n"
        page.reload()
        assert not page.locator("#ed-draft").is_visible()  # saved: nothing is kept in the browser any more
    finally:
        context.close()
        process.kill()
        process.wait(timeout=30)


def test_a_form_whose_file_changed_on_disk_is_not_saved_and_shows_both_versions(browser, sample_editor):
    tab = Page(browser, sample_editor)
    tab.open("trainee")
    tab.type("trainee.program", "Cardiology Fellowship")
    on_disk = sample_editor.workbook.read_text(encoding="utf-8").replace("Riverside University Hospital",
                                                                         "Riverside Medical Center")
    sample_editor.workbook.write_text(on_disk, encoding="utf-8")
    tab.page.locator("#ed-outside").wait_for(state="visible")  # the page notices before the save
    with tab.page.expect_navigation():
        tab.page.click("button.ed-save")
    assert sample_editor.workbook.read_text(encoding="utf-8") == on_disk
    text = tab.page.locator(".ed-compare").inner_text()
    assert "institution: Riverside Medical Center" in text and "program: Cardiology Fellowship" in text
    assert tab.page.locator("h1").inner_text() == "Not saved: the file changed"
    tab.close()


def trimmed(source, target) -> None:
    """A copy of a workbook with one entry in each list: every field type, a small page."""
    from mentorbook.base.yamledit import dump_document, load_document

    yaml, doc = load_document(source.read_text(encoding="utf-8"))

    def cut(node):
        if isinstance(node, dict):
            for value in node.values():
                cut(value)
        elif isinstance(node, list) and node and isinstance(node[0], dict):
            del node[1:]
            cut(node[0])

    cut(doc)
    target.write_text(dump_document(yaml, doc), encoding="utf-8")


@pytest.fixture(scope="module")
def small_editors(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edit-small")
    trimmed(SAMPLE_WORKBOOK, folder / "me.yml")
    trimmed(INSTRUMENTS / "workbook.yml", folder / "fellow.yml")
    servers = (start_editor(folder / "me.yml", folder / "out"),
               start_editor(folder / "fellow.yml", folder / "out2", project=INSTRUMENTS))
    yield servers
    for server in servers:
        stop(server)


def test_the_edit_pages_are_accessible(browser, small_editors):
    """axe (WCAG 2.2 A and AA) on every edit page, with one entry of each list (every field
    type), at a phone's and a desktop's width, in the light scheme; in the dark one, the rules
    a colour scheme can change (at both widths: on a phone, table rows become cards on a
    background of their own)."""
    problems = []
    sample, instruments = small_editors
    for width in (390, 1280):
        for server, sheets in ((sample, ("trainee", "self_reflection", "mentors", "agreements", "meetings",
                                         "transitions")), (instruments, ("agreements", "development_plan"))):
            tab = Page(browser, server, width)
            tab.context.add_init_script(path=str(AXE))
            pages = [f"mentorbook-edit.html?sheet={s}" for s in sheets]
            pages += ["mentorbook-history.html", "identify-mentors.html"] if server is sample else []
            for path in pages:
                tab.page.goto(server.url + path)
                if "sheet=development_plan" in path:
                    tab.page.get_by_role("button", name="Add a row to Skills").click()
                for scheme, run_only in (("light", {"type": "tag", "values": WCAG}),
                                         ("dark", {"type": "rule", "values": SCHEME_RULES})):
                    tab.page.emulate_media(color_scheme=scheme)
                    results = tab.page.evaluate("async only => await axe.run(document, {runOnly: only, "
                                                "resultTypes: ['violations'], preload: false})", run_only)
                    problems += [f"{width}px {scheme} {path}: {v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
                                 for v in results["violations"]]
                wide = tab.page.evaluate("document.scrollingElement.scrollWidth")
                if wide > width + 1:
                    problems.append(f"{width}px {path}: the page is {wide}px wide")
                tab.page.emulate_media(color_scheme="light")
            problems += tab.problems
            tab.close()
    assert problems == []


def test_after_a_save_the_pdf_is_made_again_in_the_background_and_the_page_says_when(browser, short_guide,
                                                                                    tmp_path):
    from pypdf import PdfReader

    shutil.copy(SAMPLE_WORKBOOK, tmp_path / "me.yml")
    server = start_editor(tmp_path / "me.yml", tmp_path / "out", project=short_guide, pdf=True)
    tab = Page(browser, server)
    try:
        tab.open("self_reflection")
        status = tab.page.locator("#ed-pdf")
        assert status.get_attribute("data-pdf") in ("building", "ready")  # the first one is made at launch
        tab.fill("self_reflection.structure_notes", "Fortnightly check-ins suit me now.")
        started = time.monotonic()
        tab.save()
        assert time.monotonic() - started < 10  # the page comes back with the site; the PDF follows
        assert status.get_attribute("data-pdf") == "building" and "being made" in status.inner_text()
        expect(tab.page.locator("#ed-pdf")).to_have_attribute("data-pdf", "ready", timeout=60_000)  # no eval: CSP
        assert "The PDF is up to date" in status.inner_text()
        expect(tab.page.locator("#ed-live")).to_contain_text("The PDF is up to date")
        response = tab.page.request.get(server.url + status.locator("a").get_attribute("href"))
        assert response.ok and response.body().startswith(b"%PDF-")
        pdf = tmp_path / "got.pdf"
        pdf.write_bytes(response.body())
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
        assert "Fortnightly check-ins suit me now." in text
        assert tab.problems == []
    finally:
        tab.close()
        stop(server)


def test_plain_fields_are_saved_without_javascript(browser, tmp_path):
    shutil.copy(SAMPLE_WORKBOOK, tmp_path / "me.yml")
    server = start_editor(tmp_path / "me.yml", tmp_path / "out")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.address)
        page.goto(server.url + "mentorbook-edit.html?sheet=mentors")
        assert not page.get_by_role("button", name="Add an entry", exact=True).is_visible()  # needs the script
        page.fill('[name="mentors[3].position"]', "Emeritus Professor of Medicine")
        page.check('[name="mentors[3].decision"][value="keep-in-touch"]')
        page.fill('[name="mentors[3].serves"]', "Getting through intern year\nReading ECGs")
        with page.expect_navigation():
            page.click("button.ed-save")
        assert "Saved at" in page.locator("#ed-saved").inner_text()
        greaves = read_yaml(tmp_path / "me.yml")["mentors"][3]
        assert greaves["position"] == "Emeritus Professor of Medicine" and greaves["decision"] == "keep-in-touch"
        assert greaves["serves"] == ["Getting through intern year", "Reading ECGs"]
    finally:
        context.close()
        stop(server)
