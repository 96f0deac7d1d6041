// Web push end to end (issue 17): the Sekda turns notifications on in his app, the Bupati
// disposes a letter to him in his own, the notifications function pushes it through the push
// service, the Sekda's service worker shows it and a tap opens the letter.
//
// Headless Chromium here has no push service (no network to FCM): only that part is played,
// by the local runner's push service stand-in and e2e/pushService.ts (PushManager.subscribe at
// the stand-in with keys made in Node). The message the function sent is taken from the
// stand-in, decrypted as a browser does (RFC 8291) and handed to the Sekda's real service worker
// through the DevTools protocol, as Chrome hands it what FCM delivers. Headless shows no
// notification to tap: the worker's own notification is tapped by a notificationclick event
// dispatched in the worker (it carries no user activation, so focus() is refused there).
import { expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { api, disposeToUnit, literally, registeredLetter, signIn } from './support';
import { stack } from './stack';
import { StandInPushService, type Pushed } from './pushService';

interface Me {
  employee: { nip: string; name: string };
  unit: { name: string };
}

interface Payload {
  title: string;
  body: string;
  path: string;
  tag: string;
  urgent: boolean;
}

interface Shown {
  title: string;
  body: string;
  tag: string;
  path: unknown;
  requireInteraction: boolean;
}

/** The Bupati, in his own browser, disposes the letter to the Sekda's unit (its head, the
 * Sekda) through the app. */
async function bupatiDisposes(page: Page, subject: string, sekda: Me): Promise<void> {
  await signIn(page, 'bupati');
  await page.getByTestId('undisposed').getByRole('link', { name: literally(subject) }).click();
  await disposeToUnit(page, sekda.unit.name, 'Tindak lanjuti');
  await expect(page.getByTestId('tree')).toContainText(sekda.employee.name);
}

/** Wait until the page's service worker is active and controls the page (Workbox claims it). */
async function controlled(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready, !!navigator.serviceWorker.controller))).toBe(true);
}

/** Wait until the registration's worker has finished activating: a push handed to a worker
 * still installing or activating (a fresh stack's first visit) may be dropped by the browser. */
async function activated(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), { message: 'the service worker activated' })
    .toBe('activated');
}

/** The app's service worker as it runs now (the browser may stop an idle one and start it again
 * for the next event, each time a Worker of its own): a fetch from the page wakes it. */
async function runningWorker(context: BrowserContext, page: Page): Promise<Worker> {
  const ours = () => context.serviceWorkers().filter((w) => w.url().startsWith(stack().webUrl));
  if (ours().length === 0) await page.evaluate(() => fetch('/config.json', { cache: 'no-store' }).then((r) => r.ok));
  await expect.poll(() => ours().length, { message: 'the service worker running' }).toBeGreaterThan(0);
  return ours().at(-1) as Worker;
}

/** Hand `data` to the app's service worker as a push, as the browser does with what its push
 * service delivered (DevTools protocol: ServiceWorker.deliverPushMessage). */
async function deliverPush(context: BrowserContext, page: Page, data: string): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const scope = `${stack().webUrl}/`;
  const registration = new Promise<string>((found) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === scope && !r.isDeleted);
      if (ours) found(ours.registrationId);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  const registrationId = await Promise.race([
    registration,
    new Promise<string>((_, fail) => setTimeout(() => fail(new Error(`no service worker registration for ${scope}`)), 15_000)),
  ]);
  await activated(page);
  await runningWorker(context, page);
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: stack().webUrl, registrationId, data });
  await cdp.detach();
}

/** The notifications the app's service worker shows for `path` (its registration, read from
 * the page: what the worker showed, whether it still runs or not). */
function shownFor(page: Page, path: string): Promise<Shown[]> {
  return page.evaluate(async (path) => {
    const all = await (await navigator.serviceWorker.ready).getNotifications();
    return all
      .filter((n) => (n.data as { path?: unknown } | null)?.path === path)
      .map((n) => ({ title: n.title, body: n.body, tag: n.tag, path: (n.data as { path?: unknown }).path, requireInteraction: n.requireInteraction }));
  }, path);
}

/** A tap on the notification for `path`: the worker's notificationclick, with that notification.
 * Dispatched by script, the event is untrusted: its `waitUntil` throws in the worker (logged
 * there), but the handler has already started the navigation this test checks. */
async function tap(context: BrowserContext, page: Page, path: string): Promise<void> {
  const worker = await runningWorker(context, page);
  await worker.evaluate(async (path) => {
    const scope = self as unknown as {
      registration: ServiceWorkerRegistration;
      NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
      dispatchEvent(event: Event): boolean;
    };
    const notification = (await scope.registration.getNotifications()).find((n) => (n.data as { path?: unknown } | null)?.path === path);
    if (!notification) throw new Error(`no notification for ${path}`);
    scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification }));
  }, path);
}

test('the Bupati disposes to the Sekda, whose app is pushed the letter, and a tap opens it', async ({ browser }, info) => {
  test.skip(!stack().pushUrl, 'E2E_PUSH_URL: the push service stand-in of the stack already running');
  const options = { ...info.project.use, baseURL: undefined };
  // Amat segera: urgent items pass the default quiet hours (21:00-06:00 WITA), so the test
  // does not depend on the hour it runs at.
  const subject = `Kunjungan kerja Menteri PANRB (${info.project.name} ${Date.now() % 100000})`;
  const letter = await registeredLetter('bupati', subject, 'amat_segera');
  const path = `/surat/${letter.letter_id}`;
  const sekda = await api<Me>('sekda', 'GET', '/me');

  // The Sekda turns push on for this device through the app (the browser's permission granted).
  const sekdaContext = await browser.newContext({ ...options, permissions: ['notifications'] });
  const pushService = new StandInPushService();
  await pushService.install(sekdaContext);
  const sekdaPage = await sekdaContext.newPage();
  await signIn(sekdaPage, 'sekda');
  await sekdaPage.goto(stack().webUrl + '/pemberitahuan');
  await controlled(sekdaPage);
  const settings = sekdaPage.getByRole('form', { name: 'Pengaturan notifikasi' });
  const stored = sekdaPage.waitForResponse((r) => r.url().endsWith('/me/push-subscriptions') && r.request().method() === 'POST');
  await settings.getByRole('button', { name: 'Aktifkan notifikasi di perangkat ini' }).click();
  expect((await stored).status()).toBeLessThan(300);
  await expect(settings.getByText('Notifikasi aktif di perangkat ini.')).toBeVisible();
  const { public_key: vapidKey } = await api<{ public_key: string }>('sekda', 'GET', '/notifications/push-key');
  expect(pushService.subscription?.applicationServerKey).toBe(vapidKey);

  // The Bupati disposes it to him, in a browser of his own.
  const bupatiContext = await browser.newContext(options);
  await bupatiDisposes(await bupatiContext.newPage(), subject, sekda);

  // The function's push reaches the push service, encrypted for the Sekda's browser only.
  let pushed: Pushed | undefined;
  await expect
    .poll(async () => (pushed = (await pushService.received()).find((m) => (JSON.parse(m.text) as Payload).path === path)), {
      timeout: 30_000,
      message: 'the push at the push service',
    })
    .toBeTruthy();
  const message = pushed as Pushed;
  expect(message.headers['urgency']).toBe('high');
  const payload = JSON.parse(message.text) as Payload;
  expect(payload).toMatchObject({ title: 'Disposisi baru', path, urgent: true });
  expect(payload.body).toContain(`perihal “${subject}”`);

  // The browser hands it to the Sekda's service worker, which shows it.
  await deliverPush(sekdaContext, sekdaPage, message.text);
  // The browser hands a push to the worker once; headless Chromium has been seen to drop the
  // first one of a fresh profile (a worker it had just started): deliver it again, as a push
  // service redelivers what was not acknowledged. Its tag makes a second showing replace the first.
  await expect
    .poll(() => shownFor(sekdaPage, path).then((n) => n.length), { timeout: 7_000 })
    .toBeGreaterThan(0)
    .catch(() => deliverPush(sekdaContext, sekdaPage, message.text));
  await expect.poll(() => shownFor(sekdaPage, path), { message: 'the notification shown' }).toEqual([
    { title: '[Segera] Disposisi baru', body: payload.body, tag: payload.tag, path, requireInteraction: true },
  ]);

  // A tap closes it and opens the letter in his app.
  await sekdaPage.goto(stack().webUrl + '/');
  await tap(sekdaContext, sekdaPage, path);
  await sekdaPage.waitForURL((url) => url.pathname === path, { timeout: 15_000 });
  await expect(sekdaPage.getByRole('heading', { name: literally(subject) })).toBeVisible();
  await expect.poll(() => shownFor(sekdaPage, path), { message: 'closed by the tap' }).toEqual([]);

  // Signing out removes this device's subscription, at the API and in the browser.
  const removed = sekdaPage.waitForResponse((r) => r.url().endsWith('/me/push-subscriptions/remove'));
  await sekdaPage.getByRole('link', { name: 'Keluar', exact: true }).click();
  expect((await removed).status()).toBeLessThan(300);
  await expect(sekdaPage.getByRole('button', { name: 'Masuk dengan akun Pemkab' })).toBeVisible();
  expect(pushService.unsubscribed).toBe(1);
  await Promise.all([sekdaContext.close(), bupatiContext.close()]);
});
