"""Page sentences in both languages: each page package keeps its own table (kiosk/words.py,
display/words.py, counter/words.py, manager/words.py) next to the kit's few shared ones here;
the page's view hands them to the <head> template, which writes them into the page as JSON data
(not a script: the CSP allows none inline), and i18n.js's Queuehall.t reads them. Codes the
server sends (statuses, events, alerts…) are not here: their labels are the server's
(queue_core/labels.py, GET /api/v1/labels)."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from .language import LANGUAGES

# key -> (zh, en); a sentence may carry {name} slots that Queuehall.t fills, or be a list
Sentence = str | list[str]
Words = Mapping[str, tuple[Sentence, Sentence]]

WORDS: Words = {  # what every live page says about its connection
    "offline": ("连接中断，正在重连…", "Connection lost, reconnecting…"),
    "window_n": ("{n}号窗口", "Window {n}"),
}


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


def page_words(made: dict) -> Callable[[], dict]:
    """A blueprint's context processor: its templates get `page_words` for head()."""
    return lambda: {"page_words": made}
