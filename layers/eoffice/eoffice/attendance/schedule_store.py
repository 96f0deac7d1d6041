"""Work schedules in the organisation table: the regency default and unit exceptions.

Items: ``SCHEDULE#default`` / ``SCHEDULE`` and ``SCHEDULE#{unit_id}`` / ``SCHEDULE``, the entry as
JSON; all of them sit on gsi1 under ``SCHEDULES`` so the whole set is one Query (never a Scan).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError

from eoffice.attendance.schedule_models import ScheduleEntry, WorkSchedule
from eoffice.dynamo import get_or_none
from eoffice.errors import NotFound
from eoffice.org.store import OrgItem

COLLECTION = "SCHEDULES"
SK = "SCHEDULE"
DEFAULT = "default"


class ScheduleItem(OrgItem, discriminator="schedule"):
    body = UnicodeAttribute()


def _key(unit_id: str | None) -> str:
    return f"SCHEDULE#{unit_id or DEFAULT}"


def raw_key(unit_id: str | None) -> dict[str, dict[str, str]]:
    """A schedule's key (the default's for None) in the low-level client's form, for the
    check-in's BatchGetItem across tables."""
    return {"pk": {"S": _key(unit_id)}, "sk": {"S": SK}}


def from_raw(item: dict[str, Any]) -> WorkSchedule:
    """The schedule of an item the low-level client returned under ``raw_key``."""
    return ScheduleEntry.model_validate_json(item["body"]["S"]).schedule


def save(entry: ScheduleEntry) -> None:
    ScheduleItem(
        _key(entry.unit_id),
        SK,
        gsi1pk=COLLECTION,
        gsi1sk=f"UNIT#{entry.unit_id}" if entry.unit_id else DEFAULT,
        body=entry.model_dump_json(),
    ).save()


def get(unit_id: str | None) -> ScheduleEntry | None:
    """The stored entry of ``unit_id`` (None: the default), if one was stored."""
    item = get_or_none(OrgItem, _key(unit_id), SK)
    return ScheduleEntry.model_validate_json(item.body) if isinstance(item, ScheduleItem) else None


def every_entry() -> tuple[ScheduleEntry | None, list[ScheduleEntry]]:
    """The stored default (None: built-in) and every unit exception, in one Query."""
    default, units = None, []
    for item in OrgItem.by_collection.query(COLLECTION):
        if isinstance(item, ScheduleItem):
            entry = ScheduleEntry.model_validate_json(item.body)
            if entry.unit_id is None:
                default = entry
            else:
                units.append(entry)
    return default, units


def delete(unit_id: str) -> None:
    """Drop a unit's exception; 404 ``schedule_not_found`` when it has none."""
    try:
        ScheduleItem(_key(unit_id), SK).delete(condition=OrgItem.pk.exists())
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise NotFound(
                f"unit {unit_id} has no schedule of its own", code="schedule_not_found"
            ) from error
        raise
