// Organisasi: the unit tree (expand and collapse; the regency and its first level open), a unit
// added under another or edited, and a unit's positions (jabatan) listed, added and edited.

import { useState } from 'preact/hooks';
import { ok, type Schemas, type Unit } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { a } from '../../strings.admin';
import { Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import { SaveButton, UnitSelect, useUnits, useWrite } from './shared';
import './admin.css';

type Position = Schemas['Position'];
type UnitKind = Schemas['UnitKind'];
const w = a.org;
const KINDS: UnitKind[] = ['regency', 'secretariat', 'agency', 'section', 'district'];

type Panel = { kind: 'unit'; unit: Unit | null; parent: string | null } | { kind: 'positions'; unit: Unit };

export function Organisation() {
  const units = useUnits();
  const [open, setOpen] = useState<Set<string> | null>(null);
  const [panel, setPanel] = useState<Panel | null>(null);
  const all = units.data ?? [];
  const children = (parent: string | null) =>
    all
      .filter((u) => (u.parent_id ?? null) === parent || (parent === null && u.parent_id && !all.some((p) => p.unit_id === u.parent_id)))
      .sort((x, y) => x.name.localeCompare(y.name, 'id'));
  // Before any tap: the roots open, so the first level shows.
  const opened = open ?? new Set(children(null).map((u) => u.unit_id));
  const toggle = (id: string) => {
    const next = new Set(opened);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };

  // A function, not a component: a component made in render would remount (and drop focus) each time.
  const node = (unit: Unit) => {
    const kids = children(unit.unit_id);
    const isOpen = opened.has(unit.unit_id);
    return (
      <li key={unit.unit_id} class="node" data-unit={unit.code}>
        <div class="node-head">
          {kids.length > 0 ? (
            <button type="button" class="button quiet tree-toggle" aria-expanded={isOpen} onClick={() => toggle(unit.unit_id)}
              aria-label={isOpen ? w.collapse(unit.name) : w.expand(unit.name)}>
              {isOpen ? '−' : '+'}
            </button>
          ) : (
            <span class="tree-toggle" aria-hidden="true" />
          )}
          <span class="node-name">{unit.name}</span>
          <span class="node-meta">
            {unit.code} · {a.unitKinds[unit.kind]}
            {unit.active === false ? ` · ${w.inactive}` : ''}
          </span>
          <span class="actions">
            <button type="button" class="button quiet" onClick={() => setPanel({ kind: 'unit', unit, parent: unit.parent_id })}>
              {a.edit}
            </button>
            <button type="button" class="button quiet" onClick={() => setPanel({ kind: 'positions', unit })}>
              {w.showPositions}
            </button>
            <button type="button" class="button quiet" aria-label={w.newUnitUnder(unit.name)}
              onClick={() => setPanel({ kind: 'unit', unit: null, parent: unit.unit_id })}>
              {a.add}
            </button>
          </span>
        </div>
        {isOpen && kids.length > 0 && (
          <ul>
            {kids.map(node)}
          </ul>
        )}
      </li>
    );
  };

  return (
    <section class="screen admin">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={units.loading} onClick={() => void units.reload()} />
      </div>
      <p class="item-meta">{w.lead}</p>
      <div class="actions">
        <button type="button" class="button secondary" onClick={() => setPanel({ kind: 'unit', unit: null, parent: null })}>
          {w.newUnit}
        </button>
      </div>
      {panel?.kind === 'unit' && (
        <UnitForm key={`${panel.unit?.unit_id ?? 'new'}:${panel.parent}`} unit={panel.unit} parent={panel.parent} units={all}
          onSaved={() => { setPanel(null); void units.reload(); }} onClose={() => setPanel(null)} />
      )}
      {panel?.kind === 'positions' && <Positions key={panel.unit.unit_id} unit={panel.unit} onClose={() => setPanel(null)} />}
      <ProblemNote error={!units.data ? units.error : undefined} />
      <Loading when={units.loading && !units.data}>
        {all.length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="tree" data-testid="unit-tree">
            {children(null).map(node)}
          </ul>
        )}
      </Loading>
    </section>
  );
}

function UnitForm({ unit, parent, units, onSaved, onClose }: {
  unit: Unit | null; parent: string | null; units: Unit[]; onSaved(): void; onClose(): void;
}) {
  const { api } = useApp();
  const [code, setCode] = useState(unit?.code ?? '');
  const [name, setName] = useState(unit?.name ?? '');
  const [kind, setKind] = useState<UnitKind>(unit?.kind ?? 'section');
  const [parentId, setParentId] = useState(parent ?? '');
  const [active, setActive] = useState(unit?.active ?? true);
  const write = useWrite();
  const parentName = units.find((u) => u.unit_id === parent)?.name;
  const save = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      const body = { code: code.trim(), name: name.trim(), parent_id: parentId || null };
      if (unit)
        await ok(api.PATCH('/units/{unit_id}', { params: { path: { unit_id: unit.unit_id } }, body: { ...body, active } }));
      else await ok(api.POST('/units', { body: { ...body, kind } }));
      onSaved();
    });
  };
  return (
    <form class="card" onSubmit={save} data-testid="unit-form">
      <h2>{unit ? w.editUnit(unit.name) : parentName ? w.newUnitUnder(parentName) : w.newUnit}</h2>
      <div class="inline-form">
        <div class="field">
          <label for="unit-code">{w.code}</label>
          <input id="unit-code" required pattern="[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,30}[A-Za-z0-9])?" value={code}
            onInput={(e) => setCode(e.currentTarget.value)} aria-describedby="unit-code-hint" />
          <span id="unit-code-hint" class="hint">{w.codeHint}</span>
        </div>
        <div class="field">
          <label for="unit-name">{w.name}</label>
          <input id="unit-name" required minLength={2} maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        {!unit && (
          <div class="field">
            <label for="unit-kind">{w.kind}</label>
            <select id="unit-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as UnitKind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>{a.unitKinds[k]}</option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="unit-parent">{w.parent}</label>
          <UnitSelect id="unit-parent" units={units.filter((u) => u.unit_id !== unit?.unit_id)} value={parentId}
            onChange={setParentId} empty={w.noParent} />
        </div>
      </div>
      {unit && (
        <label class="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          {w.active}
        </label>
      )}
      <ProblemNote error={write.problem} />
      <div class="actions">
        <SaveButton busy={write.busy} />
        <button type="button" class="button quiet" onClick={onClose}>{a.cancel}</button>
      </div>
    </form>
  );
}

function Positions({ unit, onClose }: { unit: Unit; onClose(): void }) {
  const { api, user } = useApp();
  const positions = useKept<Position[]>(`${user}:admin:positions:${unit.unit_id}`, () =>
    ok(api.GET('/positions', { params: { query: { unit: unit.unit_id } } })),
  );
  return (
    <div class="card" data-testid="positions">
      <div class="screen-head">
        <h2>{w.positions(unit.name)}</h2>
        <button type="button" class="button quiet" onClick={onClose}>{a.cancel}</button>
      </div>
      <ProblemNote error={!positions.data ? positions.error : undefined} />
      <Loading when={positions.loading && !positions.data}>
        {(positions.data ?? []).length === 0 && <p class="empty">{w.noPositions}</p>}
        <ul class="list">
          {(positions.data ?? []).map((p) => (
            <li key={p.position_id} class="item">
              <PositionForm unit={unit} position={p} onSaved={() => void positions.reload()} />
            </li>
          ))}
        </ul>
      </Loading>
      <h3>{w.newPosition}</h3>
      <PositionForm unit={unit} position={null} onSaved={() => void positions.reload()} />
    </div>
  );
}

function PositionForm({ unit, position, onSaved }: { unit: Unit; position: Position | null; onSaved(): void }) {
  const { api } = useApp();
  const id = position?.position_id ?? 'new';
  const [name, setName] = useState(position?.name ?? '');
  const [echelon, setEchelon] = useState(position?.echelon ?? '');
  const [isHead, setIsHead] = useState(position?.is_head ?? false);
  const write = useWrite();
  const save = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      const body = { name: name.trim(), echelon: echelon.trim() || null, is_head: isHead };
      if (position)
        await ok(api.PATCH('/positions/{position_id}', { params: { path: { position_id: position.position_id } }, body }));
      else await ok(api.POST('/positions', { body: { ...body, unit_id: unit.unit_id } }));
      if (!position) setName('');
      onSaved();
    });
  };
  return (
    <form class="inline-form" onSubmit={save} data-position={id}>
      <div class="field">
        <label for={`pos-${id}-name`}>{w.positionName}</label>
        <input id={`pos-${id}-name`} required minLength={2} maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`pos-${id}-echelon`}>{w.echelon}</label>
        <input id={`pos-${id}-echelon`} maxLength={10} value={echelon} onInput={(e) => setEchelon(e.currentTarget.value)} />
      </div>
      <label class="check">
        <input type="checkbox" checked={isHead} onChange={(e) => setIsHead(e.currentTarget.checked)} />
        {w.isHead}
      </label>
      <SaveButton busy={write.busy} label={position ? a.save : a.add} />
      <ProblemNote error={write.problem} />
      {write.done && <p class="notice" role="status">{a.saved}</p>}
    </form>
  );
}
