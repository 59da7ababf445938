"""Regular expressions compiled when first used.

Compiling costs 0.05-0.4 ms an expression; a module that holds one for an input it rarely sees
(a date written out in words, a trainee's language line, a colour) would pay it on every start.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """``re.compile(pattern, flags)`` on first use; then whatever the compiled pattern has
    (``match``, ``search``, ``sub``, ``pattern``, ...)."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in self.__slots__:  # copy and pickle ask before __init__ ran
            raise AttributeError(name)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)

    def __reduce__(self) -> tuple:
        return LazyPattern, self._args

    def __repr__(self) -> str:
        return f"LazyPattern({self._args[0]!r})"
