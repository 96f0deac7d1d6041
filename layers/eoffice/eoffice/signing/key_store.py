"""Data access for signing keys: one DynamoDB table (``SIGNING_KEYS_TABLE``), no indexes.

Item kinds and keys:
- a signing key: ``KEYS`` / ``KEY#{key_id}``. All keys share one partition so that listing them
  is one Query (a regency has tens of keys, not thousands); the key is one JSON document
  (``body``) with an optimistic revision (``rev``);
- a signer's active key: ``SIGNER#{nip}`` / ``KEY`` with ``key_id``; it moves in the same
  transaction as the keys it activates and disables, so a signer never has two;
- the trust roots verification accepts: ``CONFIG`` / ``TRUST_ROOTS``, a JSON list of PEMs.

The signing function may not delete items (template.yaml): a pointer is emptied, not deleted.
This module deals in JSON documents; :mod:`eoffice.signing.keys` owns their models.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from eoffice.dynamo import Row, conflicts_as, connection, get_or_none, table_meta

KEYS = "KEYS"
_CHANGED = "the signing key changed meanwhile; reload and try again"


class SigningKeyRow(Row):
    """Every item of the table; what ``body`` holds depends on the kind."""

    Meta = table_meta("SIGNING_KEYS_TABLE")

    key_id = UnicodeAttribute(null=True)  # a signer's pointer


def _key_sk(key_id: str) -> str:
    return f"KEY#{key_id}"


def _signer_pk(nip: str) -> str:
    return f"SIGNER#{nip}"


def _key_row(key_id: str, body: str, rev: int) -> SigningKeyRow:
    return SigningKeyRow(KEYS, _key_sk(key_id), body=body, rev=rev)


# ---------------------------------------------------------------- keys
def insert_key(key_id: str, body: str) -> None:
    """Write a new key (revision 1); 409 if the id is taken."""
    with conflicts_as("a signing key with this id exists", code="key_exists"):
        _key_row(key_id, body, 1).save(condition=SigningKeyRow.pk.does_not_exist())


def read_key(key_id: str) -> tuple[str, int] | None:
    """A key's document and revision."""
    row = get_or_none(SigningKeyRow, KEYS, _key_sk(key_id), consistent=True)
    return (row.body or "{}", int(row.rev or 0)) if row else None


def list_keys() -> list[str]:
    """Every key's document, in id order (one Query, paged by PynamoDB)."""
    rows = SigningKeyRow.query(KEYS, SigningKeyRow.sk.startswith("KEY#"))
    return [row.body or "{}" for row in rows]


def update_key(key_id: str, body: str, rev: int) -> None:
    """Replace a key if nobody changed it since revision ``rev``; 409 otherwise."""
    with conflicts_as(_CHANGED, code="key_changed"):
        _key_row(key_id, body, rev + 1).save(condition=SigningKeyRow.rev == rev)


def activate_key(
    key_id: str,
    body: str,
    rev: int,
    owner_nip: str,
    replaced: tuple[str, str, int] | None,
) -> None:
    """In one transaction: write the now active key, disable the signer's earlier key
    (``replaced``: its id, new document and revision) and point the signer at the new one. The
    pointer must still be where it was read, so two activations cannot both win."""
    pointer = SigningKeyRow(_signer_pk(owner_nip), "KEY", key_id=key_id)
    if replaced:
        still = SigningKeyRow.key_id == replaced[0]
    else:
        still = SigningKeyRow.pk.does_not_exist() | SigningKeyRow.key_id.does_not_exist()
    with conflicts_as(_CHANGED, code="key_changed"), TransactWrite(connection=connection()) as tx:
        tx.save(_key_row(key_id, body, rev + 1), condition=_at_revision(rev))
        if replaced:
            old_id, old_body, old_rev = replaced
            tx.save(_key_row(old_id, old_body, old_rev + 1), condition=_at_revision(old_rev))
        tx.save(pointer, condition=still)


def disable_key(key_id: str, body: str, rev: int, owner_nip: str | None) -> None:
    """Write the disabled key and, when it is its signer's active key, empty the pointer."""
    pointed = owner_nip is not None and signer_key_id(owner_nip) == key_id
    with conflicts_as(_CHANGED, code="key_changed"), TransactWrite(connection=connection()) as tx:
        tx.save(_key_row(key_id, body, rev + 1), condition=_at_revision(rev))
        if pointed and owner_nip is not None:
            tx.update(
                SigningKeyRow(_signer_pk(owner_nip), "KEY"),
                actions=[SigningKeyRow.key_id.remove()],
                condition=SigningKeyRow.key_id == key_id,
            )


def _at_revision(rev: int) -> Condition:
    return SigningKeyRow.rev == rev if rev else SigningKeyRow.pk.does_not_exist()


def signer_key_id(nip: str) -> str | None:
    """The id of the signer's active key, if any."""
    row = get_or_none(SigningKeyRow, _signer_pk(nip), "KEY", consistent=True)
    return row.key_id if row else None


# ---------------------------------------------------------------- trust roots
def read_trust_roots() -> tuple[str, int] | None:
    """The trust roots' document and revision."""
    row = get_or_none(SigningKeyRow, "CONFIG", "TRUST_ROOTS", consistent=True)
    return (row.body or "{}", int(row.rev or 0)) if row else None


def write_trust_roots(body: str, rev: int) -> None:
    """Replace the trust roots read at revision ``rev`` (0: none were stored); 409 otherwise."""
    row = SigningKeyRow("CONFIG", "TRUST_ROOTS", body=body, rev=rev + 1)
    with conflicts_as("the trust roots changed meanwhile; reload and try again"):
        row.save(condition=_at_revision(rev))
