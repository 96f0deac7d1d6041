"""Incoming letters: register, list, read, correct, files, cover sheets, history; and the files
intake refused. Every rule is in ``eoffice.letters``; routes parse and answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.letters.models import (
    HistoryEntry,
    Letter,
    LetterCreate,
    LetterQuery,
    LetterStatus,
    LetterUpdate,
    Registration,
    Rejection,
    Sifat,
)
from eoffice.models import Download, Upload
from eoffice.paging import Page

router = APIGatewayHttpRouter()
LETTERS = ["letters"]
LetterId = Annotated[str, Path(description="The letter's id")]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(description="From the previous page")]


@router.post(
    "/letters",
    **operation(
        "registerLetter",
        "Register an incoming letter (records clerk or head of the unit)",
        description="Answers the letter with its agenda number, and a presigned form upload for "
        "its scan: POST `fields` and then the file as `file` (multipart/form-data) to `url`.",
        tags=LETTERS,
        errors=(403, 409),
        status_code=201,
    ),
)
def register_letter(body: LetterCreate) -> Registration:
    from eoffice.letters import service

    return service.register(caller(router), body)


@router.get(
    "/letters",
    **operation("listLetters", "A unit's letters the caller may see, newest first", tags=LETTERS),
)
def list_letters(
    unit: Annotated[str | None, Query(description="Default: the caller's unit")] = None,
    status: Annotated[LetterStatus | None, Query()] = None,
    sifat: Annotated[Sifat | None, Query()] = None,
    classification: Annotated[str | None, Query(description="Code or its prefix, e.g. 800")] = None,
    sender: Annotated[str | None, Query(description="Part of the sender agency's name")] = None,
    received_from: Annotated[date | None, Query()] = None,
    received_to: Annotated[date | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Letter]:
    from eoffice.letters import service

    principal = caller(router)
    query = LetterQuery(
        unit_id=unit or principal.unit_id,
        status=status,
        sifat=sifat,
        classification=classification,
        sender=sender,
        received_from=received_from,
        received_to=received_to,
    )
    items, next_cursor = service.list_letters(principal, query, limit=limit, cursor=cursor)
    return Page[Letter](items=items, next_cursor=next_cursor)


@router.get(
    "/letters/<letter_id>", **operation("getLetter", "One letter", tags=LETTERS, errors=(404,))
)
def get_letter(letter_id: LetterId) -> Letter:
    from eoffice.letters import service

    return service.get(caller(router), letter_id)


@router.patch(
    "/letters/<letter_id>",
    **operation(
        "correctLetter",
        "Correct or complete a letter's metadata (kept in its history)",
        tags=LETTERS,
        errors=(403, 404, 409),
    ),
)
def correct_letter(letter_id: LetterId, body: LetterUpdate) -> Letter:
    from eoffice.letters import service

    return service.correct(caller(router), letter_id, body)


@router.get(
    "/letters/<letter_id>/file",
    **operation(
        "downloadLetterFile",
        "A short-lived download of the letter's file",
        tags=LETTERS,
        errors=(404,),
    ),
)
def download_file(letter_id: LetterId) -> Download:
    from eoffice.letters import service

    return service.download(caller(router), letter_id)


@router.post(
    "/letters/<letter_id>/uploads",
    **operation(
        "newLetterUpload",
        "A new upload form for the letter's file",
        tags=LETTERS,
        errors=(403, 404),
        status_code=201,
    ),
)
def new_upload(letter_id: LetterId) -> Upload:
    from eoffice.letters import service

    return service.new_upload(caller(router), letter_id)


@router.get(
    "/letters/<letter_id>/cover-sheet",
    **operation(
        "getCoverSheet",
        "A printable cover sheet (PDF) whose QR code routes a later scan to this letter",
        tags=LETTERS,
        errors=(404,),
        binary="application/pdf",
    ),
)
def cover_sheet(letter_id: LetterId) -> Response[bytes]:
    from eoffice.letters import service

    pdf = service.cover_sheet(caller(router), letter_id)
    headers = {"Content-Disposition": f'inline; filename="lembar-pengantar-{letter_id}.pdf"'}
    return Response(200, content_type="application/pdf", body=pdf, headers=headers)


@router.get(
    "/letters/<letter_id>/history",
    **operation(
        "getLetterHistory",
        "Everything that happened to the letter, oldest first",
        tags=LETTERS,
        errors=(404,),
    ),
)
def letter_history(letter_id: LetterId) -> list[HistoryEntry]:
    from eoffice.letters import service

    return service.history(caller(router), letter_id)


@router.get(
    "/intake/rejections",
    **operation(
        "listRejections",
        "Files intake refused, with their reasons (admin)",
        tags=LETTERS,
        errors=(403,),
    ),
)
def list_rejections(limit: Limit = 50, cursor: Cursor = None) -> Page[Rejection]:
    from eoffice.letters import service

    items, next_cursor = service.rejections(caller(router), limit=limit, cursor=cursor)
    return Page[Rejection](items=items, next_cursor=next_cursor)
