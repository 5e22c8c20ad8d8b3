"""Find a CJK TrueType font on the system for image-mode tickets and previews."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
# Debian packages, most suitable first: fonts-wqy-zenhei, fonts-wqy-microhei, fonts-noto-cjk.
PREFERRED = ("wqy-zenhei.ttc", "wqy-microhei.ttc", "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf",
             "NotoSerifCJK-Regular.ttc", "uming.ttc", "ukai.ttc")
INSTALL_HINT = "install a CJK font, e.g. `apt-get install fonts-wqy-zenhei` (or fonts-noto-cjk)"


class CjkFontNotFound(LookupError):
    """No font able to draw Chinese was found."""


@lru_cache(maxsize=None)
def find_cjk_font(explicit: str | None = None) -> tuple[str, int]:
    """(path, face index) of a font with Chinese glyphs; QUEUEHALL_CJK_FONT overrides the search."""
    chosen = explicit or os.environ.get("QUEUEHALL_CJK_FONT")
    if chosen:
        if not Path(chosen).is_file():
            raise CjkFontNotFound(f"CJK font {chosen!r} does not exist")
        return chosen, _simplified_face(chosen)
    candidates = [p for d in FONT_DIRS if d.is_dir() for p in d.rglob("*")
                  if p.suffix.lower() in (".ttc", ".ttf", ".otf")]
    by_name = {p.name: p for p in candidates}
    for name in PREFERRED:
        if name in by_name:
            return str(by_name[name]), _simplified_face(str(by_name[name]))
    for path in sorted(candidates):
        if any(key in path.name.lower() for key in ("cjk", "wqy", "hei", "song", "kai", "ming")):
            return str(path), _simplified_face(str(path))
    raise CjkFontNotFound(f"no CJK font under {', '.join(map(str, FONT_DIRS))}: {INSTALL_HINT}")


def _simplified_face(path: str) -> int:
    """In a font collection, the face drawing Simplified Chinese shapes (Noto: "SC"; WenQuanYi: Mono)."""
    names = []
    for index in range(16):
        try:
            names.append(" ".join(ImageFont.truetype(path, 12, index=index).getname()))
        except OSError:
            break
    for wanted in (" SC", "Mono"):
        for index, name in enumerate(names):
            if wanted in name:
                return index
    return 0


@lru_cache(maxsize=64)
def cjk_font(size: int, explicit: str | None = None) -> ImageFont.FreeTypeFont:
    path, index = find_cjk_font(explicit)
    return ImageFont.truetype(path, size, index=index)


def cell_font(cell_height: int, explicit: str | None = None) -> tuple[ImageFont.FreeTypeFont, int]:
    """A CJK font whose glyphs, descenders included, fit a printer cell, and the y offset to draw at.

    A 24-point face draws Chinese from about y=4 to 28 and descenders to 29, so it would spill out of a
    24-dot cell (and out of an inverted bar); a slightly smaller size shifted up fits.
    """
    size = max(8, int(cell_height * 0.95))
    return cjk_font(size, explicit), -round(size / 6)
