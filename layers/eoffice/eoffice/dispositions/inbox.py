"""A person's inbox of assignments and tembusan, and the counts for its badge. A Plt/Plh reads
the absent head's."""

from __future__ import annotations

from eoffice import clock
from eoffice.auth import Principal
from eoffice.dispositions import store
from eoffice.dispositions.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    InboxSummary,
)
from eoffice.dispositions.store import InboxQuery
from eoffice.errors import InvalidInput
from eoffice.letters.models import Urgensi
from eoffice.org.acting import stands_in_for


def parse_statuses(text: str | None) -> frozenset[AssignmentStatus]:
    """``sent,read`` as a set of statuses; 422 for a word that is not one."""
    words = [word.strip() for word in (text or "").split(",") if word.strip()]
    try:
        return frozenset(AssignmentStatus(word) for word in words)
    except ValueError as error:
        raise InvalidInput(
            f"status must be among: {', '.join(s.value for s in AssignmentStatus)}",
            code="invalid_status",
        ) from error


def inbox_owner(principal: Principal, on_behalf_of: str | None) -> str:
    """Whose inbox the caller reads: his own, or (as Plt/Plh) the absent head's."""
    return stands_in_for(principal, on_behalf_of)


def inbox(
    principal: Principal,
    *,
    on_behalf_of: str | None = None,
    statuses: frozenset[AssignmentStatus] = frozenset(),
    urgensi: Urgensi | None = None,
    overdue: bool = False,
    by_deadline: bool = False,
    limit: int,
    cursor: str | None,
) -> tuple[list[Assignment], str | None]:
    """The caller's (or, as Plt/Plh, the absent head's) assignments and tembusan: newest first,
    or open ones by nearest deadline; one Query either way."""
    if (by_deadline or overdue) and statuses - OPEN_STATUSES:
        raise InvalidInput(
            "deadline order and the overdue filter list open assignments only "
            "(sent, read, in_progress)",
            code="open_statuses_only",
        )
    query = InboxQuery(
        nip=inbox_owner(principal, on_behalf_of),
        statuses=statuses,
        urgensi=urgensi.value if urgensi else None,
        overdue_before=clock.utcnow() if overdue else None,
        by_deadline=by_deadline,
    )
    return store.inbox(query, limit=limit, cursor=cursor)


def inbox_summary(principal: Principal, on_behalf_of: str | None = None) -> InboxSummary:
    """The badge: one Query of what the person still has open."""
    now = clock.utcnow()
    items = store.open_items(inbox_owner(principal, on_behalf_of))
    assignments = [a for a in items if a.kind is AssignmentKind.assignment]
    return InboxSummary(
        unread=sum(a.status is AssignmentStatus.sent for a in items),
        in_progress=sum(a.status is AssignmentStatus.in_progress for a in assignments),
        overdue=sum(a.is_overdue(now) for a in assignments),
        open=len(assignments),
    )
