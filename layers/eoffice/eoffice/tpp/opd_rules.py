"""The month's employees arranged as BKPSDM reads them: per agency (OPD), its sections nested as
the organisation nests them (bidang, then seksi), each with its subtotal. Pure: no AWS.

The report data names only the units that have employees, sorted by code; the tree comes from
the organisation read by the same run (``eoffice.org.hierarchy.agency_of`` says which unit is an
agency, docs/decisions/0026-tpp-workbook-per-opd.md why). A bidang without employees of its own
but with seksi that have some still gets its header and its subtotal, named from the tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from eoffice.org.hierarchy import agency_of
from eoffice.org.models import Unit
from eoffice.tpp.models import EmployeeMonth, ReportData


@dataclass(frozen=True)
class Place:
    """A unit as the workbook names it."""

    unit_id: str
    code: str
    name: str
    parent_id: str | None


@dataclass
class Group:
    """A unit with employees in it or below it: its own employees (the data's order), then the
    groups of its sections (by code). ``depth`` is 0 for the agency itself."""

    place: Place
    depth: int
    employees: list[EmployeeMonth] = field(default_factory=list)
    children: list[Group] = field(default_factory=list)

    def walk(self) -> Iterator[Group]:
        """This group and every group below it, depth first (the order of the sheet's rows)."""
        yield self
        for child in self.children:
            yield from child.walk()

    def everyone(self) -> list[EmployeeMonth]:
        return [e for group in self.walk() for e in group.employees]

    def total(self, key: str) -> int:
        """The sum of an integer field (``tpp_amount``, ``deduction``, ``paid``) of everyone."""
        return sum(int(getattr(e, key)) for e in self.everyone())


def opd_groups(data: ReportData, units: Iterable[Unit]) -> list[Group]:
    """One group per agency with employees in the report, by code; each employee exactly once.

    A unit of the data missing from ``units`` (the tree changed between reading and writing,
    or a test gave none) is an agency of its own rather than left out."""
    tree = list(units)
    places = {u.unit_id: Place(u.unit_id, u.code, u.name, u.parent_id) for u in tree}
    agency = agency_of(tree)
    for unit in data.units:  # named as the JSON names them
        known_place = places.get(unit.unit_id)
        parent = known_place.parent_id if known_place else None
        places[unit.unit_id] = Place(unit.unit_id, unit.code, unit.name, parent)
        agency.setdefault(unit.unit_id, unit.unit_id)
    groups: dict[str, Group] = {}
    known = {unit.unit_id for unit in data.units}
    for employee in data.employees:
        if employee.unit_id not in known:
            raise ValueError(f"employees of units missing from data.units: {employee.unit_id}")
        _group(employee.unit_id, places, agency, groups).employees.append(employee)
    for group in groups.values():
        group.children.sort(key=_by_code)
    return sorted((g for g in groups.values() if g.depth == 0), key=_by_code)


def _by_code(group: Group) -> tuple[str, str]:
    return group.place.code, group.place.unit_id


def _group(
    unit_id: str, places: dict[str, Place], agency: dict[str, str], groups: dict[str, Group]
) -> Group:
    """The unit's group, made with those above it up to its agency when first met."""
    found = groups.get(unit_id)
    if found is not None:
        return found
    top = agency[unit_id]
    path = [unit_id]
    while path[-1] != top:
        parent = places[path[-1]].parent_id
        if parent is None or parent in path:  # not below its agency after all: cut here
            break
        path.append(parent)
    path.reverse()  # from the agency (or the highest unit reached) down to the unit
    above: Group | None = None
    for depth, step in enumerate(path):
        group = groups.get(step)
        if group is None:
            group = Group(places[step], depth)
            groups[step] = group
            if above is not None:
                above.children.append(group)
        above = group
    return groups[unit_id]
