"""The grid extractors: python-calamine (the default) and openpyxl give the same findings."""

import pytest
from conftest import SAMPLES

from validator.read.gate import inspect
from validator.read.grid import grids_of, read_grids
from validator.read.intake import Inspection
from validator.read.reader import read_return
from validator.rules import engine

SAMPLE_FILES = sorted(SAMPLES.glob("*.xlsx")) + sorted((SAMPLES / "batch").glob("*.xlsx"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_both_extractors_give_the_same_findings(pack, path):
    found = {}
    for extractor in ("calamine", "openpyxl"):
        report = engine.check_return(read_return(str(path), pack, extractor=extractor), pack)
        found[extractor] = [(f.rule, f.message, f.cells) for f in report.findings]
    assert found["calamine"] == found["openpyxl"]


def test_both_extractors_see_the_same_merges_and_values(pack):
    path = str(SAMPLES / "as_filed.xlsx")
    fast, slow = (grids_of(path, extractor=e) for e in ("calamine", "openpyxl"))
    assert [sorted(g.merges) for g in fast] == [sorted(g.merges) for g in slow]
    assert [{k: float(v) if isinstance(v, (int, float)) else v for k, v in g.cells.items()} for g in fast] == [
        {k: float(v) if isinstance(v, (int, float)) else v for k, v in g.cells.items()} for g in slow
    ]


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_the_copy_intake_hands_on_reads_as_the_file_itself(path):
    with inspect(str(path)) as found, Inspection(found.sheets, found.max_merged) as as_it_came:
        assert found.opened().read() != path.read_bytes()  # stored inflated: see tests/test_intake.py
        as_it_came.archive.write(path.read_bytes())
        for extractor in ("calamine", "openpyxl"):
            given, itself = (read_grids(inspection, extractor) for inspection in (found, as_it_came))
            assert [(g.sheet, g.rows, g.merges) for g in given] == [(g.sheet, g.rows, g.merges) for g in itself]


def test_rows_inserted_above_keep_their_addresses(tmp_path, pack):
    from conftest import clean_figures

    from validator.report.template import write_return

    path = tmp_path / "offset.xlsx"
    write_return(str(path), pack, clean_figures(), offset=7)
    grids = grids_of(str(path))
    assert grids[0].raw(8, 1) == "2024 年行政执法案件数据情况统计表"
