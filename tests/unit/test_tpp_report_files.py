"""What the TPP report's files hold: each unit's file name safe and distinct
(``eoffice.tpp.report_file_rules``), and every cell a spreadsheet would run written as text
(``eoffice.spreadsheets``)."""

from __future__ import annotations

from eoffice.tpp.report_file_rules import unit_names


def test_unit_file_names_are_safe_and_distinct() -> None:
    names = unit_names({"a": "DINKES/RSUD", "b": "DINKES_RSUD", "c": "  ", "d": "dinkes-rsud"})
    assert names == {"a": "DINKES_RSUD", "b": "DINKES_RSUD~2", "c": "unit", "d": "dinkes-rsud"}


def test_a_value_a_spreadsheet_would_run_is_written_as_text() -> None:
    """Every CSV cell, whatever its column: formula starts get an apostrophe, numbers do not."""
    import csv
    import io

    from eoffice.spreadsheets import csv_bytes, text_cell

    running = ['=HYPERLINK("x")', "@SUM(A1)", "+1+1", "-2+3", "\t=1+1", "\r=1+1", "-", "=5"]
    for value in running:
        assert text_cell(value) == "'" + value, value
    for value in ("Andi Baso", "-5", "+62", "2.50", "-0.25", "", "1990-01-01", "A=B"):
        assert text_cell(value) == value, value
    body = csv_bytes(["=Kolom", "N"], [['=HYPERLINK("x")', "-5"], ["Andi", "\t@x"]])
    read = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert read == [["'=Kolom", "N"], ['\'=HYPERLINK("x")', "-5"], ["Andi", "'\t@x"]]
