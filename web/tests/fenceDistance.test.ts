// The fence rule the screen shows before sending: circles and polygons, inside, outside, the
// tolerance of min(accuracy, GeofenceToleranceMeters), poor accuracy first, as ADR 0012 says.
import { describe, expect, it } from 'vitest';
import { distance, fenceDistance, judge, metresPerDegree, nearestFence, type Fence } from '../src/lib/fenceDistance';

// Malili (Luwu Timur), near the regency's offices.
const centre = { latitude: -2.6285, longitude: 121.0825 };
const perDeg = metresPerDegree(centre.latitude);
/** The point `east` and `north` metres from the centre. */
const at = (east: number, north: number) => ({
  latitude: centre.latitude + north / perDeg.lat,
  longitude: centre.longitude + east / perDeg.lon,
});
const circle: Fence = { office_id: 'c', name: 'Kantor Bupati', ...centre, radius_m: 100 };
// A 200 m x 100 m rectangle centred on the centre, drawn clockwise.
const rect: Fence = {
  office_id: 'p',
  name: 'Kompleks Dinas',
  ...centre,
  radius_m: 0,
  polygon: [at(-100, 50), at(100, 50), at(100, -50), at(-100, -50)],
};

describe('distance', () => {
  it('measures a kilometre north and east on the ellipsoid, as the server does', () => {
    expect(distance(centre, at(0, 1000))).toBeCloseTo(1000, 3);
    expect(distance(centre, at(1000, 0))).toBeCloseTo(1000, 3);
    // One degree of latitude near the equator is 110.6 km (WGS84 meridional radius), not 111.2.
    expect(metresPerDegree(0).lat).toBeCloseTo(110_574, -1);
  });
});

describe('circle', () => {
  it('is inside within the radius, with the distance to its edge', () => {
    const d = fenceDistance(at(60, 0), circle);
    expect(d.inside).toBe(true);
    expect(d.outside_m).toBe(0);
    expect(d.edge_m).toBeCloseTo(40, 3);
  });
  it('is outside beyond it, by the metres past the edge', () => {
    const d = fenceDistance(at(0, 130), circle);
    expect(d.inside).toBe(false);
    expect(d.outside_m).toBeCloseTo(30, 3);
  });
});

describe('polygon', () => {
  it('is inside within the ring (ray casting), with the nearest edge', () => {
    const d = fenceDistance(at(90, 0), rect);
    expect(d.inside).toBe(true);
    expect(d.edge_m).toBeCloseTo(10, 3);
  });
  it('is outside past a corner by the distance to the corner', () => {
    const d = fenceDistance(at(130, 90), rect);
    expect(d.inside).toBe(false);
    expect(d.outside_m).toBeCloseTo(50, 3); // 30 east, 40 north of the corner
  });
  it('counts a point on an edge as inside', () => {
    expect(fenceDistance(at(100, 0), rect).inside).toBe(true);
  });
  it('ignores the ring orientation and a repeated closing vertex', () => {
    const reversed = { ...rect, polygon: [...rect.polygon!].reverse().concat([rect.polygon![3]!]) };
    expect(fenceDistance(at(0, 70), reversed).outside_m).toBeCloseTo(20, 3);
    expect(fenceDistance(at(0, 0), reversed).inside).toBe(true);
  });
  it('uses the circle when the polygon has fewer than three vertices', () => {
    expect(fenceDistance(at(0, 90), { ...circle, polygon: [at(0, 0), at(1, 1)] }).inside).toBe(true);
  });
});

describe('judge', () => {
  it('refuses poor accuracy before anything else', () => {
    const v = judge(at(0, 0), 80, [circle]);
    expect(v.kind).toBe('poor_accuracy');
  });
  it('says no office when he has none', () => {
    expect(judge(at(0, 0), 10, []).kind).toBe('no_office');
  });
  it('accepts outside by at most min(accuracy, tolerance)', () => {
    expect(judge(at(0, 110), 15, [circle]).kind).toBe('inside'); // 10 m out, 15 m accuracy
    expect(judge(at(0, 110), 5, [circle]).kind).toBe('outside'); // 10 m out, 5 m accuracy
    const far = judge(at(0, 125), 40, [circle]); // 25 m out: the tolerance is 20
    expect(far.kind).toBe('outside');
    if (far.kind === 'outside') expect(far.beyond_m).toBeCloseTo(25, 3);
  });
  it('judges by the nearest of his offices', () => {
    const other: Fence = { ...circle, office_id: 'o', name: 'Kantor Camat', ...at(5000, 0) };
    const v = nearestFence(at(4950, 0), [circle, other]);
    expect(v?.office.office_id).toBe('o');
    expect(judge(at(4950, 0), 10, [circle, other]).kind).toBe('inside');
  });
});
