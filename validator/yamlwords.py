"""What a problem in a YAML file is called, in the user's language: the parser's syntax errors and
a JSON Schema's complaints, worded for a pack author or a reviewer who edits a registry, not for
someone who knows PyYAML or jsonschema. What no table here knows keeps the library's own words,
quoted after a sentence in the user's language."""

from __future__ import annotations

import difflib
import re

from validator.i18n import join, say

MESSAGES = {
    "mapping_here": {
        "zh": "此处不能出现“键: 值”(多半是缩进不对,或文字中的冒号须加引号)",
        "en": "a mapping is not allowed here (wrong indentation, or a colon in a text that needs quotes)",
    },
    "open_list": {"zh": "方括号 [ ] 没有闭合", "en": "a [ list ] is not closed"},
    "open_map": {"zh": "花括号 {{ }} 没有闭合", "en": "a {{ mapping }} is not closed"},
    "open_quote": {"zh": "引号没有闭合", "en": "a quoted text is not closed"},
    "tab": {
        "zh": "此处的字符不能开始 YAML 内容(如 Tab 缩进、@、`),请改用空格或给文字加引号",
        "en": "a character here cannot start YAML content (a tab indenting, @, `); use spaces or quote the text",
    },
    "indent": {
        "zh": "缩进不一致(同一层的项须对齐)",
        "en": "inconsistent indentation (items of one level must line up)",
    },
    "alias": {"zh": "引用了未定义的别名{name}", "en": "an alias{name} is not defined"},
    "tag": {
        "zh": "不允许的标签 {tag}(formcheck 不执行 YAML 中的任何代码)",
        "en": "the tag {tag} is not allowed (formcheck runs no code from YAML)",
    },
    "yaml": {"zh": "YAML 格式不对({problem})", "en": "not valid YAML ({problem})"},
    "enum": {"zh": "{where} 的值“{value}”不对,可用的值: {choices}", "en": "{where}: {value!r} is not one of {choices}"},
    "required": {"zh": "{where} 缺少必填项 {name}", "en": "{where}: {name} is required"},
    "unknown_key": {
        "zh": "{where} 有不认识的项 {name}{suggest}(可用的项: {known})",
        "en": "{where}: unknown key {name}{suggest} (known keys: {known})",
    },
    "suggest": {"zh": ",是否应为 {name}?", "en": "; did you mean {name}?"},
    "type": {"zh": "{where} 应为 {kind}", "en": "{where}: should be {kind}"},
    "empty": {"zh": "{where} 不能为空", "en": "{where}: cannot be empty"},
    "pattern": {
        "zh": "{where} 的值“{value}”格式不对(只能用字母、数字、- _ .,以字母或数字开头)",
        "en": "{where}: {value!r} has the wrong form (letters, digits, - _ . only, starting with a letter or digit)",
    },
    "minimum": {"zh": "{where} 应不小于 {limit}", "en": "{where}: should be at least {limit}"},
    "above": {"zh": "{where} 应大于 {limit}", "en": "{where}: should be above {limit}"},
    "other": {"zh": "{where} 不符合格式({problem})", "en": "{where}: {problem}"},
    "top": {"zh": "文件顶层", "en": "the top level"},
}
KINDS = {
    "string": ("文字", "a text"),
    "integer": ("整数", "a whole number"),
    "number": ("数字", "a number"),
    "array": ("列表", "a list"),
    "object": ("“键: 值”映射", "a mapping"),
    "boolean": ("true 或 false", "true or false"),
    "null": ("空", "empty"),
}
_SYNTAX = [  # (what PyYAML's problem says — its Python or its libyaml wording — and our key)
    ("mapping values are not allowed", "mapping_here"),
    ("expected ',' or ']'", "open_list"),
    ("expected ',' or '}'", "open_map"),
    ("cannot start any token", "tab"),
    ("tab character", "tab"),
    ("expected <block end>", "indent"),
    ("did not find expected key", "indent"),
    ("did not find expected '-' indicator", "indent"),
    ("found undefined alias", "alias"),
    ("could not determine a constructor for the tag", "tag"),
]


def syntax_problem(problem: str, context: str, lang: str) -> str:
    """PyYAML's problem (and its context) in the user's language."""
    if "end of stream" in problem and "quoted scalar" in context:
        return say(MESSAGES, "open_quote", lang)
    quoted = re.findall(r"'([^']*)'", problem)
    for words, key in _SYNTAX:
        if words in problem:
            name = quoted[-1] if quoted else ""
            alias = f" *{name}" if name else ""
            return say(MESSAGES, key, lang, name=alias, tag=name.replace("tag:yaml.org,2002:", "!!"))
    return say(MESSAGES, "yaml", lang, problem=problem)


def schema_problem(error, where: str, lang: str) -> str:
    """A jsonschema ValidationError in the user's language; `where` names the offending node as
    the caller knows it ("规则 T4-5 的 severity")."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    where = where or say(MESSAGES, "top", lang)
    words = error.schema.get("x-words") if isinstance(error.schema, dict) else None
    if words:  # the schema's own wording of what its shape means
        return f"{where}: {words.get(lang) or words['zh']}"
    if kind == "enum":
        return say(MESSAGES, "enum", lang, where=where, value=value, choices=join(expected, lang))
    if kind == "const":
        return say(MESSAGES, "enum", lang, where=where, value=value, choices=expected)
    if kind == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        return say(MESSAGES, "required", lang, where=where, name=join(missing or expected, lang))
    if kind == "additionalProperties" and isinstance(value, dict):
        known = list(error.schema.get("properties", {}))
        unknown = [key for key in value if key not in known]
        close = difflib.get_close_matches(str(unknown[0]), known, n=1, cutoff=0.5) if unknown else []
        suggest = say(MESSAGES, "suggest", lang, name=close[0]) if close else ""
        return say(
            MESSAGES,
            "unknown_key",
            lang,
            where=where,
            name=join(unknown, lang),
            suggest=suggest,
            known=join(known, lang),
        )
    if kind == "type":
        kinds = [expected] if isinstance(expected, str) else expected
        names = [KINDS.get(k, (k, k))[0 if lang == "zh" else 1] for k in kinds]
        return say(MESSAGES, "type", lang, where=where, kind=("或" if lang == "zh" else " or ").join(names))
    if kind in ("minLength", "minItems", "minProperties"):
        return say(MESSAGES, "empty", lang, where=where)
    if kind == "pattern":
        return say(MESSAGES, "pattern", lang, where=where, value=value)
    if kind in ("minimum", "exclusiveMinimum"):
        return say(MESSAGES, "minimum" if kind == "minimum" else "above", lang, where=where, limit=expected)
    return say(MESSAGES, "other", lang, where=where, problem=error.message)
