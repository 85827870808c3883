"""What the `formcheck` commands themselves say on stderr (a report's words are the reporters'),
in Chinese and English."""

MESSAGES = {
    "pack": {"zh": "规则包有误,无法检查: {error}", "en": "the rule pack is broken, nothing was checked: {error}"},
    "reference": {
        "zh": "参考数据有误,无法检查: {error}",
        "en": "a reference file is broken, nothing was checked: {error}",
    },
    "unreadable": {"zh": "{file}: 无法读取: {why}", "en": "{file}: cannot be read: {why}"},
    "none_checked": {
        "zh": "没有检查任何报表: {count} 个工作簿都不是报表(见上),退出码为 0",
        "en": "no return was checked: none of the {count} workbooks is a return (above); exit code 0",
    },
    "skipped": {
        "zh": "跳过 {file}: 其中没有{forms}中的任何一张表,不是报表",
        "en": "skipped {file}: it holds none of {forms}, so it is not a return",
    },
    "written": {"zh": "报告已写入 {path}", "en": "report written to {path}"},
    "summary": {"zh": "汇总工作簿已写入 {path}", "en": "summary workbook written to {path}"},
    "no_files": {
        "zh": "在 {paths} 中没有找到报表文件 (.xlsx、.xls、.et、.ods)",
        "en": "no returns (.xlsx, .xls, .et, .ods) found in {paths}",
    },
    "progress": {"zh": "检查报表", "en": "checking returns"},
    "internal": {
        "zh": "formcheck 内部错误,检查未完成({detail});这不是报表的问题,请把此信息反馈给维护人(加 --debug 可看详细信息)",
        "en": "formcheck internal error, the run did not finish ({detail}); this is not a problem of the return: "
        "please report it (add --debug for details)",
    },
    "annotated": {"zh": "标注副本已写入 {path}", "en": "annotated copy written to {path}"},
    "annotated_anew": {
        "zh": "标注副本已写入 {path}(原文件不是 .xlsx,副本按 .xlsx 格式重新生成,只含数值和合并单元格,不含原格式)",
        "en": "annotated copy written to {path} (the return is not an .xlsx: the copy is a new .xlsx holding its values and merged cells, not its formatting)",
    },
    "annotate_one": {
        "zh": "--annotate 只能用于一份报表;多份请用 batch --annotate-dir",
        "en": "--annotate takes one return; for several use batch --annotate-dir",
    },
    "template": {"zh": "{year} 年空白报表已写入 {path}", "en": "blank return for {year} written to {path}"},
    "exists": {
        "zh": "{path} 已存在,未覆盖;请换一个文件名",
        "en": "{path} exists and was not overwritten; choose another name",
    },
}
