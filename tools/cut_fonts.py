"""Cut mentorbook's fonts from Debian's fonts-noto-core (run by hand when they change).

    apt-get download fonts-noto-core && dpkg -x fonts-noto-core_*.deb noto
    .venv/bin/python tools/cut_fonts.py noto/usr/share/fonts/truetype/noto

writes the print fonts into content/fonts and their WOFF2 subsets for the site into
content/fonts/web (see generator/core/fontcut.py for what each file keeps).
The form font (NotoSans-Form.ttf) is cut separately and left as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mentorbook.core.fontcut import SOURCES, cut, unicodes, web_cuts

FONTS = Path(__file__).resolve().parent.parent / "content" / "fonts"


def main(source_dir: str) -> None:
    web = FONTS / "web"
    web.mkdir(exist_ok=True)
    for old in web.glob("*.woff2"):
        old.unlink()
    for source, shipped, ranges in SOURCES:
        data = cut((Path(source_dir) / source).read_bytes(), unicodes(ranges))
        (FONTS / shipped).write_bytes(data)
        for name, (woff2, _) in web_cuts(shipped, data, ranges).items():
            (web / name).write_bytes(woff2)
        print(f"{shipped}: {len(data) // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1])
