"""A cohort cuts the print layout only where print.css starts a page."""

from __future__ import annotations

from mentorbook.base.paths import TEMPLATES_DIR
from mentorbook.print.shared_pages import starts_pages

BUILT_IN = (TEMPLATES_DIR / "print.css").read_text(encoding="utf-8")


def test_the_built_in_stylesheet_starts_a_page_at_every_cut():
    assert starts_pages(BUILT_IN)


def test_a_stylesheet_without_a_page_before_entries_is_not_cut():
    without = BUILT_IN.replace(".bentry + .bentry { break-before: page; }", "")
    assert without != BUILT_IN and not starts_pages(without)


def test_a_later_rule_that_lets_worksheets_flow_on_wins():
    assert not starts_pages(BUILT_IN + "\n.worksheet { break-before: auto; }\n")
    assert starts_pages(BUILT_IN + "\n.worksheet { break-before: auto; }\n.worksheet { break-before: page }\n")


def test_comments_and_the_older_property_are_read_as_a_browser_reads_them():
    css = (".chapter, .worksheet { page-break-before: always }\n"
           "/* .bentry + .bentry { break-before: page; } */\n")
    assert not starts_pages(css)
    assert starts_pages(css + ".bentry  +  .bentry { color: red; break-before: page }")
