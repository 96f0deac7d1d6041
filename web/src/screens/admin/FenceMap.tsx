// The geofence on a Leaflet map (ADR 0027): loaded with the offices screen only, never in the
// first page. The basemap is the runtime config's `basemapUrl` (a tile URL template); empty: no
// tiles at all, the fence over a plain background, which is how the tests run (no tile server is
// ever fetched). Markers are CSS boxes (divIcon): no marker images to load either.
//
// The map draws what it is given and reports taps and drags; the fence itself lives in the
// screen's state (lib/fenceDrawing.ts edits it), so the coordinate inputs and the map never disagree.

import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import { distanceM, type Fence, type Point } from '../../lib/fenceDrawing';
import { a } from '../../strings.admin';

const w = a.offices;

export interface FenceMapProps {
  fence: Fence;
  basemapUrl: string;
  attribution?: string;
  /** Changes when another office is shown: the view is fitted again. */
  viewKey: string;
  onTap(p: Point): void;
  onCentre(p: Point): void;
  onRadius(metres: number): void;
  onVertex(index: number, p: Point): void;
}

const ll = (p: Point) => L.latLng(p.latitude, p.longitude);
const pt = (l: L.LatLng): Point => ({ latitude: l.lat, longitude: l.lng });

function handle(at: L.LatLng, title: string, kind: string): L.Marker {
  return L.marker(at, {
    draggable: true,
    keyboard: true,
    title,
    alt: title,
    icon: L.divIcon({ className: `fence-handle ${kind}`, iconSize: [22, 22] }),
  });
}

/** The point `metres` east of `centre` (where the radius handle sits). */
function east(centre: Point, metres: number): L.LatLng {
  const dLng = (metres / (111_320 * Math.cos((centre.latitude * Math.PI) / 180))) || 0;
  return L.latLng(centre.latitude, centre.longitude + dLng);
}

export function FenceMap(props: FenceMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<L.LayerGroup | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const m = L.map(box.current!, { zoomControl: false, attributionControl: Boolean(props.basemapUrl) });
    L.control.zoom({ zoomInTitle: w.zoomIn, zoomOutTitle: w.zoomOut }).addTo(m);
    if (props.basemapUrl) {
      m.attributionControl.setPrefix(false);
      L.tileLayer(props.basemapUrl, { maxZoom: 19, attribution: props.attribution ?? '' }).addTo(m);
    }
    m.on('click', (e: L.LeafletMouseEvent) => latest.current.onTap(pt(e.latlng)));
    layers.current = L.layerGroup().addTo(m);
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, [props.basemapUrl]);

  // Fit the view when another office (or the map) appears, not at every edit.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const f = latest.current.fence;
    if (f.kind === 'polygon' && f.points.length >= 2) m.fitBounds(L.latLngBounds(f.points.map(ll)).pad(0.3));
    else if (f.kind === 'circle') m.fitBounds(ll(f.centre).toBounds(f.radius_m * 2.6));
    else m.setView(ll(f.centre), 17);
  }, [props.viewKey, props.basemapUrl]);

  useEffect(() => {
    const group = layers.current;
    if (!group) return;
    group.clearLayers();
    const f = props.fence;
    if (f.kind === 'circle') drawCircle(group, f.centre, f.radius_m);
    else drawPolygon(group, f.points, f.closed);
  }, [props.fence, props.basemapUrl]);

  function drawCircle(group: L.LayerGroup, centre: Point, radius: number) {
    const circle = L.circle(ll(centre), { radius, className: 'fence-shape', interactive: false }).addTo(group);
    const middle = handle(ll(centre), w.handle, 'centre').addTo(group);
    const edge = handle(east(centre, radius), w.edge, 'edge').addTo(group);
    middle.on('drag', () => {
      circle.setLatLng(middle.getLatLng());
      edge.setLatLng(east(pt(middle.getLatLng()), circle.getRadius()));
    });
    middle.on('dragend', () => latest.current.onCentre(pt(middle.getLatLng())));
    edge.on('drag', () => circle.setRadius(distanceM(pt(middle.getLatLng()), pt(edge.getLatLng()))));
    edge.on('dragend', () => latest.current.onRadius(distanceM(pt(middle.getLatLng()), pt(edge.getLatLng()))));
  }

  function drawPolygon(group: L.LayerGroup, points: Point[], closed: boolean) {
    const path = points.map(ll);
    const shape = closed
      ? L.polygon(path, { className: 'fence-shape', interactive: false })
      : L.polyline(path, { className: 'fence-shape open', interactive: false });
    shape.addTo(group);
    points.forEach((p, i) => {
      const vertex = handle(ll(p), w.point(i + 1), 'vertex').addTo(group);
      vertex.on('drag', () => {
        path[i] = vertex.getLatLng();
        shape.setLatLngs(path);
      });
      vertex.on('dragend', () => latest.current.onVertex(i, pt(vertex.getLatLng())));
    });
  }

  return (
    <div class="fence-map-wrap">
      <div ref={box} class="fence-map" role="region" aria-label={w.map} data-testid="fence-map" />
      {!props.basemapUrl && <p class="hint">{w.noBasemap}</p>}
    </div>
  );
}
