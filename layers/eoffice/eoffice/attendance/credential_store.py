"""WebAuthn credentials in the attendance table: ``DEVICE#<hash>`` / ``WEBAUTHN`` next to the
device's ``BINDING``, so that the check-in's one BatchGetItem reads the public key with
everything else (``checkin_store.read_snapshot``). Its sign count moves in the check-in's
transaction; releasing the phone deletes it (``device_store.rebind``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eoffice import aws, settings
from eoffice.attendance.models import DeviceRequestView
from eoffice.attendance.table import TABLE_ENV, employee_key
from eoffice.errors import Conflict

SORT_KEY = "WEBAUTHN"


@dataclass
class Credential:
    nip: str
    public_key: str  # COSE key, base64url
    sign_count: int
    registered_at: datetime

    def body(self) -> str:
        return json.dumps(
            {
                "public_key": self.public_key,
                "sign_count": self.sign_count,
                "registered_at": self.registered_at.isoformat(),
            }
        )

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Credential:
        data = json.loads(item["body"]["S"])
        return cls(
            nip=item["nip"]["S"],
            public_key=data["public_key"],
            sign_count=int(item.get("sign_count", {}).get("N", data["sign_count"])),
            registered_at=datetime.fromisoformat(data["registered_at"]),
        )


def key(device: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"DEVICE#{device}"}, "sk": {"S": SORT_KEY}}


def bound_to(device: str) -> str | None:
    item = (
        aws.client("dynamodb")
        .get_item(
            TableName=settings.resource(TABLE_ENV),
            Key={"pk": {"S": f"DEVICE#{device}"}, "sk": {"S": "BINDING"}},
            ConsistentRead=True,
        )
        .get("Item")
    )
    return str(item["nip"]["S"]) if item else None


def register(device: str, credential: Credential, request: DeviceRequestView) -> None:
    """Store the credential and its device request, in one transaction; 409 when the
    credential is another employee's."""
    table = settings.resource(TABLE_ENV)
    item = {
        **key(device),
        "nip": {"S": credential.nip},
        "body": {"S": credential.body()},
        "sign_count": {"N": str(credential.sign_count)},
    }
    waiting = {
        "pk": {"S": employee_key(request.nip)},
        "sk": {"S": f"DEVREQ#{device}"},
        "body": {"S": request.model_dump_json()},
        "gsi2pk": {"S": "DEVICES#PENDING"},
        "gsi2sk": {"S": f"{request.unit_id}#{request.nip}#{device}"},
    }
    client = aws.client("dynamodb")
    try:
        client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table,
                        "Item": item,
                        "ConditionExpression": "attribute_not_exists(pk) OR nip = :nip",
                        "ExpressionAttributeValues": {":nip": {"S": credential.nip}},
                    }
                },
                {"Put": {"TableName": table, "Item": waiting}},
            ]
        )
    except client.exceptions.TransactionCanceledException as error:
        raise Conflict(
            "this credential belongs to another employee", code="device_in_use"
        ) from error
