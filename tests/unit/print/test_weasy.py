"""WeasyPrint imported without the library search of its first import (print/weasy.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is left out on Linux only")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_weasyprint_loads_its_libraries_without_searching_and_the_search_is_put_back():
    out = _run("""
        import ctypes.util
        searched = []
        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: searched.append(name) or real(name)
        mine = ctypes.util.find_library
        import threading
        from mentorbook.print.weasy import weasyprint
        found = []
        threads = [threading.Thread(target=lambda: found.append(weasyprint())) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        module = weasyprint()
        pdf = module.HTML(string="<p>Hello</p>").write_pdf()
        print(len(searched), ctypes.util.find_library is mine, pdf[:5] == b"%PDF-", found == [module] * 4)
    """)
    assert out.split() == ["0", "True", "True", "True"]


def test_a_system_where_only_the_search_finds_the_libraries_imports_it_again_with_the_search():
    out = _run("""
        import ctypes.util, importlib.abc, sys

        class OnlyWithTheSearch(importlib.abc.MetaPathFinder):
            tries = 0
            def find_spec(self, name, path, target=None):
                if name == "weasyprint.text.ffi" and ctypes.util.find_library("pango-1.0") is None:
                    OnlyWithTheSearch.tries += 1
                    raise OSError("cannot load library 'pango-1.0'")
                return None

        sys.meta_path.insert(0, OnlyWithTheSearch())
        from mentorbook.print.weasy import weasyprint
        module = weasyprint()
        print(OnlyWithTheSearch.tries, module.HTML(string="<p>Hi</p>").write_pdf()[:5] == b"%PDF-")
    """)
    assert out.split() == ["1", "True"]
