// The BSrE passphrase (and NIK, TOTP) reach the API in the sign request's body and nowhere else:
// after a sign, successful or not, nothing on the device holds them (localStorage,
// sessionStorage, every IndexedDB database and store, the offline queue, the address, the
// console), and the inputs are empty. The SignPanel is rendered as the app renders it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { makeApi } from '../src/api/client';
import { AppContext, type AppState } from '../src/app/context';
import { act as queueAct } from '../src/app/actions';
import { idbStorage, Queue } from '../src/offline/queue';
import { keep } from '../src/offline/cache';
import { SignPanel, signBody } from '../src/screens/outgoing/SignPanel';
import type { Outgoing } from '../src/lib/outgoing';

const PASSPHRASE = 'Rahasia-Bupati-7731!';
const NIK = '7324010101700001';
const TOTP = '493817';

const outgoing = {
  outgoing_id: 'out-1',
  unit_id: 'u-1',
  unit_code: 'KOMINFO',
  author_nip: '199001012015011001',
  kind: 'surat_dinas',
  sifat: 'biasa',
  urgensi: 'biasa',
  classification_code: '800.1.2.2',
  subject: 'Undangan rapat koordinasi',
  recipients: [],
  signers: [{ order: 1, nip: '197503082002121003', name: 'Kadis', position: 'Kepala Dinas' }],
  status: 'ready_to_sign',
  provisional_number: '800.1.2.2/.../KOMINFO/2026',
  created_at: '2026-12-07T01:00:00Z',
  updated_at: '2026-12-07T01:00:00Z',
} as unknown as Outgoing;

/** Every string kept on this device, wherever the app could have put it. */
async function everythingKept(): Promise<string> {
  const parts: string[] = [location.href, document.cookie];
  for (const store of [localStorage, sessionStorage]) {
    for (let i = 0; i < store.length; i++) {
      const k = store.key(i)!;
      parts.push(k, store.getItem(k) ?? '');
    }
  }
  for (const info of await indexedDB.databases()) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(info.name!);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    for (const name of Array.from(db.objectStoreNames)) {
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      parts.push(name, JSON.stringify(values, (_k, v) => (v instanceof ArrayBuffer ? '[bytes]' : v)));
    }
    db.close();
  }
  return parts.join('\n');
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('signing with BSrE', () => {
  let root: HTMLElement;
  let logged: string[];
  const seen: Request[] = [];

  beforeEach(async () => {
    root = document.createElement('div');
    document.body.appendChild(root);
    seen.length = 0;
    logged = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    // The app keeps other things on the device meanwhile: the cache and the queue exist.
    await keep('tester:outgoing:out-1', outgoing);
  });
  afterEach(() => {
    render(null, root);
    root.remove();
    vi.restoreAllMocks();
  });

  function mount(answer: () => Promise<Response>, online = true) {
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init));
      return answer();
    }) as typeof fetch;
    const api = makeApi('http://api.test', async () => 'id-token');
    const queue = new Queue(idbStorage());
    const state = {
      api,
      queue,
      online,
      user: 'tester',
      me: null,
      actingFor: null,
      pending: [],
    } as unknown as AppState;
    const onSigned = vi.fn();
    render(
      <AppContext.Provider value={state}>
        <SignPanel outgoing={outgoing} onSigned={onSigned} />
      </AppContext.Provider>,
      root,
    );
    return { onSigned, queue, api };
  }

  async function fillAndSign(values: { nik: string; passphrase?: string; totp?: string }) {
    const box = root.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    if (!box.checked) {
      await act(() => {
        box.click();
      });
    }
    await act(() => {
      type(root.querySelector<HTMLInputElement>('#sign-nik')!, values.nik);
      if (values.passphrase) type(root.querySelector<HTMLInputElement>('#sign-passphrase')!, values.passphrase);
      if (values.totp) type(root.querySelector<HTMLInputElement>('#sign-totp')!, values.totp);
    });
    await act(async () => {
      root.querySelector<HTMLButtonElement>('[data-testid=sign]')!.click();
      await flush();
    });
    await act(async () => {
      await flush();
    });
  }

  it('sends the passphrase in the body of one request, with an Idempotency-Key, and keeps it nowhere', async () => {
    const signed = { ...outgoing, status: 'signed', number: '800.1.2.2/12/KOMINFO/2026' };
    const { onSigned } = mount(async () => new Response(JSON.stringify(signed), { status: 200, headers: { 'content-type': 'application/json' } }));
    await fillAndSign({ nik: NIK, passphrase: PASSPHRASE });

    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(new URL(request.url).pathname).toBe('/outgoing/out-1/sign');
    expect(request.url).not.toContain(PASSPHRASE);
    expect(request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await request.clone().json()).toEqual({ nik: NIK, passphrase: PASSPHRASE });
    expect(onSigned).toHaveBeenCalledOnce();

    const kept = await everythingKept();
    expect(kept).toContain('Undangan rapat koordinasi'); // the search does see what is kept
    expect(kept).not.toContain(PASSPHRASE);
    expect(kept).not.toContain(NIK);
    expect(logged.join('\n')).not.toContain(PASSPHRASE);
    expect(root.innerHTML).not.toContain(PASSPHRASE);
  });

  it('clears the passphrase when the request fails, and keeps nothing either', async () => {
    const problem = { code: 'bsre_rejected', detail: 'BSrE refused to sign: wrong passphrase', status: 403, title: 'Forbidden' };
    mount(async () => new Response(JSON.stringify(problem), { status: 403, headers: { 'content-type': 'application/problem+json' } }));
    await fillAndSign({ nik: NIK, passphrase: PASSPHRASE });
    expect(root.querySelector('[data-testid=sign-problem]')!.textContent).toContain('BSrE menolak penandatanganan');
    expect(root.querySelector('[data-testid=sign-problem]')!.textContent).not.toContain('wrong passphrase');
    expect(root.querySelector<HTMLInputElement>('#sign-passphrase')!.value).toBe('');
    expect(root.querySelector<HTMLInputElement>('#sign-nik')!.value).toBe('');
    const kept = await everythingKept();
    expect(kept).not.toContain(PASSPHRASE);
    expect(logged.join('\n')).not.toContain(PASSPHRASE);
  });

  it('with no answer at all, clears the TOTP and says signing needs a connection (nothing is queued)', async () => {
    const { queue } = mount(async () => {
      throw new TypeError('Failed to fetch');
    });
    await fillAndSign({ nik: NIK, totp: TOTP });
    expect(await seen[0]!.clone().json()).toEqual({ nik: NIK, totp: TOTP });
    expect(root.querySelector('[data-testid=sign-problem]')!.textContent).toContain('memerlukan sambungan');
    expect(root.querySelector<HTMLInputElement>('#sign-totp')!.value).toBe('');
    expect(await queue.list()).toEqual([]);
    expect(await everythingKept()).not.toContain(TOTP);
  });

  it('a retry after no answer sends the same key for a key kept here, a new one for BSrE', async () => {
    mount(async () => {
      throw new TypeError('Failed to fetch');
    });
    const click = async () => {
      await act(async () => {
        root.querySelector<HTMLButtonElement>('[data-testid=sign]')!.click();
        await flush();
      });
      await act(async () => {
        await flush();
      });
    };
    await click();
    await click();
    expect(seen[0]!.headers.get('Idempotency-Key')).toBe(seen[1]!.headers.get('Idempotency-Key'));
    await fillAndSign({ nik: NIK, totp: TOTP });
    await fillAndSign({ nik: NIK, totp: '111222' });
    const [a, b] = [seen[2]!, seen[3]!].map((r) => r.headers.get('Idempotency-Key'));
    expect(a).not.toBe(b);
    expect(a).not.toBe(seen[0]!.headers.get('Idempotency-Key'));
  });

  it('offline, the sign button is off and the user is told why', () => {
    mount(async () => new Response(null, { status: 500 }), false);
    expect(root.querySelector<HTMLButtonElement>('[data-testid=sign]')!.disabled).toBe(true);
    expect(root.textContent).toContain('Tanda tangan elektronik memerlukan sambungan');
  });

  it('a signer with a key kept here sends an empty body', () => {
    expect(signBody(false, { nik: NIK, passphrase: PASSPHRASE, totp: '' })).toEqual({});
    expect(signBody(true, { nik: ` ${NIK} `, passphrase: PASSPHRASE, totp: '' })).toEqual({ nik: NIK, passphrase: PASSPHRASE });
    expect(signBody(true, { nik: NIK, passphrase: '', totp: ' 493817 ' })).toEqual({ nik: NIK, totp: TOTP });
  });

  it('a paraf made offline waits in the queue; a sign never does', async () => {
    const { queue, api } = mount(async () => {
      throw new TypeError('Failed to fetch');
    });
    const result = await queueAct(queue, api, {
      kind: 'review',
      user: 'tester',
      label: 'Beri paraf: Undangan',
      letterId: 'out-1',
      params: {},
      body: { decision: 'approve', version: 1 },
    });
    expect(result.kind).toBe('queued');
    expect(new URL(seen[0]!.url).pathname).toBe('/outgoing/out-1/reviews');
    expect(seen[0]!.headers.get('Idempotency-Key')).toBe((await queue.list())[0]!.key);
    await queue.dismiss((await queue.list())[0]!.id);
  });
});
