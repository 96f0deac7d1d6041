"""The facts a domain event's notices need, looked up: its letter or draft, the Plt/Plh in the
posts of the people concerned, a draft's next in the chain, a unit's records clerks.

Each lookup is a GetItem or one Query; only those ``notice_rules.needs`` names are made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from eoffice import clock, object_store
from eoffice.letters import store as letters_store
from eoffice.letters.models import Letter, Urgensi
from eoffice.notifications.models import NoticeKind
from eoffice.notifications.notice_rules import DomainEvent, Facts, Item, needs, people_concerned
from eoffice.org import heads
from eoffice.org import store as org_store
from eoffice.org.models import Role
from eoffice.outgoing import rules as outgoing_rules
from eoffice.outgoing import store as outgoing_store
from eoffice.outgoing.models import Outgoing, OutgoingStatus

SCREENS = {
    "AttendanceFlagged": "/tinjauan",
    "DeviceApprovalRequested": "/perangkat",
    "LeaveFiled": "/cuti-masuk",
}
"""The web app's screen where a head acts on an attendance notice (web/src/routes.tsx)."""


def facts_for(event: DomainEvent) -> Facts | None:
    """What ``event``'s notices need; None when nobody is told of it."""
    wanted = needs(event)
    if not wanted:
        return None
    item: Item | None = None
    stand_ins: dict[str, tuple[str, ...]] = {}
    next_in_chain: str | None = None
    chain_kind: NoticeKind | None = None
    turn_key: str | None = None
    if "letter" in wanted:
        item = _letter_item(str(event.detail.get("letter_id", "")))
    people: tuple[str, ...] = ()
    if "approver" in wanted:
        people = _approver(str(event.detail.get("approver_unit_id", "")))
        item = Item(path=SCREENS.get(event.detail_type, "/"))
    if "superior" in wanted:
        item, people = _superior(event.detail, SCREENS.get(event.detail_type, "/"))
    if "stand_ins" in wanted:
        stand_ins = _stand_ins(people_concerned(event) | set(people))
    if "chain" in wanted:
        found = outgoing_store.get(str(event.detail.get("outgoing_id", "")), consistent=True)
        if found is not None:
            item = _draft_item(found[0])
            next_in_chain, chain_kind = _turn(found[0])
            turn_key = _turn_key(found[0], next_in_chain)
    if "clerks" in wanted:
        people = _clerks(str(event.detail.get("unit_id", "")))
    if "hr" in wanted:
        people = _with_role(Role.hr)
        item = Item(path="/", month=str(event.detail.get("month", "")) or None)
    approvers = _with_role(Role.admin) if "admins" in wanted else ()
    if "uploader" in wanted:
        item, people = _refused(event.detail)
    if item is not None and event.detail_type == "DispositionPrepared":
        item = replace(item, path="/disiapkan")  # where the head approves it
    return Facts(item, stand_ins, next_in_chain, chain_kind, people, turn_key, approvers)


def _refused(detail: Mapping[str, Any]) -> tuple[Item, tuple[str, ...]]:
    """Who sent a refused file: a draft's author, the clerk who registered the letter an upload
    was meant for, or the records clerks of the unit whose scanner inbox it came through."""
    key, letter_id = str(detail.get("key", "")), str(detail.get("letter_id") or "")
    if key.startswith(object_store.DRAFTS_PREFIX) and letter_id:
        found = outgoing_store.get(letter_id)
        author = (found[0].author_nip,) if found else ()
        return Item(path=f"/surat-keluar/{letter_id}"), author
    if letter_id:
        letter = letters_store.get_letter(letter_id)
        clerk = (letter[0].registered_by,) if letter and letter[0].registered_by else ()
        return Item(path=f"/agenda/{letter_id}"), clerk
    unit = (
        org_store.unit_by_code(str(detail.get("unit_code") or ""))
        if detail.get("unit_code")
        else None
    )
    return Item(path="/agenda"), _clerks(unit.unit_id) if unit else ()


def _letter_item(letter_id: str) -> Item | None:
    found = letters_store.get_letter(letter_id) if letter_id else None
    if found is None:
        return None
    letter: Letter = found[0]
    return Item(
        path=f"/surat/{letter.letter_id}",
        subject=letter.subject,
        sender=letter.sender_agency or letter.sender_name,
        number=letter.sender_number,
        confidential=letter.sifat.secret,
        urgent=letter.urgensi is Urgensi.amat_segera,
    )


def _draft_item(outgoing: Outgoing) -> Item:
    return Item(
        path=f"/surat-keluar/{outgoing.outgoing_id}",
        subject=outgoing.subject,
        number=outgoing.number,
        confidential=outgoing.sifat.secret,
        urgent=outgoing.urgensi is Urgensi.amat_segera,
    )


def _turn_key(outgoing: Outgoing, nip: str | None) -> str:
    """The turn a draft is at: two events that leave it at the same turn (two quick parafs read
    after both) tell its holder once."""
    version = outgoing.current_version
    return f"turn:{outgoing.outgoing_id}:{outgoing.status.value}:{version}:{len(outgoing.signatures)}:{nip}"


def _turn(outgoing: Outgoing) -> tuple[str | None, NoticeKind | None]:
    """Whose turn the draft is, and what he is asked to do."""
    nip = outgoing_rules.turn_of(outgoing)
    if nip is None:
        return None, None
    if outgoing.status is OutgoingStatus.returned:
        return nip, NoticeKind.draft_returned
    if outgoing.status is OutgoingStatus.in_review:
        return nip, NoticeKind.draft_to_review
    if outgoing.status is OutgoingStatus.draft:
        return None, None  # the author's own draft, still without a file: nobody to tell
    return nip, NoticeKind.draft_to_sign


def _stand_ins(nips: set[str]) -> dict[str, tuple[str, ...]]:
    """For each person, who acts in his post today (two Queries at most)."""
    if not nips:
        return {}
    people = org_store.employees_by_nip(sorted(nips))
    posts = {e.position_id: nip for nip, (e, _) in people.items() if e.position_id}
    if not posts:
        return {}
    today = clock.today()
    found: dict[str, list[str]] = {}
    for acting in org_store.list_acting(today):
        holder = posts.get(acting.position_id)
        if holder is not None and acting.covers(today) and acting.actor_nip != holder:
            found.setdefault(holder, []).append(acting.actor_nip)
    return {nip: tuple(actors) for nip, actors in found.items()}


def _approver(unit_id: str) -> tuple[str, ...]:
    """Who decides leave filed in ``unit_id``: its head (the Plt/Plh when the post is vacant)."""
    head = heads.head_of(unit_id, by_role=False) if unit_id else None
    return (head.employee.nip,) if head else ()


def _superior(detail: Mapping[str, Any], path: str) -> tuple[Item, tuple[str, ...]]:
    """An attendance notice's subject (the employee, the day, the flags) and whom it goes to: his
    head, or for the head himself the head of the unit above (``heads.superior_of``)."""
    employee = org_store.get_employee(str(detail.get("nip", "")))
    if employee is None:
        return Item(path=path), ()
    day = detail.get("day")
    item = Item(
        path=path,
        person=employee.name,
        day=date.fromisoformat(str(day)) if day else None,
        flags=tuple(str(k) for k in detail.get("kinds", [])),
    )
    superior = heads.superior_of(employee, org_store.list_units())
    return item, (superior.nip,) if superior is not None else ()


def _with_role(role: Role) -> tuple[str, ...]:
    """The active employees with ``role`` (hr: BKPSDM's officers; admin: Diskominfo's
    operators): one Query of the employees, paged."""
    found: list[str] = []
    cursor: str | None = None
    while True:
        page, cursor = org_store.list_employees(None, limit=1000, cursor=cursor)
        found.extend(e.nip for e in page if e.active and role in e.roles)
        if cursor is None:
            return tuple(found)


def _clerks(unit_id: str) -> tuple[str, ...]:
    if not unit_id:
        return ()
    employees = org_store.unit_employees(unit_id)
    return tuple(e.nip for e in employees if e.active and Role.tu in e.roles)
