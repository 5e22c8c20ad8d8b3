"""Every sentence a page asks for is in its page's catalogue, in zh and en: a script names a key
as t("key") (or a dotted "group.key" literal it hands to t), a template as {{ t('key') }} (or a
data-i18n attribute its script fills in), and the page's package keeps the words
(pagekit/words.py). No template words itself in Chinese inline."""
import re
from pathlib import Path

import pytest
from jinja2 import Environment

from counter.words import CATALOGUE as COUNTER
from display.words import CATALOGUE as DISPLAY
from kiosk.words import CATALOGUE as KIOSK
from manager.words import CATALOGUE as MANAGER
from pagekit.words import catalogue, page_words
from queue_core.service.reports import TABLES
from queuehall.start.words import CATALOGUE as START

ROOT = Path(__file__).parents[2]
PAGES = {"kiosk": KIOSK, "display": DISPLAY, "manager": MANAGER, "counter": COUNTER,
         "queuehall/start": START}
ASKED = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")
DOTTED = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")
I18N_ATTR = re.compile(r"""data-i18n=["']([\w.]+)["']""")
# a Chinese literal chosen by the template's language: wording that belongs in the catalogue
INLINE_ZH = re.compile(r"""["'][^"'\n]*[\u4e00-\u9fff][^"'\n]*["']\s+if\s+lang\b""")


def keys_asked(source: str, template: bool = False) -> set[str]:
    """Keys a script asks t() for; a template's t('key') and data-i18n keys."""
    if template:
        return set(ASKED.findall(source)) | set(I18N_ATTR.findall(source))
    return set(ASKED.findall(source)) | set(DOTTED.findall(source))


def missing(source: str, words: dict, template: bool = False) -> dict[str, set[str]]:
    """The keys a script asks for that a language of the catalogue lacks (or leaves empty)."""
    return {lang: {key for key in keys_asked(source, template) if not table.get(key)}
            for lang, table in words.items()}


def scripts(page: str) -> list[Path]:
    """The page's scripts and its templates."""
    return sorted((ROOT / page / "static").rglob("*.js")) + sorted(
        (ROOT / page / "templates").rglob("*.html"))


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_key_a_page_asks_for_is_worded_in_both_languages(page):
    asked = 0
    for script in scripts(page):
        source = script.read_text(encoding="utf-8")
        template = script.suffix == ".html"
        asked += len(keys_asked(source, template))
        gaps = missing(source, PAGES[page], template)
        assert gaps == {"zh": set(), "en": set()}, f"{script.relative_to(ROOT)}: {gaps}"
    assert asked > 3, f"{page}: the page asks for no words (is the pattern still right?)"


def test_every_report_table_is_titled_in_both_languages():
    # manager/reports.py names each table of the report by its catalogue key
    for lang, table in MANAGER.items():
        assert [name for name in TABLES if not table.get(f"reports.table_{name}")] == [], lang


def test_no_template_words_itself_in_chinese_inline():
    templates = sorted(ROOT.glob("*/templates/**/*.html")) + sorted(
        ROOT.glob("queuehall/*/templates/**/*.html"))
    assert len(templates) > 10
    inline = {str(path.relative_to(ROOT)): INLINE_ZH.findall(path.read_text(encoding="utf-8"))
              for path in templates}
    assert {path: found for path, found in inline.items() if found} == {}


def test_a_key_missing_in_one_language_is_found():
    words = catalogue({"greeting": ("你好", "")})
    source = 'el.textContent = t("greeting"); t(x ? "alert.one" : "alert.two", {n: 1});'
    assert missing(source, words) == {"zh": {"alert.one", "alert.two"},
                                      "en": {"greeting", "alert.one", "alert.two"}}
    template = "<h1>{{ t('greeting') }}</h1><p data-i18n=\"alert.one\"></p>"
    assert missing(template, words, template=True) == {"zh": {"alert.one"},
                                                      "en": {"greeting", "alert.one"}}


def test_inline_chinese_in_a_template_is_found():
    assert INLINE_ZH.findall("{{ '排队进度' if lang == 'zh' else 'Your place' }}")
    assert not INLINE_ZH.findall("{{ t('status.title') }} <a href=\"?lang=zh\">中文</a>")


def test_a_template_says_the_sentence_in_its_language_with_its_slots_filled():
    words = catalogue({"ahead": ("前面 {n} 人", "{n} ahead"),
                       "reasons": (["午休"], ["Lunch"])})
    page = Environment(autoescape=True).from_string(
        "{{ t('ahead', n=3) }} | {{ t('reasons')[0] }} | {{ t('offline') }} | {{ t('nope') }}")
    helpers = page_words(words)()
    assert page.render(lang="zh", **helpers) == "前面 3 人 | 午休 | 连接中断，正在重连… | nope"
    assert page.render(lang="en", **helpers) == (
        "3 ahead | Lunch | Connection lost, reconnecting… | nope")


def test_a_page_may_not_reword_a_kit_sentence():
    with pytest.raises(ValueError):
        catalogue({"offline": ("断线", "Offline")})
