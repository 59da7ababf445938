"""`mentorbook agenda`: the one-page agenda for the next meeting with one mentor."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SAMPLE_NAME, TODAY, pdf_text, write
from pypdf import PdfReader

from mentorbook.base.names import slug
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.core.model import ActionItem, Meeting
from mentorbook.handouts.agenda import make_agenda, open_items, relationship_items, rotation_for
from mentorbook.pipeline import BuildOptions, prepare

DATE = TODAY.isoformat()
WHITCOMBE = "Dr. Samuel Whitcombe"  # monthly, rotating topics
NATARAJAN = "Dr. Priya Natarajan"  # every 2 months, fixed topics


@pytest.fixture(scope="module")
def workbook():
    return prepare(BuildOptions(workbook=SAMPLE_WORKBOOK, today=TODAY))


@pytest.fixture(scope="module")
def agendas(workbook, tmp_path_factory):
    """The agenda of every mentor in the sample, made through the command line."""
    out = tmp_path_factory.mktemp("agendas")
    made = {}
    for mentor in workbook.mentors:
        assert main(["agenda", "--mentor", mentor.name, "--date", DATE, "--out", str(out), "-q"]) == 0
        stem = out / "agenda" / f"{slug(mentor.name)}-{DATE}"
        html = BeautifulSoup(stem.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
        made[mentor.name] = (PdfReader(stem.with_suffix(".pdf")), html)
    return made


def expected_items(workbook, mentor):
    items = [i for i in workbook.action_items if i.mentor == mentor]
    return {i.task for i in items if i.open}, {i.task for i in items if not i.open}


def test_every_mentor_gets_one_page(workbook, agendas):
    assert len(agendas) == len(workbook.mentors) == 5
    for mentor, (pdf, _) in agendas.items():
        assert len(pdf.pages) == 1, mentor
        text = pdf_text(pdf)
        assert f"Meeting with {mentor}" in text and SAMPLE_NAME in text
        for heading in ("Agenda", "Updates", "Open action items", "Goals due by", "My questions and ideas",
                        "Notes", "New action items", "Before we close"):
            assert heading in text, (mentor, heading)


def test_lists_exactly_the_open_items_of_the_relationship(workbook, agendas):
    for mentor, (pdf, html) in agendas.items():
        open_tasks, done_tasks = expected_items(workbook, mentor)
        listed = {row.find_all("td")[1].get_text(strip=True) for row in html.select(".h-items tbody tr")}
        assert listed == open_tasks, mentor
        assert not listed & done_tasks
        text = " ".join(pdf_text(pdf).split())
        for task in open_tasks:
            assert task in text, (mentor, task)
        others = {i.task for i in workbook.open_action_items if i.mentor != mentor}
        assert not any(task in text for task in others), mentor


def test_overdue_items_are_marked(workbook, agendas):
    for mentor, (pdf, html) in agendas.items():
        overdue = {i.task for i in workbook.action_items if i.mentor == mentor and i.overdue(TODAY)}
        marked = {row.find_all("td")[1].get_text(strip=True) for row in html.select(".h-items tr.overdue")}
        assert marked == overdue, mentor
        assert pdf_text(pdf).count("OVERDUE") == len(overdue), mentor
    # the sample has one overdue item with each active mentor
    assert [r.get_text(" ", strip=True) for r in agendas[WHITCOMBE][1].select(".h-items tr.overdue td")][1] \
        == "Draft the introduction of the case report"
    assert "1 open, 1 overdue" in agendas[NATARAJAN][1].select_one(".h-items .aside").get_text()


def topics(html, kind):
    return [li.select_one(".topic-text").get_text(strip=True) for li in html.select(f"ol.topics li.kind-{kind}")]


def test_rotating_agreement_takes_the_next_topic_in_turn(agendas):
    html = agendas[WHITCOMBE][1]
    # the last meeting (3 November) covered "Fellowship planning", the last of the three
    assert topics(html, "focus") == ["Case report and writing"]
    assert topics(html, "topic") == []
    assert "last time: Fellowship planning" in html.select_one("li.kind-focus .note").get_text()
    # focus both, horizon both: projects, short-term goals and one long-term goal
    assert topics(html, "short-goal") == ["Publish a first-author case report",
                                          "Submit an abstract to the regional ACP meeting"]
    assert topics(html, "long-goal") == ["Match into a cardiology fellowship"]
    assert topics(html, "project") == ["Fellowship application plan and a strong letter"]


def test_fixed_agreement_lists_every_topic(agendas):
    html = agendas[NATARAJAN][1]
    assert topics(html, "topic") == ["Teaching since last time", "Balance and wellbeing",
                                     "One question I am stuck on"]
    assert topics(html, "focus") == []
    # focus goals, horizon short-term: no projects and no long-term goals
    assert topics(html, "project") == [] and topics(html, "long-goal") == []
    assert topics(html, "short-goal")


def test_updates_and_closing_block(agendas):
    html = agendas[NATARAJAN][1]
    updates = html.select_one(".h-updates").get_text(" ", strip=True)
    assert "since 20 August 2026" in updates
    assert "Done: Rehearse the talk with Dr. Natarajan watching" in updates
    assert "Goal reached: Present a noon conference on heart failure therapy" in updates
    # a date is a <time>
    close = agendas[WHITCOMBE][1].select_one(".h-close").get_text(" ", strip=True).replace(" ,", ",")
    assert "Read back every action item" in close
    assert "Tuesday 1 December 2026, 07:30" in close  # first Tuesday of the month, at 07:30


def test_goals_due_in_the_next_eight_weeks(workbook):
    agenda = make_agenda(workbook, WHITCOMBE, dt.date(2026, 12, 15))
    assert agenda.goals_horizon == dt.date(2027, 2, 9)
    assert [g.title for g, _ in agenda.goals_due] == ["Publish a first-author case report"]
    later = make_agenda(workbook, WHITCOMBE, dt.date(2027, 2, 10))
    assert [(g.title, late) for g, late in later.goals_due][:2] == [
        ("Publish a first-author case report", True), ("Submit an abstract to the regional ACP meeting", False)]


def test_concluded_and_unagreed_mentors_get_a_notice(agendas):
    assert "concluded" in agendas["Dr. Jonah Feldman"][1].select_one(".h-notice").get_text()
    assert "no agreement" in agendas["Dr. Helen Osei"][1].select_one(".h-notice").get_text()


def test_rotation_order():
    topic_list = ("A", "B", "C")

    def meeting(day, *agenda):
        return Meeting(date=dt.date(2026, 1, day), mentor="M", agenda=agenda)

    assert rotation_for(topic_list, []).topic == "A"
    assert rotation_for(topic_list, [meeting(1, "Something else")]).topic == "A"
    assert rotation_for(topic_list, [meeting(1, "a"), meeting(2, "other", "B")]).topic == "C"
    assert rotation_for(topic_list, [meeting(1, "C")]).topic == "A"  # wraps around
    # the latest meeting that used an agreed topic counts
    assert rotation_for(topic_list, [meeting(1, "B"), meeting(2, "Catch-up")]).topic == "C"
    assert rotation_for((), [meeting(1, "A")]) is None


def test_carried_forward_item_counts_once_with_its_latest_status():
    def item(day, status, due=dt.date(2026, 3, 1), task="Send the draft"):
        return ActionItem(task=task, mentor="M", meeting_date=dt.date(2026, 1, day), due=due, status=status)

    first = Meeting(dt.date(2026, 1, 1), "M", action_items=(item(1, "open"), item(1, "open", task="Other")))
    again = Meeting(dt.date(2026, 1, 2), "M", action_items=(item(2, "open"),))
    closed = Meeting(dt.date(2026, 1, 3), "M", action_items=(item(3, "done"),))
    assert [i.meeting_date.day for i in relationship_items([first, again]) if i.task == "Send the draft"] == [2]
    assert [i.task for i in open_items([first, again, closed])] == ["Other"]


def test_long_workbook_still_fits_on_one_page(tmp_path):
    text = SAMPLE_WORKBOOK.read_text(encoding="utf-8")
    long_task = "Revise the methods section after the statistician's comments on the survival analysis"
    items = "".join(f"      - task: {long_task} ({n})\n        owner: me\n        due: 2026-10-{n + 1:02d}\n"
                    f"        status: open\n" for n in range(14))
    text = text.replace("    action_items:\n      - task: Send the full case report draft\n",
                        "    action_items:\n" + items + "      - task: Send the full case report draft\n")
    text = text.replace("        - Readmission project\n",
                        "        - Readmission project, with the 7-day readmission idea and the analysis plan for "
                        "the abstract and a long description that keeps going\n")
    path = write(tmp_path, "long.yml", text)
    out = tmp_path / "out"
    for size in ("letter", "a4"):
        assert main(["agenda", str(path), "-m", "Whitcombe", "--date", DATE, "-o", str(out), "-q",
                     "--page-size", size]) == 0
        pdf = PdfReader(out / "agenda" / f"dr-samuel-whitcombe-{DATE}.pdf")
        assert len(pdf.pages) == 1, size
        text_out = pdf_text(pdf)
        assert "more in the workbook" in text_out and "17 open" in text_out


def test_output_paths_and_a4(tmp_path, capsys):
    assert main(["agenda", "-m", "natarajan", "--date", DATE, "-o", str(tmp_path), "--page-size", "a4"]) == 0
    out = capsys.readouterr().out
    pdf = tmp_path / "agenda" / f"dr-priya-natarajan-{DATE}.pdf"
    assert str(pdf) in out and pdf.with_suffix(".html").is_file()
    assert (tmp_path / "assets" / "fonts" / "NotoSans-Regular.latin.woff2").is_file()  # fonts for the HTML copy
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297


def test_unknown_mentor_is_a_clear_error(tmp_path, capsys):
    assert main(["agenda", "--mentor", "Dr. Samuel Witcombe", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no mentor named 'Dr. Samuel Witcombe'" in err and "did you mean 'Dr. Samuel Whitcombe'?" in err
    assert "Traceback" not in err
    assert not (tmp_path / "agenda").exists()
    assert main(["agenda", "--mentor", "Dr.", "-o", str(tmp_path)]) == 2  # matches several
    assert "which one" in capsys.readouterr().err


def test_bad_date_and_foreign_files(tmp_path, capsys):
    assert main(["agenda", "-m", "Whitcombe", "--date", "25/11/2026", "-o", str(tmp_path)]) == 2
    capsys.readouterr()
    target = tmp_path / "agenda" / f"dr-samuel-whitcombe-{DATE}.pdf"
    target.parent.mkdir(parents=True)
    target.write_text("mine")
    assert main(["agenda", "-m", "Whitcombe", "--date", DATE, "-o", str(tmp_path)]) == 2
    assert "not overwriting" in capsys.readouterr().err and target.read_text() == "mine"


def test_help_stays_light():
    """The command list loads without WeasyPrint or icalendar."""
    code = ("import sys, mentorbook.cli as c; c.cli.main(['--help'], standalone_mode=False); "
            "assert 'weasyprint' not in sys.modules and 'icalendar' not in sys.modules, 'heavy import'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent)
    assert done.returncode == 0, done.stderr
    for command in ("agenda", "brief", "calendar", "log"):
        assert command in done.stdout
