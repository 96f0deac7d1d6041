// Where the phone is against his offices' fences, shown before a check-in is sent: the same rule
// the check-in function applies (docs/decisions/0012-attendance.md), so what the screen says
// ("di dalam area kantor", "28 m di luar") is what the server will decide. The server stays the
// judge; this only spares an employee a refused check-in he could have seen coming.
//
// Distances are on a local plane around the office, with the WGS84 ellipsoid's radii at its
// latitude (meridional and prime vertical): at a few hundred metres the error is below a
// millimetre, far under GPS noise, and no trigonometry runs per polygon edge.

export interface Point {
  latitude: number;
  longitude: number;
}

/** An office's fence as the API gives it: the polygon when set, else the circle. */
export interface Fence {
  office_id: string;
  name: string;
  latitude: number;
  longitude: number;
  radius_m: number;
  polygon?: Point[] | null;
}

export interface FenceDistance {
  office: Fence;
  /** Metres outside the fence (0 inside): what the server compares with the tolerance. */
  outside_m: number;
  /** Metres to the fence's nearest edge, inside or out (how far from the line he stands). */
  edge_m: number;
  inside: boolean;
}

const A = 6_378_137; // WGS84 semi-major axis
const E2 = 6.69437999014e-3; // first eccentricity squared
const RAD = Math.PI / 180;

/** Metres per degree of latitude and of longitude at `latitude`. */
export function metresPerDegree(latitude: number): { lat: number; lon: number } {
  const phi = latitude * RAD;
  const s = Math.sin(phi);
  const w = Math.sqrt(1 - E2 * s * s);
  const meridional = (A * (1 - E2)) / (w * w * w);
  const primeVertical = A / w;
  return { lat: meridional * RAD, lon: primeVertical * Math.cos(phi) * RAD };
}

/** `lon2 - lon1` in degrees, the short way round (-180..180). */
function deltaLon(lon1: number, lon2: number): number {
  return ((((lon2 - lon1 + 180) % 360) + 360) % 360) - 180;
}

/** `p` on the plane around `origin`, in metres (x east, y north). */
function plane(origin: Point, p: Point): [number, number] {
  const m = metresPerDegree(origin.latitude);
  return [deltaLon(origin.longitude, p.longitude) * m.lon, (p.latitude - origin.latitude) * m.lat];
}

/** Metres between two points near each other, as the server measures (geo.distance_m). */
export function distance(a: Point, b: Point): number {
  const m = metresPerDegree((a.latitude + b.latitude) / 2);
  return Math.hypot((b.latitude - a.latitude) * m.lat, deltaLon(a.longitude, b.longitude) * m.lon);
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Ray casting on the plane; `ring` without the closing point repeated (or with: same answer). */
function inRing(px: number, py: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Within this of a polygon's edge counts as inside (the server's 1 cm). */
const ON_EDGE_M = 0.01;

export function fenceDistance(point: Point, office: Fence): FenceDistance {
  const polygon = office.polygon && office.polygon.length >= 3 ? office.polygon : null;
  if (!polygon) {
    const fromCentre = distance(office, point);
    const outside = Math.max(0, fromCentre - office.radius_m);
    return { office, outside_m: outside, edge_m: Math.abs(fromCentre - office.radius_m), inside: outside === 0 };
  }
  const ring = polygon.map((v) => plane(point, v));
  let edge = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    edge = Math.min(edge, segmentDistance(0, 0, ring[j]![0], ring[j]![1], ring[i]![0], ring[i]![1]));
  }
  const inside = edge <= ON_EDGE_M || inRing(0, 0, ring);
  return { office, outside_m: inside ? 0 : edge, edge_m: edge, inside };
}

/** The fence he is nearest to (inside one first): the one the server will judge by. */
export function nearestFence(point: Point, offices: Fence[]): FenceDistance | null {
  let best: FenceDistance | null = null;
  for (const office of offices) {
    const d = fenceDistance(point, office);
    if (!best || d.outside_m < best.outside_m || (d.outside_m === best.outside_m && d.edge_m > best.edge_m)) best = d;
  }
  return best;
}

export interface Limits {
  /** MaxGpsAccuracyMeters: a worse fix is refused. */
  maxAccuracy_m: number;
  /** GeofenceToleranceMeters: how far outside still counts, at most the fix's accuracy. */
  tolerance_m: number;
}

/** The template's defaults (template.yaml); the server applies its own settings. */
export const DEFAULT_LIMITS: Limits = { maxAccuracy_m: 50, tolerance_m: 20 };

export type Verdict =
  | { kind: 'no_office' }
  | { kind: 'poor_accuracy'; accuracy_m: number; limit_m: number; nearest: FenceDistance | null }
  | { kind: 'outside'; nearest: FenceDistance; beyond_m: number }
  | { kind: 'inside'; nearest: FenceDistance };

/** What the server would say of this fix: the check-in rule of ADR 0012, in the same order. */
export function judge(point: Point, accuracy_m: number, offices: Fence[], limits: Limits = DEFAULT_LIMITS): Verdict {
  const nearest = nearestFence(point, offices);
  if (accuracy_m > limits.maxAccuracy_m) return { kind: 'poor_accuracy', accuracy_m, limit_m: limits.maxAccuracy_m, nearest };
  if (!nearest) return { kind: 'no_office' };
  const allowed = Math.min(accuracy_m, limits.tolerance_m);
  if (nearest.outside_m <= allowed) return { kind: 'inside', nearest };
  return { kind: 'outside', nearest, beyond_m: nearest.outside_m };
}
