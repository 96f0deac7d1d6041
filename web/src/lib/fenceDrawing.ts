// A geofence as the administrator draws it: a circle (centre + radius) or a polygon (a ring of
// points, drawn by clicks, edited, then closed). Pure functions, so the map screen stays thin
// and the rules the API enforces (OfficeCreate.polygon: 3-200 vertices, no self-intersection,
// every vertex within 5 km of the first) are checked before anything is sent.

export interface Point {
  latitude: number;
  longitude: number;
}

export interface CircleFence {
  kind: 'circle';
  centre: Point;
  radius_m: number;
}

export interface PolygonFence {
  kind: 'polygon';
  /** The office's point (the API keeps it beside the polygon). */
  centre: Point;
  points: Point[];
  /** Closed: the ring is finished and may be saved; open: clicks still add points. */
  closed: boolean;
}

export type Fence = CircleFence | PolygonFence;

export const MIN_RADIUS = 10;
export const MAX_RADIUS = 2000;
export const MAX_VERTICES = 200;
export const MAX_SPREAD_M = 5000;
const EARTH_M = 6_371_008.8;

/** Great-circle distance in metres (what the check-in function measures). */
export function distanceM(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A radius the API accepts: whole metres within its bounds. */
export function clampRadius(metres: number): number {
  if (!Number.isFinite(metres)) return MIN_RADIUS;
  return Math.min(MAX_RADIUS, Math.max(MIN_RADIUS, Math.round(metres)));
}

/** Coordinates rounded to ~1 cm: what is typed and sent, not a float's noise. */
export function round(p: Point): Point {
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  return { latitude: r(p.latitude), longitude: r(p.longitude) };
}

// ------------------------------------------------------------------------ polygon editing

export function addPoint(fence: PolygonFence, p: Point): PolygonFence {
  if (fence.closed || fence.points.length >= MAX_VERTICES) return fence;
  return { ...fence, points: [...fence.points, round(p)] };
}

export function movePoint(fence: PolygonFence, index: number, p: Point): PolygonFence {
  if (index < 0 || index >= fence.points.length) return fence;
  const points = fence.points.slice();
  points[index] = round(p);
  return { ...fence, points };
}

/** Removing a point of a closed ring of three reopens it: two points are no ring. */
export function removePoint(fence: PolygonFence, index: number): PolygonFence {
  if (index < 0 || index >= fence.points.length) return fence;
  const points = fence.points.filter((_, i) => i !== index);
  return { ...fence, points, closed: fence.closed && points.length >= 3 };
}

/** A new point halfway along the edge after `index` (to bend an edge of a closed ring). */
export function splitEdge(fence: PolygonFence, index: number): PolygonFence {
  const n = fence.points.length;
  if (n < 2 || index < 0 || index >= n || n >= MAX_VERTICES) return fence;
  if (!fence.closed && index === n - 1) return fence;
  const a = fence.points[index]!;
  const b = fence.points[(index + 1) % n]!;
  const mid = round({ latitude: (a.latitude + b.latitude) / 2, longitude: (a.longitude + b.longitude) / 2 });
  const points = [...fence.points.slice(0, index + 1), mid, ...fence.points.slice(index + 1)];
  return { ...fence, points };
}

export function close(fence: PolygonFence): PolygonFence {
  return polygonProblem({ ...fence, closed: true }) === null ? { ...fence, closed: true } : fence;
}

export function reopen(fence: PolygonFence): PolygonFence {
  return { ...fence, closed: false };
}

/** The mean of the vertices: the office's point when a polygon is drawn first. */
export function centroid(points: Point[]): Point | null {
  if (points.length === 0) return null;
  const sum = points.reduce((s, p) => ({ latitude: s.latitude + p.latitude, longitude: s.longitude + p.longitude }), {
    latitude: 0,
    longitude: 0,
  });
  return round({ latitude: sum.latitude / points.length, longitude: sum.longitude / points.length });
}

export type PolygonProblem = 'too_few' | 'too_many' | 'self_intersecting' | 'too_spread' | 'not_closed';

/** Why the API would refuse this polygon, or null (the same rules, checked on the phone). */
export function polygonProblem(fence: PolygonFence): PolygonProblem | null {
  const pts = fence.points;
  if (pts.length < 3) return 'too_few';
  if (pts.length > MAX_VERTICES) return 'too_many';
  if (pts.some((p) => distanceM(pts[0]!, p) > MAX_SPREAD_M)) return 'too_spread';
  if (selfIntersects(pts)) return 'self_intersecting';
  if (!fence.closed) return 'not_closed';
  return null;
}

/** Whether two non-adjacent edges of the ring cross (planar test: fences are small). */
export function selfIntersects(pts: Point[]): boolean {
  const n = pts.length;
  const edge = (i: number): [Point, Point] => [pts[i]!, pts[(i + 1) % n]!];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // neighbours share a vertex
      if (crosses(...edge(i), ...edge(j))) return true;
    }
  }
  return false;
}

function orient(a: Point, b: Point, c: Point): number {
  const v = (b.longitude - a.longitude) * (c.latitude - a.latitude) - (b.latitude - a.latitude) * (c.longitude - a.longitude);
  return Math.abs(v) < 1e-18 ? 0 : Math.sign(v);
}

function onSegment(a: Point, b: Point, p: Point): boolean {
  return (
    Math.min(a.longitude, b.longitude) <= p.longitude &&
    p.longitude <= Math.max(a.longitude, b.longitude) &&
    Math.min(a.latitude, b.latitude) <= p.latitude &&
    p.latitude <= Math.max(a.latitude, b.latitude)
  );
}

function crosses(a: Point, b: Point, c: Point, d: Point): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
}

// ------------------------------------------------------------------------ to and from the API

export interface OfficeGeometry {
  latitude: number;
  longitude: number;
  radius_m: number;
  polygon?: Point[] | null;
}

export function fenceOf(office: OfficeGeometry): Fence {
  const centre = { latitude: office.latitude, longitude: office.longitude };
  if (office.polygon && office.polygon.length >= 3) {
    const ring = office.polygon.slice();
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (ring.length > 3 && first.latitude === last.latitude && first.longitude === last.longitude) ring.pop();
    return { kind: 'polygon', centre, points: ring.map(round), closed: true };
  }
  return { kind: 'circle', centre, radius_m: office.radius_m };
}

/** The body's geometry: a circle sends `polygon: null` (back to the circle), a polygon its ring. */
export function geometryOf(fence: Fence, radiusWhenPolygon = 100): OfficeGeometry {
  if (fence.kind === 'circle')
    return { ...round(fence.centre), radius_m: clampRadius(fence.radius_m), polygon: null };
  const centre = fence.points.length ? (centroid(fence.points) ?? fence.centre) : fence.centre;
  return { ...round(centre), radius_m: radiusWhenPolygon, polygon: fence.points.map(round) };
}
