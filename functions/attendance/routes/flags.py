"""The attendance review queue. Routes parse and answer; the service is
``eoffice.attendance.flags``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.attendance.models import Flag, FlagDecision, FlagPage
from eoffice.http.caller import caller
from eoffice.http.openapi import operation

router = APIGatewayHttpRouter()
TAGS = ["attendance review"]


@router.get(
    "/attendance/flags",
    **operation(
        "attendanceFlags",
        "Open flags with their evidence: mock locations, shared devices, implausible clocks, "
        "impossible travel (hr, heads)",
        tags=TAGS,
        errors=(403, 422),
    ),
)
def list_flags(
    unit: Annotated[str | None, Query(description="Only this unit's")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="From the previous page")] = None,
) -> FlagPage:
    from eoffice.attendance import flags

    return flags.open_flags(caller(router), unit, limit, cursor)


@router.post(
    "/attendance/flags/<nip>/<day>/<flag_id>/resolve",
    **operation(
        "resolveAttendanceFlag",
        "Review a flag: its check-in, if waiting, becomes accepted or rejected (hr, heads)",
        tags=TAGS,
        errors=(403, 404, 409, 422),
    ),
)
def resolve_flag(
    nip: Annotated[str, Path()], day: Annotated[date, Path()], flag_id: str, body: FlagDecision
) -> list[Flag]:
    from eoffice.attendance import flags

    return flags.resolve(caller(router), nip, day, flag_id, body)
