"""The unit tree, computed from the flat list of units (a regency has a few hundred at most, read
with one Query). Pure functions: no AWS."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from eoffice.org.models import Unit


def children_map(units: Iterable[Unit]) -> dict[str | None, list[str]]:
    children: dict[str | None, list[str]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit.unit_id)
    return children


def descendants(unit_id: str, units: Iterable[Unit]) -> set[str]:
    """Every unit below ``unit_id`` (not itself)."""
    children = children_map(units)
    found: set[str] = set()
    stack = list(children.get(unit_id, []))
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def ancestors(unit_id: str, units: Iterable[Unit]) -> list[str]:
    """The units above ``unit_id``, nearest first. Stops on a cycle rather than looping."""
    parent_of = {unit.unit_id: unit.parent_id for unit in units}
    chain: list[str] = []
    current = parent_of.get(unit_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return chain


def default_office_ids(
    unit_id: str, units: Iterable[Unit], offices_of: Mapping[str, list[str]], limit: int
) -> list[str]:
    """The offices an employee of ``unit_id`` gets when nobody names his: his unit's, else
    those of the nearest unit above that has any (a section works in its agency's building)."""
    units = list(units)
    for candidate in [unit_id, *ancestors(unit_id, units)]:
        if offices_of.get(candidate):
            return offices_of[candidate][:limit]
    return []


def agency_of(units: Iterable[Unit]) -> dict[str, str]:
    """Every unit's agency (OPD, perangkat daerah): the unit right under the root on its path.

    PP 18/2016 names the perangkat daerah of a regency: Sekretariat Daerah, Sekretariat DPRD,
    Inspektorat, the dinas and badan, the kecamatan. In this tree they are the root's children,
    whatever their ``kind``; everything below one (bidang, bagian of the Sekretariat Daerah,
    subbagian, seksi, UPT) belongs to it. The root maps to itself (its own staff, if any, are
    an agency of their own), as does a unit whose parent is unknown. A cycle stops the walk at
    the unit where it closes rather than looping.
    """
    parent_of = {unit.unit_id: unit.parent_id for unit in units}
    found: dict[str, str] = {}
    for unit_id in parent_of:
        path = [unit_id]
        current = unit_id
        while True:
            parent = parent_of.get(current)
            if parent is None or parent not in parent_of or parent_of[parent] is None:
                break  # current is the root, a child of the root, or an orphan
            if parent in path:
                break
            path.append(parent)
            current = parent
        found[unit_id] = current
    return found
