"""Page sentences in both languages: each page package keeps its own table (kiosk/words.py,
display/words.py, counter/words.py, manager/words.py) next to the kit's few shared ones here;
the page's view hands them to the <head> template, which writes them into the page as JSON data
(not a script: the CSP allows none inline), and i18n.js's Queuehall.t reads them; the page's
templates word themselves with the same table through `t(key, **values)`. Codes the
server sends (statuses, events, alerts…) are not here: their labels are the server's
(queue_core/labels.py, GET /api/v1/labels)."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from jinja2 import pass_context
from jinja2.runtime import Context

from .language import LANGUAGES

# key -> (zh, en); a sentence may carry {name} slots that Queuehall.t fills, or be a list
Sentence = str | list[str]
Words = Mapping[str, tuple[Sentence, Sentence]]

WORDS: Words = {  # what more than one page package says the same way
    "offline": ("连接中断，正在重连…", "Connection lost, reconnecting…"),
    "window_n": ("{n}号窗口", "Window {n}"),
    "none": ("无", "none"),
    "colon": ("：", ": "),
    "category": ("类别", "Category"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login": ("登录", "Sign in"),
    "page.counter": ("窗口工作台", "Window console"),
    "page.manager": ("管理控制台", "Manager console"),
    # why a window pauses, offered by the staff console and the manager's window dialog
    "pause_reason": ("暂停原因", "Reason for the pause"),
    "pause_reasons": (["午休", "临时离开", "业务咨询", "系统故障", "会议"],
                      ["Lunch break", "Away briefly", "Consultation", "System fault", "Meeting"]),
}

SLOT = re.compile(r"\{(\w+)\}")


def catalogue(*tables: Words) -> dict[str, dict[str, Sentence]]:
    """The kit's words and the given tables, as {"zh": {key: sentence}, "en": {…}}; a later table
    may not reword a key an earlier one has (one wording per thing)."""
    merged: dict[str, tuple[Sentence, Sentence]] = {}
    for table in (WORDS, *tables):
        for key, pair in table.items():
            if key in merged and merged[key] != pair:
                raise ValueError(f"{key!r} worded twice")
            merged[key] = pair
    return {lang: {key: pair[i] for key, pair in merged.items()}
            for i, lang in enumerate(LANGUAGES)}


def say(made: dict, lang: str, key: str, values: Mapping[str, object]) -> Sentence:
    """A sentence of `made` in `lang`, its {name} slots filled as Queuehall.t fills them; a key
    the catalogue lacks shows as itself (tests/unit/test_page_words.py keeps them all there)."""
    said = made.get(lang, made[LANGUAGES[0]]).get(key)
    if said is None:
        return key
    if not isinstance(said, str):
        return said
    return SLOT.sub(lambda m: str(values[m[1]]) if values.get(m[1]) is not None else m[0], said)


def page_words(made: dict) -> Callable[[], dict]:
    """A blueprint's context processor: its templates get `page_words` for head() and
    `t(key, **values)`, the sentence in the language the template renders (its `lang`)."""
    @pass_context
    def t(context: Context, key: str, **values: object) -> Sentence:
        return say(made, context.get("lang") or LANGUAGES[0], key, values)

    return lambda: {"page_words": made, "t": t}
