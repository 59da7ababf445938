"""Records leave where a definition stands, a language's catalog and a worker's bytes out of what
they compare and show."""

import gettext
import pickle
from pathlib import Path

from mentorbook.base.i18n import Language, language
from mentorbook.fields.fielddef import Choice, FieldDef
from mentorbook.program.definitions import WorksheetDef
from mentorbook.staff.cohort import Outcome


def test_a_definition_is_what_it_says_wherever_it_stands():
    here = FieldDef(id="goal", label="Goal", type="text", choices=(Choice("a", "A", at=(3, 5)),), at={"": (2, 3)})
    there = FieldDef(id="goal", label="Goal", type="text", choices=(Choice("a", "A", at=(9, 1)),), at={"": (7, 1)})
    assert here == there and hash(here) == hash(there) and len({here, there}) == 1
    assert here != FieldDef(id="goal", label="Goals", type="text", at={"": (2, 3)})
    assert "at=" not in repr(here) and repr(here).startswith("FieldDef(id='goal', label='Goal'")
    sheet = {"id": "s", "title": "S", "practice": "cultivate", "order": 1, "intro": "", "repeat": False,
             "entry_title": "", "blank_copies": 1, "fields": (here,), "source": Path("s.yml")}
    assert WorksheetDef(**sheet, at={"id": (1, 1)}) == WorksheetDef(**sheet, at={"id": (4, 1)})
    assert WorksheetDef(**sheet) != WorksheetDef(**{**sheet, "title": "T"})


def test_a_language_is_its_tag():
    loaded = Language("es", gettext.NullTranslations())
    assert loaded == Language("es") and hash(loaded) == hash(Language("es")) and loaded != Language("en")
    assert repr(loaded) == "Language(tag='es')"
    assert pickle.loads(pickle.dumps(language("es"))) == language("es")


def test_a_workers_output_is_not_shown():
    outcome = Outcome(name="Ana", slug="ana", line=2, output={"ana/workbook.pdf": b"%PDF-" + b"x" * 10_000})
    assert "output" not in repr(outcome) and "PDF" not in repr(outcome) and "name='Ana'" in repr(outcome)
