"""Prepared dispositions: the records clerk drafts a disposition for his head, who approves it
(as is or edited) or discards it. Only an approved draft is sent, in the head's name, and the
record keeps who prepared it."""

from __future__ import annotations

from eoffice import clock, events
from eoffice.auth import Principal
from eoffice.dispositions import disposing, inbox, store
from eoffice.dispositions.dispose_rules import Actor
from eoffice.dispositions.models import (
    Disposed,
    DispositionContent,
    PreparedCreate,
    PreparedDisposition,
    PreparedStatus,
    PreparedUpdate,
)
from eoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from eoffice.letters import access_rules
from eoffice.letters import store as letters_store
from eoffice.letters.models import HistoryAction, HistoryEntry
from eoffice.models import refuse_nulls
from eoffice.org import acting_rules, heads
from eoffice.org.models import Capacity, Role

LEADERS = (Role.head, Role.bupati, Role.sekda)


def prepare(principal: Principal, letter_id: str, data: PreparedCreate) -> PreparedDisposition:
    letter = disposing.letter_for_disposal(principal, letter_id)
    if not (principal.has_any(Role.tu) and access_rules.handles_unit(principal, letter.unit_id)):
        raise Forbidden(
            "only the records clerk of the letter's unit prepares dispositions",
            code="not_unit_clerk",
        )
    head_nip = data.head_nip or _unit_head(letter.unit_id)
    if head_nip == principal.nip:
        raise InvalidInput("prepare it for your head, not yourself", code="head_is_preparer")
    if data.head_nip and not set(disposing.employee(head_nip).roles) & set(LEADERS):
        raise InvalidInput(
            "a disposition is prepared for a head (or the bupati or sekda)", code="not_a_head"
        )
    disposing.check_content(data)
    now = clock.utcnow()
    draft = PreparedDisposition(
        prepared_id=disposing.new_id(),
        letter_id=letter_id,
        head_nip=head_nip,
        prepared_by_nip=principal.nip,
        content=DispositionContent.model_validate(data.model_dump(exclude={"head_nip"})),
        created_at=now,
        updated_at=now,
        letter=disposing.brief(letter),
    )
    store.save_prepared(draft, None)
    _history(draft, HistoryAction.disposition_prepared, principal.nip)
    events.publish(
        disposing.EVENTS,
        "DispositionPrepared",
        {
            "letter_id": letter_id,
            "prepared_id": draft.prepared_id,
            "head_nip": head_nip,
            "acted_by_nip": principal.nip,
        },
    )
    return draft


def _unit_head(unit_id: str) -> str:
    head = heads.head_of(unit_id)
    if head is None:
        raise InvalidInput("the letter's unit has no head", code="unit_without_head")
    return head.employee.nip


def pending(principal: Principal, on_behalf_of: str | None) -> list[PreparedDisposition]:
    """Drafts awaiting the caller (or, as Plt/Plh, the absent head)."""
    return store.pending_prepared(inbox.inbox_owner(principal, on_behalf_of))


def get(principal: Principal, letter_id: str, prepared_id: str) -> PreparedDisposition:
    return _record(principal, letter_id, prepared_id)[0]


def edit(
    principal: Principal, letter_id: str, prepared_id: str, data: PreparedUpdate
) -> PreparedDisposition:
    draft, rev = _pending(principal, letter_id, prepared_id)
    changes = data.model_dump(exclude_unset=True)
    refuse_nulls(DispositionContent, changes)
    content = DispositionContent.model_validate({**draft.content.model_dump(), **changes})
    disposing.check_content(content)
    edited = draft.model_copy(update={"content": content, "updated_at": clock.utcnow()})
    store.save_prepared(edited, rev)
    _history(edited, HistoryAction.prepared_disposition_edited, principal.nip)
    return edited


def approve(principal: Principal, letter_id: str, prepared_id: str) -> Disposed:
    """The head sends the draft in his name (his Plt/Plh may, recorded as such)."""
    draft, rev = _pending(principal, letter_id, prepared_id)
    capacity = _head_capacity(principal, draft)
    head = principal.employee if capacity.value == "self" else disposing.employee(draft.head_nip)
    letter = disposing.letter_for_disposal(principal, letter_id)
    now = clock.utcnow()
    disposition_id = disposing.new_id()
    approved = draft.model_copy(
        update={
            "status": PreparedStatus.approved,
            "decided_by_nip": principal.nip,
            "decided_at": now,
            "updated_at": now,
            "disposition_id": disposition_id,
        }
    )
    actor = Actor(head, principal.nip, capacity, head.unit_id)
    return disposing.send(
        actor, letter, draft.content, prepared=(approved, rev), disposition_id=disposition_id
    )


def discard(principal: Principal, letter_id: str, prepared_id: str) -> PreparedDisposition:
    """The head discards it, or the clerk withdraws it; either way nothing is sent."""
    draft, rev = _pending(principal, letter_id, prepared_id)
    now = clock.utcnow()
    discarded = draft.model_copy(
        update={
            "status": PreparedStatus.discarded,
            "decided_by_nip": principal.nip,
            "decided_at": now,
            "updated_at": now,
        }
    )
    store.save_prepared(discarded, rev)
    _history(discarded, HistoryAction.prepared_disposition_discarded, principal.nip)
    return discarded


def _record(
    principal: Principal, letter_id: str, prepared_id: str
) -> tuple[PreparedDisposition, int]:
    found = store.get_prepared(letter_id, prepared_id)
    if found is None or not _involved(principal, found[0]):
        raise NotFound(
            f"prepared disposition {prepared_id} does not exist", code="prepared_not_found"
        )
    return found


def _involved(principal: Principal, draft: PreparedDisposition) -> bool:
    return principal.nip in {draft.head_nip, draft.prepared_by_nip} or _acts_for_head(
        principal, draft
    )


def _acts_for_head(principal: Principal, draft: PreparedDisposition) -> bool:
    if not principal.acting:
        return False
    head = disposing.employee(draft.head_nip)
    return acting_rules.in_post(principal, head.position_id) is not None


def _head_capacity(principal: Principal, draft: PreparedDisposition) -> Capacity:
    if principal.nip == draft.head_nip:
        return Capacity.self  # without reading the head's record
    head = disposing.employee(draft.head_nip)
    capacity = acting_rules.in_post(principal, head.position_id)
    if capacity is None:
        raise Forbidden("only the head it was prepared for approves it", code="not_head")
    return capacity


def _pending(
    principal: Principal, letter_id: str, prepared_id: str
) -> tuple[PreparedDisposition, int]:
    draft, rev = _record(principal, letter_id, prepared_id)
    if draft.status is not PreparedStatus.pending:
        raise Conflict(
            f"the prepared disposition is {draft.status.value} already",
            code="prepared_decided",
            current=draft.model_dump(mode="json"),
        )
    return draft, rev


def _history(draft: PreparedDisposition, action: HistoryAction, actor_nip: str) -> None:
    letters_store.append_history(
        draft.letter_id,
        HistoryEntry(
            at=draft.updated_at,
            action=action,
            actor_nip=actor_nip,
            details={"prepared_id": draft.prepared_id, "head_nip": draft.head_nip},
        ),
    )
