"""What a refused file is told: for each reason intake (or a reader that died) gives, what is wrong
with the file and how to make it right, in the user's language."""

from __future__ import annotations

from typing import Any

from validator.files import MESSAGES as FILE_MESSAGES
from validator.i18n import Message, Messages, message

# what any file a run is given may be refused for (validator/files.py), and what a return is told besides
_GIVE_THE_RETURN = {"zh": ";请给出报表文件本身", "en": "; give the return itself"}
_RAISE_IT = {"zh": "(可用 --max-size 调高)", "en": " (raise it with --max-size)"}
MESSAGES = Messages(
    __name__,
    {
        **{key: FILE_MESSAGES[key] for key in ("missing", "directory", "dangling", "loop", "unreadable")},
        **{
            key: {lang: FILE_MESSAGES[key][lang] + _GIVE_THE_RETURN[lang] for lang in _GIVE_THE_RETURN}
            for key in ("fifo", "special")
        },
        "device": {
            "zh": "这是设备文件,不是报表;请给出报表文件本身",
            "en": "this is a device, not a return; give the return itself",
        },
        "file_too_big": {lang: FILE_MESSAGES["too_big"][lang] + _RAISE_IT[lang] for lang in _RAISE_IT},
        "empty": {
            "zh": "文件为空(0 字节),请重新导出或保存",
            "en": "the file is empty (0 bytes); export or save it again",
        },
        "damaged_ole": {
            "zh": "文件已损坏: Excel 97-2003 (.xls/.et) 文件的内部结构不完整或有误({detail});请用 Excel 或 WPS 打开后重新保存",
            "en": "the file is damaged: the inner structure of the Excel 97-2003 (.xls/.et) file is incomplete or wrong ({detail}); open it in Excel or WPS and save it again",
        },
        "old_biff": {
            "zh": "这是 Excel 95 或更早版本的 .xls 文件,无法读取;请在 Excel 或 WPS 中“另存为”Excel 工作簿 (.xlsx) 后再检查",
            "en": "this is an Excel 95 (or older) .xls file, which cannot be read; save it as an Excel workbook (.xlsx) and check again",
        },
        "not_xls": {
            "zh": "是 Office 97-2003 格式的文件,但不是 Excel 工作簿(没有 Workbook 数据,可能是 Word 文档);请确认上传的是报表本身",
            "en": "an Office 97-2003 file, but not an Excel workbook (no Workbook stream: a Word document?)",
        },
        "encrypted": {
            "zh": "工作簿设置了打开密码;请取消密码(文件→信息→保护工作簿)并另存为 .xlsx 后再检查",
            "en": "the workbook is password-protected; remove the password, save as .xlsx and check again",
        },
        "xlsb": {
            "zh": "这是 Excel 二进制工作簿 (.xlsb);请另存为 Excel 工作簿 (.xlsx) 后再检查",
            "en": "this is a binary workbook (.xlsb); save it as an Excel workbook (.xlsx)",
        },
        "not_zip": {
            "zh": "不是 Excel 或 WPS 工作簿(.xlsx、.xls、.et、.ods)文件;请确认上传的是报表本身",
            "en": "this is not a workbook (.xlsx, .xls, .et or .ods)",
        },
        "not_workbook": {
            "zh": "是压缩包但不是 Excel 工作簿(缺少 xl/workbook.xml);请确认上传的是报表本身",
            "en": "a zip file but not an Excel workbook (no xl/workbook.xml)",
        },
        "truncated": {
            "zh": "文件已损坏或不完整(可能传输中断);请重新保存或重新发送",
            "en": "the file is damaged or truncated; save or send it again",
        },
        "damaged": {
            "zh": "文件已损坏,无法读取({detail});请用 Excel 或 WPS 打开后重新保存",
            "en": "the file is damaged ({detail}); open it in Excel or WPS and save it again",
        },
        "too_big": {
            "zh": "解压后超过 {cap} MB 上限(可能是压缩炸弹或嵌入了大文件),未读取(可用 --max-size 调高)",
            "en": "inflates to more than {cap} MB (a zip bomb or a large embedded file); not read (raise it with --max-size)",
        },
        "no_scratch": {
            "zh": "无法在临时文件夹中写入读取用的副本({detail}),未检查;请腾出临时文件夹(TMPDIR)的空间后再检查",
            "en": "could not write the reader's copy in the temporary folder ({detail}); not checked. Free space in TMPDIR and check again",
        },
        "too_many_merges": {
            "zh": "工作表“{sheet}”有 {count} 个合并单元格,超过 {cap} 个上限,未读取(可用 --max-merges 调高)",
            "en": 'sheet "{sheet}" has {count} merged ranges, more than {cap}; not read (raise it with --max-merges)',
        },
        "too_much_merged": {
            "zh": "工作表“{sheet}”的合并单元格共覆盖 {count} 个单元格,超过 {cap} 上限,未读取(可用 --max-cells 调高)",
            "en": 'the merged ranges of sheet "{sheet}" cover {count} cells, more than {cap}; not read (raise it with --max-cells)',
        },
        "too_much_text": {
            "zh": "工作表“{sheet}”等单元格引用的文字共 {size} MB,超过 {cap} MB 上限(可能是同一长文本被大量引用),未读取(可用 --max-text 调高)",
            "en": 'the cells of sheet "{sheet}" and before name {size} MB of text, more than {cap} MB (one long text named many times?); not read (raise it with --max-text)',
        },
        "too_many_members": {
            "zh": "压缩包内有 {count} 个文件,超过 {cap} 个上限,未读取",
            "en": "holds {count} parts, more than {cap}; not read",
        },
        "too_many_rows": {
            "zh": "工作表“{sheet}”有 {count} 行,超过 {cap} 行上限,未读取;如是远处多余的单元格请删除,如确有这么多行请用 --max-rows 调高",
            "en": 'sheet "{sheet}" has {count} rows, more than {cap}; not read. Delete stray far-off cells, or raise the cap with --max-rows',
        },
        "too_many_cases": {
            "zh": "案件清单(工作表“{sheet}”)有 {count} 件案件,超过 {cap} 件上限,未检查;确有这么多案件请用 --max-cases 调高",
            "en": 'the case register (sheet "{sheet}") holds {count} cases, more than {cap}; not checked. Raise the cap with --max-cases',
        },
        "too_many_columns": {
            "zh": "工作表“{sheet}”用到第 {count} 列,超过 {cap} 列上限,未读取;请删除远处多余的单元格,或用 --max-columns 调高",
            "en": 'sheet "{sheet}" reaches column {count}, more than {cap}; not read. Delete the stray far-off cells, or raise it with --max-columns',
        },
        "too_many_cells": {
            "zh": "工作表“{sheet}”的范围有 {count} 个单元格,超过 {cap} 上限,未读取(可用 --max-cells 调高)",
            "en": 'sheet "{sheet}" spans {count} cells, more than {cap}; not read (raise it with --max-cells)',
        },
        "unsafe_xml": {
            "zh": "工作簿含有不安全的 XML 结构({detail}),未读取",
            "en": "the workbook holds unsafe XML ({detail}); not read",
        },
        "bad_crc": {
            "zh": "文件已损坏: 内部文件 {member} 的校验码(CRC)与内容不符;请用 Excel 或 WPS 打开后重新保存",
            "en": "the file is damaged: the part {member} does not match its checksum (CRC); open it in Excel or WPS and save it again",
        },
        "duplicate_member": {
            "zh": "文件已损坏: 内部文件 {member} 出现两次,不同软件会读到不同内容;请用 Excel 或 WPS 打开后重新保存",
            "en": "the file is damaged: the part {member} appears twice, and programs differ in which they read; open it in Excel or WPS and save it again",
        },
        "bad_shared_string": {
            "zh": "文件已损坏: 工作表“{sheet}”的单元格 {cell} 引用第 {index} 个共享字符串,而工作簿只有 {count} 个;请用 Excel 或 WPS 打开后重新保存",
            "en": 'the file is damaged: cell {cell} of sheet "{sheet}" refers to shared string {index}, but the workbook has {count}; open it in Excel or WPS and save it again',
        },
        "reader_died": {
            "zh": "读取程序在此文件上异常退出(信号 {signal}),文件可能已损坏或经过特殊构造;请用 Excel 或 WPS 打开后重新保存",
            "en": "the reader died on this file (signal {signal}); it may be damaged or crafted: open it in Excel or WPS and save it again",
        },
        "reader_failed": {
            "zh": "formcheck 读取此文件时内部出错({detail}),此文件未检查;请把此文件反馈给维护人,也可用 Excel 或 WPS 打开后重新保存再试",
            "en": "formcheck failed inside while reading this file ({detail}); the file was not checked: please report it, or open it in Excel or WPS, save it again and retry",
        },
        "reader_timeout": {
            "zh": "读取超过 {seconds} 秒仍未完成,已停止;请用 Excel 或 WPS 打开后重新保存",
            "en": "reading took more than {seconds} s and was stopped; open it in Excel or WPS and save it again",
        },
        "damaged_sheet": {
            "zh": "文件已损坏: 工作表“{sheet}”的内部文件 {member} 不是完整的 XML({damage});Excel 打开时会提示修复并丢弃读不懂的内容。请用 Excel 或 WPS 打开、确认数据无误后重新保存",
            "en": 'the file is damaged: the part {member} of sheet "{sheet}" is not well-formed XML ({damage}); Excel offers to repair it and drops what it cannot read. Open it in Excel or WPS, check the figures and save it again',
        },
        "damaged_part": {
            "zh": "文件已损坏: 内部文件 {member} 不是完整的 XML({damage});请用 Excel 或 WPS 打开后重新保存",
            "en": "the file is damaged: the part {member} is not well-formed XML ({damage}); open it in Excel or WPS and save it again",
        },
        "bad_xml": {
            "zh": "工作簿内部文件 {member} 已损坏({detail});请用 Excel 或 WPS 打开后重新保存",
            "en": "the part {member} is damaged ({detail}); open the file in Excel or WPS and save it again",
        },
    },
)


def describe(refusal: Any) -> Message:
    """What is wrong with a refused file and how to make it right. A parameter that says itself
    (wellformed.Damage) is said in the same language."""
    params = {key: getattr(value, "said", value) for key, value in refusal.params.items()}
    return message(MESSAGES, refusal.key, **params)
