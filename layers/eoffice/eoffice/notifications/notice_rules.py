"""Who is told of which domain event, and whether it is urgent. Pure: the service looks up the
facts an event needs (``Facts``) and this module decides.

The rules (issue 17, ADR 0023):
- a disposition sent or forwarded: each recipient (assignment or tembusan), and whoever acts in
  his post today as Plt/Plh;
- a disposition prepared by the records clerk: the head it waits for (and his Plt/Plh);
- read, started, done, returned: the sender of the assignment (and his Plt/Plh), never the
  person who acted;
- a deadline reminder: the recipient (and his Plt/Plh); overdue: the recipient; an escalation:
  whom the deadline watch names (the sender, who acted for him, his superior);
- a draft's turn (after it is drafted, a version uploaded, a paraf given, a signature made): the
  next in the chain, when that is not the person who just acted; returned: its author;
- a signed letter registered in a unit's inbox: the unit's records clerks (tu);
- a refused file: whoever sent it (the clerk who registered the letter an upload was for, a
  draft's author), or for a scanner's file the records clerks of the unit whose inbox it was;
- leave filed: the head of the unit that decides it (and his Plt/Plh); decided: the employee;
- a TPP report published: hr; an employee whose paid amount changed in it: he, without the
  figure (the app shows it to him);
- new attendance flags of a check-in: the employee's head (his superior, and his Plt/Plh);
- a phone waiting for approval: his head (and Plt/Plh), and the admins who approve it.
Nobody is told of his own act. An item is urgent when its letter is *amat segera* or it is an
escalation: urgent items pass quiet hours and an "urgent only" choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from eoffice.notifications.models import NoticeKind


@dataclass(frozen=True)
class DomainEvent:
    """An EventBridge event as the queue delivers it (only what the rules read)."""

    event_id: str  # EventBridge's id: the same for every delivery of one publication
    source: str  # eoffice.dispositions, eoffice.outgoing, eoffice.letters
    detail_type: str
    time: datetime
    detail: Mapping[str, Any]

    @property
    def key(self) -> str:
        """What this event is about, the same however often it was published: a request
        replayed, or an intake delivery made again, publishes a second event with a new
        EventBridge id, and must tell nobody twice. The ids in ``detail`` give it; an event whose
        detail names no such id falls back to EventBridge's."""
        detail = self.detail
        if detail.get("event_id"):
            return str(detail["event_id"])
        fields = _STABLE.get(self.detail_type)
        if fields and all(detail.get(f) is not None for f in fields):
            return ":".join([self.detail_type, *(str(detail[f]) for f in fields)])
        return self.event_id


@dataclass(frozen=True)
class Item:
    """The letter or draft a notice is about, as the wording may name it."""

    path: str  # where the app opens it: /surat/{id} or /surat-keluar/{id}
    subject: str | None = None
    sender: str | None = None
    number: str | None = None
    confidential: bool = False  # rahasia or sangat rahasia: say only that a letter waits
    month: str | None = None  # a TPP report's month (YYYY-MM)
    urgent: bool = False  # amat segera
    person: str | None = None  # the employee an attendance notice is about (to his head)
    day: date | None = None  # the day of his flagged check-in
    flags: tuple[str, ...] = ()  # the FlagKind values raised


@dataclass(frozen=True)
class Facts:
    """What the service looked up for one event."""

    item: Item | None = None
    stand_ins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # nip -> Plt/Plh
    next_in_chain: str | None = None  # a draft's next reviewer/signer/author
    chain_kind: NoticeKind | None = None  # draft_to_review / draft_to_sign / draft_returned
    # Found by the service: a unit's clerks, a refused file's sender, a leave's approver, hr,
    # an employee's head.
    people: tuple[str, ...] = ()
    turn_key: str | None = None  # a draft's turn: its notices are keyed on it, not the event
    approvers: tuple[str, ...] = ()  # the admins who approve a phone


@dataclass(frozen=True)
class Notice:
    """One person to be told of one event."""

    nip: str
    kind: NoticeKind
    urgent: bool = False
    for_nip: str | None = None  # told as Plt/Plh of this official


class Origin(StrEnum):
    """The sources of the events people are told of (``eoffice.{domain}``)."""

    dispositions = "eoffice.dispositions"
    outgoing = "eoffice.outgoing"
    letters = "eoffice.letters"
    intake = "eoffice.intake"
    attendance = "eoffice.attendance"
    tpp = "eoffice.tpp"


DISPOSITIONS, OUTGOING, LETTERS = Origin.dispositions, Origin.outgoing, Origin.letters

_STABLE = {
    "LetterDisposed": ("disposition_id",),
    "DispositionForwarded": ("disposition_id",),
    "AssignmentRead": ("assignment_id",),
    "AssignmentStarted": ("assignment_id",),
    "AssignmentDone": ("assignment_id",),
    "AssignmentReturned": ("assignment_id",),
    "OutgoingVersionUploaded": ("outgoing_id", "version"),
    "OutgoingSigned": ("outgoing_id", "order"),
    "LetterRegistered": ("letter_id",),
    "DispositionPrepared": ("prepared_id",),
    "FileRefused": ("rejection_id",),
    "LeaveFiled": ("leave_id",),
    "LeaveDecided": ("leave_id", "state"),
    "TppReportPublished": ("month", "scope", "version"),
    "AttendanceFlagged": ("nip", "flag_ids"),
    "DeviceApprovalRequested": ("nip", "device", "requested_at"),
}
"""The detail fields that name what an event is about (``DomainEvent.key``)."""

_TO_SENDER = {
    "AssignmentRead": NoticeKind.disposition_read,
    "AssignmentStarted": NoticeKind.disposition_reported,
    "AssignmentDone": NoticeKind.disposition_reported,
    "AssignmentReturned": NoticeKind.disposition_returned,
}
_DRAFT_TURNS = {"OutgoingDrafted", "OutgoingVersionUploaded", "OutgoingReviewed", "OutgoingSigned"}


def needs(event: DomainEvent) -> set[str]:
    """Which facts the service must look up for ``event`` ("letter", "stand_ins", "chain",
    "clerks", "uploader", "approver", "hr", "superior", "admins"; "none" when whom to tell is in the event itself); empty
    for an event nobody is told of."""
    kind = (event.source, event.detail_type)
    if event.source == DISPOSITIONS and event.detail_type in {
        "DispositionPrepared",
        "LetterDisposed",
        "DispositionForwarded",
        "DeadlineReminder",
        "AssignmentOverdue",
        "DeadlineEscalated",
        *_TO_SENDER,
    }:
        return {"letter", "stand_ins"}
    if event.source == OUTGOING and event.detail_type in _DRAFT_TURNS:
        return {"chain"}
    if kind == (LETTERS, "LetterRegistered") and event.detail.get("source") == "internal":
        return {"clerks", "letter"}
    if kind == (Origin.intake, "FileRefused"):
        return {"uploader"}
    if kind == (Origin.attendance, "LeaveFiled"):
        return {"approver", "stand_ins"}
    if kind == (Origin.attendance, "LeaveDecided"):
        return {"none"}  # the employee himself
    if kind == (Origin.tpp, "TppReportPublished"):
        return {"hr"}
    if kind == (Origin.attendance, "AttendanceFlagged"):
        return {"superior", "stand_ins"}
    if kind == (Origin.attendance, "DeviceApprovalRequested"):
        return {"superior", "stand_ins", "admins"}
    return set()


def people_concerned(event: DomainEvent) -> set[str]:
    """The NIPs whose Plt/Plh the service must look up (``stand_ins``)."""
    detail = event.detail
    if event.detail_type in {"LetterDisposed", "DispositionForwarded"}:
        return {a["recipient_nip"] for a in detail.get("assignments", [])}
    if event.detail_type in _TO_SENDER:
        return {str(detail["sender_nip"])}
    if event.detail_type == "DeadlineReminder":
        return {str(n) for n in detail.get("notify", [])}
    if event.detail_type == "DispositionPrepared":
        return {str(detail["head_nip"])}
    return set()


def notices(event: DomainEvent, facts: Facts) -> list[Notice]:
    """Everyone told of ``event``, once each, the actor left out."""
    found = _notices(event, facts)
    actor = event.detail.get("acted_by_nip")
    seen: set[str] = set()
    kept = []
    for notice in found:
        if notice.nip == actor or notice.nip in seen:
            continue
        seen.add(notice.nip)
        kept.append(notice)
    return kept


def _notices(event: DomainEvent, facts: Facts) -> list[Notice]:
    detail = event.detail
    urgent = facts.item is not None and facts.item.urgent
    match event.source, event.detail_type:
        case (Origin.dispositions, "LetterDisposed" | "DispositionForwarded"):
            recipients = [str(a["recipient_nip"]) for a in detail.get("assignments", [])]
            return _with_stand_ins(recipients, NoticeKind.disposition_received, urgent, facts)
        case (Origin.dispositions, "DispositionPrepared"):
            head = str(detail["head_nip"])
            return _with_stand_ins([head], NoticeKind.prepared_for_approval, urgent, facts)
        case (Origin.dispositions, kind) if kind in _TO_SENDER:
            sender = str(detail["sender_nip"])
            return _with_stand_ins([sender], _TO_SENDER[kind], urgent, facts)
        case (Origin.dispositions, "DeadlineReminder"):
            notify = [str(n) for n in detail.get("notify", [])]
            return _with_stand_ins(notify, NoticeKind.deadline_reminder, urgent, facts)
        case (Origin.dispositions, "AssignmentOverdue"):
            return [Notice(str(detail["recipient_nip"]), NoticeKind.deadline_overdue, urgent)]
        case (Origin.dispositions, "DeadlineEscalated"):
            notify = [str(n) for n in detail.get("notify", [])]
            return [Notice(nip, NoticeKind.deadline_escalated, True) for nip in notify]
        case (Origin.outgoing, kind) if kind in _DRAFT_TURNS:
            if facts.next_in_chain is None or facts.chain_kind is None:
                return []
            return [Notice(facts.next_in_chain, facts.chain_kind, urgent)]
        case (Origin.letters, "LetterRegistered") if event.detail.get("source") == "internal":
            return [Notice(nip, NoticeKind.letter_delivered, urgent) for nip in facts.people]
        case (Origin.intake, "FileRefused"):
            return [Notice(nip, NoticeKind.file_refused) for nip in facts.people]
        case (Origin.attendance, "LeaveFiled"):
            return _with_stand_ins(facts.people, NoticeKind.leave_filed, False, facts)
        case (Origin.tpp, "TppReportPublished"):
            published = [Notice(nip, NoticeKind.tpp_report_published) for nip in facts.people]
            changed = [str(n) for n in detail.get("paid_changed", [])]
            return published + [Notice(nip, NoticeKind.tpp_changed) for nip in changed]
        case (Origin.attendance, "AttendanceFlagged"):
            return _with_stand_ins(facts.people, NoticeKind.attendance_flagged, False, facts)
        case (Origin.attendance, "DeviceApprovalRequested"):
            heads = _with_stand_ins(facts.people, NoticeKind.device_waiting, False, facts)
            return heads + [Notice(nip, NoticeKind.device_waiting) for nip in facts.approvers]
        case (Origin.attendance, "LeaveDecided"):
            kind = (
                NoticeKind.leave_approved
                if detail.get("state") == "approved"
                else NoticeKind.leave_rejected
            )
            return [Notice(str(detail["nip"]), kind)]
    return []


def _with_stand_ins(
    nips: Iterable[str], kind: NoticeKind, urgent: bool, facts: Facts
) -> list[Notice]:
    told = []
    for nip in nips:
        told.append(Notice(nip, kind, urgent))
        told.extend(
            Notice(actor, kind, urgent, for_nip=nip) for actor in facts.stand_ins.get(nip, ())
        )
    return told
