"""Pure rules of the organisation: NIP layout, codes and usernames, the unit tree, CSV cells."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from eoffice.auth import Principal
from eoffice.org.acting_rules import capacity_for
from eoffice.org.admin_models import ActingCreate, EmployeeCreate, UnitCreate
from eoffice.org.employee_import import parse_active, parse_rupiah
from eoffice.org.hierarchy import ancestors, default_office_ids, descendants
from eoffice.org.models import (
    ActingAssignment,
    ActingCapacity,
    Employee,
    Role,
    Unit,
    UnitKind,
)
from eoffice.org.nip import nip_problem
from pydantic import ValidationError


@pytest.mark.parametrize("nip", ["198503152010011001", "199912312024122999"])
def test_valid_nips(nip: str) -> None:
    assert nip_problem(nip) is None


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("12345", "18 digits"),
        ("19850315201001100A", "18 digits"),
        ("198502302010011001", "birth date"),
        ("193001012010011001", "implausible"),
        ("198503151990011001", "appointment"),
        ("198503152010131001", "appointment"),
        ("198503152010013001", "digit 15"),
        ("198503152010011000", "000"),
    ],
)
def test_invalid_nips_say_why(nip: str, reason: str) -> None:
    problem = nip_problem(nip)
    assert problem is not None and reason in problem


def test_codes_are_upper_and_usernames_lower() -> None:
    assert (
        UnitCreate(code=" diskominfo-sp ", name="Dinas", kind=UnitKind.agency, parent_id="p").code
        == "DISKOMINFO-SP"
    )
    employee = EmployeeCreate(
        nip="198503152010011001", name="Budi", unit_id="u", username="Budi.Santoso"
    )
    assert employee.username == "budi.santoso"
    with pytest.raises(ValidationError):
        UnitCreate(code="bad code", name="Dinas", kind=UnitKind.agency)
    with pytest.raises(ValidationError):
        EmployeeCreate(nip="198503152010011001", name="Budi", unit_id="u", username="x", roles=[])


def test_acting_dates_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="ends_on"):
        ActingCreate(
            actor_nip="198503152010011001",
            position_id="p",
            capacity="plt",
            starts_on=date(2026, 2, 2),
            ends_on=date(2026, 2, 1),
        )


def _unit(unit_id: str, parent: str | None) -> Unit:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Unit(
        unit_id=unit_id,
        code=unit_id.upper(),
        name=unit_id,
        kind=UnitKind.section,
        parent_id=parent,
        created_at=now,
        updated_at=now,
    )


def test_unit_tree() -> None:
    units = [
        _unit("root", None),
        _unit("a", "root"),
        _unit("a1", "a"),
        _unit("a2", "a"),
        _unit("b", "root"),
    ]
    assert descendants("a", units) == {"a1", "a2"}
    assert descendants("root", units) == {"a", "a1", "a2", "b"}
    assert ancestors("a1", units) == ["a", "root"]
    assert ancestors("root", units) == []


def test_ancestors_stop_on_a_cycle() -> None:
    assert ancestors("x", [_unit("x", "y"), _unit("y", "x")]) == ["y", "x"]


@pytest.mark.parametrize(
    ("text", "amount"), [("3250000", 3_250_000), ("3.250.000", 3_250_000), ("0", 0)]
)
def test_rupiah_cells(text: str, amount: int) -> None:
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", ["3,25 juta", "3.25", "-1", ""])
def test_bad_rupiah_cells(text: str) -> None:
    with pytest.raises(ValueError, match="Rupiah"):
        parse_rupiah(text)


def test_active_cells() -> None:
    assert parse_active("Ya") and parse_active("") and parse_active("true")
    assert not parse_active("tidak") and not parse_active("0")
    with pytest.raises(ValueError, match="active"):
        parse_active("mungkin")


def test_default_offices_come_from_the_nearest_unit_that_has_some() -> None:
    units = [
        _unit("pemkab", None),
        _unit("dinas", "pemkab"),
        _unit("bidang", "dinas"),
        _unit("seksi", "bidang"),
        _unit("lain", "pemkab"),
    ]
    offices = {"dinas": ["o1", "o2", "o3"], "seksi": ["o9"]}
    assert default_office_ids("seksi", units, offices, 10) == ["o9"]
    assert default_office_ids("bidang", units, offices, 10) == ["o1", "o2", "o3"]
    assert default_office_ids("bidang", units, offices, 2) == ["o1", "o2"]
    assert default_office_ids("lain", units, offices, 10) == []


def _principal(nip: str, *acting: tuple[str, ActingCapacity]) -> Principal:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    employee = Employee(
        nip=nip,
        name="Andi Mappasessu",
        unit_id="u-dinas",
        position_id="p-own",
        roles=[Role.staff],
        tpp_amount=0,
        active=True,
        username="andi",
        email=None,
        created_at=now,
        updated_at=now,
    )
    assignments = tuple(
        ActingAssignment(
            acting_id=f"a-{position_id}",
            actor_nip=nip,
            position_id=position_id,
            unit_id="u-dinas",
            capacity=capacity,
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 31),
            decree_number=None,
            created_at=now,
        )
        for position_id, capacity in acting
    )
    return Principal(employee, assignments)


def test_in_whose_name_a_caller_acts_for_an_official() -> None:
    me = "198001012005011001"
    head = "197503152000031002"
    caller = _principal(me, ("p-kepala", ActingCapacity.plt), ("p-sekretaris", ActingCapacity.plh))

    assert capacity_for(caller, me, "p-own") == "self"
    assert capacity_for(caller, head, "p-kepala") == "plt"
    assert capacity_for(caller, head, "p-sekretaris") == "plh"
    assert capacity_for(caller, head, "p-kabid") is None  # a post he does not act in
    assert capacity_for(caller, head, None) is None  # an official without a post


def test_a_head_role_alone_heads_a_unit_for_letters_but_signs_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The unit's head post is vacant and nobody acts in it; one employee has the head role:
    letters to the unit's head reach him, the TPP report names no signer."""
    from eoffice.org import heads
    from eoffice.org import store as org_store
    from eoffice.tpp import signer

    now = datetime(2026, 12, 7, tzinfo=UTC)
    unit = Unit(
        unit_id="u-bkpsdm",
        code="BKPSDM",
        name="BKPSDM",
        kind=UnitKind.agency,
        parent_id=None,
        created_at=now,
        updated_at=now,
    )
    someone = _principal("198001012005011001").employee.model_copy(
        update={"unit_id": unit.unit_id, "roles": [Role.head]}
    )
    monkeypatch.setattr(org_store, "list_positions", lambda unit_id: [])
    monkeypatch.setattr(org_store, "unit_employees", lambda unit_id: [someone])
    monkeypatch.setattr(org_store, "list_acting", lambda day: [])
    monkeypatch.setattr(org_store, "unit_by_code", lambda code: unit if code == "BKPSDM" else None)

    found = heads.head_of(unit.unit_id)
    assert found is not None and found.employee.nip == someone.nip
    assert heads.head_of(unit.unit_id, by_role=False) is None
    assert signer.signer() == {}
