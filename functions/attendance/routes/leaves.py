"""Attendance routes: leave (izin, cuti) and official travel (dinas luar). Routes parse and
answer; the service is ``eoffice.attendance.leaves``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.attendance.leave_models import (
    Leave,
    LeaveCreate,
    LeaveDocumentCreate,
    LeaveDocumentUpload,
    LeaveNote,
)
from eoffice.attendance.models import LeaveState
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.models import Download
from eoffice.paging import Page

router = APIGatewayHttpRouter()
TAGS = ["leave"]
LeaveId = Annotated[str, Path(description="The leave's id")]


@router.post(
    "/leaves",
    **operation(
        "fileLeave",
        "File a leave or official travel for the superior to decide",
        tags=TAGS,
        errors=(403, 404, 409),
        status_code=201,
        description="Sick leave (`cuti_sakit`) names a document uploaded first with "
        "`POST /leaves/documents`; official travel (`dinas_luar`) gives the travel order (SPT) "
        "number. hr may file for another employee (`nip`). 409 `leave_overlaps` when it "
        "overlaps a pending or approved leave of his.",
    ),
)
def file_leave(body: LeaveCreate) -> Leave:
    from eoffice.attendance import leaves

    return leaves.file_leave(caller(router), body)


@router.get(
    "/leaves",
    **operation(
        "listLeaves",
        "The caller's own leave (newest first), or a unit's leave in a month",
        tags=TAGS,
        errors=(403,),
        description="Without `unit`: the caller's own leave, a page at a time. With `unit`: "
        "the unit's leave touching `month` (default: this month), for hr and the heads "
        "over the unit, in one page.",
    ),
)
def list_leaves(
    mine: Annotated[bool, Query(description="The caller's own leave (the default)")] = False,
    unit: Annotated[str | None, Query(description="A unit's leave instead")] = None,
    month: Annotated[str | None, Query(description="YYYY-MM, with `unit`")] = None,
    state: Annotated[LeaveState | None, Query(description="Only this state, with `unit`")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="From the previous page")] = None,
) -> Page[Leave]:
    from eoffice.attendance import leaves
    from eoffice.errors import InvalidInput

    principal = caller(router)
    if unit is None:
        items, next_cursor = leaves.mine(principal, limit=limit, cursor=cursor)
        return Page[Leave](items=items, next_cursor=next_cursor)
    if mine:
        raise InvalidInput("ask for your own leave or a unit's, not both", code="mine_or_unit")
    return Page[Leave](items=leaves.in_unit(principal, unit, month, state))


@router.get(
    "/leaves/waiting",
    **operation(
        "listWaitingLeaves",
        "Pending leave the caller decides (units he heads, or acts for today)",
        tags=TAGS,
    ),
)
def waiting_leaves() -> list[Leave]:
    from eoffice.attendance import leaves

    return leaves.waiting(caller(router))


@router.post(
    "/leaves/documents",
    **operation(
        "newLeaveDocumentUpload",
        "An upload form for a leave's document (PDF, JPEG or PNG, at most 10 MB)",
        tags=TAGS,
        errors=(403, 404),
        status_code=201,
        description="POST `upload.fields` and then the file as `file` (multipart/form-data) to "
        "`upload.url`; then file the leave with `document_id`. The file is checked by its "
        "content when the leave names it.",
    ),
)
def new_document_upload(body: LeaveDocumentCreate) -> LeaveDocumentUpload:
    from eoffice.attendance import leaves

    return leaves.document_form(caller(router), body)


@router.get(
    "/leaves/<leave_id>",
    **operation("getLeave", "One leave, with its history", tags=TAGS, errors=(403, 404)),
)
def get_leave(leave_id: LeaveId) -> Leave:
    from eoffice.attendance import leaves

    return leaves.get(caller(router), leave_id)


@router.get(
    "/leaves/<leave_id>/document",
    **operation(
        "downloadLeaveDocument",
        "A short-lived link to the leave's document (the employee, his approver, hr)",
        tags=TAGS,
        errors=(403, 404),
    ),
)
def leave_document(leave_id: LeaveId) -> Download:
    from eoffice.attendance import leaves

    return leaves.document(caller(router), leave_id)


@router.post(
    "/leaves/<leave_id>/approve",
    **operation(
        "approveLeave",
        "Approve a pending leave (his superior, or the superior's Plt/Plh)",
        tags=TAGS,
        errors=(403, 404, 409),
    ),
)
def approve_leave(leave_id: LeaveId, body: LeaveNote | None = None) -> Leave:
    from eoffice.attendance import leaves

    return leaves.approve(caller(router), leave_id, body.note if body else None)


@router.post(
    "/leaves/<leave_id>/reject",
    **operation(
        "rejectLeave",
        "Reject a pending leave, saying why (his superior, or the superior's Plt/Plh)",
        tags=TAGS,
        errors=(403, 404, 409),
    ),
)
def reject_leave(leave_id: LeaveId, body: LeaveNote | None = None) -> Leave:
    from eoffice.attendance import leaves

    return leaves.reject(caller(router), leave_id, body.note if body else None)


@router.post(
    "/leaves/<leave_id>/cancel",
    **operation(
        "cancelLeave",
        "Cancel a leave: the employee while pending or before it begins, hr any time",
        tags=TAGS,
        errors=(403, 404, 409),
    ),
)
def cancel_leave(leave_id: LeaveId, body: LeaveNote | None = None) -> Leave:
    from eoffice.attendance import leaves

    return leaves.cancel(caller(router), leave_id, body.note if body else None)
