// Pegawai: the search covers more than the page read. A full NIP of someone not yet read is
// asked of the API; a name typed while pages remain says so and "Cari di semua pegawai" reads
// the rest with their cursors.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { makeApi, type Schemas } from '../src/api/client';
import { AppContext, type AppState } from '../src/app/context';
import { Employees } from '../src/screens/admin/Employees';

type Employee = Schemas['EmployeeView'];

function employee(n: number, name: string): Employee {
  return {
    nip: `19900101201501100${n}`.padEnd(18, '0').slice(0, 18),
    name,
    unit_id: 'U1',
    position_id: null,
    roles: ['staff'],
    tpp_amount: 0,
    office_ids: [],
    active: true,
    username: `u${n}`,
    email: null,
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
    sign_in: { state: 'created' },
  } as unknown as Employee;
}

const FIRST = employee(1, 'Andi Pratama');
const LATER = employee(2, 'Sitti Rahma');
const FAR = { ...employee(3, 'Rahmat Hidayat'), nip: '199202022016021003' } as Employee;
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Pegawai, as an admin sees it, against the fetch stub the test set. */
async function mount(root: HTMLElement) {
  const state = { api: makeApi('http://api.test', async () => 't'), online: true, user: `admin-${Date.now()}`, me: null, pending: [] } as unknown as AppState;
  await act(() => {
    render(
      <AppContext.Provider value={state}>
        <Employees />
      </AppContext.Provider>,
      root,
    );
  });
}

function typeSearch(root: HTMLElement, text: string) {
  const input = root.querySelector<HTMLInputElement>('#emp-search')!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('Pegawai: the search', () => {
  const root = document.createElement('div');
  afterEach(() => render(null, root));

  it('asks the API for a full NIP not read, and reads the remaining pages on request', async () => {
    const asked: string[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(new Request(input, init).url);
      asked.push(url.pathname + url.search);
      if (url.pathname === '/units') return json([]);
      if (url.pathname === `/employees/${FAR.nip}`) return json(FAR);
      if (url.pathname === '/employees')
        return url.searchParams.get('cursor') ? json({ items: [LATER], next_cursor: null }) : json({ items: [FIRST], next_cursor: 'c-2' });
      return json({ code: 'not_found', title: 'x', status: 404, detail: 'x' }, 404);
    }) as typeof fetch;
    await mount(root);
    await settle();
    const list = () => root.querySelector('[data-testid=employees]')?.textContent ?? '';
    expect(list()).toContain('Andi Pratama');

    await act(() => typeSearch(root, '1992 0202 2016 02 1 003'));
    await settle();
    expect(asked).toContain(`/employees/${FAR.nip}`);
    expect(list()).toContain('Rahmat Hidayat');

    await act(() => typeSearch(root, 'sitti'));
    await settle();
    expect(root.querySelector('[data-testid=search-partial]')?.textContent).toContain('1 pegawai yang sudah dimuat');
    expect(list()).not.toContain('Sitti Rahma');
    const all = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Cari di semua pegawai')!;
    await act(() => all.click());
    await settle();
    expect(asked.some((path) => path.includes('cursor=c-2'))).toBe(true);
    expect(list()).toContain('Sitti Rahma');
    expect(root.querySelector('[data-testid=search-partial]')).toBeNull();
  });

  it('says so when a NIP lookup fails, and asks again on refresh', async () => {
    let lookups = 0;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(new Request(input, init).url);
      if (url.pathname === '/units') return json([]);
      if (url.pathname === '/employees') return json({ items: [FIRST], next_cursor: null });
      if (url.pathname === `/employees/${FAR.nip}`) {
        lookups += 1;
        return lookups === 1 ? json({ code: 'unavailable', title: 'x', status: 503, detail: 'x' }, 503) : json(FAR);
      }
      return json({ code: 'not_found', title: 'x', status: 404, detail: 'x' }, 404);
    }) as typeof fetch;
    await mount(root);
    await settle();
    await act(() => typeSearch(root, FAR.nip));
    await settle();
    expect(lookups).toBe(1);
    expect(root.querySelector('[role=alert]')).not.toBeNull();
    expect(root.querySelector('[data-testid=employees]')?.textContent ?? '').not.toContain('Rahmat Hidayat');

    const refresh = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Muat ulang')!;
    await act(() => refresh.click());
    await settle();
    expect(lookups).toBe(2);
    expect(root.querySelector('[role=alert]')).toBeNull();
    expect(root.querySelector('[data-testid=employees]')?.textContent).toContain('Rahmat Hidayat');
  });
});
