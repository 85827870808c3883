"""Whether a part of a workbook is well-formed XML, and if not, where and why, in the user's words.

Excel and WPS write well-formed parts only. python-calamine reads some damaged ones without a word
(an end tag naming another element, text running into the next cell's tags), and what it makes of
them need not be what the filer's program shows — Excel offers to repair such a file and drops
what it cannot place. So every part a reader reads is judged before any reader sees it: by
the native pass where that is certain it is well-formed (validator/read/native.py), else parsed by
expat, with no handler but one refusing a document type — for a part of 4 MB or more (some 4 s of
parsing for a million-case register's sheet), in a child of its own while python-calamine reads
the workbook, its verdict taken before anything read is used (`Verdicts`). Expat is the reference:
it alone says what is wrong and where.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional
from xml.parsers import expat

from validator import isolate
from validator.i18n import Message, Messages, message
from validator.read import native

DOCUMENT_TYPE = "document type"
ENCODING = "encoding"
BESIDE = 4 << 20  # a part this large is parsed in a child beside the read: a fork costs less

# expat's words for the damage a part most often shows (its messages are the keys), for county
# staff; any other is given as expat says it
MESSAGES = Messages(
    __name__,
    {
        expat.errors.XML_ERROR_TAG_MISMATCH: {"zh": "标记不配对", "en": "mismatched tag"},
        expat.errors.XML_ERROR_INVALID_TOKEN: {"zh": "有不合规则的标记或字符", "en": "not well-formed (invalid token)"},
        expat.errors.XML_ERROR_UNCLOSED_TOKEN: {"zh": "标记未写完", "en": "unclosed token"},
        expat.errors.XML_ERROR_NO_ELEMENTS: {"zh": "没有内容", "en": "no element found"},
        expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: {"zh": "结尾之后还有内容", "en": "junk after document element"},
        expat.errors.XML_ERROR_UNDEFINED_ENTITY: {"zh": "引用了未定义的实体", "en": "undefined entity"},
        expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE: {"zh": "同一属性写了两次", "en": "duplicate attribute"},
        expat.errors.XML_ERROR_BAD_CHAR_REF: {
            "zh": "有不合规则的字符引用",
            "en": "reference to invalid character number",
        },
        DOCUMENT_TYPE: {"zh": "含有文档类型声明", "en": "it declares a document type"},
        ENCODING: {
            "zh": "声明的编码不是 UTF-8 等可读的编码",
            "en": "it declares an encoding that cannot be read (not UTF-8)",
        },
    },
)
# where: by the cell whose tag comes last before the damage, which a clerk can find; else by the
# line and character of the part (a sheet's XML is one line, a cell's row and column are not these)
PLACES = Messages(
    __name__ + ":PLACES",
    {
        "near": {"zh": "{why},在单元格 {cell} 处或其后", "en": "{why}, at or after cell {cell}"},
        "place": {
            "zh": "{why},在该文件第 {line} 行第 {column} 个字符处",
            "en": "{why}, line {line}, character {column} of the part",
        },
    },
)
_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br\s*=\s*["\']([A-Za-z]{1,3}[0-9]{1,7})["\']')
_LOOK_BACK = 4096  # bytes before the damage searched for the last cell tag


class Damage(NamedTuple):
    """Where expat stopped in a part and why (its own message), to be said in a language."""

    text: str
    line: int
    column: int
    cell: str = ""  # the last cell whose tag comes before the damage, if any

    @property
    def said(self) -> Message:
        """As a refusal gives it: expat's words for county staff where we have them, and where."""
        why = message(MESSAGES, self.text) if self.text in MESSAGES else self.text
        return message(
            PLACES, "near" if self.cell else "place", why=why, cell=self.cell, line=self.line, column=self.column
        )


class _DocumentType(Exception):
    pass


def damage(xml) -> Optional[Damage]:
    """What is wrong with a part as XML, or None for a well-formed one. A document type is
    damage too: no spreadsheet program writes one, and its entities could hide anything."""
    return None if native.scan(xml) is not None else parsed_damage(xml)


def parsed_damage(xml) -> Optional[Damage]:
    """damage() as expat finds it, without the native pass."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_document_type
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        text = expat.errors.messages[exc.code]
        return Damage(text, exc.lineno, exc.offset + 1, _cell_before(xml, parser.ErrorByteIndex))
    except _DocumentType:
        return Damage(DOCUMENT_TYPE, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
    except ValueError:  # expat's refusal of a multi-byte encoding (GBK, Shift_JIS) the declaration names
        return Damage(ENCODING, 1, 1)
    return None


def _cell_before(xml, at: int) -> str:
    if at < 0:
        return ""
    found = _CELL.findall(xml, max(0, at - _LOOK_BACK), at)
    return found[-1].decode("ascii").upper() if found else ""


def _refuse_document_type(*_) -> None:
    raise _DocumentType()


class Verdicts:
    """Large parts being parsed in children of their own, beside the reader's read."""

    TIMEOUT = 600.0

    def __init__(self):
        self._pending: list = []  # (what to say of the part, its member name, the child parsing it)

    def parse_beside(self, about, member: str, xml) -> None:
        if native.scan(xml) is None:  # certainly well-formed needs no child
            self._pending.append((about, member, isolate.start(parsed_damage, xml)))

    def first_damaged(self, read_again) -> Optional[tuple]:
        """(about, Damage) of the first damaged part, in the order given; None if all are well
        formed. A child that cannot say leaves the parse to this process, on the part as
        `read_again(member)` gives it."""
        pending, self._pending = self._pending, []
        try:
            while pending:
                about, member, child = pending.pop(0)
                try:
                    found = child.result(self.TIMEOUT)
                except (isolate.Died, isolate.TimedOut, isolate.Failed):
                    found = damage(read_again(member))
                if found is not None:
                    return about, found
            return None
        finally:
            for _, _, child in pending:
                child.stop()

    def stop(self) -> None:
        for _, _, child in self._pending:
            child.stop()
        self._pending = []
