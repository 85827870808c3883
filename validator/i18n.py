"""Speaking to users in their language: Chinese by default, English on request.

Each module that talks to users keeps its own message table, {key: {"zh": ..., "en": ...}};
`say` picks the language and fills in the figures. What it says remembers which message it is and
with what figures (`Said`): a finding's message keeps them, so that a program reading the JSON
report gets a stable code and its parameters besides the text.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")


class Said(str):
    """A message as said: the text, and the key and parameters it was made from."""

    key: str
    params: dict[str, Any]

    def __new__(cls, text: str, key: str = "", params: Any = None) -> "Said":
        said = super().__new__(cls, text)
        said.key, said.params = key, dict(params or {})
        return said

    def __reduce__(self):  # a finding crosses from a worker to the parent: all of it
        return (Said, (str(self), self.key, self.params))

    def __add__(self, other: str) -> "Said":  # the message, then a hint or a sentence more
        more = getattr(other, "params", {})
        return Said(str(self) + str(other), self.key, {**more, **self.params})

    def __radd__(self, other: str) -> "Said":  # a row's name ("序号 1: ") before the message
        return Said(str(other) + str(self), self.key, self.params)


def say(table: dict, key: str, lang: str, **params) -> str:
    texts = table[key]
    return Said((texts.get(lang) or texts["zh"]).format(**params), key, params)


def join(items, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(i) for i in items)
