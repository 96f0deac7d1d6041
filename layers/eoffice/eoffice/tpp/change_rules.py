"""What changed from one version of a month's report to the next, employee by employee.

A rerun after late data (an offline batch, a corrected day, a newly approved leave) makes a new
version (issue 7, point 4); hr must see why someone's pay moved. The previous version is read
from its JSON (``render.report_json``), which holds each employee's summary and the digest of his
days; only when that digest differs are his previous days fetched (the stored explanation) and
compared date by date, labelled with short codes ("TK", "TL1+PSW3", "cuti_sakit", "libur").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from eoffice.attendance.models import DayStatus
from eoffice.spreadsheets import csv_bytes
from eoffice.tpp.change_models import ChangeSet, DayChange, EmployeeChange
from eoffice.tpp.models import DayCharge, EmployeeMonth, ReportData
from eoffice.tpp.render import (
    NO,
    YES,
    canonical,
    canonical_bytes,
    employee_doc,
    field_label,
    read_report_json,
)

PreviousDays = Callable[[str], list[DayCharge] | None]

_NOT_COMPARED = {"nip", "days_digest"}
_REPORT_FIELDS = ("rule_set", "tpp_total", "deduction_total", "paid_total")
_KIND_LABELS: dict[str, str] = {"added": "baru", "removed": "dihapus", "changed": "berubah"}
_REPORT_LABELS: dict[str, str] = {
    "rule_set.name": "Aturan",
    "rule_set.version": "Versi aturan",
    "rule_set.effective_from": "Aturan berlaku mulai",
    "tpp_total": "Jumlah TPP (Rp)",
    "deduction_total": "Jumlah potongan (Rp)",
    "paid_total": "Jumlah dibayar (Rp)",
}
_STATUS_CODES: dict[DayStatus, str] = {
    DayStatus.absent: "TK",
    DayStatus.day_off: "libur",
    DayStatus.pending_review: "menunggu",
    DayStatus.not_yet: "belum",
    DayStatus.not_employed: "luar masa kerja",
}
PENDING = "menunggu"


# ---------------------------------------------------------------- day codes
def day_code(day: DayCharge) -> str:
    """'hadir', 'TL2', 'TL1+PSW3', 'TK', the leave type, 'libur'; ' menunggu' when check-ins of
    the day still await review."""
    if day.status is DayStatus.present:
        code = "+".join(band for band in (day.late_band, day.early_band) if band) or "hadir"
    elif day.status is DayStatus.leave:
        code = day.leave_type.value if day.leave_type else "cuti"
    else:
        code = _STATUS_CODES[day.status]
    if day.pending_checkins and code != PENDING:
        code = f"{code} {PENDING}"
    return code


def day_changes(was: Iterable[DayCharge], now: Iterable[DayCharge]) -> list[DayChange]:
    """Dates whose code differs, by date."""
    before = {day.day: day_code(day) for day in was}
    after = {day.day: day_code(day) for day in now}
    return [
        DayChange(day=when, was=before.get(when), now=after.get(when))
        for when in sorted(before.keys() | after.keys())
        if before.get(when) != after.get(when)
    ]


# ---------------------------------------------------------------- the diff
def flatten(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{'late_counts': {'TL1': 2}} → {'late_counts.TL1': 2}; lists stay whole."""
    flat: dict[str, Any] = {}
    for key, value in doc.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Flattened fields whose canonical values differ (a missing one is null)."""
    before, after = flatten(old), flatten(new)
    keys = sorted((before.keys() | after.keys()) - _NOT_COMPARED)
    return {
        key: (before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)
    }


def diff(
    previous: dict[str, Any],
    current: ReportData,
    previous_days: PreviousDays,
    current_json: bytes | None = None,
) -> ChangeSet:
    """Per NIP: added, removed, or changed (with the fields and days that moved); the
    unchanged are left out. ``current_json`` (``report_json(current)``, already rendered by
    the run) spares hashing every employee's days a second time."""
    before = {doc["nip"]: doc for doc in previous["employees"]}
    after = {employee.nip: employee for employee in current.employees}
    rendered = (
        {doc["nip"]: doc for doc in read_report_json(current_json)["employees"]}
        if current_json is not None
        else {}
    )
    changes: list[EmployeeChange] = []
    for nip in sorted(before.keys() | after.keys()):
        if nip not in before:
            changes.append(EmployeeChange(nip=nip, name=after[nip].name, change="added"))
        elif nip not in after:
            changes.append(EmployeeChange(nip=nip, name=before[nip]["name"], change="removed"))
        else:
            new = rendered.get(nip) or employee_doc(after[nip])
            change = _employee_change(before[nip], new, after[nip], previous_days)
            if change is not None:
                changes.append(change)
    return ChangeSet(
        month=current.month,
        scope=current.scope,
        report=_report_changes(previous, current),
        employees=changes,
    )


def _employee_change(
    old: dict[str, Any], new: dict[str, Any], employee: EmployeeMonth, previous_days: PreviousDays
) -> EmployeeChange | None:
    fields = field_changes(old, new)
    days: list[DayChange] = []
    compared = True
    if old.get("days_digest") != new["days_digest"]:
        was = previous_days(employee.nip)
        compared = was is not None
        days = day_changes(was, employee.days) if was is not None else []
    if not fields and not days and compared:
        return None
    return EmployeeChange(
        nip=employee.nip,
        name=employee.name,
        change="changed",
        fields=fields,
        days=days,
        days_compared=compared,
    )


def _report_changes(previous: dict[str, Any], current: ReportData) -> dict[str, tuple[Any, Any]]:
    old = {key: previous.get(key) for key in _REPORT_FIELDS}
    new = canonical(current.model_dump(include=set(_REPORT_FIELDS)))
    return field_changes(old, new)


# ---------------------------------------------------------------- files
def changes_json(changes: ChangeSet) -> bytes:
    """Canonical like the report JSON: the same change list gives the same bytes."""
    return canonical_bytes(canonical(changes.model_dump()))


def changes_csv(changes: ChangeSet) -> bytes:
    """For hr: NIP, Nama, Perubahan, Rincian; one row per employee, after a first row for the
    report itself when its rule set or totals moved."""
    rows = []
    if changes.report:
        rows.append(["", "Seluruh laporan", _KIND_LABELS["changed"], _details(changes.report)])
    for change in changes.employees:
        rows.append([change.nip, change.name, _KIND_LABELS[change.change], _rincian(change)])
    return csv_bytes(["NIP", "Nama", "Perubahan", "Rincian"], rows)


def _rincian(change: EmployeeChange) -> str:
    if change.change == "added":
        return "pegawai baru dalam laporan"
    if change.change == "removed":
        return "tidak ada lagi dalam laporan"
    parts = [_details(change.fields)] if change.fields else []
    parts += [f"{d.day.isoformat()}: {d.was or '-'} → {d.now or '-'}" for d in change.days]
    if not change.days_compared:
        parts.append("rincian harian berubah (versi sebelumnya tidak tersedia)")
    return "; ".join(parts)


def _details(fields: dict[str, tuple[Any, Any]]) -> str:
    return "; ".join(
        f"{_label(key)}: {_text(old)} → {_text(new)}" for key, (old, new) in fields.items()
    )


def _label(key: str) -> str:
    return _REPORT_LABELS.get(key) or field_label(key)


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value) or "-"
    if isinstance(value, dict):
        if "decree_number" in value and "percent" in value:  # a penalty applied
            return f"{value['decree_number']} ({value['percent']} %)"
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)
