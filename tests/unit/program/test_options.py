"""Typed configuration options on their own: each kind of value, unknown keys with a
did-you-mean, required keys, lists of entries with a unique key, every problem located."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorbook.base.i18n import language
from mentorbook.base.yamlio import parse_yaml
from mentorbook.program.options import Colour, Context, Entries, IdList, Invalid, OneOf, Schema, Text, Texts, Whole

FILE = Path("config.yml")


class Person(Schema):
    shape = "a person is a mapping of name, colour, role, age, likes"
    twice = "'%(value)s' is listed twice"

    name = Text("a name", required=True, max_chars=20, missing="a person needs a 'name'")
    colour = Colour("a favourite colour")
    role = OneOf("what they do", values=("chair", "member"), message="unknown role '%(value)s'")
    age = Whole("years", low=0, high=150, default=30, message="'age' must be a whole number from 0 to 150")
    likes = Texts("what they like", max_items=3, max_chars=10, item="a like is a short text")


class Club(Schema):
    people = Entries(Person, "the members", unique="name", max_items=4)
    sections = IdList("sections shown", known="sections", unknown="unknown section '%(id)s'")


def read(schema: type[Schema], text: str, **known) -> tuple[dict | None, list]:
    context = Context(FILE, known=known)
    return schema.read(parse_yaml(text, FILE), context), context.problems


def where(problems) -> list[tuple[int | None, int | None, str, str]]:
    return [(p.line, p.column, p.field, p.message) for p in problems]


def test_a_good_mapping_gives_clean_values_and_defaults():
    values, problems = read(Person, "name: '  Ada   Quinn '\ncolour: '#1d4e89'\nrole: chair\nlikes: tea\n")
    assert problems == []
    assert values == {"name": "Ada Quinn", "colour": "#1d4e89", "role": "chair", "age": 30, "likes": ("tea",)}


def test_every_wrong_value_is_located_at_its_value_and_reading_goes_on():
    values, problems = read(Person, "name: Ada\ncolour: orange\nrole: chiar\nage: lots\nlikes: [tea, [x]]\n")
    assert where(problems) == [
        (2, 9, "colour", "'orange' is not a colour"),
        (3, 7, "role", "unknown role 'chiar'"),
        (4, 6, "age", "'age' must be a whole number from 0 to 150"),
        (5, 14, "likes[1]", "a like is a short text"),
    ]
    assert problems[0].hint == "write it as #rrggbb, e.g. #1d4e89"
    assert problems[1].hint == "did you mean 'chair'?"
    assert values is not None and values["colour"] == "" and values["age"] == 30 and values["likes"] == ("tea",)


def test_an_unknown_key_is_named_at_the_key_with_the_close_one_and_the_keys_allowed():
    _, problems = read(Person, "name: Ada\ncolor: '#fff'\nwebsite: x\n")
    assert where(problems) == [(2, 1, "color", "unknown key 'color'"), (3, 1, "website", "unknown key 'website'")]
    assert problems[0].hint == "did you mean 'colour'?; allowed keys: name, colour, role, age, likes"
    assert problems[1].hint == "allowed keys: name, colour, role, age, likes"


def test_a_missing_required_key_refuses_the_mapping():
    values, problems = read(Person, "role: member\n")
    assert values is None and where(problems) == [(1, 1, "name", "a person needs a 'name'")]
    values, problems = read(Person, "name: ''\n")
    assert values is None and where(problems) == [(1, 7, "name", "a person needs a 'name'")]


def test_texts_too_long_or_too_many():
    _, problems = read(Person, "name: " + "x" * 21 + "\nlikes: [a, b, c, d]\n")
    assert [p.message for p in problems] == ["'xxxxxxxxxxxxxxxxxxxxx' has 21 characters; at most 20 are allowed here",
                                             "'likes' holds 4 items; at most 3 are allowed"]


def test_entries_are_read_each_located_and_a_repeated_name_is_refused():
    values, problems = read(Club, "people:\n  - {name: Ada}\n  - [not, a, mapping]\n  - {name: ada, age: -1}\n"
                                  "sections: [intro, outro]\n", sections=["intro", "middle"])
    assert where(problems) == [
        (3, 5, "people[1]", "a person is a mapping of name, colour, role, age, likes"),
        (4, 22, "people[2].age", "'age' must be a whole number from 0 to 150"),
        (4, 12, "people[2].name", "'ada' is listed twice"),
        (5, 19, "sections[1]", "unknown section 'outro'"),
    ]
    assert problems[2].hint == "also at people[0]; keep one entry each"
    assert values is not None and [p["name"] for p in values["people"]] == ["Ada"]
    assert values["sections"] == ("intro",)


def test_a_list_that_is_not_one_and_a_list_too_long():
    _, problems = read(Club, "people: {name: Ada}\nsections: intro\n", sections=["intro"])
    assert [p.message for p in problems] == ["'people' must be a list", "'sections' must be a list"]
    assert problems[1].hint == "e.g. [intro]"
    _, problems = read(Club, "people: [{name: A}, {name: B}, {name: C}, {name: D}, {name: E}]\n")
    assert [p.message for p in problems] == ["'people' holds 5 entries; at most 4 are allowed"]


def test_messages_speak_the_files_language():
    context = Context(FILE, lang=language("es"))
    Person.read(parse_yaml("name: Ada\ncolour: naranja\nhobby: x\n", FILE), context)
    assert [p.message for p in context.problems] == ["clave desconocida 'hobby'", "'naranja' no es un color"]


def test_a_schema_rule_across_keys():
    class Span(Schema):
        start = Whole("first", message="'start' must be a whole number")
        end = Whole("last", message="'end' must be a whole number")

        @classmethod
        def check(cls, values, data, context, where):
            if values["start"] is not None and values["end"] is not None and values["start"] > values["end"]:
                context.report(data, "end", "end", "'end' comes before 'start'")
                return False
            return True

    values, problems = read(Span, "start: 5\nend: 2\n")
    assert values is None and where(problems) == [(2, 6, "end", "'end' comes before 'start'")]


def test_an_option_refuses_with_invalid():
    class Even(Whole):
        def clean(self, value, context, where):
            number = super().clean(value, context, where)
            if number % 2:
                raise Invalid(f"{number} is odd", "take the next one")
            return number

    class Pair(Schema):
        size = Even("an even number", message="'size' must be a whole number")

    _, problems = read(Pair, "size: 3\n")
    assert [(p.message, p.hint) for p in problems] == [("3 is odd", "take the next one")]


@pytest.mark.parametrize("text", ["- a\n", "just text\n"])
def test_entries_report_a_value_that_is_no_mapping_for_the_whole(text):
    context = Context(FILE)
    entries = Entries(Person, shape="'people' must be a list")
    entries.name = "people"
    data = parse_yaml(text, FILE)
    if isinstance(data, list):
        assert entries.clean(data, context, "people") == ()
        assert [p.message for p in context.problems] == ["a person is a mapping of name, colour, role, age, likes"]
    else:
        with pytest.raises(Invalid):
            entries.clean(data, context, "people")
