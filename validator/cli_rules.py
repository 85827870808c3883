"""`formcheck rules`: for pack authors — list a pack's rules, explain one, lint a pack.

formcheck rules list [--pack DIR]      id, severity, origin, what it checks
formcheck rules explain T4-5           the note it comes from, its assertion, fields, examples
formcheck rules lint PACK              every problem of a pack; exit 0, or 2 with the list
formcheck rules fields [表1]           each form's fields: id, label, unit, type, cells in the template
"""

from __future__ import annotations

import click

from validator import shown
from validator.i18n import join, said, say
from validator.rules.syntax import nearest, suggestion

MESSAGES: dict[str, dict] = {
    "pack": {"zh": "规则包有误: {error}", "en": "the rule pack is broken: {error}"},
    "lint_ok": {
        "zh": "规则包 {name} 没有问题: {rules} 条规则,{forms} 张表",
        "en": "the pack {name} is sound: {rules} rules, {forms} forms",
    },
    "lint_count": {"zh": "共 {count} 个问题", "en": "{count} problems"},
    "conflict": {
        "zh": "规则包 {name} 的错误级规则相互矛盾,没有任何报表能同时满足:{rules};请删除或修改其中一条",
        "en": "the pack {name} has error rules that contradict each other, no return can pass them all: {rules}; drop or change one",
    },
    "implied": {
        "zh": "提示: 规则 {rule} 已由 {by} 蕴含,可以删去",
        "en": "info: rule {rule} is implied by {by} and can be dropped",
    },
    "fixed": {
        "zh": "提示: 规则使字段 {field} 只能为 {value}",
        "en": "info: the rules leave the field {field} one value: {value}",
    },
    "field_rules": {"zh": "字段 {field} 参与的规则:{rules}", "en": "rules the field {field} takes part in: {rules}"},
    "field_no_rules": {"zh": "字段 {field} 不参与任何规则", "en": "the field {field} takes part in no rule"},
    "no_rule": {"zh": '规则包中没有规则 "{rule}"{suggest}', "en": 'the pack has no rule "{rule}"{suggest}'},
    "see_list": {"zh": ";formcheck rules list 列出全部规则", "en": "; formcheck rules list lists them all"},
    "head": {"zh": ["规则", "级别", "依据", "检查内容"], "en": ["rule", "severity", "origin", "what it checks"]},
    "checks": {"zh": "检查内容: {text}", "en": "checks: {text}"},
    "notes": {"zh": "依据的填表说明:", "en": "the notes it comes from:"},
    "note": {"zh": "  {short} 注{number}: {text}", "en": "  {short} note {number}: {text}"},
    "assert": {"zh": "表达式: {text}", "en": "assertion: {text}"},
    "when": {"zh": "仅当: {text}", "en": "only where: {text}"},
    "check": {"zh": "内置检查: {name}", "en": "named check: {name}"},
    "fields": {"zh": "读取的字段(空白报表中的单元格):", "en": "fields it reads (cells in the blank template):"},
    "field": {"zh": "  {id}  {label}  {cells}", "en": "  {id}  {label}  {cells}"},
    "examples": {"zh": "例子:", "en": "examples:"},
    "holds": {"zh": "  成立: {figures}", "en": "  holds: {figures}"},
    "fails": {"zh": "  不成立(报告问题): {figures}", "en": "  fails (a finding): {figures}"},
    "blank": {"zh": "空白", "en": "blank"},
    "for_each": {
        "zh": "for_each: 共 {count} 个实例,以上为第一个({binding})",
        "en": "for_each: {count} instances; the first is shown ({binding})",
    },
    "source": {"zh": "定义于: {source}", "en": "defined at: {source}"},
    "no_form": {"zh": '规则包中没有表 "{form}"{suggest}', "en": 'the pack has no form "{form}"{suggest}'},
    "fields_head": {
        "zh": ["字段(规则中的写法)", "名称", "单位", "类型", "空白报表中的单元格"],
        "en": ["field (as rules name it)", "label", "unit", "type", "cells in the blank template"],
    },
    "form_head": {"zh": "{short} {title}({id})", "en": "{short} {title} ({id})"},
}
EXIT_OK, EXIT_FAILED = 0, 2


def _pack_options(command):
    command = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)(command)
    return click.option("--pack", "pack_path", type=click.Path(), help="规则包文件夹 (默认: 内置规则包)")(command)


@click.group("rules")
def rules():
    """列出、解释、检查规则包中的规则 / list, explain and lint a pack's rules."""


@rules.command("list")
@_pack_options
@click.pass_obj
def list_rules(streams, pack_path, lang):
    """列出规则: 编号、级别、依据、检查内容 / list the rules."""
    from tabulate import tabulate

    from validator.report.common import severity_name
    from validator.rules.describe import every_case

    pack = _pack(streams, pack_path, lang)
    if pack is None:
        return EXIT_FAILED
    rows = [
        [
            r.id,
            severity_name(r.severity, lang),
            r.origin_in(lang),
            "\n".join(said(case, lang) for case in every_case(r, pack)),
        ]
        for r in pack.rules
    ]
    streams.stdout.write(tabulate(rows, headers=MESSAGES["head"][lang], tablefmt="simple") + "\n")
    return EXIT_OK


@rules.command("explain")
@click.argument("rule_id")
@_pack_options
@click.pass_obj
def explain(streams, rule_id, pack_path, lang):
    """解释一条规则: 依据的填表说明、表达式、字段及其单元格、例子;给出字段名 (如 transferred) 则列出它参与的规则 / explain one rule, or list the rules a field takes part in."""
    pack = _pack(streams, pack_path, lang)
    if pack is None:
        return EXIT_FAILED
    rule = pack.rule(rule_id)
    if rule is None:
        from validator.rules.ruleset import fields_in

        taking_part = fields_in(pack, rule_id)  # a field's name: the rules it takes part in
        if taking_part is not None:
            key = "field_rules" if taking_part else "field_no_rules"
            streams.stdout.write(say(MESSAGES, key, lang, field=rule_id, rules=join(taking_part, lang)) + "\n")
            return EXIT_OK
        near = nearest(rule_id, [r.id for r in pack.rules])
        suggest = said(suggestion(near["suggest"], ()), lang) or say(MESSAGES, "see_list", lang)
        text = say(MESSAGES, "no_rule", lang, rule=rule_id, suggest=suggest)
        click.echo(shown.for_terminal(text), file=streams.stderr)
        return EXIT_FAILED
    streams.stdout.write("".join(line + "\n" for line in explained(rule, pack, lang)))
    return EXIT_OK


def explained(rule, pack, lang: str) -> list:
    """The lines `rules explain` prints for one rule."""
    from validator.report.common import severity_name
    from validator.rules.describe import cited_notes, summary

    lines = [f"{rule.id}  {severity_name(rule.severity, lang)}  {rule.origin_in(lang)}"]
    lines.append(say(MESSAGES, "checks", lang, text=summary(rule, pack)))
    notes = cited_notes(rule, pack)
    if notes:
        lines.append(say(MESSAGES, "notes", lang))
        lines += [say(MESSAGES, "note", lang, short=n.form.short, number=n.number, text=n.text) for n in notes]
    if rule.check == "expression":
        if rule.guard:
            lines.append(say(MESSAGES, "when", lang, text=rule.guard))
        lines.append(say(MESSAGES, "assert", lang, text=rule.assertion))
        lines += _fields_and_examples(rule, pack, lang)
        if len(rule.params) > 1:
            binding = ", ".join(f"{key}={value}" for key, value in rule.params[0].binding.items())
            lines.append(say(MESSAGES, "for_each", lang, count=len(rule.params), binding=binding))
    else:
        lines.append(say(MESSAGES, "check", lang, name=rule.check))
    lines.append(say(MESSAGES, "source", lang, source=rule.source))
    return lines


def _fields_and_examples(rule, pack, lang: str) -> list:
    from validator.numbers import format_number
    from validator.report.template import field_cells
    from validator.rules.describe import examples, fields_read
    from validator.rules.wording import field_name

    read = fields_read(rule)
    lines = [say(MESSAGES, "fields", lang)] if read else []
    for ref in read:
        form = pack.forms[ref.form]
        field = form.field(ref.field)
        label = f"{field.name(lang)} ({field.unit})" if field.unit else field.name(lang)
        cells = field_cells(form, ref.field)
        if ref.period and len(cells) == 2:
            cells = [cells[0 if ref.period == "prev" else 1]]
        lines.append(say(MESSAGES, "field", lang, id=str(ref), label=label, cells=" ".join(cells)))
    found = examples(rule, pack)
    if found:
        lines.append(say(MESSAGES, "examples", lang))
    for example in found:
        figures = ", ".join(
            f"{said(field_name(ref, pack), lang)} = "
            + (format_number(value) if isinstance(value, (int, float)) else value or say(MESSAGES, "blank", lang))
            for ref, value in example.figures
        )
        lines.append(say(MESSAGES, "holds" if example.holds else "fails", lang, figures=figures))
    return lines


@rules.command("fields")
@click.argument("form", required=False)
@_pack_options
@click.pass_obj
def fields(streams, form, pack_path, lang):
    """列出表的字段: 规则中的写法、名称、单位、类型、空白报表中的单元格 / list a form's fields.

    FORM is a form's id (two_law_link), its short name (表4) or its title; without it, every form."""
    from tabulate import tabulate

    from validator.fold import norm
    from validator.report.template import field_cells

    pack = _pack(streams, pack_path, lang)
    if pack is None:
        return EXIT_FAILED
    names = {key: f for f in pack.forms.values() for key in (norm(f.id), norm(f.short), norm(f.title))}
    chosen = list(pack.forms.values()) if form is None else [names[norm(form)]] if norm(form) in names else []
    if not chosen:
        known = [name for f in pack.forms.values() for name in (f.short, f.id)]
        suggest = said(suggestion(nearest(form, known)["suggest"], known), lang)
        click.echo(shown.for_terminal(say(MESSAGES, "no_form", lang, form=form, suggest=suggest)), file=streams.stderr)
        return EXIT_FAILED
    for index, shown_form in enumerate(chosen):
        rows = [
            [
                f"{shown_form.id}.{field.id}",
                field.name(lang),
                field.unit,
                field.type,
                " ".join(field_cells(shown_form, field.id)),
            ]
            for field in shown_form.fields
        ]
        head = say(MESSAGES, "form_head", lang, short=shown_form.short, title=shown_form.title, id=shown_form.id)
        table = tabulate(rows, headers=MESSAGES["fields_head"][lang], tablefmt="simple")
        streams.stdout.write(("\n" if index else "") + head + "\n" + table + "\n")
    return EXIT_OK


@rules.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_obj
def lint(streams, paths, lang):
    """检查规则包: 载入并解析全部文件和规则,列出每个问题 / list every problem of a pack (exit 0 or 2).

    Each path is a pack (its folder or pack.yaml) or any file of one (a rule or form file, as the
    pre-commit hook passes the files that changed): the pack holding it is checked, each pack once."""
    found = [_pack_of(path) for path in paths]
    failed = False
    for root in dict.fromkeys(found):
        failed = not _lint_one(streams, root, lang) or failed
    return EXIT_FAILED if failed else EXIT_OK


def _pack_of(path: str) -> str:
    """The pack a path belongs to: the folder holding pack.yaml, from the path up; the path itself
    where none does (its loading then says what is wrong)."""
    from pathlib import Path

    given = Path(path).resolve()
    for folder in [given, *given.parents] if given.is_dir() else [given.parent, *given.parent.parents]:
        if (folder / "pack.yaml").is_file():
            return str(folder / "pack.yaml")
    return path


def _lint_one(streams, pack_path: str, lang: str) -> bool:
    from pathlib import Path

    from validator.rules.pack import compile_pack
    from validator.rules.pack import lint as problems_of

    problems = problems_of(pack_path)
    for problem in problems:
        click.echo(shown.for_terminal(say(MESSAGES, "pack", lang, error=problem.said)), file=streams.stderr)
    if problems:
        if len(problems) > 1:
            click.echo(say(MESSAGES, "lint_count", lang, count=len(problems)), file=streams.stderr)
        return False
    root = Path(pack_path)
    pack = compile_pack(root.parent if root.is_file() else root)
    return _analysed(streams, pack, lang)


def _analysed(streams, pack, lang: str) -> bool:
    """The rule set as a whole: contradicting error rules refuse the pack; rules implied by
    others and fields fixed to one value are said as information (rules/ruleset.py)."""
    from validator.numbers import format_number
    from validator.rules.ruleset import analyse

    found = analyse(pack)
    if found.conflict:
        text = say(MESSAGES, "conflict", lang, name=pack.name, rules=join(found.conflict, lang))
        click.echo(shown.for_terminal(text), file=streams.stderr)
        return False
    text = say(MESSAGES, "lint_ok", lang, name=pack.name, rules=len(pack.rules), forms=len(pack.forms))
    click.echo(shown.for_terminal(text), file=streams.stdout)
    for rule, by in found.implied.items():
        click.echo(say(MESSAGES, "implied", lang, rule=rule, by=join(by, lang)), file=streams.stdout)
    for name, value in found.fixed.items():
        click.echo(say(MESSAGES, "fixed", lang, field=name, value=format_number(value)), file=streams.stdout)
    return True


def _pack(streams, pack_path, lang: str):
    from validator.rules.pack import PackError, load_pack

    try:
        return load_pack(pack_path)
    except PackError as exc:
        click.echo(shown.for_terminal(say(MESSAGES, "pack", lang, error=exc.said)), file=streams.stderr)
        return None
