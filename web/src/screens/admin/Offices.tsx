// Kantor: a unit's offices and each one's geofence, drawn on the map (a circle: tap or drag the
// centre, drag the edge or type the radius; a polygon: tap points, drag them, close the ring) or
// typed as coordinates. Saved with POST /offices or PATCH /offices/{id}; the API checks again.

import { useEffect, useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import * as geo from '../../lib/fenceDrawing';
import type { Fence, Point, PolygonFence } from '../../lib/fenceDrawing';
import { a } from '../../strings.admin';
import { Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import { FenceMap } from './FenceMap';
import { SaveButton, UnitSelect, useUnits, useWrite } from './shared';
import './admin.css';

type Office = Schemas['Office'];
const w = a.offices;
/** Malili, the regency's seat: where a new office's map opens. */
const MALILI: Point = { latitude: -2.6345, longitude: 121.0948 };

export function Offices() {
  const { api, user } = useApp();
  const units = useUnits();
  const [unitId, setUnitId] = useState('');
  const offices = useKept<Office[]>(unitId ? `${user}:admin:offices:${unitId}` : null, () =>
    ok(api.GET('/offices', { params: { query: { unit: unitId } } })),
  );
  const [chosen, setChosenState] = useState<Office | 'new' | null>(null);
  // A save shows the saved office in a new form: the notice is kept here, across that remount.
  const [justSaved, setJustSaved] = useState(false);
  const setChosen = (o: Office | 'new' | null) => {
    setJustSaved(false);
    setChosenState(o);
  };
  useEffect(() => {
    if (!unitId && units.data?.length) setUnitId(units.data[0]!.unit_id);
  }, [units.data]);
  useEffect(() => setChosen(null), [unitId]);

  return (
    <section class="screen admin">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={offices.loading} onClick={() => void offices.reload()} />
      </div>
      <p class="item-meta">{w.lead}</p>
      <div class="field">
        <label for="office-unit">{w.unit}</label>
        <UnitSelect id="office-unit" units={units.data ?? []} value={unitId} onChange={setUnitId} />
      </div>
      <ProblemNote error={!units.data ? units.error : !offices.data ? offices.error : undefined} />
      <Loading when={(units.loading && !units.data) || (offices.loading && !offices.data)}>
        {(offices.data ?? []).length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="list" data-testid="offices">
            {offices.data!.map((o) => (
              <li key={o.office_id} class="item">
                <button type="button" class="item-link plain-button" onClick={() => setChosen(o)}>
                  <span class="item-title">{o.name}</span>
                  <span class="item-meta">
                    {o.polygon?.length ? w.summaryPolygon(o.polygon.length) : w.summaryCircle(o.radius_m)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      <div class="actions">
        <button type="button" class="button secondary" onClick={() => setChosen('new')} disabled={!unitId}>
          {w.newOffice}
        </button>
      </div>
      {chosen && (
        <OfficeForm
          key={chosen === 'new' ? 'new' : chosen.office_id}
          unitId={unitId}
          office={chosen === 'new' ? null : chosen}
          justSaved={justSaved}
          onSaved={(saved) => {
            setChosenState(saved);
            setJustSaved(true);
            void offices.reload();
          }}
        />
      )}
    </section>
  );
}

function OfficeForm({ unitId, office, justSaved, onSaved }: {
  unitId: string; office: Office | null; justSaved: boolean; onSaved(o: Office): void;
}) {
  const { api, config } = useApp();
  const [name, setName] = useState(office?.name ?? '');
  const [address, setAddress] = useState(office?.address ?? '');
  const [fence, setFence] = useState<Fence>(() =>
    office ? geo.fenceOf(office) : { kind: 'circle', centre: MALILI, radius_m: 100 },
  );
  const write = useWrite();
  const problem = fence.kind === 'polygon' ? geo.polygonProblem(fence) : null;

  const setKind = (kind: Fence['kind']) => {
    if (kind === fence.kind) return;
    if (kind === 'polygon') setFence({ kind, centre: fence.centre, points: [], closed: false });
    else {
      const centre = (fence.kind === 'polygon' && geo.centroid(fence.points)) || fence.centre;
      setFence({ kind, centre, radius_m: office?.radius_m ?? 100 });
    }
  };
  const polygon = (edit: (f: PolygonFence) => PolygonFence) =>
    setFence((f) => (f.kind === 'polygon' ? edit(f) : f));
  const onTap = (p: Point) => {
    if (fence.kind === 'circle') setFence({ ...fence, centre: geo.round(p) });
    else polygon((f) => geo.addPoint(f, p));
  };

  const save = (e: Event) => {
    e.preventDefault();
    if (problem) return;
    void write.run(async () => {
      const body = { name: name.trim(), address: address.trim() || null, ...geo.geometryOf(fence, office?.radius_m ?? 100) };
      const saved = office
        ? await ok(api.PATCH('/offices/{office_id}', { params: { path: { office_id: office.office_id } }, body }))
        : await ok(api.POST('/offices', { body: { ...body, unit_id: unitId } }));
      onSaved(saved);
    });
  };

  return (
    <form class="card" onSubmit={save} data-testid="office-form">
      <h2>{office ? office.name : w.newOffice}</h2>
      <div class="field">
        <label for="office-name">{w.name}</label>
        <input id="office-name" required minLength={2} maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="office-address">{w.address}</label>
        <input id="office-address" maxLength={300} value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
      </div>
      <fieldset class="choices">
        <legend>{w.fence}</legend>
        {(['circle', 'polygon'] as const).map((k) => (
          <label key={k} class="check">
            <input type="radio" name="fence-kind" checked={fence.kind === k} onChange={() => setKind(k)} />
            {k === 'circle' ? w.circle : w.polygon}
          </label>
        ))}
      </fieldset>
      <p class="hint">{fence.kind === 'circle' ? w.circleHint : w.polygonHint}</p>
      <FenceMap
        fence={fence}
        basemapUrl={config.basemapUrl ?? ''}
        attribution={config.basemapAttribution}
        viewKey={`${office?.office_id ?? 'new'}:${fence.kind}`}
        onTap={onTap}
        onCentre={(p) => setFence((f) => ({ ...f, centre: geo.round(p) }))}
        onRadius={(m) => setFence((f) => (f.kind === 'circle' ? { ...f, radius_m: geo.clampRadius(m) } : f))}
        onVertex={(i, p) => polygon((f) => geo.movePoint(f, i, p))}
      />
      {fence.kind === 'circle' ? (
        <CircleInputs fence={fence} onChange={setFence} />
      ) : (
        <PolygonEditor fence={fence} edit={polygon} problem={problem} />
      )}
      <ProblemNote error={write.problem} />
      {(write.done || justSaved) && <p class="notice" role="status">{a.saved}</p>}
      <div class="actions">
        <SaveButton busy={write.busy} />
      </div>
    </form>
  );
}

function NumberInput({ id, label, value, step, onChange, min, max }: {
  id: string; label: string; value: number; step: string; onChange(v: number): void; min?: number; max?: number;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        value={String(value)}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          if (e.currentTarget.value !== '' && Number.isFinite(v)) onChange(v);
        }}
      />
    </div>
  );
}

function CircleInputs({ fence, onChange }: { fence: geo.CircleFence; onChange(f: Fence): void }) {
  return (
    <div class="coords">
      <NumberInput id="centre-lat" label={w.latitude} step="any" min={-90} max={90} value={fence.centre.latitude}
        onChange={(v) => onChange({ ...fence, centre: { ...fence.centre, latitude: v } })} />
      <NumberInput id="centre-lng" label={w.longitude} step="any" min={-180} max={180} value={fence.centre.longitude}
        onChange={(v) => onChange({ ...fence, centre: { ...fence.centre, longitude: v } })} />
      <NumberInput id="radius" label={w.radius} step="1" min={geo.MIN_RADIUS} max={geo.MAX_RADIUS} value={fence.radius_m}
        onChange={(v) => onChange({ ...fence, radius_m: geo.clampRadius(v) })} />
    </div>
  );
}

function PolygonEditor({ fence, edit, problem }: {
  fence: PolygonFence; edit(e: (f: PolygonFence) => PolygonFence): void; problem: geo.PolygonProblem | null;
}) {
  const n = fence.points.length;
  return (
    <div data-testid="polygon-editor">
      <p class="item-meta" role="status">{fence.closed ? w.closed : w.open(n)}</p>
      {problem && problem !== 'not_closed' && n >= 3 && <p class="problem">{w.problems[problem]}</p>}
      {n > 0 && (
        <ol class="points">
          {fence.points.map((p, i) => (
            <li key={i} class="coords">
              <NumberInput id={`p${i}-lat`} label={`${w.point(i + 1)}: ${w.latitude}`} step="any" value={p.latitude}
                onChange={(v) => edit((f) => geo.movePoint(f, i, { ...p, latitude: v }))} />
              <NumberInput id={`p${i}-lng`} label={`${w.point(i + 1)}: ${w.longitude}`} step="any" value={p.longitude}
                onChange={(v) => edit((f) => geo.movePoint(f, i, { ...p, longitude: v }))} />
              <span class="actions">
                <button type="button" class="button quiet" onClick={() => edit((f) => geo.removePoint(f, i))}>
                  {w.removePoint(i + 1)}
                </button>
                {(fence.closed || i < n - 1) && (
                  <button type="button" class="button quiet" onClick={() => edit((f) => geo.splitEdge(f, i))}>
                    {w.splitEdge(i + 1)}
                  </button>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
      <div class="actions">
        {!fence.closed && (
          <>
            <button type="button" class="button secondary" disabled={n === 0} onClick={() => edit((f) => geo.removePoint(f, f.points.length - 1))}>
              {w.undo}
            </button>
            <button type="button" class="button secondary" disabled={problem !== 'not_closed'} onClick={() => edit(geo.close)}>
              {w.closeRing}
            </button>
          </>
        )}
        {fence.closed && (
          <button type="button" class="button secondary" onClick={() => edit(geo.reopen)}>
            {w.reopen}
          </button>
        )}
        <button type="button" class="button quiet" disabled={n === 0} onClick={() => edit((f) => ({ ...f, points: [], closed: false }))}>
          {w.clear}
        </button>
      </div>
      {problem === 'not_closed' && <p class="hint">{w.problems.not_closed}</p>}
      {problem === 'too_few' && n > 0 && <p class="hint">{w.problems.too_few}</p>}
    </div>
  );
}
