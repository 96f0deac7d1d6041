// public/push-sw.js, run as the service worker runs it (its own global, the events it listens
// to): a tap sends the app's window to the item even when the browser refuses to raise it, and
// never to another site. The browser test (e2e/push.spec.ts) delivers a real push to it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const ORIGIN = 'https://eoffice.luwutimurkab.go.id';
const SOURCE = readFileSync(resolve(__dirname, '../public/push-sw.js'), 'utf8');

type Listener = (event: unknown) => void;

interface FakeWindow {
  url: string;
  navigated: string[];
  focus: () => Promise<unknown>;
  navigate: (href: string) => Promise<unknown>;
}

/** The worker's global as far as push-sw.js reaches it; what it did is recorded. */
function worker(windows: FakeWindow[]) {
  const listeners = new Map<string, Listener>();
  const opened: string[] = [];
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const self = {
    location: new URL('/sw.js', ORIGIN),
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    registration: {
      showNotification: async (title: string, options: Record<string, unknown>) => void shown.push({ title, options }),
    },
    clients: {
      matchAll: async () => windows,
      openWindow: async (href: string) => void opened.push(href),
    },
  };
  runInNewContext(SOURCE, { self, URL });
  /** Dispatch `type` with `fields`; resolves when what it gave waitUntil has settled. */
  async function dispatch(type: string, fields: Record<string, unknown>): Promise<void> {
    const waited: Promise<unknown>[] = [];
    listeners.get(type)?.({ ...fields, waitUntil: (p: Promise<unknown>) => waited.push(p) });
    await Promise.all(waited);
  }
  return { dispatch, opened, shown };
}

function appWindow(focus: () => Promise<unknown>): FakeWindow {
  const client: FakeWindow = {
    url: `${ORIGIN}/`,
    navigated: [],
    focus,
    navigate: async (href: string) => void client.navigated.push(href),
  };
  return client;
}

function tap(path: unknown) {
  let closed = false;
  return { notification: { data: { path }, close: () => (closed = true) }, closed: () => closed };
}

describe('push-sw.js', () => {
  it('sends the open window to the item even when focus is refused (no user activation)', async () => {
    const refused = appWindow(() => Promise.reject(new DOMException('Not allowed to focus a window.', 'InvalidAccessError')));
    const sw = worker([refused]);
    const event = tap('/surat/9f3a2c');
    await sw.dispatch('notificationclick', { notification: event.notification });
    expect(event.closed()).toBe(true);
    expect(refused.navigated).toEqual([`${ORIGIN}/surat/9f3a2c`]);
    expect(sw.opened).toEqual([]);
  });

  it('never leaves the app: another site’s address opens the home page', async () => {
    const focused = appWindow(async () => undefined);
    const sw = worker([focused]);
    for (const path of ['//evil.example/x', 'https://evil.example/', '/\\evil.example'])
      await sw.dispatch('notificationclick', { notification: tap(path).notification });
    expect(focused.navigated.map((href) => new URL(href).origin)).toEqual([ORIGIN, ORIGIN, ORIGIN]);
  });

  it('opens a new window when the open one cannot be navigated (not controlled by the worker)', async () => {
    const uncontrolled = appWindow(async () => undefined);
    uncontrolled.navigate = () => Promise.reject(new TypeError('not controlled'));
    const sw = worker([uncontrolled]);
    await sw.dispatch('notificationclick', { notification: tap('/surat/77').notification });
    expect(sw.opened).toEqual([`${ORIGIN}/surat/77`]);
  });

  it('opens a new window when the app has none', async () => {
    const sw = worker([]);
    await sw.dispatch('notificationclick', { notification: tap('/tugas').notification });
    expect(sw.opened).toEqual([`${ORIGIN}/tugas`]);
  });

  it('shows an urgent push marked as such, opening only an app path', async () => {
    const sw = worker([]);
    const data = { json: () => ({ title: 'Disposisi baru', body: 'Bupati...', path: '//evil.example', tag: 'n1', urgent: true }) };
    await sw.dispatch('push', { data });
    expect(sw.shown).toEqual([
      {
        title: '[Segera] Disposisi baru',
        options: expect.objectContaining({ body: 'Bupati...', tag: 'n1', data: { path: '/' }, requireInteraction: true, lang: 'id' }),
      },
    ]);
  });
});
