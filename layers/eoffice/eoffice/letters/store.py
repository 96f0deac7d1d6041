"""Data access for letters: one DynamoDB table (``LETTERS_TABLE``).

Item kinds and keys (docs/decisions/0009-letters-table.md):
- a letter: ``LETTER#{id}`` / ``LETTER``; listed by unit on gsi1 ``UNIT#{unit}#LETTERS`` /
  ``{received_on}#{registered_at}#{id}`` (newest first); the whole letter is one JSON document,
  with the fields the list filters on copied to top-level attributes;
- its history: ``LETTER#{id}`` / ``HIST#{at}#{n}``, written only with "must not exist";
- its text layer: ``LETTER#{id}`` / ``TEXT#{file_id}``, kept apart so lists stay small;
- the agenda counter of a unit and year: ``AGENDA#{unit}#{year}`` / ``COUNTER``;
- a file's fingerprint in a unit: ``SHA#{unit}#{sha256}`` / ``FILE`` (duplicate detection);
- an intake rejection: ``REJECTION#{id}`` / ``REJECTION``; listed on gsi1 ``REJECTIONS``.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from eoffice.dynamo import EnvBoundMeta, conflicts_as, connection, decode_cursor, encode_cursor
from eoffice.errors import Conflict
from eoffice.letters.models import HistoryEntry, Letter, LetterStatus, Rejection, Sifat

_MAX_ATTEMPTS = 200


class _Meta(metaclass=EnvBoundMeta):
    table_env = "LETTERS_TABLE"


class ByCollection(GlobalSecondaryIndex["LetterRow"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class LetterRow(Model):
    """Every item of the table; ``body`` holds the JSON document of letters, history entries,
    texts and rejections, so adding a field to a model needs no storage change."""

    class Meta(_Meta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)
    # Copies for FilterExpressions on list queries.
    status = UnicodeAttribute(null=True)
    sifat = UnicodeAttribute(null=True)
    classification = UnicodeAttribute(null=True)
    sender = UnicodeAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    last = NumberAttribute(null=True)
    # A letter's revision, for optimistic locking. Not a PynamoDB VersionAttribute: that would
    # put its condition on every kind of item in the table, counters included.
    rev = NumberAttribute(null=True)
    by_collection = ByCollection()


class LetterExistsError(Exception):
    """The letter id is taken: a replayed event already created it."""


@dataclass
class DuplicateFileError(Exception):
    first_letter_id: str


def _letter_key(letter_id: str) -> str:
    return f"LETTER#{letter_id}"


def _unit_collection(unit_id: str) -> str:
    return f"UNIT#{unit_id}#LETTERS"


def _letter_row(letter: Letter, rev: int) -> LetterRow:
    return LetterRow(
        _letter_key(letter.letter_id),
        "LETTER",
        gsi1pk=_unit_collection(letter.unit_id),
        gsi1sk=f"{letter.received_on.isoformat()}#{letter.registered_at.isoformat()}#{letter.letter_id}",
        body=letter.model_dump_json(),
        status=letter.status.value,
        sifat=letter.sifat.value,
        classification=letter.classification_code,
        sender=(letter.sender_agency or "").casefold() or None,
        rev=rev,
    )


def _history_row(letter_id: str, entry: HistoryEntry) -> LetterRow:
    sk = f"HIST#{entry.at.isoformat()}#{random.getrandbits(32):08x}"
    return LetterRow(_letter_key(letter_id), sk, body=entry.model_dump_json())


# ---------------------------------------------------------------- registration
def register(letter: Letter, entry: HistoryEntry, *, fingerprint: str | None = None) -> Letter:
    """Write a new letter with the next agenda number of its unit and year, its first history
    entry and (for a file) its fingerprint, all in one transaction.

    The counter moves only together with the letter, so numbers have no gaps; concurrent
    registrations retry on the counter's condition. Raises LetterExistsError when the id is
    taken (a replay) and DuplicateFileError when the unit already has this file.
    """
    year = letter.received_on.year
    counter_key = f"AGENDA#{letter.unit_id}#{year}"
    last = _current_agenda(counter_key)
    for attempt in range(_MAX_ATTEMPTS):
        numbered = letter.model_copy(update={"agenda_number": last + 1, "agenda_year": year})
        try:
            _write_registration(numbered, entry, counter_key, last, fingerprint)
            return numbered
        except TransactWriteError as error:
            last = _after_cancellation(error, counter_key, last, fingerprint)
        time.sleep(random.uniform(0, 0.002 * min(attempt + 1, 25)))  # noqa: S311 - jitter
    raise Conflict("too many registrations at once; try again", code="agenda_busy")


def _current_agenda(counter_key: str) -> int:
    try:
        row = LetterRow.get(counter_key, "COUNTER", consistent_read=True)
    except LetterRow.DoesNotExist:
        return 0
    return int(row.last or 0)


def _write_registration(
    letter: Letter, entry: HistoryEntry, counter_key: str, last: int, fingerprint: str | None
) -> None:
    counter = LetterRow(counter_key, "COUNTER", last=letter.agenda_number)
    expected = LetterRow.last == last if last else LetterRow.pk.does_not_exist()
    with TransactWrite(connection=connection()) as tx:
        tx.save(counter, condition=expected, return_values="ALL_OLD")
        tx.save(_letter_row(letter, 1), condition=LetterRow.pk.does_not_exist())
        tx.save(_history_row(letter.letter_id, entry), condition=LetterRow.pk.does_not_exist())
        if fingerprint:
            guard = LetterRow(fingerprint, "FILE", owner=letter.letter_id)
            tx.save(guard, condition=LetterRow.pk.does_not_exist(), return_values="ALL_OLD")


def _after_cancellation(
    error: TransactWriteError, counter_key: str, last: int, fingerprint: str | None
) -> int:
    """The agenda number to try next, or the domain error the cancellation means."""
    reasons = [reason.code if reason else None for reason in error.cancellation_reasons]
    if not reasons:
        raise error
    if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
        raise LetterExistsError from error
    if fingerprint and len(reasons) > 3 and reasons[3] == "ConditionalCheckFailed":
        raise DuplicateFileError(fingerprint_owner(fingerprint) or "") from error
    counter = error.cancellation_reasons[0]
    if counter and counter.raw_item and "last" in counter.raw_item:
        return int(counter.raw_item["last"]["N"])
    return _current_agenda(counter_key)


def fingerprint_key(unit_id: str, sha256: str) -> str:
    return f"SHA#{unit_id}#{sha256}"


def fingerprint_owner(fingerprint: str) -> str | None:
    try:
        return LetterRow.get(fingerprint, "FILE").owner
    except LetterRow.DoesNotExist:
        return None


def claim_fingerprint(fingerprint: str, letter_id: str) -> str | None:
    """Record that ``letter_id`` holds this file; the first holder's id if another has it."""
    guard = LetterRow(fingerprint, "FILE", owner=letter_id)
    try:
        guard.save(condition=LetterRow.pk.does_not_exist())
    except PutError:
        owner = fingerprint_owner(fingerprint)
        if owner is None:
            raise
        return None if owner == letter_id else owner
    return None


# ---------------------------------------------------------------- reading and changing
def get_letter(letter_id: str) -> tuple[Letter, int] | None:
    try:
        row = LetterRow.get(_letter_key(letter_id), "LETTER")
    except LetterRow.DoesNotExist:
        return None
    return Letter.model_validate_json(row.body or "{}"), int(row.rev or 0)


def save_letter(letter: Letter, rev: int, entry: HistoryEntry) -> None:
    """Replace a letter if nobody changed it since revision ``rev`` was read, with its history
    entry; 409 otherwise."""
    with (
        conflicts_as("the letter changed meanwhile; reload and try again"),
        TransactWrite(connection=connection()) as tx,
    ):
        tx.save(_letter_row(letter, rev + 1), condition=LetterRow.rev == rev)
        tx.save(_history_row(letter.letter_id, entry), condition=LetterRow.pk.does_not_exist())


def append_history(letter_id: str, entry: HistoryEntry) -> None:
    _history_row(letter_id, entry).save(condition=LetterRow.pk.does_not_exist())


def history(letter_id: str) -> list[HistoryEntry]:
    rows = LetterRow.query(_letter_key(letter_id), LetterRow.sk.startswith("HIST#"))
    return [HistoryEntry.model_validate_json(row.body or "{}") for row in rows]


def save_text(letter_id: str, file_id: str, text: str) -> None:
    LetterRow(_letter_key(letter_id), f"TEXT#{file_id}", body=text).save()


@dataclass(frozen=True)
class LetterQuery:
    unit_id: str
    status: LetterStatus | None = None
    sifat: Sifat | None = None
    classification: str | None = None
    sender: str | None = None
    received_from: date | None = None
    received_to: date | None = None


def list_letters(
    query: LetterQuery, *, limit: int, cursor: str | None
) -> tuple[list[Letter], str | None]:
    """A unit's letters, newest first: one Query on gsi1, filtered in DynamoDB."""
    partition = _unit_collection(query.unit_id)
    result = LetterRow.by_collection.query(
        partition,
        _received_between(query.received_from, query.received_to),
        filter_condition=_filters(query),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, partition, ""),
    )
    letters = [Letter.model_validate_json(row.body or "{}") for row in result]
    return letters, encode_cursor(result.last_evaluated_key)


def _received_between(start: date | None, end: date | None) -> Any:
    if start and end:
        return LetterRow.gsi1sk.between(start.isoformat(), f"{end.isoformat()}~")
    if start:
        return LetterRow.gsi1sk >= start.isoformat()
    if end:
        return LetterRow.gsi1sk <= f"{end.isoformat()}~"
    return None


def _filters(query: LetterQuery) -> Any:
    conditions = [
        condition
        for condition in (
            LetterRow.status == query.status.value if query.status else None,
            LetterRow.sifat == query.sifat.value if query.sifat else None,
            LetterRow.classification.startswith(query.classification)
            if query.classification
            else None,
            LetterRow.sender.contains(query.sender.casefold()) if query.sender else None,
        )
        if condition is not None
    ]
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined & condition
    return combined


# ---------------------------------------------------------------- rejections
def save_rejection(rejection: Rejection) -> bool:
    """Record a rejection once; False when this event's rejection was already recorded."""
    row = LetterRow(
        f"REJECTION#{rejection.rejection_id}",
        "REJECTION",
        gsi1pk="REJECTIONS",
        gsi1sk=f"{rejection.rejected_at.isoformat()}#{rejection.rejection_id}",
        body=rejection.model_dump_json(),
    )
    try:
        row.save(condition=LetterRow.pk.does_not_exist())
    except PutError:
        if get_rejection(rejection.rejection_id) is None:
            raise
        return False
    return True


def get_rejection(rejection_id: str) -> Rejection | None:
    try:
        row = LetterRow.get(f"REJECTION#{rejection_id}", "REJECTION")
    except LetterRow.DoesNotExist:
        return None
    return Rejection.model_validate_json(row.body or "{}")


def list_rejections(*, limit: int, cursor: str | None) -> tuple[list[Rejection], str | None]:
    result = LetterRow.by_collection.query(
        "REJECTIONS",
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, "REJECTIONS", ""),
    )
    items = [Rejection.model_validate_json(row.body or "{}") for row in result]
    return items, encode_cursor(result.last_evaluated_key)
