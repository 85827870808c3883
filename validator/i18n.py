"""Speaking to users in their language: Chinese by default, English on request.

Each module that talks to users keeps its own message table, {key: {"zh": ..., "en": ...}}. Below
the reporters nothing knows the user's language: a check, the pack loader or the reader makes a
`Message` — a table, a key and the figures — and the reporters, the terminal and the web page say
it in a language with `said(text, lang)`. A finding's message so keeps which message it is and with
what figures: a program reading the JSON report gets a stable code and its parameters.

At the edge, where the language is known, `say(table, key, lang, **params)` says at once.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Iterable, Mapping, Optional

LANGS = ("zh", "en")
_TABLES: dict[str, "Messages"] = {}


class Messages(dict[str, dict[str, str]]):
    """A module's message table, known by the module's name: a message crossing to another process
    carries the name, not the table."""

    def __init__(self, name: str, texts: dict[str, dict[str, str]]):
        super().__init__(texts)
        self.name = name
        _TABLES[name] = self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_table, (self.name,))


def _table(name: str) -> Messages:
    if name not in _TABLES:
        importlib.import_module(name.partition(":")[0])
    return _TABLES[name]


class Text:
    """Something to say, not yet said in any language. `key` and `params` are what a finding's
    code and JSON parameters are made from; `str()` says it in Chinese, the default language."""

    __slots__ = ()
    key = ""
    aside = False  # not what a finding is about: it gives the finding no key and no parameters

    @property
    def params(self) -> dict[str, Any]:
        return {}

    def render(self, lang: str) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render("zh")

    def __add__(self, other: Any) -> "Rope":  # the message, then a hint or a sentence more
        return Rope((self, other))

    def __radd__(self, other: Any) -> "Rope":  # a row's name ("序号 1: ") before the message
        return Rope((other, self))

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:  # two texts are one where they say the same in every language
        return isinstance(other, Text) and all(self.render(lang) == other.render(lang) for lang in LANGS)

    def __hash__(self) -> int:
        return hash(str(self))


class Message(Text):
    """A message of a table, with its parameters (numbers, names, or texts themselves). An `aside`
    — a row's name before the message, a year — is not what the finding is about: it gives no key
    and no parameters to the finding's code."""

    __slots__ = ("table", "key", "_params", "aside")

    def __init__(self, table: Messages, key: str, params: dict[str, Any], aside: bool = False):
        self.table, self.key, self._params, self.aside = table, key, params, aside

    @property
    def params(self) -> dict[str, Any]:
        return {} if self.aside else self._params

    def render(self, lang: str) -> str:
        texts = self.table[self.key]
        return (texts.get(lang) or texts["zh"]).format(**{k: quoted(v, lang) for k, v in self._params.items()})

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.table, self.key, self._params, self.aside))


class Phrase(Text):
    """A text given in each language ({"zh": …, "en": …}; Chinese where one is missing), with the
    parameters it was made from, if any."""

    __slots__ = ("texts", "_params")

    def __init__(self, texts: dict[str, str], params: Optional[dict[str, Any]] = None):
        self.texts, self._params = texts, params or {}

    @property
    def params(self) -> dict[str, Any]:
        return self._params

    def render(self, lang: str) -> str:
        return self.texts.get(lang) or self.texts.get("zh") or ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (Phrase, (self.texts, self._params))


class Rope(Text):
    """Texts one after the other. Its key is its first message's; its parameters all of theirs,
    the earlier one's where two give the same name."""

    __slots__ = ("parts",)

    parts: tuple[Any, ...]

    def __init__(self, parts: Iterable[Any]):
        flat: list[Any] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, Rope) else (part,))
        self.parts = tuple(flat)

    @property
    def key(self) -> str:  # type: ignore[override]
        return next((part.key for part in self._about()), "")

    @property
    def params(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for part in reversed(list(self._about())):
            merged.update(part.params)
        return merged

    def _about(self) -> Iterable[Text]:
        return (part for part in self.parts if isinstance(part, Text) and not part.aside)

    def render(self, lang: str) -> str:
        return "".join(str(said(part, lang)) for part in self.parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Rope, (self.parts,))


_COMMA = {"zh": "、", "en": ", "}


class Joined(Text):
    """Items said one after another with a separator: "、" in Chinese, ", " in English, or a text."""

    __slots__ = ("items", "separator")
    aside = True

    def __init__(self, items: Iterable[Any], separator: Any = None):
        self.items, self.separator = tuple(items), separator

    def render(self, lang: str) -> str:
        separator = _COMMA[lang] if self.separator is None else said(self.separator, lang)
        return str(separator).join(str(said(item, lang)) for item in self.items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.items, self.separator))


class Lazy(Text):
    """A text worded by a function of the language, for a problem that words itself (a YAML or
    schema error). It crosses to another process already said in every language."""

    __slots__ = ("words",)
    aside = True

    def __init__(self, words: Callable[[str], str]):
        self.words = words

    def render(self, lang: str) -> str:
        return str(said(self.words(lang), lang))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Phrase, ({lang: self.render(lang) for lang in LANGS},))


def message(table: Messages, key: str, **params: Any) -> Message:
    """What a message will say, in whatever language it is said in."""
    return Message(table, key, params)


def aside(table: Messages, key: str, **params: Any) -> Message:
    """A message that goes with another, not what a finding is about (a row's name, a year)."""
    return Message(table, key, params, aside=True)


MOST_QUOTED = 300  # characters of a text written in a return that a message quotes
_CUT = {"zh": "…(共 {count} 字,只引前 {most} 字)", "en": "… ({count} characters, the first {most} quoted)"}


def quoted(value: Any, lang: str) -> Any:
    """A parameter said in the language; a text from a return cut to its first MOST_QUOTED
    characters, saying so (a 5 MB unit name, quoted in every finding, made 42 MB of report)."""
    if isinstance(value, str) and len(value) > MOST_QUOTED:
        return value[:MOST_QUOTED] + _CUT[lang].format(count=len(value), most=MOST_QUOTED)
    return said(value, lang)


def said(value: Any, lang: str) -> Any:
    """A text said in the language; anything else (a number, a name as written) as it is."""
    return value.render(lang) if isinstance(value, Text) else value


def say(table: Mapping[str, Mapping[str, str]], key: str, lang: str, **params: Any) -> str:
    """Say a message now, in the language (where the language is known: at the edge)."""
    texts = table[key]
    return (texts.get(lang) or texts["zh"]).format(**{k: said(v, lang) for k, v in params.items()})


def join(items: Iterable[Any], lang: str) -> str:
    return _COMMA[lang].join(str(said(i, lang)) for i in items)
