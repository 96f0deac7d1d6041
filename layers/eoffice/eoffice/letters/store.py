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

import contextlib
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from eoffice.dynamo import (
    Row,
    conflicts_as,
    connection,
    decode_cursor,
    encode_cursor,
    get_or_none,
    gsi,
    is_conditional_failure,
    table_meta,
)
from eoffice.errors import Conflict
from eoffice.letters.models import HistoryEntry, Letter, LetterQuery, LetterStatus, Rejection

_MAX_ATTEMPTS = 60
_TURN_TIMEOUT = 5.0
_TURN_POLL = 0.03  # about one registration's transaction
_TURN_POLL_CAP = 1.0
_BACKOFF_BASE = 0.002
_BACKOFF_CAP = 0.05


class LetterRow(Row):
    """Every item of the table. ``body`` holds the JSON document of a letter, a history entry or
    a rejection (so adding a field to a model needs no storage change), or a file's plain text.
    ``rev`` is a letter's revision, for optimistic locking: not a PynamoDB VersionAttribute,
    which would put its condition on every kind of item in the table, counters included."""

    Meta = table_meta("LETTERS_TABLE")

    # Copies for FilterExpressions on list queries.
    status = UnicodeAttribute(null=True)
    sifat = UnicodeAttribute(null=True)
    classification = UnicodeAttribute(null=True)
    sender = UnicodeAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    last = NumberAttribute(null=True)
    tickets = NumberAttribute(null=True)
    served = NumberAttribute(null=True)
    # Who the letter was disposed to (a string set, so concurrent dispositions add to it without
    # overwriting each other); read back into ``Letter.disposed_to``.
    readers = UnicodeSetAttribute(null=True)
    by_collection: GlobalSecondaryIndex[LetterRow] = gsi(1)


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
        body=letter.model_dump_json(exclude={"disposed_to"}),
        status=letter.status.value,
        sifat=letter.sifat.value,
        classification=letter.classification_code,
        sender=(letter.sender_agency or "").casefold() or None,
        rev=rev,
        readers=set(letter.disposed_to) or None,
    )


def _letter(row: LetterRow) -> Letter:
    letter = Letter.model_validate_json(row.body or "{}")
    if row.readers:
        letter.disposed_to = sorted(row.readers)
    return letter


def _history_row(letter_id: str, entry: HistoryEntry) -> LetterRow:
    sk = f"HIST#{entry.at.isoformat()}#{random.getrandbits(32):08x}"
    return LetterRow(_letter_key(letter_id), sk, body=entry.model_dump_json())


# ---------------------------------------------------------------- registration
def register(letter: Letter, entry: HistoryEntry, *, fingerprint: str | None = None) -> Letter:
    """Write a new letter with the next agenda number of its unit and year, its first history
    entry and (for a file) its fingerprint, all in one transaction.

    The counter moves only together with the letter, so numbers have no gaps. Concurrent
    registrations take a ticket first and wait their turn, so a burst commits one after another
    instead of colliding; the transaction's condition on the counter stays the guarantee, and a
    turn that never comes (a crashed holder) ends in plain retries. Raises LetterExistsError
    when the id is taken (a replay) and DuplicateFileError when the unit already has this file.
    """
    year = letter.received_on.year
    counter_key = f"AGENDA#{letter.unit_id}#{year}"
    ticket = _take_ticket(counter_key)
    committed = False
    try:
        last = _wait_for_turn(counter_key, ticket)
        for attempt in range(_MAX_ATTEMPTS):
            numbered = letter.model_copy(update={"agenda_number": last + 1, "agenda_year": year})
            try:
                _write_registration(numbered, entry, counter_key, last, fingerprint)
                committed = True  # the transaction served the ticket
                return numbered
            except TransactWriteError as error:
                last = _after_cancellation(error, counter_key, fingerprint)
            # Full jitter, growing: losers of a burst spread out instead of colliding again.
            time.sleep(random.uniform(0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt)))  # noqa: S311
        raise Conflict("too many registrations at once; try again", code="agenda_busy")
    finally:
        if not committed:
            _serve_ticket(counter_key)  # a replay, a duplicate or a failure: the next may go


def _counter(counter_key: str) -> LetterRow:
    return LetterRow(counter_key, "COUNTER")


def _take_ticket(counter_key: str) -> int:
    """This registration's place in line (1, 2, ...) for the unit and year."""
    answer = _counter(counter_key).update(actions=[LetterRow.tickets.add(1)])
    return int(answer["Attributes"]["tickets"]["N"])


def _serve_ticket(counter_key: str) -> None:
    _counter(counter_key).update(actions=[LetterRow.served.add(1)])


def _wait_for_turn(counter_key: str, ticket: int) -> int:
    """Wait until every earlier ticket is served; the counter's last number when it is."""
    deadline = time.monotonic() + _TURN_TIMEOUT
    while True:
        row = _read_counter(counter_key)
        last, served = (int(row.last or 0), int(row.served or 0)) if row else (0, 0)
        ahead = ticket - 1 - served
        if ahead <= 0:
            return last
        if time.monotonic() > deadline:
            _skip_lost_tickets(counter_key, ticket)
            return last
        # Sleep about as long as the registrations ahead will take: few reads for the far back.
        time.sleep(min(_TURN_POLL_CAP, _TURN_POLL * ahead))


def _skip_lost_tickets(counter_key: str, ticket: int) -> None:
    """A holder ahead never finished (its process died): count the tickets before this one as
    served, so that those behind stop waiting for it too."""
    with contextlib.suppress(UpdateError):  # someone moved it already
        _counter(counter_key).update(
            actions=[LetterRow.served.set(ticket - 1)],
            condition=(LetterRow.served < ticket - 1) | LetterRow.served.does_not_exist(),
        )


def _read_counter(counter_key: str) -> LetterRow | None:
    return get_or_none(LetterRow, counter_key, "COUNTER", consistent=True)


def _write_registration(
    letter: Letter, entry: HistoryEntry, counter_key: str, last: int, fingerprint: str | None
) -> None:
    """Puts first, then the counter update: PynamoDB sends them in that order, which
    ``_after_cancellation`` reads the reasons by."""
    moved: list[Action] = [LetterRow.last.set(letter.agenda_number), LetterRow.served.add(1)]
    expected = LetterRow.last == last if last else LetterRow.last.does_not_exist()
    with TransactWrite(connection=connection()) as tx:
        tx.save(_letter_row(letter, 1), condition=LetterRow.pk.does_not_exist())
        tx.save(_history_row(letter.letter_id, entry), condition=LetterRow.pk.does_not_exist())
        if fingerprint:
            guard = LetterRow(fingerprint, "FILE", owner=letter.letter_id)
            tx.save(guard, condition=LetterRow.pk.does_not_exist())
        tx.update(_counter(counter_key), actions=moved, condition=expected, return_values="ALL_OLD")


def _after_cancellation(
    error: TransactWriteError, counter_key: str, fingerprint: str | None
) -> int:
    """The counter's last number to try after, or the domain error the cancellation means."""
    reasons = error.cancellation_reasons
    codes = [reason.code if reason else None for reason in reasons]
    if not codes:
        raise error
    if codes[0] == "ConditionalCheckFailed":
        raise LetterExistsError from error
    if fingerprint and codes[2] == "ConditionalCheckFailed":
        raise DuplicateFileError(fingerprint_owner(fingerprint) or "") from error
    counter = reasons[-1]
    if counter and counter.raw_item and "last" in counter.raw_item:
        return int(counter.raw_item["last"]["N"])
    row = _read_counter(counter_key)
    return int(row.last or 0) if row else 0


def fingerprint_key(unit_id: str, sha256: str) -> str:
    return f"SHA#{unit_id}#{sha256}"


def fingerprint_owner(fingerprint: str) -> str | None:
    row = get_or_none(LetterRow, fingerprint, "FILE")
    return row.owner if row else None


def claim_fingerprint(fingerprint: str, letter_id: str) -> str | None:
    """Record that ``letter_id`` holds this file; the holder's id if it was claimed before
    (``letter_id`` itself when an earlier delivery claimed it)."""
    guard = LetterRow(fingerprint, "FILE", owner=letter_id)
    try:
        guard.save(condition=LetterRow.pk.does_not_exist())
    except PutError:
        owner = fingerprint_owner(fingerprint)
        if owner is None:
            raise
        return owner
    return None


# ---------------------------------------------------------------- reading and changing
def get_letter(letter_id: str) -> tuple[Letter, int] | None:
    """The letter and its revision (for an optimistic update)."""
    row = get_or_none(LetterRow, _letter_key(letter_id), "LETTER")
    return (_letter(row), int(row.rev or 0)) if row else None


def save_letter(letter: Letter, rev: int, entry: HistoryEntry) -> None:
    """Replace a letter if nobody changed it since revision ``rev`` was read, with its history
    entry; 409 otherwise."""
    with (
        conflicts_as("the letter changed meanwhile; reload and try again"),
        TransactWrite(connection=connection()) as tx,
    ):
        tx.save(_letter_row(letter, rev + 1), condition=LetterRow.rev == rev)
        tx.save(_history_row(letter.letter_id, entry), condition=LetterRow.pk.does_not_exist())


def add_readers(tx: TransactWrite, letter_id: str, nips: set[str]) -> None:
    """In ``tx``: let ``nips`` see the letter, provided it is still registered. The revision
    moves, so a correction read before fails instead of writing the old readers back."""
    tx.update(
        LetterRow(_letter_key(letter_id), "LETTER"),
        actions=[LetterRow.readers.add(nips), LetterRow.rev.add(1)],
        condition=LetterRow.status == LetterStatus.registered.value,
    )


def grant_reader(letter_id: str, nip: str) -> None:
    """Let one more person see the letter (a Plt/Plh who opened his head's assignment)."""
    LetterRow(_letter_key(letter_id), "LETTER").update(
        actions=[LetterRow.readers.add({nip}), LetterRow.rev.add(1)],
        condition=LetterRow.pk.exists(),
    )


def add_history(tx: TransactWrite, letter_id: str, entry: HistoryEntry) -> None:
    """In ``tx``: one entry of the letter's history."""
    tx.save(_history_row(letter_id, entry), condition=LetterRow.pk.does_not_exist())


def append_history(letter_id: str, entry: HistoryEntry) -> None:
    _history_row(letter_id, entry).save(condition=LetterRow.pk.does_not_exist())


def history(letter_id: str) -> list[HistoryEntry]:
    rows = LetterRow.query(_letter_key(letter_id), LetterRow.sk.startswith("HIST#"))
    return [HistoryEntry.model_validate_json(row.body or "{}") for row in rows]


def save_text(letter_id: str, file_id: str, text: str) -> None:
    LetterRow(_letter_key(letter_id), f"TEXT#{file_id}", body=text).save()


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
    letters = [_letter(row) for row in result]
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
def save_rejection(rejection: Rejection, told: Mapping[str, HistoryEntry] | None = None) -> bool:
    """Record a rejection once, together with the entries of the letters it concerns (letter id
    -> entry) in one transaction, so a delivery that stops halfway leaves both or neither; False
    when this event's rejection was already recorded (and so were its entries)."""
    row = LetterRow(
        f"REJECTION#{rejection.rejection_id}",
        "REJECTION",
        gsi1pk="REJECTIONS",
        gsi1sk=f"{rejection.rejected_at.isoformat()}#{rejection.rejection_id}",
        body=rejection.model_dump_json(),
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(row, condition=LetterRow.pk.does_not_exist())
            for letter_id, entry in (told or {}).items():
                add_history(tx, letter_id, entry)
    except TransactWriteError as error:
        if not is_conditional_failure(error) or get_rejection(rejection.rejection_id) is None:
            raise
        return False
    return True


def get_rejection(rejection_id: str) -> Rejection | None:
    row = get_or_none(LetterRow, f"REJECTION#{rejection_id}", "REJECTION")
    return Rejection.model_validate_json(row.body or "{}") if row else None


def list_rejections(*, limit: int, cursor: str | None) -> tuple[list[Rejection], str | None]:
    result = LetterRow.by_collection.query(
        "REJECTIONS",
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, "REJECTIONS", ""),
    )
    items = [Rejection.model_validate_json(row.body or "{}") for row in result]
    return items, encode_cursor(result.last_evaluated_key)
