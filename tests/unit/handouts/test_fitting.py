"""Fitting a handout's ruled lines for notes (handouts/render.py most_lines) without WeasyPrint:
a fake layout whose page holds ``capacity`` lines and marks its anchors as the templates do."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from mentorbook.handouts.render import most_lines

PITCH, TOP = 16.0, 400.0


@dataclass
class Page:
    anchors: dict = field(default_factory=dict)


@dataclass
class Document:
    pages: list


class Layouts:
    """Lays out ``lines`` ruled lines on a page with room for ``capacity``; counts its layouts."""

    def __init__(self, capacity: int, marked: bool = True, slack: float = 0.0):
        self.capacity, self.marked, self.slack, self.calls = capacity, marked, slack, 0

    def __call__(self, lines: int) -> Document:
        self.calls += 1
        end = TOP + lines * PITCH
        anchors = {}
        if self.marked:
            bottom = TOP + self.capacity * PITCH - self.slack
            anchors = {"mb-end": (0, end, 0, end), "mb-page-bottom": (0, bottom, 0, 0)}
            anchors.update({f"mb-rule-{i}": (0, TOP + i * PITCH, 0, 0) for i in range(min(lines, 2))})
        return Document([Page(anchors)] * (1 if lines <= self.capacity else 2))


@pytest.mark.parametrize("capacity", [2, 3, 9, 17, 24, 30])
def test_the_most_lines_that_fit_in_two_layouts_after_the_first(capacity):
    layouts = Layouts(capacity)
    lines, document = most_lines(layouts, 2, 24, layouts(2))
    assert lines == min(capacity, 24) and len(document.pages) == 1
    assert layouts.calls <= 3  # the first, the room measured, and a line more that does not fit


def test_a_margin_the_room_does_not_count_costs_a_layout_not_a_line():
    layouts = Layouts(12, slack=PITCH * 0.6)  # the room measures short of the last line
    assert most_lines(layouts, 2, 24, layouts(2))[0] == 12 and layouts.calls <= 4


def test_from_no_lines_two_are_laid_out_to_measure_their_pitch():
    layouts = Layouts(7)
    assert most_lines(layouts, 0, 16, layouts(0))[0] == 7 and layouts.calls <= 4


def test_a_template_that_marks_nothing_is_searched():
    layouts = Layouts(11, marked=False)
    assert most_lines(layouts, 2, 24, layouts(2))[0] == 11
    assert layouts.calls > 4  # a search: that is what the marks save
