"""Data access for outgoing letters: one DynamoDB table (``OUTGOING_TABLE``).

Item kinds and keys (docs/decisions/0011-tte-signing.md):
- a letter: ``OUT#{id}`` / ``OUTGOING``, the whole record as one JSON document with a revision;
  its index entries are derived from its state on every write: gsi1 ``ACT#{nip}`` for whoever
  must act next (reviewer, author after a return, signer), gsi2 ``AUTHOR#{nip}``, gsi3
  ``UNIT#{unit}`` (both by creation time);
- its history: ``OUT#{id}`` / ``HIST#{at}#{n}``;
- the number counter of a unit and year: ``NUMBER#{unit}#{year}`` / ``COUNTER``, moved only in the
  transaction that records the first signature (no gaps, no duplicates);
- lookups for verification: ``CMS#{sha256}`` / ``SIGNATURE`` (each signature's CMS) and
  ``FILE#{sha256}`` / ``SIGNED`` (each signed file) -> the letter;
- the public verify endpoint's per-address counters: ``RATE#{address}#{minute}`` / ``RATE``,
  expired by TTL.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError, UpdateError
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
    table_meta,
)
from eoffice.errors import Conflict
from eoffice.letters.models import HistoryEntry
from eoffice.outgoing.models import Outgoing, OutgoingStatus
from eoffice.outgoing.rules import turn_of


class OutgoingRow(Row):
    Meta = table_meta("OUTGOING_TABLE")

    last = NumberAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    hits = NumberAttribute(null=True)
    expires_at = NumberAttribute(null=True)
    waiting_on: GlobalSecondaryIndex[OutgoingRow] = gsi(1)
    by_author: GlobalSecondaryIndex[OutgoingRow] = gsi(2)
    by_unit: GlobalSecondaryIndex[OutgoingRow] = gsi(3)


def _key(outgoing_id: str) -> str:
    return f"OUT#{outgoing_id}"


PENDING_DELIVERY = "DELIVERY#PENDING"


def _waiting_key(outgoing: Outgoing) -> str | None:
    """gsi1's partition: whose turn it is, or the delivery still owed of a signed letter."""
    turn = turn_of(outgoing)
    if turn:
        return f"ACT#{turn}"
    if outgoing.status is OutgoingStatus.signed and outgoing.delivered_at is None:
        return PENDING_DELIVERY
    return None


def _row(outgoing: Outgoing, rev: int) -> OutgoingRow:
    created = f"{outgoing.created_at.isoformat()}#{outgoing.outgoing_id}"
    waiting = _waiting_key(outgoing)
    return OutgoingRow(
        _key(outgoing.outgoing_id),
        "OUTGOING",
        gsi1pk=waiting,
        gsi1sk=f"{outgoing.updated_at.isoformat()}#{outgoing.outgoing_id}" if waiting else None,
        gsi2pk=f"AUTHOR#{outgoing.author_nip}",
        gsi2sk=created,
        gsi3pk=f"UNIT#{outgoing.unit_id}",
        gsi3sk=created,
        body=outgoing.model_dump_json(),
        rev=rev,
    )


def _outgoing(row: OutgoingRow) -> Outgoing:
    return Outgoing.model_validate_json(row.body or "{}")


def _history_row(outgoing_id: str, entry: HistoryEntry) -> OutgoingRow:
    sk = f"HIST#{entry.at.isoformat()}#{random.getrandbits(32):08x}"
    return OutgoingRow(_key(outgoing_id), sk, body=entry.model_dump_json())


# ---------------------------------------------------------------- letters
def create(outgoing: Outgoing, entry: HistoryEntry) -> None:
    with TransactWrite(connection=connection()) as tx:
        tx.save(_row(outgoing, 1), condition=OutgoingRow.pk.does_not_exist())
        tx.save(
            _history_row(outgoing.outgoing_id, entry), condition=OutgoingRow.pk.does_not_exist()
        )


def get(outgoing_id: str, *, consistent: bool = False) -> tuple[Outgoing, int] | None:
    """The letter and its revision (for an optimistic update)."""
    row = get_or_none(OutgoingRow, _key(outgoing_id), "OUTGOING", consistent=consistent)
    return (_outgoing(row), int(row.rev or 0)) if row else None


def save(outgoing: Outgoing, rev: int, *entries: HistoryEntry) -> None:
    """Replace the letter if nobody changed it since revision ``rev``; 409 otherwise."""
    with (
        conflicts_as(
            "the letter changed meanwhile; reload and try again",
            current=lambda: _current(outgoing.outgoing_id),
        ),
        TransactWrite(connection=connection()) as tx,
    ):
        _write(tx, outgoing, rev, entries)


def _current(outgoing_id: str) -> Any:
    found = get(outgoing_id, consistent=True)
    return found[0].model_dump(mode="json") if found else None


def _write(
    tx: TransactWrite, outgoing: Outgoing, rev: int, entries: tuple[HistoryEntry, ...]
) -> None:
    tx.save(_row(outgoing, rev + 1), condition=OutgoingRow.rev == rev)
    for entry in entries:
        tx.save(
            _history_row(outgoing.outgoing_id, entry), condition=OutgoingRow.pk.does_not_exist()
        )


def append_history(outgoing_id: str, entry: HistoryEntry) -> None:
    """An entry on its own, for what happened around a letter without changing it."""
    _history_row(outgoing_id, entry).save(condition=OutgoingRow.pk.does_not_exist())


def history(outgoing_id: str) -> list[HistoryEntry]:
    rows = OutgoingRow.query(_key(outgoing_id), OutgoingRow.sk.startswith("HIST#"))
    return [HistoryEntry.model_validate_json(row.body or "{}") for row in rows]


# ---------------------------------------------------------------- signatures
@dataclass(frozen=True)
class Number:
    """A number to take with this write: the counter's last value must still be ``after`` (so
    two letters never get the same sequence and none is skipped)."""

    unit_id: str
    year: int
    after: int

    @property
    def key(self) -> str:
        return f"NUMBER#{self.unit_id}#{self.year}"


class NumberTaken(Exception):
    """Another letter took the next number first: try again with the next one."""


def last_number(unit_id: str, year: int) -> int:
    row = get_or_none(OutgoingRow, f"NUMBER#{unit_id}#{year}", "COUNTER", consistent=True)
    return int(row.last or 0) if row else 0


def commit(
    outgoing: Outgoing,
    rev: int,
    entries: tuple[HistoryEntry, ...],
    *,
    cms_sha256: tuple[str, ...] = (),
    file_sha256: str | None = None,
    number: Number | None = None,
) -> None:
    """Write the letter with its history, the verification lookups of new signatures and
    (when it takes one) its number, all or nothing. ``NumberTaken`` when the counter moved
    meanwhile; 409 when the letter did."""
    try:
        with TransactWrite(connection=connection()) as tx:
            _write(tx, outgoing, rev, entries)
            owner = outgoing.outgoing_id
            for sha in cms_sha256:
                tx.save(OutgoingRow(f"CMS#{sha}", "SIGNATURE", owner=owner))
            if file_sha256:
                tx.save(OutgoingRow(f"FILE#{file_sha256}", "SIGNED", owner=owner))
            if number is not None:
                moved = OutgoingRow.last.set(number.after + 1)
                expected = (
                    OutgoingRow.last == number.after
                    if number.after
                    else OutgoingRow.last.does_not_exist()
                )
                tx.update(OutgoingRow(number.key, "COUNTER"), actions=[moved], condition=expected)
    except TransactWriteError as error:
        codes = [reason.code if reason else None for reason in error.cancellation_reasons]
        if number is not None and codes and codes[-1] == "ConditionalCheckFailed":
            raise NumberTaken from error
        if codes and codes[0] == "ConditionalCheckFailed":
            raise Conflict(
                "the letter changed meanwhile; reload and try again",
                current=_current(outgoing.outgoing_id),
            ) from error
        raise


def signed_by_lookup(kind: str, sha256: str) -> str | None:
    """The letter whose signature (``CMS``) or signed file (``FILE``) has this SHA-256."""
    sk = "SIGNATURE" if kind == "CMS" else "SIGNED"
    row = get_or_none(OutgoingRow, f"{kind}#{sha256}", sk)
    return row.owner if row else None


# ---------------------------------------------------------------- lists
_INDEXES = {
    "waiting": ("waiting_on", "ACT#", "gsi1"),
    "author": ("by_author", "AUTHOR#", "gsi2"),
    "unit": ("by_unit", "UNIT#", "gsi3"),
}


def list_by(
    index: str, value: str, *, limit: int, cursor: str | None
) -> tuple[list[Outgoing], str | None]:
    """One page of one index (``waiting`` on a NIP, by ``author``, by ``unit``), newest first."""
    attribute, prefix, name = _INDEXES[index]
    partition = f"{prefix}{value}"
    result = getattr(OutgoingRow, attribute).query(
        partition,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, partition, "", index=name),
    )
    rows = [_outgoing(row) for row in result]  # no filter: ``limit`` items are one page
    return rows, encode_cursor(result.last_evaluated_key)


def pending_deliveries(before: datetime, *, limit: int = 50) -> list[Outgoing]:
    """Signed letters whose delivery has not been recorded, last changed before ``before``:
    one Query of gsi1, oldest first."""
    rows = OutgoingRow.waiting_on.query(
        PENDING_DELIVERY, OutgoingRow.gsi1sk < before.isoformat(), limit=limit
    )
    return [_outgoing(row) for row in rows]


# ---------------------------------------------------------------- shared links
def save_share(token_sha256: str, outgoing_id: str, expires: datetime) -> None:
    """A download link for an external recipient: only the token's hash is kept; the item
    expires with the link (TTL)."""
    row = OutgoingRow(
        f"SHARE#{token_sha256}",
        "SHARE",
        owner=outgoing_id,
        expires_at=int(expires.timestamp()),
    )
    row.save(condition=OutgoingRow.pk.does_not_exist())


def share_owner(token_sha256: str, now: datetime) -> str | None:
    """The letter a link token opens, while the link lives (TTL deletes late: check the time)."""
    row = get_or_none(OutgoingRow, f"SHARE#{token_sha256}", "SHARE")
    if row is None or int(row.expires_at or 0) <= now.timestamp():
        return None
    return row.owner


# ---------------------------------------------------------------- rate limit
def take_rate(address: str, *, limit: int, window_seconds: int = 60) -> bool:
    """Count one request of ``address`` in the current window; False when over ``limit``."""
    window = int(time.time()) // window_seconds
    row = OutgoingRow(f"RATE#{address}#{window}", "RATE")
    try:
        row.update(
            actions=[
                OutgoingRow.hits.add(1),
                OutgoingRow.expires_at.set((window + 2) * window_seconds),
            ],
            condition=OutgoingRow.hits.does_not_exist() | (OutgoingRow.hits < limit),
        )
    except UpdateError:
        return False
    return True
