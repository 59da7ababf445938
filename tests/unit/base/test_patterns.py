"""base/patterns.py: an expression compiled on first use behaves as re.compile's; base/limits: the
quick look for control characters agrees with the expression."""

from __future__ import annotations

import random
import re

from mentorbook.base import limits
from mentorbook.base.patterns import LazyPattern


def test_a_lazy_pattern_compiles_once_when_first_used():
    lazy = LazyPattern(r"^(week|month)\s+(\d{1,3})$", re.I)
    assert lazy._compiled is None
    assert lazy.fullmatch("Week 12").groups() == ("Week", "12")
    compiled = lazy._compiled
    assert isinstance(compiled, re.Pattern) and lazy.pattern == compiled.pattern and lazy.flags & re.I
    assert lazy.sub("x", "month 3") == "x" and lazy._compiled is compiled


def test_a_lazy_pattern_copies_and_pickles_as_itself():
    import copy
    import pickle

    lazy = LazyPattern(r"\d+", re.A)
    for other in (copy.copy(lazy), copy.deepcopy(lazy), pickle.loads(pickle.dumps(lazy))):
        assert other.findall("a1b22") == ["1", "22"] and other.flags & re.A


def test_plain_text_needs_no_expression_and_the_answer_is_the_same():
    alphabet = "ab Z~\t\n\x00\x1b\x7f\x85é\u202e\u2067\ud800漢"
    rng = random.Random(7)
    texts = ["", "Plan the next meeting.", "two\nlines", "tab\there"] + \
        ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 8))) for _ in range(3000)]
    expression = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
    for text in texts:
        problem = limits.char_problem("text", text)
        assert (problem is None) == (expression.search(text) is None), repr(text)
