"""Shared steps of the disposition tests: registered letters, people, and short calls."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import httpx
from conftest import Api, Intake
from nip_support import fresh_nip

from bench.scans import make_scan

_seeds = itertools.count(70_000)

NIP = {
    "bupati": "196805141994031007",
    "sekda": "197011231996031004",
    "kadis.kominfo": "197503082002121003",
    "tu.kominfo": "198807192011012006",
    "staf.kominfo": "199402112019031011",
    "admin": "199010052015031002",
    "kepala.bkpsdm": "197206172000032005",
    "tpp.bkpsdm": "198912032014022004",
}


def letter_metadata(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sender_agency": "Kementerian Dalam Negeri",
        "sender_number": f"100.3/{next(_seeds)}/SJ",
        "sender_date": "2026-11-20",
        "subject": "Percepatan transformasi digital pemerintah daerah",
        "classification_code": "100.3",
        "sifat": "biasa",
        "urgensi": "biasa",
        "addressee": "Bupati Luwu Timur",
    }
    body.update(overrides)
    return body


def registered_letter(
    api: Api, intake: Intake, clerk: str = "tu.kominfo", **overrides: Any
) -> dict[str, Any]:
    """A letter registered by ``clerk`` with its scan attached: ready to be disposed."""
    answer = api.post("/letters", user=clerk, json_body=letter_metadata(**overrides))
    assert answer.status == 201, answer.body
    form = answer.json["upload"]
    scan = make_scan(1, with_text=True, seed=next(_seeds))
    sent = httpx.post(form["url"], data=form["fields"], files={"file": ("s.pdf", scan)}, timeout=30)
    assert sent.status_code in {200, 201, 204}
    intake.drain()
    letter = api.get(f"/letters/{answer.json['letter']['letter_id']}", user=clerk).json
    assert letter["status"] == "registered", letter
    return letter  # type: ignore[no-any-return]


def dispose(
    api: Api, user: str, letter_id: str, *recipients: str, expect: int = 201, **fields: Any
) -> dict[str, Any]:
    """Dispose ``letter_id`` as ``user`` to the named users (by NIP)."""
    body = {
        "recipients": [{"nip": NIP.get(r, r)} for r in recipients],
        "instructions": fields.pop("instructions", ["tindak_lanjuti"]),
        **fields,
    }
    answer = api.post(f"/letters/{letter_id}/dispositions", user=user, json_body=body)
    assert answer.status == expect, answer.body
    return answer.json  # type: ignore[no-any-return]


def assignment_path(assignment: dict[str, Any]) -> str:
    return f"/letters/{assignment['letter_id']}/assignments/{assignment['assignment_id']}"


# ---------------------------------------------------------------- fresh people and units
def new_unit(
    api: Api, parent_id: str, *, kind: str = "section", head: bool = True
) -> dict[str, Any]:
    """A new unit below ``parent_id`` (admin), with a head position when ``head``."""
    code = f"T{uuid.uuid4().hex[:8].upper()}"
    unit = api.post(
        "/units",
        user="admin",
        json_body={
            "code": code,
            "name": f"Bidang Uji {code}",
            "kind": kind,
            "parent_id": parent_id,
        },
    )
    assert unit.status == 201, unit.body
    result: dict[str, Any] = unit.json
    if head:
        position = api.post(
            "/positions",
            user="admin",
            json_body={"name": f"Kepala {code}", "unit_id": result["unit_id"], "is_head": True},
        )
        assert position.status == 201, position.body
        result["head_position_id"] = position.json["position_id"]
    return result


def new_employee(
    api: Api, unit_id: str, *, roles: list[str] | None = None, position_id: str | None = None
) -> dict[str, Any]:
    """A new active employee (admin); log in with the returned ``username``."""
    username = f"uji.{uuid.uuid4().hex[:10]}"
    body = {
        "nip": fresh_nip(),
        "name": f"Pegawai {username}",
        "unit_id": unit_id,
        "position_id": position_id,
        "roles": roles or ["staff"],
        "username": username,
    }
    answer = api.post("/employees", user="admin", json_body=body)
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


# ---------------------------------------------------------------- domain events
class EventTap:
    """Collects the domain events of ``source`` from the stack's bus, through an SQS queue."""

    def __init__(self, api: Api, source: str = "eoffice.dispositions") -> None:
        from eoffice import aws

        self.sqs = aws.client("sqs")
        events = aws.client("events")
        name = f"tap-{uuid.uuid4().hex[:12]}"
        self.queue = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        bus = api.env.stack.refs["EventBus"]
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"source": [source]}))
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
        self.seen: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        """Every event received so far (``detail-type`` and ``detail``)."""
        while True:
            got = self.sqs.receive_message(
                QueueUrl=self.queue, WaitTimeSeconds=1, MaxNumberOfMessages=10
            ).get("Messages", [])
            if not got:
                return self.seen
            for message in got:
                self.seen.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])

    def of(self, detail_type: str, **match: Any) -> list[dict[str, Any]]:
        return [
            e["detail"]
            for e in self.drain()
            if e["detail-type"] == detail_type
            and all(e["detail"].get(k) == v for k, v in match.items())
        ]


# ---------------------------------------------------------------- acting officials and units
def unit_of(api: Api, user: str) -> str:
    """The unit id of a (demo or fresh) user, from his /me."""
    return api.get("/me", user=user).json["employee"]["unit_id"]  # type: ignore[no-any-return]


def make_acting(api: Api, actor_nip: str, position_id: str, capacity: str = "plt") -> None:
    """Make ``actor_nip`` Plt/Plh in ``position_id`` for today (admin)."""
    from eoffice import clock

    today = clock.today().isoformat()
    body = {
        "actor_nip": actor_nip,
        "position_id": position_id,
        "capacity": capacity,
        "starts_on": today,
        "ends_on": today,
    }
    answer = api.post("/acting-assignments", user="admin", json_body=body)
    assert answer.status == 201, answer.body
