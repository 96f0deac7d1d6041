// Pegawai: the employees of a unit (or all), searched by name or NIP among those read (a full
// NIP is also looked up at the API, and "Cari di semua" reads the remaining pages), each with
// his sign-in's state (the back end creates and disables Cognito users: creating an employee
// with an e-mail queues his, deactivating him disables it). Create, edit, deactivate, reactivate.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, ok, type Role, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { a } from '../../strings.admin';
import { Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import { SaveButton, UnitSelect, useUnits, useWrite } from './shared';
import './admin.css';

type Employee = Schemas['EmployeeView'];
type Position = Schemas['Position'];
const w = a.employees;
const ROLES: Role[] = ['staff', 'head', 'tu', 'hr', 'admin', 'sekda', 'bupati'];

/** Name or NIP contains the query (case and spaces ignored: NIPs are typed with spaces). */
export function matchesEmployee(e: { name: string; nip: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const digits = q.replace(/\s+/g, '');
  return e.name.toLowerCase().includes(q) || (/^\d+$/.test(digits) && e.nip.includes(digits));
}

export function Employees() {
  const { api } = useApp();
  const units = useUnits();
  const [unitId, setUnitId] = useState('');
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Employee[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [editing, setEditing] = useState<Employee | 'new' | null>(null);

  /** One page of the unit's employees (all units: ''), 200 at a time. */
  const employeesPage = (unit: string, cursor: string | null) =>
    ok(api.GET('/employees', { params: { query: { unit: unit || undefined, limit: 200, cursor: cursor ?? undefined } } }));
  const load = async (cursor: string | null) => {
    setLoading(true);
    setProblem(undefined);
    try {
      const page = await employeesPage(unitId, cursor);
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.next_cursor ?? null);
    } catch (error) {
      setProblem(error);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setEditing(null);
    void load(null);
  }, [unitId]);

  const [attempt, setAttempt] = useState(0);
  const lookup = useNipLookup(query, items, unitId, attempt);
  const found = lookup.found;
  const shown = useMemo(
    () => [...(found ? [found] : []), ...items.filter((e) => matchesEmployee(e, query))],
    [items, query, found],
  );
  /** Read every remaining page, so the search covers everyone (5,000 are 25 pages); stops when
   * another unit is chosen meanwhile. */
  const reading = useRef(unitId);
  reading.current = unitId;
  const loadAll = async () => {
    const forUnit = unitId;
    setLoading(true);
    setProblem(undefined);
    try {
      let cursor = next;
      while (cursor) {
        const page = await employeesPage(forUnit, cursor);
        if (reading.current !== forUnit) return;
        setItems((old) => [...old, ...page.items]);
        cursor = page.next_cursor ?? null;
        setNext(cursor);
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setLoading(false);
    }
  };
  const unitName = (id: string) => units.data?.find((u) => u.unit_id === id)?.name ?? id;
  const saved = (e: Employee) => {
    setItems((old) => (old.some((o) => o.nip === e.nip) ? old.map((o) => (o.nip === e.nip ? e : o)) : [e, ...old]));
    setEditing(e);
  };

  return (
    <section class="screen admin">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton
          busy={loading}
          onClick={() => {
            setAttempt((n) => n + 1);
            void load(null);
          }}
        />
      </div>
      <div class="inline-form">
        <div class="field">
          <label for="emp-search">{w.search}</label>
          <input id="emp-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-unit">{w.unit}</label>
          <UnitSelect id="emp-unit" units={units.data ?? []} value={unitId} onChange={setUnitId} empty={w.allUnits} />
        </div>
      </div>
      <div class="actions">
        <button type="button" class="button secondary" onClick={() => setEditing('new')}>
          {w.newEmployee}
        </button>
      </div>
      {editing && (
        <EmployeeForm
          key={editing === 'new' ? 'new' : editing.nip}
          employee={editing === 'new' ? null : editing}
          defaultUnit={unitId || units.data?.[0]?.unit_id || ''}
          onSaved={saved}
          onClose={() => setEditing(null)}
        />
      )}
      <ProblemNote error={problem ?? lookup.problem} />
      {query.trim() && next && (
        <div class="notice" data-testid="search-partial">
          <p>{w.searchedLoaded(items.length)}</p>
          <button type="button" class="button secondary" disabled={loading} onClick={() => void loadAll()}>
            {w.searchAll}
          </button>
        </div>
      )}
      <Loading when={loading && items.length === 0}>
        {shown.length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="list" data-testid="employees">
            {shown.map((e) => (
              <li key={e.nip} class="item" data-nip={e.nip}>
                <button type="button" class="item-link plain-button" onClick={() => setEditing(e)}>
                  <span class="item-title">
                    {e.name} <span class="item-meta">NIP {e.nip}</span>
                  </span>
                  <span class="item-meta">
                    {unitName(e.unit_id)} · {e.roles.map((r) => a.roles[r]).join(', ')} ·{' '}
                    {e.active ? w.active : w.inactive}
                  </span>
                  <span class="item-meta" data-testid="sign-in-state">
                    {w.signIn}: {w.signInStates[e.sign_in?.state ?? 'none']}
                    {e.sign_in?.reason ? ` (${w.signInReasons[e.sign_in.reason]})` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      {next && (
        <button type="button" class="button secondary" disabled={loading} onClick={() => void load(next)}>
          {w.more}
        </button>
      )}
    </section>
  );
}

/** A full NIP typed in the search, of someone not among the pages read: asked of the API (and
 * shown only when he is in the unit chosen, if one is). A lookup that fails says so (a 404 is
 * simply nobody), rather than showing nobody; `attempt` (the refresh button) asks again. */
function useNipLookup(
  query: string,
  items: Employee[],
  unitId: string,
  attempt: number,
): { found: Employee | null; problem: unknown } {
  const { api } = useApp();
  const [found, setFound] = useState<Employee | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  const nip = query.replace(/\s+/g, '');
  const wanted = /^\d{18}$/.test(nip) && !items.some((e) => e.nip === nip) ? nip : null;
  useEffect(() => {
    setFound(null);
    setProblem(undefined);
    if (!wanted) return;
    let current = true;
    ok(api.GET('/employees/{nip}', { params: { path: { nip: wanted } } }))
      .then((employee) => {
        if (current) setFound(!unitId || employee.unit_id === unitId ? employee : null);
      })
      .catch((error: unknown) => {
        if (current && !(error instanceof ApiError && error.status === 404)) setProblem(error);
      });
    return () => {
      current = false;
    };
  }, [wanted, api, unitId, attempt]);
  return { found, problem };
}

function EmployeeForm({ employee, defaultUnit, onSaved, onClose }: {
  employee: Employee | null; defaultUnit: string; onSaved(e: Employee): void; onClose(): void;
}) {
  const { api } = useApp();
  const units = useUnits();
  const [nip, setNip] = useState(employee?.nip ?? '');
  const [name, setName] = useState(employee?.name ?? '');
  const [username, setUsername] = useState(employee?.username ?? '');
  const [email, setEmail] = useState(employee?.email ?? '');
  const [unitId, setUnitId] = useState(employee?.unit_id ?? defaultUnit);
  const [positionId, setPositionId] = useState(employee?.position_id ?? '');
  const [roles, setRoles] = useState<Role[]>(employee?.roles ?? ['staff']);
  const [tpp, setTpp] = useState(String(employee?.tpp_amount ?? 0));
  const [from, setFrom] = useState(employee?.employed_from ?? '');
  const [until, setUntil] = useState(employee?.employed_until ?? '');
  const [positions, setPositions] = useState<Position[]>([]);
  const write = useWrite();
  useEffect(() => {
    if (!unitId) return;
    void ok(api.GET('/positions', { params: { query: { unit: unitId } } })).then(setPositions, () => setPositions([]));
  }, [unitId]);

  const save = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      const common = {
        name: name.trim(),
        email: email.trim() || null,
        unit_id: unitId,
        position_id: positionId || null,
        roles,
        tpp_amount: Number(tpp) || 0,
        employed_from: from || null,
        employed_until: until || null,
      };
      const saved = employee
        ? await ok(api.PATCH('/employees/{nip}', { params: { path: { nip: employee.nip } }, body: common }))
        : await ok(api.POST('/employees', { body: { ...common, active: true, nip: nip.trim(), username: username.trim() } }));
      onSaved(saved);
    });
  };
  const toggleActive = () =>
    void write.run(async () => {
      if (!employee) return;
      if (employee.active && !confirm(w.confirmDeactivate(employee.name))) return;
      const saved = await ok(
        api.PATCH('/employees/{nip}', { params: { path: { nip: employee.nip } }, body: { active: !employee.active } }),
      );
      onSaved(saved);
    });

  return (
    <form class="card" onSubmit={save} data-testid="employee-form">
      <h2>{employee ? w.editEmployee(employee.name) : w.newEmployee}</h2>
      {employee && (
        <p class="item-meta">
          {employee.active ? w.active : w.inactive} · {w.signIn}: {w.signInStates[employee.sign_in?.state ?? 'none']}
          {employee.sign_in?.message ? ` (${employee.sign_in.message})` : ''}
        </p>
      )}
      <div class="inline-form">
        <div class="field">
          <label for="emp-nip">{w.nip}</label>
          <input id="emp-nip" required inputMode="numeric" value={nip} disabled={Boolean(employee)} onInput={(e) => setNip(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-name">{w.name}</label>
          <input id="emp-name" required minLength={2} maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-username">{w.username}</label>
          <input id="emp-username" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{2,63}" value={username} disabled={Boolean(employee)}
            onInput={(e) => setUsername(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-email">{w.email}</label>
          <input id="emp-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-form-unit">{w.unit}</label>
          <UnitSelect id="emp-form-unit" units={units.data ?? []} value={unitId} onChange={(u) => { setUnitId(u); setPositionId(''); }} />
        </div>
        <div class="field">
          <label for="emp-position">{w.position}</label>
          <select id="emp-position" value={positionId} onChange={(e) => setPositionId(e.currentTarget.value)}>
            <option value="">{w.noPosition}</option>
            {positions.map((p) => (
              <option key={p.position_id} value={p.position_id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="emp-tpp">{w.tpp}</label>
          <input id="emp-tpp" type="number" min={0} step={1} value={tpp} onInput={(e) => setTpp(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-from">{w.employedFrom}</label>
          <input id="emp-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-until">{w.employedUntil}</label>
          <input id="emp-until" type="date" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
        </div>
      </div>
      <fieldset class="choices">
        <legend>{w.roles}</legend>
        {ROLES.map((r) => (
          <label key={r} class="check">
            <input type="checkbox" checked={roles.includes(r)}
              onChange={(e) => setRoles((all) => (e.currentTarget.checked ? [...all, r] : all.filter((x) => x !== r)))} />
            {a.roles[r]}
          </label>
        ))}
      </fieldset>
      <ProblemNote error={write.problem} />
      {write.done && <p class="notice" role="status">{a.saved}</p>}
      <div class="actions">
        <SaveButton busy={write.busy} />
        {employee && (
          <button type="button" class="button secondary" disabled={write.busy} onClick={toggleActive}>
            {employee.active ? w.deactivate : w.reactivate}
          </button>
        )}
        <button type="button" class="button quiet" onClick={onClose}>
          {a.cancel}
        </button>
      </div>
    </form>
  );
}
