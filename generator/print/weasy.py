"""WeasyPrint, imported without searching for libraries it then loads by their sonames.

WeasyPrint's first import opens Pango, HarfBuzz, fontconfig and GObject by trying
several names for each, one per platform. cffi hands every name it cannot open
directly to ``ctypes.util.find_library``, which on Linux runs ``ldconfig`` and ``gcc``:
about 20 subprocesses, 0.17 s of every PDF build. On Linux the names WeasyPrint
tries include each library's soname (``libpango-1.0.so.0``...), which the dynamic
loader opens at once, so the search is left out while it imports; the same
libraries are loaded. Should the import fail that way (a system where only the
search finds them), it is done again with the search.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()  # one thread sets the search aside and puts it back


def weasyprint() -> ModuleType:
    """The ``weasyprint`` module, imported the first time it is asked for."""
    with _LOCK:
        if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
            return importlib.import_module("weasyprint")
        import ctypes.util

        search = ctypes.util.find_library
        ctypes.util.find_library = _not_searched
        try:
            return importlib.import_module("weasyprint")
        except OSError:  # a library only the search finds: forget the half-made import
            for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = search
        return importlib.import_module("weasyprint")


def _not_searched(name: str) -> None:
    return None
