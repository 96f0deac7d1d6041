"""Geofences of offices: distances on the WGS84 ellipsoid and point-in-fence tests (pure).

Why not haversine: a sphere is off by the Earth's flattening (+0.56 % north-south at Luwu Timur's
latitude, 0.56 m at 100 m), which matters for a 100 m check-in circle. An equirectangular
projection with the ellipsoid's own radii of curvature at the points' mean latitude is both
faster and exact at fence scale (docs/research/attendance.md §1). Worst error against the WGS84
geodesic (Vincenty) over all bearings, latitudes 0 to -10: < 0.001 mm at 500 m, 0.003 mm at 2 km,
0.3 mm at 10 km, 8 mm at 30 km, 0.29 m at 100 km (0.0003 %); it grows as the cube of the distance
(1.4 m at 100 km at latitude 45). Good for fences and for "impossible travel" between offices up
to ~100 km; not for surveying or long distances.

A polygon is projected once into a local metre frame at its first vertex (cached on the frozen
instance; ``fence_of`` caches the instances per warm container). Points within 1 cm of an edge or
a vertex count as inside, since plain ray casting gets points on the boundary wrong both ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from math import cos, hypot, radians, sin, sqrt

__all__ = [
    "EDGE_TOLERANCE_M",
    "MAX_EXTENT_M",
    "MAX_VERTICES",
    "MIN_VERTICES",
    "Circle",
    "LatLon",
    "Polygon",
    "distance_m",
    "fence_of",
    "polygon_problems",
]

A = 6_378_137.0  # WGS84 semi-major axis, metres
F = 1 / 298.257223563  # WGS84 flattening
E2 = F * (2 - F)  # first eccentricity squared
EDGE_TOLERANCE_M = 0.01  # a point this close to the boundary is inside
MIN_VERTICES = 3
MAX_VERTICES = 200
MAX_EXTENT_M = 5_000.0  # every vertex within this of the first: the local frame stays exact
_MIN_AREA_M2 = 1.0  # "area > 0", with room for rounding
_TOUCH_M = 0.001  # two edges this close touch
_MAX_LISTED = 5  # problems of one kind listed before "and N more"

LatLon = tuple[float, float]
_XY = tuple[float, float]


def _metres_per_degree(latitude: float) -> tuple[float, float]:
    """Metres per degree of latitude (meridional radius M) and of longitude (N cos φ)."""
    s = sin(radians(latitude))
    w = 1 - E2 * s * s
    per_lat = radians(1) * A * (1 - E2) / (w * sqrt(w))
    per_lon = radians(1) * A / sqrt(w) * cos(radians(latitude))
    return per_lat, per_lon


def _delta_lon(lon1: float, lon2: float) -> float:
    """``lon2 - lon1`` in degrees, the short way round (-180..180)."""
    return (lon2 - lon1 + 180.0) % 360.0 - 180.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres between two points: equirectangular with the WGS84 radii at the mean latitude.

    Error against the geodesic: under 1 mm up to 10 km, about 0.3 m at 100 km near the equator.
    """
    per_lat, per_lon = _metres_per_degree((lat1 + lat2) / 2)
    return hypot((lat2 - lat1) * per_lat, _delta_lon(lon1, lon2) * per_lon)


@dataclass(frozen=True)
class _Frame:
    """A local east/north metre frame around an origin; exact within a few km of it."""

    lat0: float
    lon0: float

    @cached_property
    def _scale(self) -> tuple[float, float]:
        return _metres_per_degree(self.lat0)

    def project(self, lat: float, lon: float) -> _XY:
        per_lat, per_lon = self._scale
        return _delta_lon(self.lon0, lon) * per_lon, (lat - self.lat0) * per_lat


@dataclass(frozen=True)
class Circle:
    """A check-in circle: ``radius_m`` metres around a centre."""

    lat: float
    lon: float
    radius_m: float

    def distance_outside(self, lat: float, lon: float) -> float:
        """0.0 inside (the boundary included), else the metres to the circle."""
        return max(0.0, distance_m(self.lat, self.lon, lat, lon) - self.radius_m)


@dataclass(frozen=True)
class Polygon:
    """A fence drawn as a ring of (lat, lon) vertices, either orientation, open or closed.

    Build it from vertices that ``polygon_problems`` accepted; the ring is projected on first use.
    """

    vertices: tuple[LatLon, ...]

    @cached_property
    def _frame(self) -> _Frame:
        return _Frame(*self.vertices[0])

    @cached_property
    def _ring(self) -> tuple[_XY, ...]:
        return tuple(self._frame.project(lat, lon) for lat, lon in _open_ring(self.vertices))

    def distance_outside(self, lat: float, lon: float) -> float:
        """0.0 inside or within 1 cm of the boundary, else the metres to the nearest edge."""
        point = self._frame.project(lat, lon)
        if _crossings_odd(point, self._ring):
            return 0.0
        nearest = min(_segment_distance(point, a, b) for a, b in _edges(self._ring))
        return 0.0 if nearest <= EDGE_TOLERANCE_M else nearest


def fence_of(
    latitude: float, longitude: float, radius_m: float, polygon: Iterable[LatLon] | None
) -> Circle | Polygon:
    """An office's fence: its polygon when it has one, else its circle. Polygons are cached, so
    a warm container projects each office's ring once."""
    if polygon is not None:
        vertices = tuple((float(lat), float(lon)) for lat, lon in polygon)
        if vertices:
            return _polygon(vertices)
    return Circle(latitude, longitude, radius_m)


@lru_cache(maxsize=512)
def _polygon(vertices: tuple[LatLon, ...]) -> Polygon:
    return Polygon(vertices)


def polygon_problems(vertices: Sequence[LatLon]) -> list[str]:
    """Why ``vertices`` cannot be a fence (empty when it can): 3-200 vertices (a repeated closing
    vertex is ignored), all within 5 km of the first, no repeated vertex, no crossing or touching
    edges, an area of at least 1 m²."""
    ring = _open_ring(vertices)
    if not MIN_VERTICES <= len(ring) <= MAX_VERTICES:
        return [f"a polygon needs {MIN_VERTICES} to {MAX_VERTICES} vertices, got {len(ring)}"]
    frame = _Frame(*ring[0])
    points = [frame.project(lat, lon) for lat, lon in ring]
    problems = _too_far(ring) + _repeated(ring)
    if problems:
        return problems
    problems = _crossings(points)
    if not problems and abs(_area(points)) < _MIN_AREA_M2:
        problems.append("the polygon has no area")
    return problems


# ---------------------------------------------------------------- helpers
def _open_ring(vertices: Sequence[LatLon]) -> tuple[LatLon, ...]:
    """The ring without a repeated closing vertex."""
    ring = tuple(vertices)
    if len(ring) > 1 and ring[0] == ring[-1]:
        return ring[:-1]
    return ring


def _edges(ring: Sequence[_XY]) -> Iterable[tuple[_XY, _XY]]:
    return zip(ring, (*ring[1:], ring[0]), strict=True)


def _segment_distance(p: _XY, a: _XY, b: _XY) -> float:
    """Metres from ``p`` to the segment ``a``-``b``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
    t = min(1.0, max(0.0, t))
    return hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def _crossings_odd(p: _XY, ring: Sequence[_XY]) -> bool:
    """Ray casting (crossing number) towards +x; half-open edges so a vertex counts once."""
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in _edges(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _area(points: Sequence[_XY]) -> float:
    """Signed area (shoelace), m²: positive counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in _edges(points)) / 2


def _listed(problems: list[str]) -> list[str]:
    if len(problems) <= _MAX_LISTED:
        return problems
    return [*problems[:_MAX_LISTED], f"and {len(problems) - _MAX_LISTED} more"]


def _too_far(ring: Sequence[LatLon]) -> list[str]:
    lat0, lon0 = ring[0]
    far = []
    for number, (lat, lon) in enumerate(ring[1:], start=2):
        d = distance_m(lat0, lon0, lat, lon)
        if d > MAX_EXTENT_M:
            far.append(
                f"vertex {number} is {d / 1000:.1f} km from vertex 1; "
                f"all must be within {MAX_EXTENT_M / 1000:.0f} km"
            )
    return _listed(far)


def _repeated(ring: Sequence[LatLon]) -> list[str]:
    first: dict[LatLon, int] = {}
    repeats = []
    for number, vertex in enumerate(ring, start=1):
        if vertex in first:
            repeats.append(f"vertex {number} repeats vertex {first[vertex]}")
        first.setdefault(vertex, number)
    return _listed(repeats)


def _cross(o: _XY, a: _XY, b: _XY) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_touch(a: _XY, b: _XY, c: _XY, d: _XY) -> bool:
    """Whether segments a-b and c-d cross, touch or overlap (within 1 mm)."""
    d1, d2 = _cross(a, b, c), _cross(a, b, d)
    d3, d4 = _cross(c, d, a), _cross(c, d, b)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True  # a proper crossing
    return (
        min(
            _segment_distance(c, a, b),
            _segment_distance(d, a, b),
            _segment_distance(a, c, d),
            _segment_distance(b, c, d),
        )
        <= _TOUCH_M
    )


def _crossings(points: Sequence[_XY]) -> list[str]:
    """Edges that cross or touch others; neighbours only when they fold back on each other.
    O(n²) pairs: 20,000 at 200 vertices, fine at admin input."""
    n = len(points)
    edges = list(_edges(points))
    found = []
    for i in range(n):
        a, b = edges[i]
        # The next edge shares b: it only overlaps when it turns back along this one.
        c = edges[(i + 1) % n][1]
        if _segment_distance(c, a, b) <= _TOUCH_M or _segment_distance(a, b, c) <= _TOUCH_M:
            found.append(f"edges {_name(i, n)} and {_name((i + 1) % n, n)} fold back")
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through vertex 1
            if _segments_touch(a, b, *edges[j]):
                found.append(f"edge {_name(i, n)} crosses edge {_name(j, n)}")
    return _listed(found)


def _name(edge: int, n: int) -> str:
    """An edge named by its vertices, numbered from 1 as an admin sees them."""
    return f"{edge + 1}-{(edge + 1) % n + 1}"
