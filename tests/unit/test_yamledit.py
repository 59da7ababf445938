"""base/yamledit: a person's YAML edited in place, every other byte kept."""

from __future__ import annotations

import re

import pytest

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.base.yamledit import delete_entry, dump_document, insert_entry, load_document, move_item, set_value
from mentorbook.base.yamlfix import FIX, add_fix_comments, clear_fix_comments


def edited(text: str, change) -> str:
    yaml, doc = load_document(text)
    change(doc)
    return dump_document(yaml, doc)


@pytest.mark.parametrize("path", [SAMPLE_WORKBOOK, CONTENT_DIR / "examples" / "instruments" / "workbook.yml",
                                  CONTENT_DIR / "examples" / "sample-workbook-es.yml"])
def test_the_shipped_workbooks_come_back_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert edited(text, lambda doc: None) == text


@pytest.mark.parametrize("text", [
    "---\ntrainee:\n    name: X\nmentors:\n-   name: A\n    decision: ask\n",  # four spaces, lists at the key
    "# mine\ntrainee:\n  name: 'X'   # quoted\nvalues: [a, b]\nnotes: |\n  one\n\n  two\n",
])
def test_other_layouts_come_back_byte_for_byte(text):
    assert edited(text, lambda doc: None) == text


def test_a_changed_value_keeps_its_quotes_its_comment_and_its_block():
    text = "trainee:\n  name: 'X'   # as on my badge\nnotes: |\n  one\n  two\n"
    out = edited(text, lambda doc: (set_value(doc["trainee"], "name", "Y"), set_value(doc, "notes", "three\nfour")))
    assert out == "trainee:\n  name: 'Y'   # as on my badge\nnotes: |\n  three\n  four\n"


def test_comments_above_an_entry_stay_above_it_when_entries_come_and_go():
    text = ("a:\n  - x: 1\n  # about the second\n  - x: 2\n  - x: 3\n\n# the next section\nb: 1\n")
    assert edited(text, lambda doc: delete_entry(doc["a"], 0)) == \
        "a:\n  # about the second\n  - x: 2\n  - x: 3\n\n# the next section\nb: 1\n"
    assert edited(text, lambda doc: move_item(doc["a"], 1, 2)) == \
        "a:\n  - x: 1\n  - x: 3\n  # about the second\n  - x: 2\n\n# the next section\nb: 1\n"
    from ruamel.yaml.comments import CommentedMap

    added = CommentedMap([("x", 4)])
    assert edited(text, lambda doc: insert_entry(doc["a"], 3, None, added)).endswith(
        "  - x: 3\n  - x: 4\n\n# the next section\nb: 1\n")
    assert edited(text, lambda doc: delete_entry(doc["a"], 2)).endswith("  - x: 2\n\n# the next section\nb: 1\n")


def test_a_key_added_in_the_middle_goes_before_the_comment_on_the_next():
    text = "t:\n  name: X\n  # how to reach me\n  email: x@example.org\n"
    out = edited(text, lambda doc: insert_entry(doc["t"], 1, "role", "Fellow"))
    assert out == "t:\n  name: X\n  role: Fellow\n  # how to reach me\n  email: x@example.org\n"


def test_fix_marks_are_added_beside_a_comment_and_taken_off_alone():
    text = "t:\n  start: 2026-13-01  # from my contract\n  end: 2027\n"
    yaml, doc = load_document(text)
    add_fix_comments(doc, [("t.start", "t.start: not a date"), ("t.end", "t.end: not a date")])
    marked = dump_document(yaml, doc)
    assert marked.startswith(f"t:\n  start: 2026-13-01  # from my contract  # {FIX} t.start: not a date\n")
    assert re.search(f"\n  end: 2027 +# {FIX} t.end: not a date\n$", marked)  # lined up with the comment above
    yaml, doc = load_document(marked)
    clear_fix_comments(doc["t"], "start")
    clear_fix_comments(doc["t"], "end")
    assert dump_document(yaml, doc) == text
