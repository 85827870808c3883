"""A part that is not well-formed XML: what expat found, said where a clerk can find it."""

import pytest

from validator.read.wellformed import damage

pytestmark = pytest.mark.usefixtures("intake_path")  # every case on both paths (conftest)


@pytest.mark.parametrize(
    "xml, zh, en",
    [
        (
            b'<sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>x</t></rs></c></row></sheetData>',
            "标记不配对,在单元格 B3 处或其后",
            "mismatched tag, at or after cell B3",
        ),
        (
            b'<sheetData><row r="6"><c r="F6" t="n"><v>0</v></c><t="n"><v>1</v></c></row></sheetData>',
            "有不合规则的标记或字符,在单元格 F6 处或其后",
            "not well-formed (invalid token), at or after cell F6",
        ),
        (b"<Types><Default< /></Types>", "有不合规则的标记或字符,在该文件第 1 行第 16 个字符处", None),
        (b"<a>&nbsp;</a>", "引用了未定义的实体,在该文件第 1 行第 4 个字符处", None),
        (b"", "没有内容,在该文件第 1 行第 1 个字符处", "no element found, line 1, character 1 of the part"),
        (b"<a/><b/>", "结尾之后还有内容,在该文件第 1 行第 5 个字符处", None),
        (b'<!DOCTYPE w [<!ENTITY far "XFD1">]><w/>', "含有文档类型声明,在该文件第 1 行第 13 个字符处", None),
        (b"<a>\xff</a>", "有不合规则的标记或字符,在该文件第 1 行第 4 个字符处", None),
        (
            '<?xml version="1.0" encoding="GBK"?><a>表</a>'.encode("gbk"),
            "声明的编码不是 UTF-8 等可读的编码,在该文件第 1 行第 1 个字符处",
            "it declares an encoding that cannot be read (not UTF-8), line 1, character 1 of the part",
        ),
    ],
)
def test_damage_is_said_where_it_is(xml, zh, en):
    found = damage(xml)
    assert found is not None and found.said.render("zh") == zh
    if en is not None:
        assert found.said.render("en") == en


def test_a_well_formed_part_has_no_damage():
    assert damage(bytearray(b'<sheetData><row r="1"><c r="A1" s="1"/></row></sheetData>')) is None
