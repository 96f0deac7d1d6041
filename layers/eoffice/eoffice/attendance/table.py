"""The attendance table (``ATTENDANCE_TABLE``): one PynamoDB model for every item kind, and the
key of each kind in one place (docs/decisions/0012-attendance.md).

| item | pk / sk | indexes |
| --- | --- | --- |
| check-in | ``EMP#{nip}`` / ``AT#{effective WITA time}#{client_id}`` | gsi1 unless rejected |
| idempotency guard | ``EMP#{nip}`` / ``CID#{client_id}`` | (TTL) |
| profile (bound device, last fix) | ``EMP#{nip}`` / ``PROFILE`` | |
| device binding | ``DEVICE#{hash}`` / ``BINDING`` | |
| device day (who used it) | ``DEVICE#{hash}`` / ``DAY#{date}`` | (TTL) |
| device request | ``EMP#{nip}`` / ``DEVREQ#{hash}`` | gsi2 ``DEVICES#PENDING`` |
| flag | ``EMP#{nip}`` / ``FLAG#{date}#{flag_id}`` | gsi2 ``FLAGS#OPEN`` while open |
| leave or travel | ``EMP#{nip}`` / ``LEAVE#{leave_id}`` | gsi2 ``LEAVES#WAITING#{unit}`` while pending, gsi3 ``LEAVES#{unit}`` |
| leave filing lock (``v``) | ``EMP#{nip}`` / ``LEAVES`` | |
| leave id lookup (``nip``) | ``LEAVEID#{leave_id}`` / ``LEAVE`` | |
| correction | ``EMP#{nip}`` / ``CORR#{date}#{at}`` | gsi1 |

gsi1 ``UNIT#{unit}#{yyyy-mm}`` / ``{date}#{nip}#{kind}#...``: a unit's day or month in one Query.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from eoffice.dynamo import EnvBoundMeta

TABLE_ENV = "ATTENDANCE_TABLE"


class _Meta(metaclass=EnvBoundMeta):
    table_env = TABLE_ENV


class _Index(GlobalSecondaryIndex["AttendanceRow"]):
    class Meta:
        projection = AllProjection()


class ByUnitMonth(_Index):
    class Meta(_Index.Meta):
        index_name = "gsi1"

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Queue(_Index):
    class Meta(_Index.Meta):
        index_name = "gsi2"

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class UnitLeave(_Index):
    class Meta(_Index.Meta):
        index_name = "gsi3"

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class AttendanceRow(Model):
    class Meta(_Meta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)  # the record as JSON (its pydantic model)
    rev = NumberAttribute(null=True)  # optimistic lock of a profile, a leave
    v = NumberAttribute(null=True)  # a device day's version
    nip = UnicodeAttribute(null=True)  # a device binding's employee
    nips = UnicodeSetAttribute(null=True)  # a device day's employees
    expires_at = NumberAttribute(null=True)  # TTL (guards, device days)
    by_unit_month = ByUnitMonth()
    queue = Queue()
    unit_leave = UnitLeave()


def employee_key(nip: str) -> str:
    return f"EMP#{nip}"


def unit_month_key(unit_id: str, month: str) -> str:
    """gsi1's partition; ``month`` is ``YYYY-MM``."""
    return f"UNIT#{unit_id}#{month}"
