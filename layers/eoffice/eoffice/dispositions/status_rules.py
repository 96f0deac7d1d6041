"""Which status changes an assignment may make (read, in progress, done, returned, cancelled),
from where. Pure."""

from __future__ import annotations

from eoffice.dispositions.models import Assignment, AssignmentKind, AssignmentStatus
from eoffice.errors import Conflict

_MOVES: dict[AssignmentStatus, frozenset[AssignmentStatus]] = {
    AssignmentStatus.read: frozenset({AssignmentStatus.sent}),
    AssignmentStatus.in_progress: frozenset({AssignmentStatus.sent, AssignmentStatus.read}),
    AssignmentStatus.done: frozenset(
        {AssignmentStatus.sent, AssignmentStatus.read, AssignmentStatus.in_progress}
    ),
    AssignmentStatus.returned: frozenset(
        {AssignmentStatus.sent, AssignmentStatus.read, AssignmentStatus.in_progress}
    ),
    AssignmentStatus.cancelled: frozenset({AssignmentStatus.sent}),
}


def require_move(assignment: Assignment, to: AssignmentStatus) -> None:
    """409 with the current state when the assignment cannot go to ``to`` from where it is."""
    if assignment.kind is AssignmentKind.tembusan and to is not AssignmentStatus.read:
        raise Conflict(
            "a tembusan informs only: it is read, not acted on",
            code="tembusan_not_actionable",
            current=assignment.model_dump(mode="json"),
        )
    if assignment.status not in _MOVES[to]:
        code = "already_read" if to is AssignmentStatus.cancelled else "invalid_transition"
        raise Conflict(
            f"the assignment is {assignment.status.value}; it cannot become {to.value}",
            code=code,
            current=assignment.model_dump(mode="json"),
        )
