"""Data access of the check-in path: everything it needs in one BatchGetItem (two tables), and
everything it records in one TransactWriteItems. With the caller's Query that is three DynamoDB
calls per check-in and per offline batch; a replayed batch takes two and writes nothing.

The batch also reads what the answer tells him a check-in counts for: the regency's default
schedule, his unit's own schedule and the calendar years of the days. An exception his unit
inherits from a unit above is not among them (finding it needs the unit tree, a fourth call):
he is answered by the default then, and the day view, which reads the tree, decides.

Low-level client calls, not PynamoDB: PynamoDB has no multi-table batch get, and the transaction
needs ``ReturnValuesOnConditionCheckFailure`` on the guards. Keys: ``eoffice.attendance.table``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from eoffice import aws, settings
from eoffice.attendance import schedule_store
from eoffice.attendance.models import (
    CheckIn,
    CheckInResult,
    CheckState,
    DayHours,
    DeviceRequestView,
    Flag,
)
from eoffice.attendance.schedule_models import WorkSchedule, regency_default
from eoffice.attendance.schedule_rules import days_off_of, hours_on, ramadan_of
from eoffice.attendance.table import TABLE_ENV, employee_key, unit_month_key
from eoffice.calendar import store as calendar_store
from eoffice.calendar.models import YearCalendar
from eoffice.clock import regency_tz
from eoffice.errors import Conflict
from eoffice.org.models import Office
from eoffice.org.store import office_from_raw, office_key

GUARD_DAYS = 35  # longer than any offline window: a late replay still finds its guard
DEVICE_DAY_DAYS = 40
_BATCH_GET_ROUNDS = 5
MAX_TRANSACTION = 100  # actions in one TransactWriteItems


@dataclass
class Profile:
    """An employee's attendance profile: his bound device and last accepted fix."""

    device: str | None = None
    last_fix: dict[str, Any] | None = None
    selfies: list[dict[str, str]] = field(default_factory=list)  # recent {hash, checkin_id}
    rev: int = 0  # 0: no item yet

    @classmethod
    def from_body(cls, body: str | None, rev: int) -> Profile:
        data = json.loads(body or "{}")
        return cls(data.get("device"), data.get("last_fix"), data.get("selfies", []), rev)

    def body(self) -> str:
        return json.dumps(
            {"device": self.device, "last_fix": self.last_fix, "selfies": self.selfies}
        )


@dataclass
class DeviceDay:
    nips: set[str] = field(default_factory=set)
    version: int = 0  # 0: no item yet


@dataclass
class Snapshot:
    profile: Profile
    binding: str | None  # the NIP the device is bound to
    device_days: dict[date, DeviceDay]
    guards: dict[str, CheckInResult]
    offices: list[Office]
    schedule: WorkSchedule = field(default_factory=regency_default)
    calendars: list[YearCalendar] = field(default_factory=list)
    device_requested: bool = False  # this device already waits for approval for him
    credential: Any = None  # web check-ins: the device's credential_store.Credential, if any

    def hours_on(self, day: date) -> tuple[DayHours | None, str | None]:
        """His hours on ``day`` by the schedule read, or None and the day off's name."""
        calendars = self.calendars
        return hours_on(day, self.schedule, days_off_of(calendars), ramadan_of(calendars))


@dataclass
class Writes:
    nip: str
    device: str
    checkins: list[tuple[CheckIn, CheckInResult]]
    profile: Profile  # the new state; ``rev`` is the one read
    bind: bool = False
    device_days: dict[date, int] = field(default_factory=dict)  # day -> version read
    flags: list[Flag] = field(default_factory=list)
    device_request: DeviceRequestView | None = None
    device_request_new: bool = False  # no request of this device waited before: announce it
    sign_count: tuple[int, int] | None = None  # web: the credential's counter (read, new)
    signed: list[Any] = field(default_factory=list)  # web: checkin.Candidate with valid assertions


class ConcurrentWrite(Conflict):
    """Another request changed what this one read (a guard, the profile, a device day)."""

    def __init__(self) -> None:
        super().__init__("a concurrent check-in changed the record", code="concurrent_checkin")


def _table() -> str:
    return settings.resource(TABLE_ENV)


def _org_table() -> str:
    return settings.resource("ORG_TABLE")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float) -> dict[str, str]:
    return {"N": str(value)}


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _device_key(device: str) -> str:
    return f"DEVICE#{device}"


# ---------------------------------------------------------------- reading
def read_snapshot(
    nip: str,
    device: str,
    days: Iterable[date],
    client_ids: Iterable[str],
    office_ids: Iterable[str],
    unit_id: str,
    *,
    consistent: bool = False,
    web: bool = False,
) -> Snapshot:
    """What deciding the check-ins needs, in one BatchGetItem over both tables (strongly
    consistent on a retry after a concurrent write): at most 3 + 40 days + 40 client ids + 10
    offices + 2 schedules + 3 years, within its 100 keys."""
    days, client_ids, office_ids = sorted(set(days)), sorted(set(client_ids)), list(office_ids)
    attendance = [
        _key(employee_key(nip), "PROFILE"),
        _key(_device_key(device), "BINDING"),
        _key(employee_key(nip), _request_sort_key(device)),
        *(_key(_device_key(device), f"DAY#{day.isoformat()}") for day in days),
        *(_key(employee_key(nip), f"CID#{cid}") for cid in client_ids),
        *([_key(_device_key(device), "WEBAUTHN")] if web else []),  # its public key
    ]
    # The year before too: a Ramadan that began in December covers January days.
    years = sorted({year for day in days for year in (day.year - 1, day.year)})
    org = [
        *(office_key(office_id) for office_id in office_ids),
        schedule_store.raw_key(None),
        schedule_store.raw_key(unit_id),
        *(calendar_store.raw_key(year) for year in years),
    ]
    found = _batch_get({_table(): attendance, _org_table(): org}, consistent)
    by_key = {(i["pk"]["S"], i["sk"]["S"]): i for i in found.get(_table(), [])}
    org_found = {(i["pk"]["S"], i["sk"]["S"]): i for i in found.get(_org_table(), [])}
    return Snapshot(
        profile=_profile(by_key.get((employee_key(nip), "PROFILE"))),
        binding=_attr(by_key.get((_device_key(device), "BINDING")), "nip"),
        device_days={
            day: _device_day(by_key.get((_device_key(device), f"DAY#{day.isoformat()}")))
            for day in days
        },
        guards={
            cid: CheckInResult.model_validate_json(item["body"]["S"])
            for cid in client_ids
            if (item := by_key.get((employee_key(nip), f"CID#{cid}"))) is not None
        },
        offices=_offices([i for k, i in org_found.items() if k[0].startswith("OFFICE#")]),
        schedule=_schedule(org_found, unit_id),
        calendars=[
            calendar_store.from_raw(year, org_found.get(_raw(calendar_store.raw_key(year))))
            for year in years
        ],
        device_requested=(employee_key(nip), _request_sort_key(device)) in by_key,
        credential=_credential(by_key.get((_device_key(device), "WEBAUTHN"))),
    )


def _credential(item: dict[str, Any] | None) -> Any:
    if item is None:
        return None
    from eoffice.attendance.credential_store import Credential

    return Credential.from_item(item)


def _raw(key: dict[str, dict[str, str]]) -> tuple[str, str]:
    return key["pk"]["S"], key["sk"]["S"]


def _schedule(found: dict[tuple[str, str], dict[str, Any]], unit_id: str) -> WorkSchedule:
    """His unit's own schedule, else the stored default, else the built-in one."""
    for key in (schedule_store.raw_key(unit_id), schedule_store.raw_key(None)):
        item = found.get(_raw(key))
        if item is not None:
            return schedule_store.from_raw(item)
    return regency_default()


def _batch_get(
    keys: dict[str, list[dict[str, Any]]], consistent: bool
) -> dict[str, list[dict[str, Any]]]:
    """BatchGetItem, following ``UnprocessedKeys`` (throttling) for a few rounds."""
    wanted = {table: {"Keys": k, "ConsistentRead": consistent} for table, k in keys.items() if k}
    found: dict[str, list[dict[str, Any]]] = {}
    client = aws.client("dynamodb")
    for _ in range(_BATCH_GET_ROUNDS):
        answer = client.batch_get_item(RequestItems=wanted)
        for table, items in answer.get("Responses", {}).items():
            found.setdefault(table, []).extend(items)
        wanted = answer.get("UnprocessedKeys") or {}
        if not wanted:
            return found
    raise Conflict("the attendance table is busy; try again", code="throttled")


def _attr(item: dict[str, Any] | None, name: str) -> str | None:
    if item is None or name not in item:
        return None
    return str(item[name]["S"])


def _profile(item: dict[str, Any] | None) -> Profile:
    if item is None:
        return Profile()
    return Profile.from_body(item["body"]["S"], int(item["rev"]["N"]))


def _device_day(item: dict[str, Any] | None) -> DeviceDay:
    if item is None:
        return DeviceDay()
    return DeviceDay(set(item.get("nips", {}).get("SS", [])), int(item["v"]["N"]))


def _offices(items: list[dict[str, Any]]) -> list[Office]:
    return [office_from_raw(item) for item in items]


# ---------------------------------------------------------------- writing
def commit(writes: Writes, now: datetime) -> None:
    """Everything the decision recorded, in one TransactWriteItems. A batch too large for one
    transaction (100 actions) goes in several, the profile and devices with the first: each
    check-in stays whole with its guard and flags, so a retry after a partial failure records
    the rest and answers the recorded ones as duplicates."""
    client = aws.client("dynamodb")
    for actions in _transactions(writes, now):
        try:
            client.transact_write_items(TransactItems=actions)
        except client.exceptions.TransactionCanceledException as error:
            raise ConcurrentWrite from error


def _transactions(writes: Writes, now: datetime) -> list[list[dict[str, Any]]]:
    shared, per_checkin = _actions(writes, now)
    transactions: list[list[dict[str, Any]]] = [shared] if shared else [[]]
    for group in per_checkin:
        if len(transactions[-1]) + len(group) > MAX_TRANSACTION:
            transactions.append([])
        transactions[-1].extend(group)
    return [actions for actions in transactions if actions]


def _actions(
    writes: Writes, now: datetime
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """(the actions on the profile and the device, one group per check-in)."""
    table = _table()
    expires = int((now + timedelta(days=GUARD_DAYS)).timestamp())
    flags: dict[str, list[Flag]] = {}
    for flag in writes.flags:
        flags.setdefault(flag.checkin_id or "", []).append(flag)
    groups: list[list[dict[str, Any]]] = []
    for checkin, result in writes.checkins:
        guard = {
            **_key(employee_key(writes.nip), f"CID#{checkin.client_id}"),
            "body": _s(result.model_dump_json()),
            "expires_at": _n(expires),
        }
        groups.append(
            [
                _put(table, _checkin_item(checkin), new=True),
                _put(table, guard, new=True),
                *(_put(table, _flag_item(f)) for f in flags.pop(checkin.checkin_id, [])),
            ]
        )
    shared: list[dict[str, Any]] = []
    if writes.checkins or writes.bind:
        shared.append(_profile_put(table, writes))
    if writes.bind:
        binding = {**_key(_device_key(writes.device), "BINDING"), "nip": _s(writes.nip)}
        shared.append(_put(table, binding, new=True))
    shared.extend(_device_day_updates(table, writes, now))
    shared.extend(_put(table, _flag_item(f)) for rest in flags.values() for f in rest)
    if writes.device_request is not None:
        shared.append(_put(table, _request_item(writes.device_request)))
    if writes.sign_count is not None:
        shared.append(_sign_count_update(table, writes.device, *writes.sign_count))
    return shared, groups


def _sign_count_update(table: str, device: str, read: int, new: int) -> dict[str, Any]:
    """The authenticator's counter moves with the check-ins it signed (a clone shows as a
    counter that did not grow: py_webauthn refuses it)."""
    return {
        "Update": {
            "TableName": table,
            "Key": _key(_device_key(device), "WEBAUTHN"),
            "UpdateExpression": "SET sign_count = :new",
            "ConditionExpression": "sign_count = :read",
            "ExpressionAttributeValues": {":new": _n(new), ":read": _n(read)},
        }
    }


def _put(table: str, item: dict[str, Any], *, new: bool = False) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table, "Item": item}
    if new:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    return {"Put": put}


def _profile_put(table: str, writes: Writes) -> dict[str, Any]:
    profile = writes.profile
    item = {
        **_key(employee_key(writes.nip), "PROFILE"),
        "body": _s(profile.body()),
        "rev": _n(profile.rev + 1),
    }
    put: dict[str, Any] = {"TableName": table, "Item": item}
    if profile.rev == 0:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "rev = :rev"
        put["ExpressionAttributeValues"] = {":rev": _n(profile.rev)}
    return {"Put": put}


def _device_day_updates(table: str, writes: Writes, now: datetime) -> list[dict[str, Any]]:
    expires = int((now + timedelta(days=DEVICE_DAY_DAYS)).timestamp())
    return [
        {
            "Update": {
                "TableName": table,
                "Key": _key(_device_key(writes.device), f"DAY#{day.isoformat()}"),
                "UpdateExpression": "ADD nips :nip SET v = :next, expires_at = :exp",
                "ConditionExpression": "attribute_not_exists(pk) OR v = :read",
                "ExpressionAttributeValues": {
                    ":nip": {"SS": [writes.nip]},
                    ":next": _n(version + 1),
                    ":read": _n(version),
                    ":exp": _n(expires),
                },
            }
        }
        for day, version in sorted(writes.device_days.items())
    ]


def checkin_sort_key(checkin: CheckIn) -> str:
    local = checkin.effective_at.astimezone(regency_tz())
    return f"AT#{local.isoformat(timespec='seconds')}#{checkin.client_id}"


def checkin_index_keys(checkin: CheckIn) -> tuple[str, str] | None:
    """gsi1's keys: only what may count is in the unit's month."""
    if checkin.state is CheckState.rejected:
        return None
    day = checkin.day.isoformat()
    return (
        unit_month_key(checkin.unit_id, day[:7]),
        f"{day}#{checkin.nip}#{checkin_sort_key(checkin)}",
    )


def _checkin_item(checkin: CheckIn) -> dict[str, Any]:
    item = {
        **_key(employee_key(checkin.nip), checkin_sort_key(checkin)),
        "body": _s(checkin.model_dump_json()),
    }
    if (keys := checkin_index_keys(checkin)) is not None:
        item["gsi1pk"], item["gsi1sk"] = _s(keys[0]), _s(keys[1])
    return item


def flag_sort_key(flag: Flag) -> str:
    return f"FLAG#{flag.day.isoformat()}#{flag.flag_id}"


def open_flag_keys(flag: Flag) -> tuple[str, str]:
    return "FLAGS#OPEN", f"{flag.unit_id}#{flag.day.isoformat()}#{flag.nip}#{flag.flag_id}"


def _flag_item(flag: Flag) -> dict[str, Any]:
    item = {**_key(employee_key(flag.nip), flag_sort_key(flag)), "body": _s(flag.model_dump_json())}
    if flag.open:
        pk, sk = open_flag_keys(flag)
        item["gsi2pk"], item["gsi2sk"] = _s(pk), _s(sk)
    return item


def _request_sort_key(device: str) -> str:
    return f"DEVREQ#{device}"


def _request_item(request: DeviceRequestView) -> dict[str, Any]:
    return {
        **_key(employee_key(request.nip), _request_sort_key(request.device)),
        "body": _s(request.model_dump_json()),
        "gsi2pk": _s("DEVICES#PENDING"),
        "gsi2sk": _s(f"{request.unit_id}#{request.nip}#{request.device}"),
    }
