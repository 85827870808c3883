"""YAML syntax problems in the user's words, whichever parser (libyaml or PyYAML's own) found them."""

import pytest
import yaml

from validator.yamlwords import syntax_problem

BROKEN = {
    "- id: [unclosed\n": "方括号 [ ] 没有闭合",
    "{a: 1\n": "花括号 { } 没有闭合",
    "- id: A\n  severity: error\n   origin: x\n": "此处不能出现“键: 值”(多半是缩进不对,或文字中的冒号须加引号)",
    "- id: 'x\n": "引号没有闭合",
    "key: value\n\tbad: 1\n": "此处的字符不能开始 YAML 内容(如 Tab 缩进、@、`),请改用空格或给文字加引号",
    "- a\nb: 1\n": "缩进不一致(同一层的项须对齐)",
    "x: *nope\n": "引用了未定义的别名 *nope",
    "- !!python/object:os.system x\n": "不允许的标签 !!python/object:os.system(formcheck 不执行 YAML 中的任何代码)",
}


@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
@pytest.mark.parametrize("text", list(BROKEN))
def test_each_problem_in_chinese_and_english(loader, text):
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.load(text, Loader=loader)
    problem, context = caught.value.problem or str(caught.value), caught.value.context or ""
    said = syntax_problem(problem, context, "zh")
    assert said == BROKEN[text] or (loader is not yaml.SafeLoader and said.startswith(BROKEN[text][:6])), said
    assert syntax_problem(problem, context, "en").isascii() or "!!" in problem or "*" in said
