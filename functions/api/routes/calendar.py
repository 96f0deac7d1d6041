"""The regency's working calendar: national holidays and cuti bersama per year, and the year's
Ramadan period (shorter working hours). Rules are in ``eoffice.calendar``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.calendar.models import CalendarUpdate, YearCalendar
from eoffice.http.caller import caller
from eoffice.http.openapi import operation

router = APIGatewayHttpRouter()
TAGS = ["calendar"]
Year = Annotated[int, Path(description="e.g. 2026")]


@router.get(
    "/calendar/<year>",
    **operation(
        "getCalendar", "A year's days off (holidays, cuti bersama)", tags=TAGS, errors=(422,)
    ),
)
def get_calendar(year: Year) -> YearCalendar:
    from eoffice.calendar import service

    caller(router)
    return service.get_year(year)


@router.put(
    "/calendar/<year>",
    **operation(
        "replaceCalendar",
        "Replace a year's days off and Ramadan period (admin, hr)",
        tags=TAGS,
        errors=(403, 422),
        description="The whole year is replaced: a year sent without `ramadan` has none. "
        "Ramadan's dates come from the government's isbat, so they are entered each year.",
    ),
)
def replace_calendar(year: Year, body: CalendarUpdate) -> YearCalendar:
    from eoffice.calendar import service

    return service.replace_year(caller(router), year, body)
