"""The demo regency: deterministic, complete, and acceptable to the API models."""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from datetime import date

import pytest
from eoffice.org.admin_models import EmployeeCreate, Username
from eoffice.org.models import Role, UnitKind
from eoffice.org.nip import nip_problem
from eoffice_local import demo_data
from eoffice_local.demo_data import (
    HOLIDAYS_2026,
    NAMED_EMPLOYEES,
    ROOT_CODE,
    DemoOrg,
    generate,
    head_key,
)
from pydantic import TypeAdapter

UNIT_CODE = re.compile(r"^[A-Z0-9](?:[A-Z0-9.-]{0,30}[A-Z0-9])?$")
DISTRICTS = {
    "Burau",
    "Wotu",
    "Tomoni",
    "Tomoni Timur",
    "Angkona",
    "Malili",
    "Towuti",
    "Nuha",
    "Wasuponda",
    "Mangkutana",
    "Kalaena",
}
TOP_KINDS = {UnitKind.agency, UnitKind.secretariat, UnitKind.district}


@pytest.fixture(scope="module")
def org() -> DemoOrg:
    return generate()


def test_same_seed_same_organisation() -> None:
    assert generate(300, seed=11) == generate(300, seed=11)
    assert generate(300, seed=11) != generate(300, seed=12)


def test_employee_count_adds_rank_and_file_staff() -> None:
    structural = len(generate(0).employees)
    assert structural > len(NAMED_EMPLOYEES)
    assert len(generate(250).employees) == structural + 250
    with pytest.raises(ValueError):
        generate(-1)


def test_structure_counts(org: DemoOrg) -> None:
    kinds = Counter(u.kind for u in org.units)
    assert kinds[UnitKind.regency] == 1
    assert kinds[UnitKind.agency] >= 30
    assert kinds[UnitKind.secretariat] == 2
    districts = [u for u in org.units if u.kind is UnitKind.district]
    assert {u.name.removeprefix("Kecamatan ") for u in districts} == DISTRICTS
    assert org.unit("KEC-MALILI").name == "Kecamatan Malili"
    assert org.unit("KEC-TOMONI-TIMUR").parent_code == ROOT_CODE
    assert org.unit("DISKOMINFO-SP").name == (
        "Dinas Komunikasi, Informatika, Statistik dan Persandian"
    )
    kominfo_sections = {u.name for u in org.units if u.parent_code == "DISKOMINFO-SP"}
    assert kominfo_sections == {
        "Sekretariat",
        "Bidang Aplikasi Informatika",
        "Bidang Persandian dan Statistik",
        "Bidang Informasi dan Komunikasi Publik",
    }
    for unit in org.units:
        if unit.kind is UnitKind.agency:
            sections = [u for u in org.units if u.parent_code == unit.code]
            assert 3 <= len(sections) <= 5, unit.code


def test_unit_codes_unique_valid_and_parents_first(org: DemoOrg) -> None:
    codes = [u.code for u in org.units]
    assert len(codes) == len(set(codes))
    seen: set[str] = set()
    for unit in org.units:
        assert UNIT_CODE.match(unit.code), unit.code
        assert unit.to_create(None if unit.parent_code is None else "parent-id").code == unit.code
        assert (unit.parent_code is None) == (unit.kind is UnitKind.regency)
        assert unit.parent_code is None or unit.parent_code in seen
        seen.add(unit.code)


def test_positions_one_head_per_unit(org: DemoOrg) -> None:
    keys = [p.key for p in org.positions]
    assert len(keys) == len(set(keys))
    codes = {u.code for u in org.units}
    assert all(p.unit_code in codes for p in org.positions)
    heads = Counter(p.unit_code for p in org.positions if p.is_head)
    assert heads == Counter(codes)
    by_key = {p.key: p for p in org.positions}
    assert by_key[head_key(ROOT_CODE)].echelon is None
    assert by_key[head_key("SETDA")].echelon == "II.a"
    assert by_key[head_key("DISKOMINFO-SP")].echelon == "II.b"
    assert by_key[head_key("KEC-WOTU")].echelon == "III.a"
    assert by_key[head_key("DISKOMINFO-SP.APTIKA")].echelon == "III.b"


def test_named_users(org: DemoOrg) -> None:
    expected = {
        "admin": ("DISKOMINFO-SP", {Role.admin, Role.staff}),
        "bupati": (ROOT_CODE, {Role.bupati}),
        "sekda": ("SETDA", {Role.sekda, Role.head}),
        "kadis.kominfo": ("DISKOMINFO-SP", {Role.head}),
        "tu.kominfo": ("DISKOMINFO-SP", {Role.tu}),
        "staf.kominfo": ("DISKOMINFO-SP", {Role.staff}),
        "kepala.bkpsdm": ("BKPSDM", {Role.head}),
        "tpp.bkpsdm": ("BKPSDM", {Role.hr, Role.staff}),
    }
    for username, (unit_code, roles) in expected.items():
        person = org.employee(username)
        assert person.unit_code == unit_code, username
        assert set(person.roles) == roles, username
        assert person.email == f"{username}@lutimkab.go.id"
        assert person.office_keys == (unit_code,)  # the named users sit in agency units
    assert org.employees[: len(NAMED_EMPLOYEES)] == NAMED_EMPLOYEES
    assert org.employee("bupati").position_key == head_key(ROOT_CODE)
    assert org.employee("bupati").tpp_amount == 0
    assert org.employee("sekda").position_key == head_key("SETDA")
    assert org.employee("kadis.kominfo").position_key == head_key("DISKOMINFO-SP")
    assert org.employee("kepala.bkpsdm").position_key == head_key("BKPSDM")
    assert 12_000_000 <= org.employee("kadis.kominfo").tpp_amount <= 15_000_000


@pytest.mark.parametrize("count", [0, 200, 1500])
def test_every_head_position_filled_once_by_a_head(count: int) -> None:
    org = generate(count)
    holders = Counter(e.position_key for e in org.employees)
    roles = {e.position_key: e.roles for e in org.employees}
    for position in org.positions:
        if not position.is_head:
            continue
        assert holders[position.key] == 1, position.key
        wanted = Role.bupati if position.unit_code == ROOT_CODE else Role.head
        assert wanted in roles[position.key], position.key
    # Nobody holds the head role without holding a head position.
    head_keys = {p.key for p in org.positions if p.is_head}
    assert all(e.position_key in head_keys for e in org.employees if Role.head in e.roles)


def test_one_tu_clerk_per_agency_secretariat_and_district(org: DemoOrg) -> None:
    clerks = Counter(e.unit_code for e in org.employees if Role.tu in e.roles)
    tops = {u.code for u in org.units if u.kind in TOP_KINDS}
    assert clerks == Counter(tops)


def test_references_resolve(org: DemoOrg) -> None:
    units = {u.code: u for u in org.units}
    positions = {p.key: p for p in org.positions}
    offices = {o.key: o for o in org.offices}
    for e in org.employees:
        assert e.unit_code in units
        assert e.position_key is not None
        assert positions[e.position_key].unit_code == e.unit_code
        assert len(e.office_keys) == 1
        assert all(key in offices for key in e.office_keys)
        top = e.unit_code if units[e.unit_code].kind is not UnitKind.section else None
        assert offices[e.office_keys[0]].unit_code == (top or units[e.unit_code].parent_code)
    assert all(o.unit_code in units for o in org.offices)


def test_nips_valid_and_unique_usernames_valid_and_unique() -> None:
    org = generate(3000, seed=3)
    nips = [e.nip for e in org.employees]
    assert len(nips) == len(set(nips))
    assert [n for n in nips if nip_problem(n) is not None] == []
    usernames = [e.username for e in org.employees]
    assert len(usernames) == len(set(usernames))
    adapter = TypeAdapter(Username)
    for username in usernames:
        assert adapter.validate_python(username) == username
        assert username.isascii()


def test_every_employee_is_a_valid_employee_create(org: DemoOrg) -> None:
    for e in org.employees:
        created = e.to_create("unit-id", "position-id", ["office-id"])
        assert isinstance(created, EmployeeCreate)
        assert created.nip == e.nip
        assert created.roles == list(e.roles)
        assert created.tpp_amount == e.tpp_amount >= 0
        assert created.office_ids == ["office-id"]


def test_tpp_by_grade(org: DemoOrg) -> None:
    positions = {p.key: p for p in org.positions}
    for e in org.employees:
        assert e.position_key is not None
        echelon = positions[e.position_key].echelon
        if e.username == "bupati":
            assert e.tpp_amount == 0
        elif echelon == "II.b":
            assert 12_000_000 <= e.tpp_amount <= 15_000_000
        elif echelon == "III.b":
            assert 7_000_000 <= e.tpp_amount <= 9_000_000
        elif echelon is None:
            assert 2_500_000 <= e.tpp_amount <= 4_500_000


def test_offices_in_luwu_timur(org: DemoOrg) -> None:
    keys = [o.key for o in org.offices]
    assert len(keys) == len(set(keys))
    for office in org.offices:
        assert -3.0 <= office.latitude <= -2.2, office.key
        assert 120.4 <= office.longitude <= 121.6, office.key
        assert 10 <= office.radius_m <= 2000
        office.to_create("unit-id")
    by_key = {o.key: o for o in org.offices}
    assert by_key["RSUD-ILAGALIGO"].radius_m > 100
    tops = {u.code for u in org.units if u.kind in TOP_KINDS} | {ROOT_CODE}
    assert set(keys) == tops


def test_large_regency_is_fast() -> None:
    started = time.perf_counter()
    org = generate(5000)
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0
    assert len(org.employees) >= 5000
    size = Counter(demo_data._TOP_OF[e.unit_code] for e in org.employees)
    # Schools and health care employ the most civil servants.
    assert size.most_common(1)[0][0] == "DISDIK"
    assert size["DINKES"] > size["DISKOMINFO-SP"]


def test_holidays_2026() -> None:
    days = [d for d, _ in HOLIDAYS_2026]
    assert days == sorted(days)
    assert len(days) == len(set(days)) == 25
    assert all(d.year == 2026 for d in days)
    assert (date(2026, 8, 17), "Hari Proklamasi Kemerdekaan Republik Indonesia") in HOLIDAYS_2026
    assert sum(1 for _, name in HOLIDAYS_2026 if name.startswith("Cuti bersama")) == 8


def test_check_in_circles_of_different_buildings_do_not_overlap(org: DemoOrg) -> None:
    # The Bupati's office and the Sekretariat Daerah share the Puncak Indah hilltop on purpose.
    shared = {frozenset({ROOT_CODE, "SETDA"})}
    offices = list(org.offices)
    for i, a in enumerate(offices):
        for b in offices[i + 1 :]:
            if frozenset({a.key, b.key}) in shared:
                continue
            north = (a.latitude - b.latitude) * 111_320
            east = (a.longitude - b.longitude) * 111_320 * math.cos(math.radians(a.latitude))
            assert math.hypot(north, east) > a.radius_m + b.radius_m, (a.key, b.key)
