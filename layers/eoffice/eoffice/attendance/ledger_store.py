"""Reading what was recorded (check-ins, corrections, flags) and the writes after the fact
(corrections, reviews). Query and GetItem only; keys in ``eoffice.attendance.table``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.transactions import TransactWrite

from eoffice.attendance.checkin_store import (
    checkin_index_keys,
    checkin_sort_key,
    flag_sort_key,
    open_flag_keys,
)
from eoffice.attendance.models import CheckIn, CheckKind, CheckState, Correction, Flag
from eoffice.attendance.table import AttendanceRow, employee_key, unit_month_key
from eoffice.dynamo import conflicts_as, connection, decode_cursor, encode_cursor, get_or_none


def _between(prefix: str, first: date, last: date) -> tuple[str, str]:
    return f"{prefix}#{first.isoformat()}", f"{prefix}#{last.isoformat()}~"


def _rows(nip: str, prefix: str, first: date, last: date) -> Iterator[AttendanceRow]:
    low, high = _between(prefix, first, last)
    yield from AttendanceRow.query(employee_key(nip), AttendanceRow.sk.between(low, high))


# ---------------------------------------------------------------- an employee
def checkins_of(nip: str, first: date, last: date) -> list[CheckIn]:
    """Every recorded attempt of his from ``first`` to ``last`` (WITA days), oldest first."""
    return [CheckIn.model_validate_json(row.body or "{}") for row in _rows(nip, "AT", first, last)]


def corrections_of(nip: str, first: date, last: date) -> list[Correction]:
    return [
        Correction.model_validate_json(row.body or "{}") for row in _rows(nip, "CORR", first, last)
    ]


def flags_of(nip: str, first: date, last: date) -> list[Flag]:
    return [Flag.model_validate_json(row.body or "{}") for row in _rows(nip, "FLAG", first, last)]


# ---------------------------------------------------------------- a unit's day
def unit_day(unit_id: str, day: date) -> tuple[list[CheckIn], list[Correction]]:
    """The check-ins that may count (rejected ones are not indexed) and the corrections of a
    unit's day: one paginated Query of its month's partition."""
    iso = day.isoformat()
    checkins: list[CheckIn] = []
    corrections: list[Correction] = []
    for row in AttendanceRow.by_unit_month.query(
        unit_month_key(unit_id, iso[:7]), AttendanceRow.gsi1sk.startswith(f"{iso}#")
    ):
        if row.sk.startswith("AT#"):
            checkins.append(CheckIn.model_validate_json(row.body or "{}"))
        else:
            corrections.append(Correction.model_validate_json(row.body or "{}"))
    return checkins, corrections


# ---------------------------------------------------------------- a unit's month
@dataclass(frozen=True, slots=True)
class Recorded:
    """What a day's status needs of a check-in, and no more: a month of a regency is 220,000
    check-ins, and a parsed ``CheckIn`` is large (docs/performance.md, docs/research/tpp.md
    section 2)."""

    nip: str
    kind: CheckKind
    state: CheckState
    effective_at: datetime

    @classmethod
    def from_body(cls, body: str) -> Recorded:
        raw = json.loads(body)
        return cls(
            raw["nip"],
            CheckKind(raw["kind"]),
            CheckState(raw["state"]),
            datetime.fromisoformat(raw["effective_at"]),
        )


def unit_month(unit_id: str, month: str) -> tuple[list[Recorded], list[Correction]]:
    """The check-ins that may count and the corrections of a unit's month (``YYYY-MM``): one
    paginated Query of its month's partition. Records stay with the unit of the moment they
    were made: those of an employee who moved are read from his own partition."""
    checkins: list[Recorded] = []
    corrections: list[Correction] = []
    for row in AttendanceRow.by_unit_month.query(unit_month_key(unit_id, month)):
        if row.sk.startswith("AT#"):
            checkins.append(Recorded.from_body(row.body or "{}"))
        else:
            corrections.append(Correction.model_validate_json(row.body or "{}"))
    return checkins, corrections


# ---------------------------------------------------------------- corrections
def add_correction(correction: Correction, unit_id: str) -> None:
    """A new item each time: earlier corrections and the check-ins stay as they were."""
    day, at = correction.day.isoformat(), correction.at.isoformat()
    row = AttendanceRow(
        employee_key(correction.nip),
        f"CORR#{day}#{at}",
        gsi1pk=unit_month_key(unit_id, day[:7]),
        gsi1sk=f"{day}#{correction.nip}#CORR#{at}",
        body=correction.model_dump_json(),
    )
    with conflicts_as("a correction was recorded at the same instant; try again"):
        row.save(condition=AttendanceRow.pk.does_not_exist())


# ---------------------------------------------------------------- flags
def open_flags(unit_prefix: str, limit: int, cursor: str | None) -> tuple[list[Flag], str | None]:
    """Open flags, by unit then day (gsi2 ``FLAGS#OPEN``); ``unit_prefix`` '' for all."""
    partition = "FLAGS#OPEN"
    start = decode_cursor(cursor, partition, unit_prefix, index="gsi2")
    condition = AttendanceRow.gsi2sk.startswith(unit_prefix) if unit_prefix else None
    page = AttendanceRow.queue.query(partition, condition, limit=limit, last_evaluated_key=start)
    flags = [Flag.model_validate_json(row.body or "{}") for row in page]
    return flags, encode_cursor(page.last_evaluated_key)


def get_flag(nip: str, day: date, flag_id: str) -> Flag | None:
    row = get_or_none(AttendanceRow, employee_key(nip), f"FLAG#{day.isoformat()}#{flag_id}")
    return Flag.model_validate_json(row.body or "{}") if row else None


def checkin_of(nip: str, day: date, checkin_id: str) -> tuple[CheckIn, str | None] | None:
    """His check-in ``checkin_id`` of ``day`` and its stored body (the condition a review that
    changes it writes on), None when there is none."""
    for row in AttendanceRow.query(
        employee_key(nip), AttendanceRow.sk.between(*_between("AT", day, day))
    ):
        checkin = CheckIn.model_validate_json(row.body or "{}")
        if checkin.checkin_id == checkin_id:
            return checkin, row.body
    return None


def save_review(flags: list[Flag], checkin: CheckIn | None, checkin_was: str | None) -> None:
    """Closed flags leave the queue; a reviewed check-in counts or not from now on (its unit
    index entry goes when it is rejected). One transaction, on condition that the flags are
    still open and the check-in unchanged: of two concurrent reviews, the second gets 409."""
    with (
        conflicts_as("the flag was reviewed meanwhile", code="flag_closed"),
        TransactWrite(connection=connection()) as tx,
    ):
        for flag in flags:
            tx.save(_flag_row(flag), condition=AttendanceRow.gsi2pk.exists())
        if checkin is not None:
            tx.save(_checkin_row(checkin), condition=AttendanceRow.body == checkin_was)


def _flag_row(flag: Flag) -> AttendanceRow:
    row = AttendanceRow(employee_key(flag.nip), flag_sort_key(flag), body=flag.model_dump_json())
    if flag.open:
        row.gsi2pk, row.gsi2sk = open_flag_keys(flag)
    return row


def _checkin_row(checkin: CheckIn) -> AttendanceRow:
    row = AttendanceRow(
        employee_key(checkin.nip), checkin_sort_key(checkin), body=checkin.model_dump_json()
    )
    if (keys := checkin_index_keys(checkin)) is not None:
        row.gsi1pk, row.gsi1sk = keys
    return row
