"""The claim on an outgoing letter being signed: one request signs it at a time, and a BSrE
request whose outcome is unknown (BSrE did not answer, or the request never finished) blocks
the letter until someone resolves it, so a letter is never signed twice.

A claim older than :data:`CLAIM_SECONDS` is stale: the request that took it is gone, and the
next one may sign, unless it had gone to BSrE.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from eoffice import clock
from eoffice.errors import Conflict
from eoffice.observability import logger
from eoffice.outgoing import store
from eoffice.outgoing.models import Outgoing, SigningClaim

CLAIM_SECONDS = 120


def claim_time(outgoing: Outgoing) -> datetime:
    """When the claim the caller holds was taken (what tells it from a later request's)."""
    assert outgoing.signing_claim is not None  # just claimed
    return outgoing.signing_claim.at


def stale(claim: SigningClaim) -> bool:
    """The request that took the claim is gone (a signature never takes this long)."""
    return clock.utcnow() - claim.at >= timedelta(seconds=CLAIM_SECONDS)


def outcome_unknown(claim: SigningClaim) -> bool:
    """BSrE may have signed: it did not answer, or the request that asked it never finished
    (the function was stopped while waiting)."""
    return claim.outcome_unknown or (claim.sent_to_bsre and stale(claim))


def require_unclaimed(outgoing: Outgoing) -> None:
    """409 while another request signs the letter, or while a BSrE outcome is unknown."""
    claim = outgoing.signing_claim
    if claim is None:
        return
    if outcome_unknown(claim):
        raise Conflict(
            "an earlier BSrE signature of this letter has an unknown outcome; resolve it first",
            code="signing_outcome_unknown",
        )
    if not stale(claim):
        raise Conflict("the letter is being signed right now", code="signing_in_progress")


def settle(outgoing_id: str, ours: datetime, *, unknown: bool | None) -> None:
    """After a failure, change our own claim (taken at ``ours``; a later one is another
    request's): drop it (the number stays with the letter), or keep it as an unknown outcome.
    ``unknown=None``: unknown if the request went to BSrE (it may have signed), else drop."""
    for _ in range(5):
        found = store.get(outgoing_id, consistent=True)
        claim = found[0].signing_claim if found else None
        if found is None or claim is None or claim.at != ours:
            return
        keep = claim.sent_to_bsre if unknown is None else unknown
        settled = claim.model_copy(update={"outcome_unknown": True}) if keep else None
        try:
            store.save(found[0].model_copy(update={"signing_claim": settled}), found[1])
            return
        except Conflict:
            continue
    logger.warning("signing claim left in place", outgoing_id=outgoing_id)


def mark_sent_to_bsre(outgoing: Outgoing, rev: int) -> tuple[Outgoing, int]:
    """Say on the claim, before the request goes out, that BSrE is being asked: a request cut
    short is then never repeated."""
    claim = outgoing.signing_claim
    assert claim is not None  # the caller holds the claim
    marked = outgoing.model_copy(
        update={"signing_claim": claim.model_copy(update={"sent_to_bsre": True})}
    )
    store.save(marked, rev)
    return marked, rev + 1
