// Plt./Plh.: who acts for a head, in which capacity, from when to when (the API's rules: a head's
// position only, an active actor, dates in order; it answers why when it refuses). The list is
// every assignment not ended by today.

import { useEffect, useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { date } from '../../lib/format';
import { a } from '../../strings.admin';
import { Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import { SaveButton, UnitSelect, useUnits, useWrite } from './shared';
import './admin.css';

type Acting = Schemas['ActingAssignment'];
type Position = Schemas['Position'];
type Capacity = Schemas['ActingCapacity'];
const w = a.acting;

/** Today in the regency's zone (WITA), as the API's dates are. */
export function todayWita(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Makassar' }).format(now);
}

export function ActingAssignments() {
  const { api, user } = useApp();
  const units = useUnits();
  const today = todayWita();
  const list = useKept<Acting[]>(`${user}:admin:acting`, () =>
    ok(api.GET('/acting-assignments', { params: { query: { not_ended_by: today } } })),
  );
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const unitsToRead = [...new Set((list.data ?? []).map((x) => x.unit_id))];
    for (const unit of unitsToRead)
      void ok(api.GET('/positions', { params: { query: { unit } } })).then(
        (ps) => setNames((n) => ({ ...n, ...Object.fromEntries(ps.map((p) => [p.position_id, p.name])) })),
        () => undefined,
      );
  }, [list.data]);
  const unitName = (id: string) => units.data?.find((u) => u.unit_id === id)?.name ?? id;
  return (
    <section class="screen admin">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={list.loading} onClick={() => void list.reload()} />
      </div>
      <p class="item-meta">{w.lead}</p>
      <ActingForm onSaved={() => void list.reload()} />
      <h2>{w.current}</h2>
      <ProblemNote error={!list.data ? list.error : undefined} />
      <Loading when={list.loading && !list.data}>
        {(list.data ?? []).length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="list" data-testid="acting-list">
            {list.data!.map((x) => (
              <li key={x.acting_id} class="item" data-acting={x.acting_id}>
                <span class="item-title">
                  {w.short[x.capacity]} {names[x.position_id] ?? x.position_id}
                </span>
                <span class="item-meta">
                  {unitName(x.unit_id)} · NIP {x.actor_nip}
                </span>
                <span class="item-meta">
                  {w.period(date(x.starts_on), date(x.ends_on))}
                  {x.decree_number ? ` · ${x.decree_number}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Loading>
    </section>
  );
}

function ActingForm({ onSaved }: { onSaved(): void }) {
  const { api } = useApp();
  const units = useUnits();
  const [unitId, setUnitId] = useState('');
  const [heads, setHeads] = useState<Position[]>([]);
  const [positionId, setPositionId] = useState('');
  const [actor, setActor] = useState('');
  const [capacity, setCapacity] = useState<Capacity>('plh');
  const [starts, setStarts] = useState(todayWita());
  const [ends, setEnds] = useState(todayWita());
  const [decree, setDecree] = useState('');
  const write = useWrite();
  useEffect(() => {
    if (!unitId) return setHeads([]);
    void ok(api.GET('/positions', { params: { query: { unit: unitId } } })).then((ps) => {
      const only = ps.filter((p) => p.is_head);
      setHeads(only);
      setPositionId(only[0]?.position_id ?? '');
    }, () => setHeads([]));
  }, [unitId]);
  const save = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      await ok(api.POST('/acting-assignments', {
        body: {
          actor_nip: actor.replace(/\s+/g, ''),
          position_id: positionId,
          capacity,
          starts_on: starts,
          ends_on: ends,
          decree_number: decree.trim() || null,
        },
      }));
      setActor('');
      setDecree('');
      onSaved();
    });
  };
  return (
    <form class="card" onSubmit={save} data-testid="acting-form">
      <h2>{w.newOne}</h2>
      <div class="inline-form">
        <div class="field">
          <label for="acting-unit">{w.unit}</label>
          <UnitSelect id="acting-unit" units={units.data ?? []} value={unitId} onChange={setUnitId} empty="" />
        </div>
        <div class="field">
          <label for="acting-position">{w.position}</label>
          <select id="acting-position" required value={positionId} onChange={(e) => setPositionId(e.currentTarget.value)}>
            {heads.map((p) => (
              <option key={p.position_id} value={p.position_id}>{p.name}</option>
            ))}
          </select>
          {unitId && heads.length === 0 && <span class="hint">{w.noHeadPositions}</span>}
        </div>
        <div class="field">
          <label for="acting-actor">{w.actor}</label>
          <input id="acting-actor" required inputMode="numeric" value={actor} onInput={(e) => setActor(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="acting-start">{w.startsOn}</label>
          <input id="acting-start" type="date" required value={starts} onInput={(e) => setStarts(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="acting-end">{w.endsOn}</label>
          <input id="acting-end" type="date" required min={starts} value={ends} onInput={(e) => setEnds(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="acting-decree">{w.decree}</label>
          <input id="acting-decree" maxLength={100} value={decree} onInput={(e) => setDecree(e.currentTarget.value)} />
        </div>
      </div>
      <fieldset class="choices">
        <legend>{w.capacity}</legend>
        {(['plh', 'plt'] as const).map((c) => (
          <label key={c} class="check">
            <input type="radio" name="acting-capacity" checked={capacity === c} onChange={() => setCapacity(c)} />
            {w.capacities[c]}
          </label>
        ))}
      </fieldset>
      <ProblemNote error={write.problem} />
      {write.done && <p class="notice" role="status">{a.saved}</p>}
      <div class="actions">
        <SaveButton busy={write.busy || !positionId} label={w.create} />
      </div>
    </form>
  );
}
