"""What records (msgspec Structs) leave out of their comparison and their repr: where a definition
stands in its file, a language's loaded catalog, a worker's output bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _kept(names: tuple[str, ...]) -> Callable[[Any], tuple[tuple[str, Any], ...]]:
    def kept(record: Any) -> tuple[tuple[str, Any], ...]:
        return tuple((name, getattr(record, name)) for name in record.__struct_fields__ if name not in names)
    return kept


def ignoring(*names: str) -> tuple[Callable, Callable, Callable]:
    """``__eq__``, ``__hash__`` and ``__repr__`` for a record whose fields ``names`` are neither compared
    nor shown (a dataclass field with compare=False, repr=False): records that say the same are equal
    whatever those fields hold, and a frozen record stays hashable by the rest."""
    kept = _kept(names)

    def __eq__(self, other: object) -> bool:
        return kept(self) == kept(other) if type(other) is type(self) else NotImplemented

    def __hash__(self) -> int:
        return hash(kept(self))

    return __eq__, __hash__, shown_without(*names)


def shown_without(*names: str) -> Callable[[Any], str]:
    """``__repr__`` for a record, leaving out its fields ``names`` (as a dataclass field with repr=False)."""
    kept = _kept(names)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in kept(self))})"

    return __repr__
