"""Data access for dispositions: one DynamoDB table (``DISPOSITIONS_TABLE``).

Items (docs/decisions/0010-dispositions.md):
- an assignment or tembusan: ``LETTER#{letter}`` / ``ASSIGN#{id}``, so a letter's whole tree is
  one Query; the record is one JSON ``body`` plus copies of what indexes and filters need;
- a prepared disposition: ``LETTER#{letter}`` / ``PREP#{id}``;
- the settings: ``SETTINGS`` / ``DISPOSITION``.
Indexes, all sparse and derived from the record's state on every write:
- gsi1 ``INBOX#{nip}`` / ``{created_at}#{id}``: everything sent to a person, newest first;
  ``PREPARED#{head}`` / ``{created_at}#{id}``: prepared dispositions awaiting a head;
- gsi2 ``OPEN#{nip}`` / ``{deadline}#{id}``: what a person still has to act on (and unread
  tembusan), nearest deadline first; the badge counts and the overdue filter read it;
- gsi3 ``WATCH#{yyyy-mm}`` / ``{next action at}#{id}``: reminders and escalations due, for the
  scheduled deadline function;
- gsi4 ``UNIT#{unit}`` / ``{created_at}#{id}``: assignments to a unit, for the leaders' overview.
Letter-side effects (who may read it, its history) go in the same transaction as the
assignments, through ``eoffice.letters.store``.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from eoffice.dispositions.models import (
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    DispositionSettings,
    PreparedDisposition,
    PreparedStatus,
)
from eoffice.dynamo import (
    Row,
    conflicts_as,
    connection,
    decode_cursor,
    encode_cursor,
    get_or_none,
    gsi,
    table_meta,
)
from eoffice.letters import store as letters_store
from eoffice.letters.models import HistoryEntry

NO_DEADLINE = "~"  # sorts after every ISO date: tembusan come last in deadline order


class DispositionRow(Row):
    Meta = table_meta("DISPOSITIONS_TABLE")

    gsi4pk = UnicodeAttribute(null=True)  # the fourth index: a unit's dispositions
    gsi4sk = UnicodeAttribute(null=True)
    # Copies for FilterExpressions.
    status = UnicodeAttribute(null=True)
    urgensi = UnicodeAttribute(null=True)
    deadline = UnicodeAttribute(null=True)
    by_inbox: GlobalSecondaryIndex[DispositionRow] = gsi(1)
    by_open: GlobalSecondaryIndex[DispositionRow] = gsi(2)
    by_watch: GlobalSecondaryIndex[DispositionRow] = gsi(3)
    by_unit: GlobalSecondaryIndex[DispositionRow] = gsi(4)


# ---------------------------------------------------------------- keys
def _letter_key(letter_id: str) -> str:
    return f"LETTER#{letter_id}"


def inbox_partition(nip: str) -> str:
    return f"INBOX#{nip}"


def open_partition(nip: str) -> str:
    return f"OPEN#{nip}"


def watch_partition(at: datetime) -> str:
    """The UTC month, as ``due_for_action`` reads them (a WITA time keeps its own month)."""
    return f"WATCH#{at.astimezone(UTC).strftime('%Y-%m')}"


def iso_key(at: datetime) -> str:
    """UTC, fixed width, so that keys sort by time."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def next_action(assignment: Assignment) -> tuple[str, datetime] | None:
    """What the deadline function must do next for this assignment, and when: remind before
    the deadline, then escalate at it; nothing once it is closed, escalated or a tembusan."""
    if (
        assignment.kind is not AssignmentKind.assignment
        or not assignment.status.open
        or assignment.deadline is None
        or assignment.overdue
    ):
        return None
    if assignment.remind_at is not None and assignment.reminded_at is None:
        return "remind", assignment.remind_at
    return "escalate", assignment.deadline


def assignment_row(assignment: Assignment, rev: int) -> DispositionRow:
    created = f"{iso_key(assignment.created_at)}#{assignment.assignment_id}"
    row = DispositionRow(
        _letter_key(assignment.letter_id),
        f"ASSIGN#{assignment.assignment_id}",
        gsi1pk=inbox_partition(assignment.recipient_nip),
        gsi1sk=created,
        body=assignment.model_dump_json(),
        rev=rev,
        status=assignment.status.value,
        urgensi=assignment.letter.urgensi.value,
        deadline=iso_key(assignment.deadline) if assignment.deadline else None,
    )
    if _is_open(assignment):
        due = iso_key(assignment.deadline) if assignment.deadline else NO_DEADLINE
        row.gsi2pk = open_partition(assignment.recipient_nip)
        row.gsi2sk = f"{due}#{assignment.assignment_id}"
    action = next_action(assignment)
    if action is not None:
        row.gsi3pk = watch_partition(action[1])
        row.gsi3sk = f"{iso_key(action[1])}#{assignment.assignment_id}"
    if assignment.kind is AssignmentKind.assignment:
        row.gsi4pk = f"UNIT#{assignment.recipient_unit_id}"
        row.gsi4sk = created
    return row


def _is_open(assignment: Assignment) -> bool:
    """Still to act on: an open assignment, or a tembusan not yet read."""
    if assignment.kind is AssignmentKind.tembusan:
        return assignment.status is AssignmentStatus.sent
    return assignment.status.open


def _assignment(row: DispositionRow) -> Assignment:
    return Assignment.model_validate_json(row.body or "{}")


# ---------------------------------------------------------------- writing
@dataclass(frozen=True)
class Versioned:
    """A record to rewrite if it is still at revision ``rev``."""

    assignment: Assignment
    rev: int


_CHANGED = "the disposition changed meanwhile; reload and try again"


def _conflicts(record: Versioned | None = None) -> AbstractContextManager[None]:
    """409 ``disposition_conflict`` for a failed condition; when one assignment was being
    changed, the answer carries its current state so that the client need not reload."""
    if record is None:
        return conflicts_as(_CHANGED, code="disposition_conflict")
    a = record.assignment
    return conflicts_as(
        _CHANGED,
        code="disposition_conflict",
        current=lambda: _current(a.letter_id, a.assignment_id),
    )


def _current(letter_id: str, assignment_id: str) -> dict[str, Any] | None:
    found = get_assignment(letter_id, assignment_id)
    return found[0].model_dump(mode="json") if found else None


def create(
    assignments: Sequence[Assignment],
    entry: HistoryEntry,
    *,
    parent: Versioned | None = None,
    prepared: tuple[PreparedDisposition, int] | None = None,
    also_readers: frozenset[str] = frozenset(),
) -> None:
    """Write a disposition's assignments all or nothing, with what they change: the letter may
    be read by the recipients (and ``also_readers``), its history, the forwarded assignment,
    the prepared draft."""
    letter_id = assignments[0].letter_id
    readers = {assignment.recipient_nip for assignment in assignments} | also_readers
    with (
        _conflicts(parent),
        TransactWrite(connection=connection()) as tx,
    ):
        for assignment in assignments:
            tx.save(assignment_row(assignment, 1), condition=DispositionRow.pk.does_not_exist())
        letters_store.add_history(tx, letter_id, entry)
        if parent is not None:
            _rewrite(tx, parent)
        if prepared is not None:
            draft, rev = prepared
            tx.save(_prepared_row(draft, rev + 1), condition=DispositionRow.rev == rev)
        letters_store.add_readers(tx, letter_id, readers)


def _rewrite(tx: TransactWrite, record: Versioned) -> None:
    tx.save(
        assignment_row(record.assignment, record.rev + 1),
        condition=DispositionRow.rev == record.rev,
    )


def update(record: Versioned, entry: HistoryEntry | None) -> None:
    """Replace an assignment if nobody changed it since it was read; 409 with its current state
    otherwise."""
    letter_id = record.assignment.letter_id
    with _conflicts(record), TransactWrite(connection=connection()) as tx:
        _rewrite(tx, record)
        if entry is not None:
            letters_store.add_history(tx, letter_id, entry)


# ---------------------------------------------------------------- reading
def get_assignment(letter_id: str, assignment_id: str) -> tuple[Assignment, int] | None:
    row = get_or_none(DispositionRow, _letter_key(letter_id), f"ASSIGN#{assignment_id}")
    return (_assignment(row), int(row.rev or 0)) if row else None


def letter_assignments(letter_id: str) -> list[Assignment]:
    """Every assignment and tembusan of a letter: one Query."""
    return [record.assignment for record in letter_records(letter_id)]


def letter_records(letter_id: str) -> list[Versioned]:
    """The same, each with its revision (for a change without reading it again)."""
    rows = DispositionRow.query(_letter_key(letter_id), DispositionRow.sk.startswith("ASSIGN#"))
    return [Versioned(_assignment(row), int(row.rev or 0)) for row in rows]


@dataclass(frozen=True)
class InboxQuery:
    nip: str
    statuses: frozenset[AssignmentStatus] = frozenset()
    urgensi: str | None = None
    overdue_before: datetime | None = None
    by_deadline: bool = False


def inbox(
    query: InboxQuery, *, limit: int, cursor: str | None
) -> tuple[list[Assignment], str | None]:
    """One Query: newest first on gsi1, or (open only) nearest deadline first on gsi2."""
    filters = _inbox_filters(query)
    if query.by_deadline or query.overdue_before is not None:
        partition = open_partition(query.nip)
        key_condition = (
            DispositionRow.gsi2sk < iso_key(query.overdue_before)
            if query.overdue_before is not None
            else None
        )
        result = DispositionRow.by_open.query(
            partition,
            key_condition,
            filter_condition=filters,
            scan_index_forward=True,
            limit=limit,
            last_evaluated_key=decode_cursor(cursor, partition, "", index="gsi2"),
        )
    else:
        partition = inbox_partition(query.nip)
        result = DispositionRow.by_inbox.query(
            partition,
            filter_condition=filters,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=decode_cursor(cursor, partition, ""),
        )
    # One page only (ADR 0010): a filtered page may come back short, even empty, and its cursor
    # continues from what DynamoDB evaluated; iterating ``result`` would Query on to fill it.
    page = next(result.page_iter)
    items = [_assignment(DispositionRow.from_raw_data(raw)) for raw in page.get("Items", [])]
    return items, encode_cursor(result.page_iter.last_evaluated_key)


def _inbox_filters(query: InboxQuery) -> Any:
    conditions: list[Any] = []
    if query.statuses:
        conditions.append(DispositionRow.status.is_in(*(s.value for s in query.statuses)))
    if query.urgensi:
        conditions.append(DispositionRow.urgensi == query.urgensi)
    if query.overdue_before is not None:
        conditions.append(DispositionRow.deadline.exists())
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined & condition
    return combined


def open_items(nip: str) -> list[Assignment]:
    """Everything a person still has to act on (and unread tembusan): one Query."""
    return [_assignment(row) for row in DispositionRow.by_open.query(open_partition(nip))]


def due_for_action(now: datetime, months_back: int = 2) -> list[tuple[Assignment, int]]:
    """Assignments whose reminder or escalation time has come: one Query per month from
    ``months_back`` months ago to now (the watch index holds only pending actions)."""
    found: list[tuple[Assignment, int]] = []
    for month in _months_back(now, months_back):
        rows = DispositionRow.by_watch.query(
            f"WATCH#{month}", DispositionRow.gsi3sk <= f"{iso_key(now)}#~"
        )
        found.extend((_assignment(row), int(row.rev or 0)) for row in rows)
    return found


def _months_back(now: datetime, count: int) -> list[str]:
    year, month = now.astimezone(UTC).year, now.astimezone(UTC).month
    months = []
    for _ in range(count + 1):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def unit_assignments(unit_id: str, since: datetime) -> list[Assignment]:
    """Assignments sent to a unit's people since ``since``: one Query on gsi4."""
    rows = DispositionRow.by_unit.query(f"UNIT#{unit_id}", DispositionRow.gsi4sk >= iso_key(since))
    return [_assignment(row) for row in rows]


# ---------------------------------------------------------------- prepared dispositions
def _prepared_row(draft: PreparedDisposition, rev: int) -> DispositionRow:
    row = DispositionRow(
        _letter_key(draft.letter_id),
        f"PREP#{draft.prepared_id}",
        body=draft.model_dump_json(),
        rev=rev,
        status=draft.status.value,
    )
    if draft.status is PreparedStatus.pending:
        row.gsi1pk = f"PREPARED#{draft.head_nip}"
        row.gsi1sk = f"{iso_key(draft.created_at)}#{draft.prepared_id}"
    return row


def save_prepared(draft: PreparedDisposition, rev: int | None) -> None:
    """Create (``rev`` None) or replace a prepared disposition still at ``rev``."""
    condition = DispositionRow.pk.does_not_exist() if rev is None else DispositionRow.rev == rev
    with _conflicts(), TransactWrite(connection=connection()) as tx:
        tx.save(_prepared_row(draft, (rev or 0) + 1), condition=condition)


def get_prepared(letter_id: str, prepared_id: str) -> tuple[PreparedDisposition, int] | None:
    row = get_or_none(DispositionRow, _letter_key(letter_id), f"PREP#{prepared_id}")
    if row is None:
        return None
    return PreparedDisposition.model_validate_json(row.body or "{}"), int(row.rev or 0)


def pending_prepared(head_nip: str) -> list[PreparedDisposition]:
    rows = DispositionRow.by_inbox.query(f"PREPARED#{head_nip}", scan_index_forward=False)
    return [PreparedDisposition.model_validate_json(row.body or "{}") for row in rows]


# ---------------------------------------------------------------- settings
def get_settings() -> DispositionSettings:
    row = get_or_none(DispositionRow, "SETTINGS", "DISPOSITION")
    return (
        DispositionSettings.model_validate_json(row.body)
        if row and row.body
        else DispositionSettings()
    )


def save_settings(settings: DispositionSettings) -> None:
    DispositionRow("SETTINGS", "DISPOSITION", body=settings.model_dump_json()).save()
