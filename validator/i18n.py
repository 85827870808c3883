"""Speaking to users in their language: Chinese by default, English on request.

Each module that talks to users keeps its own message table, {key: {"zh": ..., "en": ...}};
`say` picks the language and fills in the figures.
"""

from __future__ import annotations

LANGS = ("zh", "en")


def say(table: dict, key: str, lang: str, **params) -> str:
    texts = table[key]
    return (texts.get(lang) or texts["zh"]).format(**params)


def join(items, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(i) for i in items)
