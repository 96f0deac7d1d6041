"""Disciplinary penalties (hukuman disiplin) entered by BKPSDM. Routes parse and answer; the
service is ``eoffice.tpp.penalties``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.tpp.models import Penalty, PenaltyCancelCreate, PenaltyCreate

router = APIGatewayHttpRouter()
TAGS = ["tpp"]


@router.post(
    "/tpp/penalties",
    **operation(
        "addTppPenalty",
        "Enter a disciplinary penalty: a percentage of the TPP for some months (hr)",
        tags=TAGS,
        errors=(403, 404),
        status_code=201,
        description="Cut on top of the attendance deduction (after its 40 % cap); the month's "
        "total deduction is at most 100 %. Nobody enters his own.",
    ),
)
def add(body: PenaltyCreate) -> Penalty:
    from eoffice.tpp import penalties

    return penalties.add(caller(router), body)


@router.get(
    "/tpp/penalties",
    **operation("listTppPenalties", "Penalties in force in a month (hr)", tags=TAGS, errors=(403,)),
)
def in_force(
    month: Annotated[str, Query(description="YYYY-MM")],
    nip: Annotated[str | None, Query(description="Only this employee's")] = None,
) -> list[Penalty]:
    from eoffice.tpp import penalties

    return penalties.in_force(caller(router), month, nip)


@router.post(
    "/tpp/penalties/<penalty_id>/cancel",
    **operation(
        "cancelTppPenalty",
        "Withdraw a penalty entered in error, with a reason (hr)",
        tags=TAGS,
        errors=(403, 404, 409),
        description="Frozen months keep what they paid; a month computed again leaves it out "
        "(its new version lists the change).",
    ),
)
def cancel(penalty_id: Annotated[str, Path()], body: PenaltyCancelCreate) -> Penalty:
    from eoffice.tpp import penalties

    return penalties.cancel(caller(router), penalty_id, body)
