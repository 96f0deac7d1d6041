"""Leave (izin, the kinds of cuti) and official travel (dinas luar): filing, the superior's
decision, cancellation, and who may read what.

Rules (decided here, see docs/decisions/0012-attendance.md):
- An employee files his own leave; hr may file for anyone (``nip``). The period is whole days,
  both ends included, at most 366 of them, starting at most 366 days ahead.
- Back-dating: leave that happens before it can be asked for (izin, cuti sakit, dinas luar,
  cuti melahirkan, cuti karena alasan penting) may start up to 30 days back. Planned leave
  (cuti tahunan, cuti besar, CLTN) is asked for beforehand (PP 11/2017): it may not start before
  today, unless hr files it (recording a paper approval), then 30 days back too.
- dinas luar needs the travel order (SPT) number, and only it takes one and a destination;
  cuti sakit needs a document (a doctor's note), checked by content.
- A leave may not overlap another pending or approved leave of the same employee.
- The decision is the superior's: the head of the unit (for the head himself, of the unit above),
  in person or through his Plt/Plh today; never the employee's own. hr does not decide, but may
  cancel any pending or approved leave; the employee cancels his pending leave, or his approved
  leave before its first day.
"""

from __future__ import annotations

from datetime import date, timedelta

from eoffice import clock, events
from eoffice.attendance import (
    access,
    day_rules,
    leave_document_rules,
    leave_document_store,
    leave_store,
)
from eoffice.attendance.leave_document_rules import CheckedDocument
from eoffice.attendance.leave_models import (
    Leave,
    LeaveAction,
    LeaveCreate,
    LeaveDocumentCreate,
    LeaveDocumentUpload,
    LeaveEvent,
)
from eoffice.attendance.leave_store import approved_leave_in_unit, approved_leave_of
from eoffice.attendance.models import LeaveState, LeaveType
from eoffice.auth import Principal
from eoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from eoffice.models import Download
from eoffice.org import heads, store
from eoffice.org.models import ActingCapacity, Employee, Role, Unit

__all__ = ["approved_leave_in_unit", "approved_leave_of"]

MAX_DAYS = 366
BACKDATE_DAYS = 30
AHEAD_DAYS = 366
AFTER_THE_FACT = frozenset(
    {
        LeaveType.izin,
        LeaveType.cuti_sakit,
        LeaveType.dinas_luar,
        LeaveType.cuti_melahirkan,
        LeaveType.cuti_alasan_penting,
    }
)
_OPEN = (LeaveState.pending, LeaveState.approved)


# ---------------------------------------------------------------- filing
def file_leave(principal: Principal, data: LeaveCreate) -> Leave:
    """Record a pending leave for the superior to decide. Every check runs before the one
    write, so a refused request leaves nothing behind."""
    nip = _target(principal, data.nip)
    _check_kind(data)
    _check_period(data, hr=principal.has_any(Role.hr))
    employee = access.employee_or_404(nip)
    if not employee.active:
        raise InvalidInput("this employee is not active", code="inactive_employee")
    approver_unit_id = approver_unit(employee, store.list_units())
    if approver_unit_id is None:
        raise InvalidInput("this employee has no superior to decide", code="no_approver")
    document = _checked_document(nip, data.document_id) if data.document_id else None
    existing, lock_v = leave_store.filing_state(nip)
    _check_overlap(existing, data.starts_on, data.ends_on)
    now = clock.utcnow()
    leave = Leave(
        leave_id=leave_store.new_leave_id(),
        nip=nip,
        name=employee.name,
        unit_id=employee.unit_id,
        type=data.type,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        state=LeaveState.pending,
        reason=data.reason,
        travel_order_number=data.travel_order_number,
        destination=data.destination,
        document_id=data.document_id,
        document_key=document.key if document else None,
        document_media_type=document.media_type if document else None,
        document_version=document.version if document else None,
        approver_unit_id=approver_unit_id,
        filed_by=principal.nip,
        filed_at=now,
        updated_at=now,
        history=[LeaveEvent(at=now, action=LeaveAction.filed, by=principal.nip)],
    )
    leave_store.create(leave, lock_v)
    events.publish(
        "attendance",
        "LeaveFiled",
        {
            "leave_id": leave.leave_id,
            "nip": leave.nip,
            "approver_unit_id": leave.approver_unit_id,
            "acted_by_nip": principal.nip,
        },
    )
    return leave


def _checked_document(nip: str, document_id: str) -> CheckedDocument:
    """The uploaded document, checked by size and content (a HeadObject, and a GET of the version
    the HeadObject saw); 422 ``document_not_found``, ``invalid_document``, ``active_content`` or
    ``too_complex`` otherwise."""
    key, size, version = leave_document_store.head(nip, document_id)
    leave_document_rules.check_size(size)
    media_type = leave_document_rules.media_type_of(leave_document_store.read(key, version))
    return CheckedDocument(key=key, media_type=media_type, size=size, version=version)


def document_form(principal: Principal, data: LeaveDocumentCreate) -> LeaveDocumentUpload:
    """A presigned upload form for a document of the caller's (or, for hr, anyone's) leave."""
    nip = _target(principal, data.nip)
    if nip != principal.nip:
        access.employee_or_404(nip)
    return leave_document_store.upload_form(nip, data.content_type)


def _target(principal: Principal, nip: str | None) -> str:
    if nip is None or nip == principal.nip:
        return principal.nip
    if not principal.has_any(Role.hr):
        raise Forbidden("only hr may file leave for another employee", code="hr_only")
    return nip


def _check_kind(data: LeaveCreate) -> None:
    travel = data.type is LeaveType.dinas_luar
    if travel and not data.travel_order_number:
        raise InvalidInput(
            "official travel needs the travel order (SPT) number", code="travel_order_required"
        )
    if not travel and data.travel_order_number:
        raise InvalidInput("only dinas_luar takes a travel order", code="travel_order_not_allowed")
    if not travel and data.destination:
        raise InvalidInput("only dinas_luar takes a destination", code="destination_not_allowed")
    if data.type is LeaveType.cuti_sakit and not data.document_id:
        raise InvalidInput("sick leave needs a document (doctor's note)", code="document_required")


def _check_period(data: LeaveCreate, *, hr: bool) -> None:
    if data.ends_on < data.starts_on:
        raise InvalidInput("ends_on must not be before starts_on", code="invalid_period")
    if (data.ends_on - data.starts_on).days + 1 > MAX_DAYS:
        raise InvalidInput(f"a leave lasts at most {MAX_DAYS} days", code="period_too_long")
    today = clock.today()
    back = BACKDATE_DAYS if hr or data.type in AFTER_THE_FACT else 0
    if data.starts_on < today - timedelta(days=back):
        raise InvalidInput(
            f"{data.type.value} may start at most {back} days back"
            if back
            else f"{data.type.value} must be asked for before its first day",
            code="starts_too_early",
        )
    if data.starts_on > today + timedelta(days=AHEAD_DAYS):
        raise InvalidInput(
            f"a leave may start at most {AHEAD_DAYS} days ahead", code="starts_too_late"
        )


def _check_overlap(existing: list[Leave], first: date, last: date) -> None:
    for other in existing:
        if other.state in _OPEN and other.overlaps(first, last):
            raise Conflict(
                f"this overlaps his {other.state.value} leave from {other.starts_on} to "
                f"{other.ends_on}",
                code="leave_overlaps",
                leave_id=other.leave_id,
            )


# ---------------------------------------------------------------- deciding
def approver_unit(employee: Employee, units: list[Unit]) -> str | None:
    """The unit whose head decides his leave: his own, or (for the head himself, or when his
    unit has no head) the nearest above with one; as ``heads.superior_of`` finds the superior."""
    parents = {unit.unit_id: unit.parent_id for unit in units}
    unit_id: str | None = employee.unit_id
    seen: set[str] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        head = heads.head_of(unit_id)
        if head is not None and head.employee.nip != employee.nip:
            return unit_id
        unit_id = parents.get(unit_id)
    return None


def may_decide(principal: Principal, leave: Leave) -> bool:
    """The head of the approver unit, or his Plt/Plh today; never the employee himself."""
    if principal.nip == leave.nip:
        return False
    if leave.approver_unit_id in access.headed_units(principal):
        return True
    head = heads.head_of(leave.approver_unit_id)  # a head known by role only, no position
    return head is not None and head.employee.nip == principal.nip


def approve(principal: Principal, leave_id: str, note: str | None) -> Leave:
    return _decide(principal, leave_id, LeaveAction.approved, note)


def reject(principal: Principal, leave_id: str, note: str | None) -> Leave:
    if not note:
        raise InvalidInput("say why the leave is rejected (note)", code="note_required")
    return _decide(principal, leave_id, LeaveAction.rejected, note)


def _decide(principal: Principal, leave_id: str, action: LeaveAction, note: str | None) -> Leave:
    leave, rev = _leave_or_404(leave_id)
    if not may_decide(principal, leave):
        raise Forbidden(
            "only his superior (or the superior's Plt/Plh) decides this leave",
            code="not_your_decision",
        )
    if leave.state is not LeaveState.pending:
        raise Conflict(f"the leave is already {leave.state.value}", code="leave_not_pending")
    state = LeaveState.approved if action is LeaveAction.approved else LeaveState.rejected
    acting = _capacity(principal, leave.approver_unit_id)
    decided = _record(leave, rev, state, action, principal, note, acting)
    events.publish(
        "attendance",
        "LeaveDecided",
        {
            "leave_id": leave.leave_id,
            "nip": leave.nip,
            "state": state.value,
            "acted_by_nip": principal.nip,
        },
    )
    return decided


def _capacity(principal: Principal, unit_id: str) -> ActingCapacity | None:
    """Plt/Plh when he decides only by acting in the unit's head post."""
    position_id = principal.employee.position_id
    position = store.get_position(position_id) if position_id else None
    if position is not None and position.is_head and position.unit_id == unit_id:
        return None
    acting = next((a for a in principal.acting if a.unit_id == unit_id), None)
    return acting.capacity if acting else None


def cancel(principal: Principal, leave_id: str, note: str | None) -> Leave:
    leave, rev = _leave_or_404(leave_id)
    hr = principal.has_any(Role.hr)
    if not hr and principal.nip != leave.nip:
        raise Forbidden("only the employee or hr may cancel a leave", code="not_your_leave")
    if leave.state not in _OPEN:
        raise Conflict(f"the leave is already {leave.state.value}", code="leave_not_cancellable")
    started = leave.starts_on <= clock.today()
    if not hr and leave.state is LeaveState.approved and started:
        raise Conflict(
            "approved leave that has begun is cancelled by hr only", code="leave_started"
        )
    return _record(leave, rev, LeaveState.cancelled, LeaveAction.cancelled, principal, note)


def _record(
    leave: Leave,
    rev: int,
    state: LeaveState,
    action: LeaveAction,
    principal: Principal,
    note: str | None,
    acting: ActingCapacity | None = None,
) -> Leave:
    now = clock.utcnow()
    event = LeaveEvent(at=now, action=action, by=principal.nip, acting=acting, note=note)
    changed = leave.model_copy(
        update={"state": state, "updated_at": now, "history": [*leave.history, event]}
    )
    leave_store.save(changed, rev)
    return changed


# ---------------------------------------------------------------- reading
def get(principal: Principal, leave_id: str) -> Leave:
    """For the employee, his approver, hr, and the heads over his unit."""
    leave, _ = _leave_or_404(leave_id)
    if not (access.may_see(principal, leave.nip, leave.unit_id) or may_decide(principal, leave)):
        raise Forbidden("this leave is not yours to see", code="not_your_leave")
    return leave


def document(principal: Principal, leave_id: str) -> Download:
    """A short-lived link to the leave's document: the employee, his approver and hr only."""
    leave, _ = _leave_or_404(leave_id)
    allowed = (
        principal.nip == leave.nip or principal.has_any(Role.hr) or may_decide(principal, leave)
    )
    if not allowed:
        raise Forbidden("only the employee, his approver and hr see this", code="not_your_leave")
    if not leave.document_key or not leave.document_media_type:
        raise NotFound("this leave has no document", code="no_document")
    return leave_document_store.download(
        leave.document_key, leave.document_media_type, leave.leave_id, leave.document_version
    )


def mine(principal: Principal, *, limit: int, cursor: str | None) -> tuple[list[Leave], str | None]:
    """The caller's own leave, newest filed first."""
    return leave_store.leaves_of(principal.nip, limit=limit, cursor=cursor)


def waiting(principal: Principal) -> list[Leave]:
    """Pending leave the caller decides: of the units he heads or acts for today."""
    found = [
        leave
        for unit_id in sorted(access.headed_units(principal))
        for leave in leave_store.waiting_in(unit_id)
        if leave.nip != principal.nip
    ]
    return sorted(found, key=lambda leave: (leave.starts_on, leave.nip, leave.leave_id))


def in_unit(
    principal: Principal, unit_id: str, month: str | None, state: LeaveState | None = None
) -> list[Leave]:
    """A unit's leave touching a month (default: this one), for hr and the heads over it."""
    access.require_overseer_of(principal, unit_id)
    first, last = day_rules.month_bounds(month or clock.today().strftime("%Y-%m"))
    leaves = leave_store.unit_leave(unit_id, first, last)
    return [leave for leave in leaves if state is None or leave.state is state]


def _leave_or_404(leave_id: str) -> tuple[Leave, int]:
    found = leave_store.get(leave_id)
    if found is None:
        raise NotFound("no such leave", code="leave_not_found")
    return found
