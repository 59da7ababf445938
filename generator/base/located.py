"""The containers a YAML file is read into, with the line and column of every key, value and
item, the limits a file must keep, and the error a file that breaks them raises."""

from __future__ import annotations

from typing import Any

from .errors import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 200
MAX_NODES = 100_000  # values the document would have with every alias expanded
MAX_INT_DIGITS = 15  # digits of an integer (hex: 12); Python refuses more than 4,300 anyway
Position = tuple[int | None, int | None]

class LocatedDict(dict):
    """A mapping that remembers the (line, column) of each key and value, 1-based."""

    def __init__(self) -> None:
        super().__init__()
        self.key_positions: dict[Any, Position] = {}
        self.value_positions: dict[Any, Position] = {}
        self.key_texts: dict[Any, str] = {}  # how each key was written (1 and true are one Python key)


class LocatedList(list):
    """A sequence that remembers the (line, column) of each item, 1-based."""

    def __init__(self) -> None:
        super().__init__()
        self.positions: list[Position] = []


class YamlFileError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem
