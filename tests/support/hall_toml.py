"""The [[sites.categories]], [[sites.windows]] and [[sites.screens]] blocks tests append to
config.toml, rendered from keyword arguments so a name with a quote or backslash stays valid TOML.
No TOML writer is a dependency and the blocks are flat, so values are quoted here: a JSON string
is a TOML basic string (same escapes), except that TOML wants DEL escaped too."""
from __future__ import annotations

import json


def value(v: object) -> str:
    if isinstance(v, bool):  # before int: True is an int
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(f"no TOML for {v!r}")


def block(table: str, **fields: object) -> str:
    """One [[table]] entry, its keys in the order given; a None value leaves the key out."""
    lines = [f"[[{table}]]", *(f"{k} = {value(v)}" for k, v in fields.items() if v is not None)]
    return "\n" + "\n".join(lines) + "\n"


def category(code: str, prefix: str, name_zh: str, name_en: str, **more: object) -> str:
    return block("sites.categories", code=code, prefix=prefix, name_zh=name_zh, name_en=name_en,
                 **more)


def window(number: int, **more: object) -> str:
    return block("sites.windows", number=number, **more)


def screen(code: str, name: str, kind: str, **more: object) -> str:
    return block("sites.screens", code=code, name=name, kind=kind, **more)
