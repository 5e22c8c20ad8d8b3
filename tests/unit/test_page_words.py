"""Every sentence a page script asks for is in its page's catalogue, in zh and en: a script
names a key as t("key") (or a dotted "group.key" literal it hands to t), and the page's package
keeps the words (pagekit/words.py)."""
import re
from pathlib import Path

import pytest

from display.words import CATALOGUE as DISPLAY
from kiosk.words import CATALOGUE as KIOSK
from manager.words import CATALOGUE as MANAGER
from pagekit.words import catalogue

ROOT = Path(__file__).parents[2]
PAGES = {"kiosk": KIOSK, "display": DISPLAY, "manager": MANAGER}
ASKED = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")
DOTTED = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")


def keys_asked(source: str, template: bool = False) -> set[str]:
    """Keys a script asks t() for, or that a template's data-i18n names for its script."""
    if template:
        return set(I18N_ATTR.findall(source))
    return set(ASKED.findall(source)) | set(DOTTED.findall(source))


def missing(source: str, words: dict, template: bool = False) -> dict[str, set[str]]:
    """The keys a script asks for that a language of the catalogue lacks (or leaves empty)."""
    return {lang: {key for key in keys_asked(source, template) if not table.get(key)}
            for lang, table in words.items()}


I18N_ATTR = re.compile(r"""data-i18n=["']([\w.]+)["']""")


def scripts(page: str) -> list[Path]:
    """The page's scripts, and its templates (whose data-i18n keys a script fills in)."""
    return sorted((ROOT / page / "static").rglob("*.js")) + sorted(
        (ROOT / page / "templates").rglob("*.html"))


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_key_a_page_script_asks_for_is_worded_in_both_languages(page):
    asked = 0
    for script in scripts(page):
        source = script.read_text(encoding="utf-8")
        template = script.suffix == ".html"
        asked += len(keys_asked(source, template))
        gaps = missing(source, PAGES[page], template)
        assert gaps == {"zh": set(), "en": set()}, f"{script.relative_to(ROOT)}: {gaps}"
    assert asked > 5, f"{page}: the scripts ask for no words (is the pattern still right?)"


def test_a_key_missing_in_one_language_is_found():
    words = catalogue({"greeting": ("你好", "")})
    source = 'el.textContent = t("greeting"); t(x ? "alert.one" : "alert.two", {n: 1});'
    assert missing(source, words) == {"zh": {"alert.one", "alert.two"},
                                      "en": {"greeting", "alert.one", "alert.two"}}


def test_a_page_may_not_reword_a_kit_sentence():
    with pytest.raises(ValueError):
        catalogue({"offline": ("断线", "Offline")})
