"""Writing a version's files: the regency's (or unit's) JSON, CSV and XLSX, a CSV and an XLSX
per unit, and the change list against the previous version, all under the version's prefix.
The workbook writer is loaded here only, so the HTTP function never imports it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from eoffice.org.models import Unit
from eoffice.tpp import render, report_file_store
from eoffice.tpp.change_models import ChangeSet
from eoffice.tpp.change_rules import changes_csv, changes_json
from eoffice.tpp.models import ReportData
from eoffice.tpp.reading import Phases
from eoffice.tpp.report_file_rules import unit_names
from eoffice.tpp.report_models import TppReportFile
from eoffice.tpp.signer import signer


def write_files(
    data: ReportData,
    body: bytes,
    number: int,
    computed_at: datetime,
    change_set: ChangeSet | None,
    phases: Phases,
    tree: Sequence[Unit],
) -> list[TppReportFile]:
    """Render every file of version ``number`` (``body`` is its JSON, already rendered) and
    write them; the records of what was written, by name. ``tree`` is the organisation the
    data was computed from: the regency's workbook groups its units by agency with it."""
    from eoffice.tpp import workbook  # the report writer: only this function loads it

    started = time.perf_counter()
    meta = workbook.WorkbookMeta(computed_at=computed_at, version=number, **signer())
    base = f"tpp-{data.month}"
    files: list[tuple[str, bytes]] = [
        (f"{base}.json", body),
        (f"{base}.csv", render.report_csv(data)),
        (f"{base}.xlsx", workbook.report_xlsx(data, meta, tree)),
    ]
    unit_csvs = render.unit_csvs(data)
    names = unit_names({unit.unit_id: unit.code for unit in data.units})
    for unit in data.units:
        name = f"units/{names[unit.unit_id]}"
        files.append((f"{name}.csv", unit_csvs[unit.unit_id]))
        files.append((f"{name}.xlsx", workbook.unit_xlsx(data, unit.unit_id, meta)))
    if change_set is not None:
        files.append(("perubahan.json", changes_json(change_set)))
        files.append(("perubahan.csv", changes_csv(change_set)))
    phases.add("render", started)
    started = time.perf_counter()
    written = report_file_store.put_all(data.month, data.scope, number, files)
    phases.add("write", started)
    return written
