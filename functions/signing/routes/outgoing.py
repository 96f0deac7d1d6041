"""Outgoing letters: drafts, versions, the paraf chain, lists, downloads, history, revocation.
Signing is in ``routes/sign.py``. Every rule is in ``eoffice.outgoing``; routes parse and
answer."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.body import raw_body
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.letters.models import HistoryEntry
from eoffice.models import Download, Upload
from eoffice.outgoing.models import (
    DraftCreated,
    Outgoing,
    OutgoingCreate,
    OutgoingUpdate,
    ReviewAction,
    RevokeRequest,
    VersionReceived,
)
from eoffice.paging import Page

router = APIGatewayHttpRouter()
TAGS = ["outgoing"]
OutgoingId = Annotated[str, Path(description="The outgoing letter's id (also its document id)")]


@router.post(
    "/outgoing",
    **operation(
        "createOutgoing",
        "Draft an outgoing letter",
        description="Metadata, signers in order and reviewers in order. Answers the draft and a "
        "presigned form upload for its PDF: POST `fields`, then the file as `file`, to `url`. "
        "The file is checked like an intake file and becomes version 1.",
        tags=TAGS,
        errors=(403, 422),
        status_code=201,
    ),
)
def create_outgoing(body: OutgoingCreate) -> DraftCreated:
    from eoffice.outgoing import drafts

    return drafts.create(caller(router), body)


@router.get(
    "/outgoing",
    **operation(
        "listOutgoing",
        "Outgoing letters: waiting on me, mine, or a unit's",
        tags=TAGS,
        # 403 unit_only: a unit's box is for its records clerks and head.
        errors=(403,),
    ),
)
def list_outgoing(
    box: Annotated[
        Literal["waiting", "mine", "unit"],
        Query(description="waiting: my paraf, my signature or my returned drafts"),
    ] = "waiting",
    unit: Annotated[str | None, Query(description="For box=unit; default mine")] = None,
    on_behalf_of: Annotated[
        str | None, Query(description="For box=waiting: the official a Plt/Plh stands in for")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="From the previous page")] = None,
) -> Page[Outgoing]:
    from eoffice.outgoing import drafts

    items, next_cursor = drafts.list_box(
        caller(router), box, unit_id=unit, limit=limit, cursor=cursor, on_behalf_of=on_behalf_of
    )
    return Page[Outgoing](items=items, next_cursor=next_cursor)


@router.get(
    "/outgoing/<outgoing_id>",
    **operation("getOutgoing", "An outgoing letter", tags=TAGS, errors=(404,)),
)
def get_outgoing(outgoing_id: OutgoingId) -> Outgoing:
    from eoffice.outgoing import drafts

    return drafts.get(caller(router), outgoing_id)


@router.patch(
    "/outgoing/<outgoing_id>",
    **operation(
        "correctOutgoing",
        "Correct a draft (its author); the paraf chain restarts",
        tags=TAGS,
        errors=(403, 404, 409, 422),
    ),
)
def correct_outgoing(outgoing_id: OutgoingId, body: OutgoingUpdate) -> Outgoing:
    from eoffice.outgoing import drafts

    return drafts.update(caller(router), outgoing_id, body)


@router.post(
    "/outgoing/<outgoing_id>/uploads",
    **operation(
        "newOutgoingUpload",
        "A presigned upload for a new version of the draft (its author)",
        tags=TAGS,
        errors=(403, 404, 409),
        status_code=201,
    ),
)
def new_upload(outgoing_id: OutgoingId) -> Upload:
    from eoffice.outgoing import drafts

    return drafts.new_upload(caller(router), outgoing_id)


@router.post(
    "/outgoing/<outgoing_id>/versions",
    **operation(
        "uploadOutgoingVersion",
        "Send a new version's PDF in the request itself (its author; at most 4 MB)",
        description="For small drafts and for Swagger UI: the same checks as a presigned upload "
        "(the intake function takes it in a moment later). Answers 202; the version appears in "
        "`GET /outgoing/{id}`, or, when the file is refused, its reason in `refused_uploads`.",
        tags=TAGS,
        errors=(403, 404, 409, 413, 415),
        status_code=202,
        raw_body="application/pdf",
    ),
)
def upload_version(outgoing_id: OutgoingId) -> VersionReceived:
    from eoffice.outgoing import drafts

    data = raw_body(router, "application/pdf")
    return drafts.receive_version(caller(router), outgoing_id, data)


@router.post(
    "/outgoing/<outgoing_id>/reviews",
    **operation(
        "reviewOutgoing",
        "Give the paraf, or return the draft with a note (the reviewer whose turn it is)",
        tags=TAGS,
        idempotent=True,
        errors=(403, 404, 409, 422),
    ),
)
def review_outgoing(outgoing_id: OutgoingId, body: ReviewAction) -> Outgoing:
    from eoffice.outgoing import drafts

    return drafts.review(caller(router), outgoing_id, body)


@router.get(
    "/outgoing/<outgoing_id>/file",
    **operation(
        "downloadOutgoing",
        "Download the signed letter, or a draft version",
        tags=TAGS,
        errors=(404,),
    ),
)
def download_outgoing(
    outgoing_id: OutgoingId,
    version: Annotated[int | None, Query(ge=1, description="A draft version")] = None,
) -> Download:
    from eoffice.outgoing import drafts

    return drafts.download(caller(router), outgoing_id, version)


@router.get(
    "/outgoing/<outgoing_id>/history",
    **operation("outgoingHistory", "Every step of the letter", tags=TAGS, errors=(404,)),
)
def outgoing_history(outgoing_id: OutgoingId) -> list[HistoryEntry]:
    from eoffice.outgoing import drafts

    return drafts.history(caller(router), outgoing_id)


@router.post(
    "/outgoing/<outgoing_id>/revoke",
    **operation(
        "revokeOutgoing",
        "Revoke a signed letter (a signer or an admin); verification reports it",
        tags=TAGS,
        errors=(403, 404, 409, 422),
    ),
)
def revoke_outgoing(outgoing_id: OutgoingId, body: RevokeRequest) -> Outgoing:
    from eoffice.outgoing import drafts

    return drafts.revoke(caller(router), outgoing_id, body)
