// Gagal terkirim: an administrator reads whom a notice failed to reach, its kind and each
// channel's outcome in Bahasa Indonesia, never its text; the next page comes with its cursor.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { makeApi, type FailurePage } from '../src/api/client';
import { AppContext, type AppState } from '../src/app/context';
import { DeliveryFailures } from '../src/screens/DeliveryFailures';

function failure(n: number, name: string | null): FailurePage['items'][number] {
  return {
    notification_id: `n-${n}`,
    nip: `19900101201501100${n}`,
    name,
    kind: 'disposition_received',
    created_at: '2026-12-07T01:00:00Z',
    deliveries: [
      { channel: 'email', status: 'sent', attempts: 1, at: '2026-12-07T01:00:01Z' },
      { channel: 'whatsapp', status: 'failed', attempts: 5, at: '2026-12-07T02:10:00Z' },
    ],
  } as FailurePage['items'][number];
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

describe('Gagal terkirim', () => {
  const root = document.createElement('div');
  afterEach(() => render(null, root));

  it('lists whom and through what, and fetches the next page with its cursor', async () => {
    const asked: string[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(new Request(input, init).url);
      asked.push(url.pathname + url.search);
      const page: FailurePage = url.searchParams.get('cursor')
        ? { items: [failure(2, null)], next_cursor: null }
        : { items: [failure(1, 'Andi Pratama')], next_cursor: 'c-2' };
      return new Response(JSON.stringify(page), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const state = {
      api: makeApi('http://api.test', async () => 'id-token'),
      online: true,
      user: `admin-${Date.now()}`,
      me: null,
      pending: [],
    } as unknown as AppState;
    await act(() => {
      render(
        <AppContext.Provider value={state}>
          <DeliveryFailures />
        </AppContext.Provider>,
        root,
      );
    });
    await settle();

    const list = () => root.querySelector('[data-testid=delivery-failures]')!.textContent ?? '';
    expect(list()).toContain('Andi Pratama');
    expect(list()).toContain('Disposisi baru');
    expect(list()).toContain('E-mail: terkirim (1 kali dicoba)');
    expect(list()).toContain('WhatsApp: gagal (5 kali dicoba)');
    const more = Array.from(root.querySelectorAll('button')).find((b) => b.textContent === 'Tampilkan berikutnya')!;
    await act(() => more.click());
    await settle();

    expect(asked).toEqual(['/notifications/failures', '/notifications/failures?cursor=c-2']);
    expect(list()).toContain('Pegawai tidak ditemukan');
    expect(list()).toContain('NIP 199001012015011002');
    expect(Array.from(root.querySelectorAll('button')).some((b) => b.textContent === 'Tampilkan berikutnya')).toBe(false);
  });
});
