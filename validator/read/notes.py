"""The unit's own cell comments, carried into the reader's archive so that an annotated copy
(report/annotate.py, through openpyxl) keeps them: for each sheet, its relationships part cut down
to its comments and its links to outside addresses, and the comments parts those name.

No figure is read from these parts, so they never refuse a return: one that is too large, not
well-formed, or named oddly is left out, and the copy goes without that sheet's comments — as
Excel, repairing such a file, drops them too. Parsed with defusedxml; bounded by the same budget
of inflated bytes as every other part."""

from __future__ import annotations

import posixpath
import zlib
from typing import Iterator, NamedTuple

from validator.read import wellformed, zipview

MOST_BYTES = 1 << 20  # a sheet's relationships, or its comments: far more than any return's notes
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
COMMENTS = "/comments"
HYPERLINK = "/hyperlink"


class Part(NamedTuple):
    """A part to add to the reader's archive, with the CRC its bytes were written with."""

    name: str
    data: bytes
    crc: int


def parts(archive, by_name: dict, budget: list, sheet_members) -> Iterator[Part]:
    """The comment-bearing parts of each sheet that has comments or links out (openpyxl needs a
    link's relationship to load the sheet); nothing for a sheet that has neither."""
    for sheet in sheet_members:
        rels_name = posixpath.join(posixpath.dirname(sheet), "_rels", posixpath.basename(sheet) + ".rels")
        rels = _small(archive, by_name, budget, rels_name)
        if rels is None:
            continue
        kept = _comment_links(rels, posixpath.dirname(sheet))
        found = [(link, _small(archive, by_name, budget, link.member)) for link in kept if link.member]
        found = [(link, data) for link, data in found if data is not None]
        external = [link for link in kept if link.external]
        if not found and not external:
            continue
        body = _rels_xml([link for link, _ in found] + external)
        yield Part(rels_name, body, zlib.crc32(body))
        for link, data in found:
            yield Part(link.member, bytes(data), by_name[link.member].CRC)


class _Link(NamedTuple):
    id: str
    type: str
    target: str
    member: str  # the zip member of a part inside the workbook, "" for an outside address
    external: bool


def _comment_links(rels: bytes, folder: str) -> list:
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(rels)
    except Exception:  # noqa: BLE001 - not well-formed, or refused by defusedxml: no notes kept
        return []
    links = []
    for rel in root:
        kind, target, rel_id = rel.get("Type", ""), rel.get("Target", ""), rel.get("Id", "")
        if not rel_id or not target:
            continue
        if kind.endswith(COMMENTS) and rel.get("TargetMode") != "External":
            member = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target[1:]
            if not member.startswith("../") and member.endswith(".xml"):
                links.append(_Link(rel_id, kind, target, member, False))
        elif kind.endswith(HYPERLINK) and rel.get("TargetMode") == "External":
            links.append(_Link(rel_id, kind, target, "", True))
    return links


def _small(archive, by_name: dict, budget: list, name: str):
    """A member's bytes when it exists, is small and well-formed; None otherwise."""
    info = by_name.get(name)
    if info is None or info.file_size > MOST_BYTES:
        return None
    try:
        data = zipview.member_bytes(archive, info, budget)
    except Exception:  # noqa: BLE001 - a damaged note is dropped, never the return
        return None
    if len(data) > MOST_BYTES or wellformed.damage(data) is not None:
        return None
    return data


def _rels_xml(links: list) -> bytes:
    from xml.sax.saxutils import quoteattr

    lines = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{RELS_NS}">']
    for link in links:
        mode = ' TargetMode="External"' if link.external else ""
        lines.append(
            f"<Relationship Id={quoteattr(link.id)} Type={quoteattr(link.type)} Target={quoteattr(link.target)}{mode}/>"
        )
    lines.append("</Relationships>")
    return "".join(lines).encode("utf-8")
