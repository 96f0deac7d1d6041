"""Geofences: distances against the WGS84 geodesic, circles and polygons with points on, just
inside and just outside their boundary, and the polygons an admin may not draw.

Expected values are computed independently of ``eoffice.attendance.geo``: from Vincenty's inverse
formula on the WGS84 ellipsoid (below; millimetre-exact), from well-known values (a degree of
latitude at the equator is 110,574.3 m, of longitude 111,319.49 m), or from plain plane geometry
on fences laid out in metres with ``offset``.
"""

from __future__ import annotations

from math import atan, atan2, cos, hypot, radians, sin, sqrt, tan

import pytest
from eoffice.attendance import geo
from eoffice.attendance.geo import Circle, Polygon, distance_m, fence_of, polygon_problems

MALILI = (-2.57, 121.10)


# ---------------------------------------------------------------- an independent reference
def vincenty(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on WGS84 (Vincenty 1975, inverse), in metres."""
    a, f = 6_378_137.0, 1 / 298.257223563
    b = (1 - f) * a
    big_l = radians(lon2 - lon1)
    u1, u2 = atan((1 - f) * tan(radians(lat1))), atan((1 - f) * tan(radians(lat2)))
    su1, cu1, su2, cu2 = sin(u1), cos(u1), sin(u2), cos(u2)
    lam = big_l
    for _ in range(200):
        sl, cl = sin(lam), cos(lam)
        ss = sqrt((cu2 * sl) ** 2 + (cu1 * su2 - su1 * cu2 * cl) ** 2)
        if ss == 0:
            return 0.0
        cs = su1 * su2 + cu1 * cu2 * cl
        sigma = atan2(ss, cs)
        sa = cu1 * cu2 * sl / ss
        c2a = 1 - sa * sa
        c2sm = cs - 2 * su1 * su2 / c2a if c2a else 0.0
        c = f / 16 * c2a * (4 + f * (4 - 3 * c2a))
        previous = lam
        lam = big_l + (1 - c) * f * sa * (sigma + c * ss * (c2sm + c * cs * (-1 + 2 * c2sm**2)))
        if abs(lam - previous) < 1e-13:
            break
    u_sq = c2a * (a * a - b * b) / (b * b)
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    ds = (
        big_b
        * ss
        * (
            c2sm
            + big_b
            / 4
            * (cs * (-1 + 2 * c2sm**2) - big_b / 6 * c2sm * (-3 + 4 * ss**2) * (-3 + 4 * c2sm**2))
        )
    )
    return b * big_a * (sigma - ds)


def _solve(distance: float, step: float, measure: object) -> float:
    """The coordinate delta whose Vincenty distance is ``distance`` (bisection)."""
    assert callable(measure)
    low, high = 0.0, step
    while measure(high) < distance:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if measure(mid) < distance else (low, mid)
    return (low + high) / 2


def offset(origin: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    """The point ``north_m`` metres along the meridian, then ``east_m`` along the parallel, from
    ``origin`` (negative values go south/west), found with Vincenty, not with the module."""
    lat0, lon0 = origin
    sign_n, sign_e = (1 if north_m >= 0 else -1), (1 if east_m >= 0 else -1)
    dlat = _solve(abs(north_m), 1e-3, lambda d: vincenty(lat0, lon0, lat0 + sign_n * d, lon0))
    lat = lat0 + sign_n * dlat
    dlon = _solve(abs(east_m), 1e-3, lambda d: vincenty(lat, lon0, lat, lon0 + sign_e * d))
    return lat, lon0 + sign_e * dlon


def test_the_reference_is_right() -> None:
    assert vincenty(0, 0, 1e-4, 0) == pytest.approx(11.0574, abs=1e-4)
    assert vincenty(0, 0, 1, 0) == pytest.approx(110_574.3, abs=0.1)
    assert vincenty(0, 0, 0, 1) == pytest.approx(111_319.49, abs=0.01)
    lat, lon = offset(MALILI, 30, -40)
    assert vincenty(*MALILI, lat, MALILI[1]) == pytest.approx(40, abs=1e-6)
    assert vincenty(lat, MALILI[1], lat, lon) == pytest.approx(30, abs=1e-6)
    assert lat < MALILI[0] and lon > MALILI[1]


# ---------------------------------------------------------------- distances
def test_well_known_distances() -> None:
    assert distance_m(0, 0, 1e-4, 0) == pytest.approx(11.0574, abs=1e-4)
    assert distance_m(0, 0, 1, 0) == pytest.approx(110_574.3, abs=0.5)
    assert distance_m(0, 0, 0, 1) == pytest.approx(111_319.49, abs=0.5)
    assert distance_m(*MALILI, *MALILI) == 0.0


@pytest.mark.parametrize("metres", [10, 50, 100, 200, 500, 2_000])
@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 180, 225, 270, 315])
def test_fence_scale_distances_match_the_geodesic_to_a_millimetre(
    metres: float, bearing: float
) -> None:
    end = offset(MALILI, metres * sin(radians(bearing)), metres * cos(radians(bearing)))
    assert distance_m(*MALILI, *end) == pytest.approx(vincenty(*MALILI, *end), abs=0.001)


@pytest.mark.parametrize(
    "other",
    [(-2.53, 121.36), (-2.53, 120.81), (-2.43, 121.10), (-2.78, 121.45), (-3.10, 120.30)],
)
def test_distances_between_offices_stay_within_the_documented_error(
    other: tuple[float, float],
) -> None:
    # Malili-Sorowako ~29 km, Malili-Wotu ~32 km, ... up to ~107 km: under 0.5 m.
    expected = vincenty(*MALILI, *other)
    assert distance_m(*MALILI, *other) == pytest.approx(expected, abs=0.5)
    assert distance_m(*other, *MALILI) == distance_m(*MALILI, *other)


def test_distance_across_the_antimeridian_goes_the_short_way() -> None:
    assert distance_m(0, 179.9999, 0, -179.9999) == pytest.approx(
        vincenty(0, 0, 0, 0.0002), abs=1e-3
    )


# ---------------------------------------------------------------- circles
@pytest.mark.parametrize(("east", "north"), [(0, 1), (1, 0), (0, -1), (-0.6, 0.8)])
def test_circle_just_inside_and_just_outside(east: float, north: float) -> None:
    circle = Circle(*MALILI, radius_m=100)
    assert circle.distance_outside(*MALILI) == 0.0
    assert circle.distance_outside(*offset(MALILI, 99.9 * east, 99.9 * north)) == 0.0
    assert circle.distance_outside(*offset(MALILI, 100 * east, 100 * north)) == pytest.approx(
        0.0, abs=1e-4
    )
    outside = circle.distance_outside(*offset(MALILI, 100.1 * east, 100.1 * north))
    assert outside == pytest.approx(0.1, abs=1e-3)
    far = circle.distance_outside(*offset(MALILI, 350 * east, 350 * north))
    assert far == pytest.approx(250, abs=1e-3)


# ---------------------------------------------------------------- polygons
def ring(points: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """Vertices given in metres east/north of Malili, as (lat, lon)."""
    return tuple(offset(MALILI, x, y) for x, y in points)


SQUARE = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)]
# A U: the 100 m square with a 20 m wide notch cut from the top edge down to y = 40.
U_SHAPE = [
    (0.0, 0.0),
    (100.0, 0.0),
    (100.0, 100.0),
    (60.0, 100.0),
    (60.0, 40.0),
    (40.0, 40.0),
    (40.0, 100.0),
    (0.0, 100.0),
]


def outside_of(vertices: list[tuple[float, float]], x: float, y: float) -> float:
    return Polygon(ring(vertices)).distance_outside(*offset(MALILI, x, y))


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        (50, 50, 0.0),  # the middle
        (100, 50, 0.0),  # on the right edge (raw ray casting says outside)
        (50, 0, 0.0),  # on the bottom edge
        (0, 0, 0.0),  # a vertex
        (100, 100, 0.0),  # the opposite vertex (raw ray casting says outside)
        (99.995, 50, 0.0),  # 5 mm inside
        (100.005, 50, 0.0),  # 5 mm outside: within the 1 cm tolerance
        (100.02, 50, 0.02),  # 2 cm outside
        (120, 40, 20.0),  # level with no vertex, outside
        (120, 100, 20.0),  # level with a vertex, outside
        (50, -30, 30.0),  # below
        (110, 110, hypot(10, 10)),  # off a corner: to the vertex
    ],
)
def test_square_boundary_and_distances(x: float, y: float, expected: float) -> None:
    assert outside_of(SQUARE, x, y) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        (50, 70, 10.0),  # in the notch: 10 m to either side
        (45, 90, 5.0),  # in the notch, nearer its left side
        (50, 40.02, 0.02),  # 2 cm into the notch above its floor
        (50, 40.005, 0.0),  # 5 mm into it: within the tolerance
        (50, 40, 0.0),  # on the notch's floor
        (40, 70, 0.0),  # on the notch's left side
        (20, 70, 0.0),  # in the left arm
        (80, 95, 0.0),  # in the right arm
        (50, 20, 0.0),  # in the base
        (50, 110, hypot(10, 10)),  # above the notch's mouth: to the arms' inner corners
    ],
)
def test_u_shape_notch_is_outside_and_arms_inside(x: float, y: float, expected: float) -> None:
    assert outside_of(U_SHAPE, x, y) == pytest.approx(expected, abs=1e-3)


def test_orientation_and_closing_vertex_do_not_matter() -> None:
    variants = [
        Polygon(ring(U_SHAPE)),
        Polygon(ring(U_SHAPE[::-1])),
        Polygon(ring([*U_SHAPE, U_SHAPE[0]])),
        Polygon(ring([*U_SHAPE[::-1], U_SHAPE[-1]])),
        Polygon(ring(U_SHAPE[3:] + U_SHAPE[:3])),  # another starting vertex
    ]
    probes = [(x, y) for x in range(-10, 111, 5) for y in range(-10, 111, 5)]
    for x, y in probes:
        point = offset(MALILI, x, y)
        answers = [fence.distance_outside(*point) for fence in variants]
        assert max(answers) - min(answers) < 1e-3, (x, y, answers)
    assert all(not polygon_problems(fence.vertices) for fence in variants)


# ---------------------------------------------------------------- the fence of an office
def test_fence_of_prefers_the_polygon_and_caches_it() -> None:
    vertices = ring(SQUARE)
    fence = fence_of(*MALILI, 100, list(vertices))
    assert isinstance(fence, Polygon) and fence.vertices == vertices
    assert fence_of(*MALILI, 100, list(vertices)) is fence
    circle = fence_of(*MALILI, 150, None)
    assert circle == Circle(*MALILI, 150)
    # The circle around the square's corner would hold (120, 40); the polygon does not.
    assert circle.distance_outside(*offset(MALILI, 120, 40)) == 0.0
    assert fence.distance_outside(*offset(MALILI, 120, 40)) == pytest.approx(20, abs=1e-3)


# ---------------------------------------------------------------- what an admin may not draw
def test_valid_polygons_have_no_problems() -> None:
    assert polygon_problems(ring(SQUARE)) == []
    assert polygon_problems(ring([*SQUARE, SQUARE[0]])) == []
    assert polygon_problems(ring([(0, 0), (10, 0), (0, 10)])) == []
    circle_of_200 = [
        (1000 * cos(radians(i * 1.8)), 1000 * sin(radians(i * 1.8))) for i in range(200)
    ]
    assert polygon_problems(ring(circle_of_200)) == []
    assert polygon_problems(ring([(0, 0), (4_900, 0), (0, 100)])) == []


def test_a_bow_tie_crosses_itself() -> None:
    problems = polygon_problems(ring([(0, 0), (100, 100), (100, 0), (0, 100)]))
    assert problems == ["edge 1-2 crosses edge 3-4"]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(0, 0), (100, 0)], "needs 3 to 200 vertices, got 2"),
        ([(0, 0), (100, 0), (0, 0)], "got 2"),  # the closing vertex does not count
        ([], "got 0"),
        ([(0, 0), (6_000, 0), (0, 100)], "vertex 2 is 6.0 km from vertex 1"),
        ([(0, 0), (50, 0), (100, 0)], "fold back"),  # collinear: no area
        ([(0, 0), (100, 0), (100, 100), (100, 0), (0, 100)], "vertex 4 repeats vertex 2"),
        ([(0, 0), (100, 0), (100, 100), (50, 0), (0, 100)], "crosses"),  # touches an edge
        ([(0, 0), (100, 0), (100, 100), (100, 50)], "fold back"),  # a spike back on itself
    ],
)
def test_invalid_polygons_are_explained(points: list[tuple[float, float]], expected: str) -> None:
    problems = polygon_problems(ring(points))
    assert any(expected in problem for problem in problems), problems


def test_too_many_vertices() -> None:
    circle_of_201 = [
        (1000 * cos(radians(i * 360 / 201)), 1000 * sin(radians(i * 360 / 201))) for i in range(201)
    ]
    assert polygon_problems(ring(circle_of_201)) == ["a polygon needs 3 to 200 vertices, got 201"]


def test_a_polygon_with_no_area_is_refused() -> None:
    # Three distinct, non-folding vertices within a millimetre of a line: no usable area.
    lat, lon = MALILI
    flat = [(lat, lon), (lat, lon + 0.001), (lat + 1e-9, lon + 0.0005)]
    assert polygon_problems(flat) != []
    assert geo.MIN_VERTICES == 3 and geo.MAX_VERTICES == 200
