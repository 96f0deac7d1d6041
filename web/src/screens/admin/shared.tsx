// What the administrators' screens share: the unit list (one read, kept), a unit picker that
// shows the tree's depth, calls the generated client cannot type yet (the CSV import's dry run
// and its problem's `rows`), and a save button's state.

import { useState } from 'preact/hooks';
import { ApiError, NetworkError, ok, type Unit } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { a } from '../../strings.admin';

export function useUnits() {
  const { api, user } = useApp();
  return useKept<Unit[]>(`${user}:admin:units`, () => ok(api.GET('/units')));
}

/** Units in tree order (parents before children) with their depth, for selects and the tree. */
export function treeOrder(units: Unit[]): { unit: Unit; depth: number }[] {
  const children = new Map<string | null, Unit[]>();
  const ids = new Set(units.map((u) => u.unit_id));
  for (const u of units) {
    const parent = u.parent_id && ids.has(u.parent_id) ? u.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  for (const list of children.values()) list.sort((x, y) => x.name.localeCompare(y.name, 'id'));
  const out: { unit: Unit; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      out.push({ unit: u, depth });
      walk(u.unit_id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function UnitSelect({
  id,
  units,
  value,
  onChange,
  empty,
}: {
  id: string;
  units: Unit[];
  value: string;
  onChange: (unitId: string) => void;
  empty?: string;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
      {empty !== undefined && <option value="">{empty}</option>}
      {treeOrder(units).map(({ unit, depth }) => (
        <option key={unit.unit_id} value={unit.unit_id}>
          {'\u00a0\u00a0'.repeat(depth)}
          {unit.name}
        </option>
      ))}
    </select>
  );
}

/** A call outside the generated client: the raw answer, its JSON, or a thrown ApiError. */
export function useRawApi() {
  const { config, session } = useApp();
  return async function raw<T>(method: string, path: string, body?: BodyInit, type?: string): Promise<{ status: number; json: T }> {
    const token = await session.idToken();
    let answer: Response;
    try {
      answer = await fetch(config.apiUrl.replace(/\/+$/, '') + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(type ? { 'content-type': type } : {}) },
        body,
      });
    } catch (error) {
      throw new NetworkError(error instanceof Error ? error.message : String(error));
    }
    const text = await answer.text();
    const json = (text ? JSON.parse(text) : null) as T;
    return { status: answer.status, json };
  };
}

/** Run one write at a time, remembering its problem; `busy` disables the button. */
export function useWrite() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const run = async (write: () => Promise<unknown>): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setProblem(undefined);
    setDone(false);
    try {
      await write();
      setDone(true);
      return true;
    } catch (error) {
      setProblem(error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, done, run, setProblem };
}

export function SaveButton({ busy, label = a.save }: { busy: boolean; label?: string }) {
  return (
    <button type="submit" class="button" disabled={busy}>
      {busy ? a.saving : label}
    </button>
  );
}

export { ApiError };
