"""Worksheets named in guidance pages: ``{worksheet:ID}`` in a page's Markdown stands for
the title of the worksheet with that id, in the build's language.

A program that replaces a worksheet (its own definition with the same id) renames it;
the guidance that points readers to it then names it as the worksheet names itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..base.errors import Problem, did_you_mean
from ..base.i18n import N_, said

REFERENCE = re.compile(r"\{worksheet:([^{}\s]*)\}")
_MARKDOWN = re.compile(r"([\\`*_\[\]#!])")


def resolve(body: str, titles: Mapping[str, str]) -> str:
    """``body`` with each reference replaced by its worksheet's title, as Markdown text
    (a reference to no worksheet stays as written; ``check`` reports it)."""
    if "{worksheet:" not in body:
        return body
    return REFERENCE.sub(lambda m: _text(titles[m.group(1)]) if m.group(1) in titles else m.group(0), body)


def check(pages: Iterable, worksheet_ids: Iterable[str]) -> list[Problem]:
    """A located error for each reference to a worksheet that does not exist."""
    ids = list(worksheet_ids)
    problems = []
    for page in pages:
        if "{worksheet:" not in page.body:
            continue
        for match in REFERENCE.finditer(page.body):
            name = match.group(1)
            if name in ids:
                continue
            problems.append(Problem(page.path, _line(page, match.group(0)),
                                    said(N_("no worksheet '%(name)s' for %(reference)s"), name=name,
                                         reference=match.group(0)),
                                    hint=did_you_mean(name, ids) or said(N_("use the id of a worksheet: %(ids)s"),
                                                                         ids=", ".join(ids))))
    return problems


def _text(title: str) -> str:
    """A title as literal Markdown text."""
    plain = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", plain)


def _line(page, reference: str) -> int | None:
    """The line of the first ``reference`` in the page's file (the body follows its front matter)."""
    try:
        text = page.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    at = text.find(reference)
    return text.count("\n", 0, at) + 1 if at >= 0 else None
