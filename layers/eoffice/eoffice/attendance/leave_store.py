"""Data access for leave and travel in the attendance table (``table.AttendanceRow``).

| item | pk / sk | indexes |
| --- | --- | --- |
| leave | ``EMP#{nip}`` / ``LEAVE#{leave_id}``: body JSON, ``rev`` | gsi2, gsi3 (below) |
| filing lock | ``EMP#{nip}`` / ``LEAVES``: ``v`` counts his filings | |
| id lookup | ``LEAVEID#{leave_id}`` / ``LEAVE``: ``nip`` | |

- gsi2 ``LEAVES#WAITING#{approver_unit_id}`` / ``{starts_on}#{nip}#{leave_id}`` while pending:
  the queue of the unit's head; dropped when decided or cancelled.
- gsi3 ``LEAVES#{unit_id}`` / ``{ends_on}#{starts_on}#{nip}#{leave_id}`` always: the leave
  touching a period is ``sk >= first day`` with ``starts_on <= last day``.

Leave ids start with the filing time in milliseconds (hex), so his leave sorts newest first.
The lock makes two filings of one employee serialise: each reads ``v`` with his leave (one Query,
``begins_with LEAVE``) and writes ``v + 1`` conditionally, so an overlap check cannot be raced.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from pynamodb.transactions import TransactWrite

from eoffice.attendance.leave_models import Leave
from eoffice.attendance.models import LeaveState
from eoffice.attendance.table import AttendanceRow, employee_key
from eoffice.dynamo import (
    conflicts_as,
    connection,
    decode_cursor,
    encode_cursor,
    get_or_none,
)

LEAVE_PREFIX = "LEAVE#"
LOCK_SK = "LEAVES"
_LEAVE_ID = re.compile(r"^[0-9a-f]{32}$")


def new_leave_id() -> str:
    """32 hex digits: milliseconds since the epoch, then 80 random bits."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(10)}"


def is_leave_id(value: str) -> bool:
    return bool(_LEAVE_ID.match(value))


def _sk(leave_id: str) -> str:
    return f"{LEAVE_PREFIX}{leave_id}"


def _lookup_key(leave_id: str) -> str:
    return f"LEAVEID#{leave_id}"


def waiting_key(unit_id: str) -> str:
    return f"LEAVES#WAITING#{unit_id}"


def unit_key(unit_id: str) -> str:
    return f"LEAVES#{unit_id}"


def _row(leave: Leave, rev: int) -> AttendanceRow:
    pending = leave.state is LeaveState.pending
    tail = f"{leave.nip}#{leave.leave_id}"
    return AttendanceRow(
        employee_key(leave.nip),
        _sk(leave.leave_id),
        gsi2pk=waiting_key(leave.approver_unit_id) if pending else None,
        gsi2sk=f"{leave.starts_on.isoformat()}#{tail}" if pending else None,
        gsi3pk=unit_key(leave.unit_id),
        gsi3sk=f"{leave.ends_on.isoformat()}#{leave.starts_on.isoformat()}#{tail}",
        body=leave.model_dump_json(),
        rev=rev,
    )


def _leave(row: AttendanceRow) -> Leave:
    return Leave.model_validate_json(row.body or "{}")


# ---------------------------------------------------------------- writes
def create(leave: Leave, lock_v: int | None) -> None:
    """Record a new leave, its id lookup and the employee's next filing count, all or nothing;
    409 when another filing of his came first (``lock_v`` is what he read)."""
    lock = AttendanceRow(employee_key(leave.nip), LOCK_SK, v=(lock_v or 0) + 1)
    unchanged = (
        AttendanceRow.v == lock_v if lock_v is not None else AttendanceRow.pk.does_not_exist()
    )
    with (
        conflicts_as("another leave of his was filed meanwhile; try again", code="leave_changed"),
        TransactWrite(connection=connection()) as tx,
    ):
        tx.save(_row(leave, 1), condition=AttendanceRow.pk.does_not_exist())
        tx.save(
            AttendanceRow(_lookup_key(leave.leave_id), "LEAVE", nip=leave.nip),
            condition=AttendanceRow.pk.does_not_exist(),
        )
        tx.save(lock, condition=unchanged)


def save(leave: Leave, rev: int) -> None:
    """Replace the leave if nobody changed it since ``rev``; 409 otherwise. The index keys
    follow its state (a decided leave leaves the head's queue)."""
    with conflicts_as(
        "the leave changed meanwhile; reload and try again",
        code="leave_changed",
        current=lambda: _current(leave.leave_id),
    ):
        _row(leave, rev + 1).save(condition=AttendanceRow.rev == rev)


def _current(leave_id: str) -> Any:
    found = get(leave_id)
    return found[0].model_dump(mode="json") if found else None


# ---------------------------------------------------------------- reads
def get(leave_id: str) -> tuple[Leave, int] | None:
    """The leave and its revision (two GetItems: the id lookup, then the leave)."""
    if not is_leave_id(leave_id):
        return None
    lookup = get_or_none(AttendanceRow, _lookup_key(leave_id), "LEAVE")
    if lookup is None or not lookup.nip:
        return None
    row = get_or_none(AttendanceRow, employee_key(lookup.nip), _sk(leave_id), consistent=True)
    return (_leave(row), int(row.rev or 0)) if row else None


def filing_state(nip: str) -> tuple[list[Leave], int | None]:
    """Every leave of his and his filing count (one Query: ``begins_with LEAVE`` holds both)."""
    leaves: list[Leave] = []
    lock_v: int | None = None
    rows = AttendanceRow.query(
        employee_key(nip), AttendanceRow.sk.startswith("LEAVE"), consistent_read=True
    )
    for row in rows:
        if row.sk == LOCK_SK:
            lock_v = int(row.v or 0)
        elif row.sk.startswith(LEAVE_PREFIX):
            leaves.append(_leave(row))
    return leaves, lock_v


def leaves_of(nip: str, *, limit: int, cursor: str | None) -> tuple[list[Leave], str | None]:
    """His leave, newest filed first, a page at a time."""
    start = decode_cursor(cursor, employee_key(nip), LEAVE_PREFIX, index=None)
    result = AttendanceRow.query(
        employee_key(nip),
        AttendanceRow.sk.startswith(LEAVE_PREFIX),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=start,
    )
    leaves = [_leave(row) for row in result]
    return leaves, encode_cursor(result.last_evaluated_key)


def waiting_in(unit_id: str) -> list[Leave]:
    """Pending leave the unit's head decides, by first day (one paginated Query on gsi2)."""
    return [_leave(row) for row in AttendanceRow.queue.query(waiting_key(unit_id))]


def unit_leave(unit_id: str, first: date, last: date) -> list[Leave]:
    """Leave of the unit's employees (any state) touching ``first..last``: one paginated Query
    on gsi3 from ``first``, the later starts dropped here."""
    rows = AttendanceRow.unit_leave.query(
        unit_key(unit_id), AttendanceRow.gsi3sk >= first.isoformat()
    )
    found = (_leave(row) for row in rows)
    return sorted(
        (leave for leave in found if leave.starts_on <= last),
        key=lambda leave: (leave.starts_on, leave.nip, leave.leave_id),
    )


def approved_leave_of(nip: str, first: date, last: date) -> list[Leave]:
    """His approved leave touching ``first..last`` (one Query on ``EMP#{nip}``), by first day:
    what his daily status needs."""
    rows = AttendanceRow.query(employee_key(nip), AttendanceRow.sk.startswith(LEAVE_PREFIX))
    return _approved_touching((_leave(row) for row in rows), first, last)


def approved_leave_in_unit(unit_id: str, first: date, last: date) -> list[Leave]:
    """Approved leave of the unit's employees touching ``first..last`` (one paginated Query on
    gsi3), by first day: what a unit's day or month needs. The unit is the employee's when he
    filed: a leave stays with the unit he left."""
    return _approved_touching(unit_leave(unit_id, first, last), first, last)


def _approved_touching(leaves: Iterable[Leave], first: date, last: date) -> list[Leave]:
    kept = [
        leave
        for leave in leaves
        if leave.state is LeaveState.approved and leave.overlaps(first, last)
    ]
    return sorted(kept, key=lambda leave: (leave.starts_on, leave.nip, leave.leave_id))
