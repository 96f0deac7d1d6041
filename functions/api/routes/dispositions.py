"""Disposisi: dispose and forward letters, act on assignments, inboxes, prepared dispositions,
the leaders' overview and the settings. Every rule is in ``eoffice.dispositions``; routes parse
and answer.

The services are imported by the routes that use them, not at start-up: with the unit tree,
the calendar and PynamoDB models behind them they are a measurable part of the API's cold start
(docs/decisions/0008-api-cold-start.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.dispositions.models import (
    Assignment,
    CompleteRequest,
    Disposed,
    DisposeRequest,
    DispositionSettings,
    DispositionsSummary,
    DispositionTree,
    InboxSummary,
    PreparedCreate,
    PreparedDisposition,
    PreparedUpdate,
    Recipients,
    ReportUpload,
    ReturnRequest,
)
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.letters.models import Urgensi
from eoffice.models import Download
from eoffice.paging import Page

router = APIGatewayHttpRouter()
TAGS = ["dispositions"]
LetterId = Annotated[str, Path(description="The letter's id")]
AssignmentId = Annotated[str, Path(description="The assignment's id")]
PreparedId = Annotated[str, Path(description="The prepared disposition's id")]
OnBehalfOf = Annotated[
    str | None, Query(description="As Plt/Plh: the NIP of the absent head whose inbox to read")
]
_ASSIGNMENT = "/letters/<letter_id>/assignments/<assignment_id>"
_PREPARED = "/letters/<letter_id>/prepared-dispositions/<prepared_id>"


# ---------------------------------------------------------------- disposing and the tree
@router.post(
    "/letters/<letter_id>/dispositions",
    **operation(
        "disposeLetter",
        "Dispose the letter (or forward your assignment of it) to one or more recipients",
        description="All or nothing. Without `deadline`, it follows the letter's urgensi in "
        "working time of the regency's calendar. Give `parent_assignment_id` to forward an "
        "assignment; as Plt/Plh give `on_behalf_of`.",
        tags=TAGS,
        idempotent=True,
        errors=(403, 404, 409),
        status_code=201,
    ),
)
def dispose(letter_id: LetterId, body: DisposeRequest) -> Disposed:
    from eoffice.dispositions import disposing

    return disposing.dispose(caller(router), letter_id, body)


@router.get(
    "/letters/<letter_id>/dispositions",
    **operation(
        "getDispositionTree",
        "Every disposition of the letter as a tree, with statuses and times",
        tags=TAGS,
        errors=(404,),
    ),
)
def disposition_tree(letter_id: LetterId) -> DispositionTree:
    from eoffice.dispositions import assignments

    return assignments.tree(caller(router), letter_id)


# ---------------------------------------------------------------- acting on an assignment
@router.get(
    _ASSIGNMENT,
    **operation(
        "openAssignment",
        "One assignment; the recipient's first opening records the read receipt",
        tags=TAGS,
        errors=(404,),
    ),
)
def open_assignment(letter_id: LetterId, assignment_id: AssignmentId) -> Assignment:
    from eoffice.dispositions import assignments

    return assignments.open_assignment(caller(router), letter_id, assignment_id)


@router.post(
    f"{_ASSIGNMENT}/start",
    **operation(
        "startAssignment", "Mark it in progress", tags=TAGS, idempotent=True, errors=(403, 404, 409)
    ),
)
def start_assignment(letter_id: LetterId, assignment_id: AssignmentId) -> Assignment:
    from eoffice.dispositions import assignments

    return assignments.start(caller(router), letter_id, assignment_id)


@router.post(
    f"{_ASSIGNMENT}/complete",
    **operation(
        "completeAssignment",
        "Report back and close it (done), optionally with an uploaded file",
        tags=TAGS,
        idempotent=True,
        errors=(403, 404, 409, 413, 415),
    ),
)
def complete_assignment(
    letter_id: LetterId, assignment_id: AssignmentId, body: CompleteRequest
) -> Assignment:
    from eoffice.dispositions import assignments

    return assignments.complete(caller(router), letter_id, assignment_id, body)


@router.post(
    f"{_ASSIGNMENT}/return",
    **operation(
        "returnAssignment",
        "Send it back to the sender with a reason",
        tags=TAGS,
        idempotent=True,
        errors=(403, 404, 409),
    ),
)
def return_assignment(
    letter_id: LetterId, assignment_id: AssignmentId, body: ReturnRequest
) -> Assignment:
    from eoffice.dispositions import assignments

    return assignments.return_assignment(caller(router), letter_id, assignment_id, body)


@router.post(
    f"{_ASSIGNMENT}/cancel",
    **operation(
        "cancelAssignment",
        "Withdraw it (the sender, while it is unread)",
        tags=TAGS,
        idempotent=True,
        errors=(403, 404, 409),
    ),
)
def cancel_assignment(letter_id: LetterId, assignment_id: AssignmentId) -> Assignment:
    from eoffice.dispositions import assignments

    return assignments.cancel(caller(router), letter_id, assignment_id)


@router.post(
    f"{_ASSIGNMENT}/report-uploads",
    **operation(
        "newReportUpload",
        "An upload form for the report's file; send its file_id with the report",
        tags=TAGS,
        errors=(403, 404, 409),
        status_code=201,
    ),
)
def report_upload(letter_id: LetterId, assignment_id: AssignmentId) -> ReportUpload:
    from eoffice.dispositions import assignments

    return assignments.report_upload(caller(router), letter_id, assignment_id)


@router.get(
    f"{_ASSIGNMENT}/report-file",
    **operation(
        "downloadReportFile",
        "A short-lived download of the report's file",
        tags=TAGS,
        errors=(404,),
    ),
)
def report_file(letter_id: LetterId, assignment_id: AssignmentId) -> Download:
    from eoffice.dispositions import assignments

    return assignments.report_file(caller(router), letter_id, assignment_id)


# ---------------------------------------------------------------- inbox
@router.get(
    "/me/inbox",
    **operation(
        "getInbox",
        "Your assignments and tembusan: newest first, or open ones by nearest deadline",
        tags=TAGS,
        errors=(403,),
    ),
)
def get_inbox(
    status: Annotated[
        str | None, Query(description="Comma-separated: sent,read,in_progress,done,...")
    ] = None,
    overdue: Annotated[bool, Query(description="Only open ones past their deadline")] = False,
    urgensi: Annotated[Urgensi | None, Query()] = None,
    sort: Annotated[Literal["newest", "deadline"], Query()] = "newest",
    on_behalf_of: OnBehalfOf = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="From the previous page")] = None,
) -> Page[Assignment]:
    from eoffice.dispositions import inbox

    items, next_cursor = inbox.inbox(
        caller(router),
        on_behalf_of=on_behalf_of,
        statuses=inbox.parse_statuses(status),
        urgensi=urgensi,
        overdue=overdue,
        by_deadline=sort == "deadline",
        limit=limit,
        cursor=cursor,
    )
    return Page[Assignment](items=items, next_cursor=next_cursor)


@router.get(
    "/me/inbox/summary",
    **operation(
        "getInboxSummary",
        "Counts for the badge: unread, in progress, overdue",
        tags=TAGS,
        errors=(403,),
    ),
)
def inbox_summary(on_behalf_of: OnBehalfOf = None) -> InboxSummary:
    from eoffice.dispositions import inbox

    return inbox.inbox_summary(caller(router), on_behalf_of)


# ---------------------------------------------------------------- prepared dispositions
@router.post(
    "/letters/<letter_id>/prepared-dispositions",
    **operation(
        "prepareDisposition",
        "The records clerk prepares a disposition for his head to approve",
        tags=TAGS,
        errors=(403, 404, 409),
        status_code=201,
    ),
)
def prepare(letter_id: LetterId, body: PreparedCreate) -> PreparedDisposition:
    from eoffice.dispositions import prepared

    return prepared.prepare(caller(router), letter_id, body)


@router.get(
    "/me/prepared-dispositions",
    **operation(
        "listPreparedDispositions",
        "Dispositions prepared for you, awaiting approval",
        tags=TAGS,
        errors=(403,),
    ),
)
def pending_prepared(on_behalf_of: OnBehalfOf = None) -> list[PreparedDisposition]:
    from eoffice.dispositions import prepared

    return prepared.pending(caller(router), on_behalf_of)


@router.get(
    _PREPARED,
    **operation("getPreparedDisposition", "One prepared disposition", tags=TAGS, errors=(404,)),
)
def get_prepared(letter_id: LetterId, prepared_id: PreparedId) -> PreparedDisposition:
    from eoffice.dispositions import prepared

    return prepared.get(caller(router), letter_id, prepared_id)


@router.patch(
    _PREPARED,
    **operation(
        "editPreparedDisposition",
        "Change a prepared disposition before it is approved",
        tags=TAGS,
        errors=(404, 409),
    ),
)
def edit_prepared(
    letter_id: LetterId, prepared_id: PreparedId, body: PreparedUpdate
) -> PreparedDisposition:
    from eoffice.dispositions import prepared

    return prepared.edit(caller(router), letter_id, prepared_id, body)


@router.post(
    f"{_PREPARED}/approve",
    **operation(
        "approvePreparedDisposition",
        "The head sends it, in his name",
        tags=TAGS,
        idempotent=True,
        errors=(403, 404, 409),
        status_code=201,
    ),
)
def approve_prepared(letter_id: LetterId, prepared_id: PreparedId) -> Disposed:
    from eoffice.dispositions import prepared

    return prepared.approve(caller(router), letter_id, prepared_id)


@router.post(
    f"{_PREPARED}/discard",
    **operation(
        "discardPreparedDisposition", "Discard it; nothing is sent", tags=TAGS, errors=(404, 409)
    ),
)
def discard_prepared(letter_id: LetterId, prepared_id: PreparedId) -> PreparedDisposition:
    from eoffice.dispositions import prepared

    return prepared.discard(caller(router), letter_id, prepared_id)


# ---------------------------------------------------------------- overview and settings
@router.get(
    "/dispositions/summary",
    **operation(
        "getDispositionsSummary",
        "Per unit below: open, overdue and done assignments, median hours to done",
        tags=TAGS,
        errors=(403, 404),
    ),
)
def dispositions_summary(
    unit: Annotated[str | None, Query(description="Default: the caller's unit")] = None,
    since: Annotated[
        date | None, Query(description="Assignments sent since; default 90 days")
    ] = None,
) -> DispositionsSummary:
    from eoffice.dispositions import overview

    return overview.summary(caller(router), unit, since)


@router.get(
    "/dispositions/settings",
    **operation(
        "getDispositionSettings",
        "The instruction checklist, default deadlines and reach",
        tags=TAGS,
    ),
)
def get_settings() -> DispositionSettings:
    from eoffice.dispositions import disposition_settings

    caller(router)
    return disposition_settings.get()


@router.put(
    "/dispositions/settings",
    **operation(
        "replaceDispositionSettings", "Change the settings (admin)", tags=TAGS, errors=(403,)
    ),
)
def replace_settings(body: DispositionSettings) -> DispositionSettings:
    from eoffice.dispositions import disposition_settings

    return disposition_settings.replace(caller(router), body)


@router.get(
    "/me/recipients",
    **operation(
        "listDispositionRecipients",
        "Whom you may dispose to: units within reach (their heads) and the people of your unit",
        description="Give `letter_id` (and `parent_assignment_id` to forward an assignment) for "
        "exactly the reach the API checks when you dispose that letter: as Plt/Plh of a vacant "
        "post (no `on_behalf_of`), the people of the unit you act for. Without it: your own "
        "unit's (or the absent head's, with `on_behalf_of`).",
        tags=TAGS,
        errors=(403, 404, 409),
    ),
)
def disposition_recipients(
    on_behalf_of: OnBehalfOf = None,
    letter_id: Annotated[
        str | None, Query(description="The letter to dispose: the reach disposing it has")
    ] = None,
    parent_assignment_id: Annotated[
        str | None, Query(description="With letter_id: the assignment to forward")
    ] = None,
) -> Recipients:
    from eoffice.dispositions import reach

    return reach.recipients(caller(router), on_behalf_of, letter_id, parent_assignment_id)
