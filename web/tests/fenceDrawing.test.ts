import { describe, expect, it } from 'vitest';
import * as geo from '../src/lib/fenceDrawing';
import type { PolygonFence } from '../src/lib/fenceDrawing';

const at = (latitude: number, longitude: number) => ({ latitude, longitude });
const open = (points = [] as geo.Point[]): PolygonFence => ({ kind: 'polygon', centre: at(-2.63, 121.09), points, closed: false });
const square = [at(-2.6340, 121.0940), at(-2.6340, 121.0950), at(-2.6350, 121.0950), at(-2.6350, 121.0940)];

describe('polygon editing', () => {
  it('adds points while open, and not once closed', () => {
    let f = open();
    for (const p of square) f = geo.addPoint(f, p);
    expect(f.points).toHaveLength(4);
    f = geo.close(f);
    expect(f.closed).toBe(true);
    expect(geo.addPoint(f, at(-2.636, 121.094)).points).toHaveLength(4);
  });

  it('does not close a ring of two points or a crossing one', () => {
    expect(geo.close(open(square.slice(0, 2))).closed).toBe(false);
    const bowtie = [square[0]!, square[2]!, square[1]!, square[3]!];
    expect(geo.selfIntersects(bowtie)).toBe(true);
    expect(geo.polygonProblem({ ...open(bowtie), closed: true })).toBe('self_intersecting');
    expect(geo.close(open(bowtie)).closed).toBe(false);
    expect(geo.selfIntersects(square)).toBe(false);
  });

  it('moves a point, and a move that makes the ring cross is reported', () => {
    const f = geo.close(open(square));
    const moved = geo.movePoint(f, 1, at(-2.6360, 121.0945));
    expect(moved.points[1]).toEqual(at(-2.636, 121.0945));
    expect(geo.polygonProblem(moved)).toBe('self_intersecting');
  });

  it('removing a point of a closed triangle reopens it', () => {
    const tri = geo.close(open(square.slice(0, 3)));
    expect(tri.closed).toBe(true);
    const two = geo.removePoint(tri, 0);
    expect(two.points).toHaveLength(2);
    expect(two.closed).toBe(false);
    expect(geo.polygonProblem(two)).toBe('too_few');
  });

  it('splits an edge at its middle, the closing edge too when closed', () => {
    const f = geo.close(open(square));
    const split = geo.splitEdge(f, 0);
    expect(split.points).toHaveLength(5);
    expect(split.points[1]).toEqual(at(-2.634, 121.0945));
    const last = geo.splitEdge(f, 3);
    expect(last.points[4]).toEqual(at(-2.6345, 121.094));
    expect(geo.splitEdge(geo.reopen(f), 3).points).toHaveLength(4); // no closing edge while open
  });

  it('refuses points more than 5 km from the first, as the API does', () => {
    const far = [...square.slice(0, 3), at(-2.70, 121.094)];
    expect(geo.polygonProblem({ ...open(far), closed: true })).toBe('too_spread');
  });

  it('an open ring that would be valid only lacks closing', () => {
    expect(geo.polygonProblem(open(square))).toBe('not_closed');
  });
});

describe('to and from the API', () => {
  it('reads a polygon (dropping a repeated closing vertex) and a circle', () => {
    const office = { latitude: -2.6345, longitude: 121.0945, radius_m: 80, polygon: [...square, square[0]!] };
    const f = geo.fenceOf(office);
    expect(f.kind).toBe('polygon');
    expect(f.kind === 'polygon' && f.points).toHaveLength(4);
    expect(geo.fenceOf({ ...office, polygon: null })).toEqual({ kind: 'circle', centre: at(-2.6345, 121.0945), radius_m: 80 });
  });

  it('a circle sends polygon null with a radius in bounds; a polygon its ring and its centroid', () => {
    expect(geo.geometryOf({ kind: 'circle', centre: at(-2.6345, 121.0945), radius_m: 5000 })).toEqual({
      latitude: -2.6345, longitude: 121.0945, radius_m: 2000, polygon: null,
    });
    const g = geo.geometryOf(geo.close(open(square)));
    expect(g.polygon).toHaveLength(4);
    expect(g.latitude).toBeCloseTo(-2.6345, 6);
    expect(g.longitude).toBeCloseTo(121.0945, 6);
  });

  it('measures distances in metres', () => {
    // 0.001° of latitude is about 111 m.
    expect(geo.distanceM(at(-2.634, 121.094), at(-2.635, 121.094))).toBeCloseTo(111.2, 0);
    expect(geo.clampRadius(3.4)).toBe(10);
    expect(geo.clampRadius(99.6)).toBe(100);
  });
});
