"""Data access for the working calendar: one item per year in the organisation table
(``CALENDAR#{year}`` / ``CALENDAR``), the year's days off as one JSON document."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute

from eoffice.calendar.models import YearCalendar
from eoffice.dynamo import get_or_none
from eoffice.org.store import OrgItem


class CalendarItem(OrgItem, discriminator="calendar"):
    body = UnicodeAttribute()


def _key(year: int) -> str:
    return f"CALENDAR#{year}"


def raw_key(year: int) -> dict[str, dict[str, str]]:
    """The year's key in the low-level client's form, for a BatchGetItem across tables."""
    return {"pk": {"S": _key(year)}, "sk": {"S": "CALENDAR"}}


def from_raw(year: int, item: dict[str, Any] | None) -> YearCalendar:
    """The year from an item the low-level client returned under ``raw_key`` (None: not
    entered)."""
    if item is None:
        return YearCalendar(year=year)
    stored = YearCalendar.model_validate_json(item["body"]["S"])
    return stored.model_copy(update={"configured": True})


def get_year(year: int) -> YearCalendar:
    """The year's days off; an empty calendar (weekends only, ``configured`` false) when none
    was entered."""
    item = get_or_none(OrgItem, _key(year), "CALENDAR")
    if isinstance(item, CalendarItem):
        stored = YearCalendar.model_validate_json(item.body)
        return stored.model_copy(update={"configured": True})
    return YearCalendar(year=year)


def save_year(calendar: YearCalendar) -> None:
    CalendarItem(_key(calendar.year), "CALENDAR", body=calendar.model_dump_json()).save()
